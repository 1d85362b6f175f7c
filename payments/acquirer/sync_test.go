package acquirer_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/till-pos/till/models"
	"github.com/till-pos/till/payments/acquirer"
	"github.com/till-pos/till/payments/acquirer/simhost"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// cashSales commits n one-line cash sales, each leaving an outbox entry.
func cashSales(t testing.TB, s *models.Store, n int) int64 {
	t.Helper()
	ctx := context.Background()
	cats := []models.Category{{Code: "c", Name: "饮料"}}
	prods := []models.Product{{SKU: "D1", Name: "可口可乐", Price: 351, Currency: models.CNY, TaxRateBP: 1300, Active: true,
		Category: &cats[0], Barcodes: []models.Barcode{{Code: "6901234567892"}}}}
	if err := s.ImportCatalog(ctx, cats, prods); err != nil {
		t.Fatal(err)
	}
	p, err := s.ProductByBarcode(ctx, "6901234567892")
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for i := 0; i < n; i++ {
		o := models.NewOrder(models.CNY, models.TaxInclusive)
		o.AddProduct(*p, models.Units(int64(i%3+1)))
		pay := models.Payment{Tender: models.TenderCash, Status: models.PaymentApproved, Amount: o.Total, Tendered: o.Total}
		if err := s.CommitSale(ctx, o, []models.Payment{pay}, models.SaleContext{TerminalID: "T01"}); err != nil {
			t.Fatal(err)
		}
		sum += o.Total
	}
	return sum
}

func syncer(t testing.TB, h *simhost.Host, s *models.Store) *acquirer.Syncer {
	return &acquirer.Syncer{Link: dial(t, h.Addr(), acquirer.LinkOptions{SendTimeout: 300 * time.Millisecond}),
		Outbox: s, Terminal: term, TerminalID: "T01", PageSize: 16, InFlight: 4}
}

func ledgerSum(h *simhost.Host) (count int, sum int64) {
	for _, e := range h.Ledger() {
		if e.MTI == acquirer.MTIAdminAdvice {
			count++
			sum += e.Amount
		}
	}
	return count, sum
}

func TestDrainReportsEveryPaymentOnce(t *testing.T) {
	h := startHost(t)
	s := newJournal(t)
	sum := cashSales(t, s, 40)
	sy := syncer(t, h, s)
	// Three answers are lost: the drain stops with what was acknowledged.
	h.DropResponses(3)
	done, err := sy.Drain(context.Background(), nil)
	if err == nil || done >= 40 {
		t.Fatalf("drain with lost answers: %d done, %v", done, err)
	}
	// The next drain resends the rest; the host recognises the resends.
	var seen []int
	rest, err := sy.Drain(context.Background(), func(n int) { seen = append(seen, n) })
	if err != nil || done+rest != 40 || len(seen) == 0 || seen[len(seen)-1] != rest {
		t.Fatalf("second drain: %d more (progress %v), %v", rest, seen, err)
	}
	if n, got := ledgerSum(h); n != 40 || got != sum {
		t.Fatalf("host has %d advices summing %d, terminal sold 40 summing %d", n, got, sum)
	}
	if pending, _, _ := s.OutboxStatus(context.Background()); pending != 0 {
		t.Fatalf("%d entries still pending", pending)
	}
}

func TestDrainStopsWhenCancelled(t *testing.T) {
	h := startHost(t)
	s := newJournal(t)
	cashSales(t, s, 5)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if done, err := syncer(t, h, s).Drain(ctx, nil); err == nil || done != 0 {
		t.Fatalf("cancelled drain: %d, %v", done, err)
	}
}

// BenchmarkSyncDrain drains 10,000 queued payments to the simulated host on
// loopback, reporting advices per second (compare BenchmarkRawEcho's ns/op
// for the network alone).
func BenchmarkSyncDrain(b *testing.B) {
	const n = 10_000
	for b.Loop() {
		b.StopTimer()
		s, err := models.Open(filepath.Join(b.TempDir(), fmt.Sprintf("till-%d.db", time.Now().UnixNano())))
		if err != nil {
			b.Fatal(err)
		}
		cashSales(b, s, n)
		h, err := simhost.Start(simhost.Options{MasterKey: tmk})
		if err != nil {
			b.Fatal(err)
		}
		sy := &acquirer.Syncer{Link: dial(b, h.Addr(), acquirer.LinkOptions{}), Outbox: s, Terminal: term, TerminalID: "T01"}
		b.StartTimer()
		start := time.Now()
		done, err := sy.Drain(context.Background(), nil)
		elapsed := time.Since(start)
		b.StopTimer()
		if err != nil || done != n {
			b.Fatalf("drained %d of %d: %v", done, n, err)
		}
		b.ReportMetric(float64(n)/elapsed.Seconds(), "advices/s")
		h.Close()
		s.Close()
		b.StartTimer()
	}
}

func TestUnreadableOutboxEntryIsQuarantinedWhileTheRestSync(t *testing.T) {
	h := startHost(t)
	s := newJournal(t)
	sum := cashSales(t, s, 6)
	// One entry's record is damaged on disk.
	db, err := gorm.Open(sqlite.Open(models.DSN(s.Path())), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	var bad models.OutboxEntry
	if err := db.Order("id").Offset(2).First(&bad).Error; err != nil {
		t.Fatal(err)
	}
	var rec struct{ Amount int64 }
	json.Unmarshal([]byte(bad.Payload), &rec)
	if err := db.Model(&models.OutboxEntry{}).Where("id = ?", bad.ID).Update("payload", `{"amount": "garbled`).Error; err != nil {
		t.Fatal(err)
	}
	if sqlDB, err := db.DB(); err == nil {
		sqlDB.Close()
	}
	done, err := syncer(t, h, s).Drain(context.Background(), nil)
	if err != nil || done != 5 {
		t.Fatalf("drain past a damaged entry: %d, %v", done, err)
	}
	if n, got := ledgerSum(h); n != 5 || got != sum-rec.Amount {
		t.Fatalf("host has %d advices summing %d", n, got)
	}
	q, err := s.QuarantinedOutbox(context.Background())
	if err != nil || len(q) != 1 || q[0].ID != bad.ID || !strings.Contains(q[0].Problem, "cannot be read") {
		t.Fatalf("quarantined: %+v, %v", q, err)
	}
	// Nothing is left pending, so sync does not stop on it again.
	if pending, _, _ := s.OutboxStatus(context.Background()); pending != 0 {
		t.Fatalf("%d entries still pending", pending)
	}
}
