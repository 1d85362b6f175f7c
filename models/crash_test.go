package models

import (
	"bufio"
	"context"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCrashChild is the child of TestCrashSafety: it sells until killed,
// printing each order number once its commit has returned.
func TestCrashChild(t *testing.T) {
	path := os.Getenv("TILL_CRASH_DB")
	if path == "" {
		return // only runs as TestCrashSafety's child
	}
	s, err := Open(path)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(2)
	}
	prods := []Product{product(t, s, "6901234567892"), product(t, s, "6921168509256")}
	apple, _ := s.ProductByID(bg, 3)
	prods = append(prods, *apple)
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	for {
		o := NewOrder(CNY, TaxInclusive)
		for k := rng.Intn(8) + 1; k > 0; k-- {
			p := prods[rng.Intn(len(prods))]
			q := Units(int64(rng.Intn(3) + 1))
			if p.Weighed {
				q = Quantity(rng.Intn(900) + 100)
			}
			o.AddProduct(p, q)
		}
		if err := s.CommitSale(bg, o, cashFor(o, o.Total+rng.Int63n(5000)), SaleContext{TerminalID: "T01", Operator: cashier}); err != nil {
			fmt.Println("error:", err)
			os.Exit(2)
		}
		fmt.Println(o.Number)
	}
}

// TestCrashSafety kills a selling process with SIGKILL at random points,
// mid-transaction too, and checks after each kill that the database is
// sound, every sale reported committed is there, and every stored sale is whole.
func TestCrashSafety(t *testing.T) {
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewSource(seed))
	s := newTestStore(t)
	path := s.Path()
	initial := map[uint]Quantity{}
	for _, id := range []uint{1, 2, 3} {
		p, _ := s.ProductByID(bg, id)
		initial[id] = p.Stock
	}
	s.Close()

	reported := map[string]bool{}
	for round := 0; round < 12; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "TILL_CRASH_DB="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		killAfter := rng.Intn(60) + 1
		sc := bufio.NewScanner(out)
		for n := 0; n < killAfter && sc.Scan(); n++ {
			line := sc.Text()
			if strings.HasPrefix(line, "error:") {
				t.Fatalf("round %d: child failed: %s", round, line)
			}
			if strings.HasPrefix(line, "T01-") {
				reported[line] = true
			}
		}
		// Land the kill at a random moment, often inside the next commit.
		time.Sleep(time.Duration(rng.Intn(3000)) * time.Microsecond)
		cmd.Process.Signal(syscall.SIGKILL)
		for sc.Scan() { // numbers printed before the kill landed are committed too
			if l := sc.Text(); strings.HasPrefix(l, "T01-") {
				reported[l] = true
			}
		}
		cmd.Wait()
		checkWhole(t, path, round, reported, initial)
	}
}

func checkWhole(t *testing.T, path string, round int, reported map[string]bool, initial map[uint]Quantity) {
	t.Helper()
	s, err := Open(path)
	if err != nil {
		t.Fatalf("round %d: reopen: %v", round, err)
	}
	defer s.Close()
	if res, err := s.IntegrityCheck(context.Background()); err != nil || res != "ok" {
		t.Fatalf("round %d: integrity_check = %q, %v", round, res, err)
	}
	var orders []Order
	if err := s.db.Preload("Lines").Preload("Payments").Order("seq").Find(&orders).Error; err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	sold := map[uint]Quantity{}
	for i, o := range orders {
		stored[o.Number] = true
		if o.Seq != int64(i+1) {
			t.Fatalf("round %d: order %s has seq %d at position %d: a gap", round, o.Number, o.Seq, i+1)
		}
		var net int64
		for _, l := range o.Lines {
			net += l.Net
			sold[l.ProductID] += l.Qty
		}
		if len(o.Lines) != o.LineCount || net != o.Total || len(o.Payments) != 1 || o.Payments[0].Amount != o.Total {
			t.Fatalf("round %d: order %s is not whole: %d/%d lines, net %d total %d, %d payments",
				round, o.Number, len(o.Lines), o.LineCount, net, o.Total, len(o.Payments))
		}
		var outbox, audit int64
		s.db.Model(&OutboxEntry{}).Where("order_id = ?", o.ID).Count(&outbox)
		s.db.Model(&AuditEntry{}).Where("action = ? AND subject = ?", "sale", o.Number).Count(&audit)
		if outbox != 1 || audit != 1 {
			t.Fatalf("round %d: order %s has %d outbox and %d audit rows", round, o.Number, outbox, audit)
		}
	}
	for n := range reported {
		if !stored[n] {
			t.Fatalf("round %d: %s was reported committed but is not stored", round, n)
		}
	}
	for id, start := range initial {
		p, err := s.ProductByID(bg, id)
		if err != nil {
			t.Fatal(err)
		}
		if p.Stock != start-sold[id] {
			t.Fatalf("round %d: product %d stock %s, want %s − %s", round, id, p.Stock, start, sold[id])
		}
	}
	if round == 11 {
		t.Logf("%d sales survived 12 kills", len(orders))
	}
}
