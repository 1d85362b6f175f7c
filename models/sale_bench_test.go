package models

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// benchOrder is a 5-line order of the test catalog.
func benchOrder(b *testing.B, s *Store) *Order {
	o := NewOrder(CNY, TaxInclusive)
	cola := product(b, s, "6901234567892")
	water := product(b, s, "6921168509256")
	apple, _ := s.ProductByID(bg, 3)
	for i, p := range []Product{cola, water, *apple, *apple, *apple} {
		q := Units(int64(i + 1))
		if p.Weighed {
			q = Quantity(250 * (i + 1))
		}
		if _, err := o.AddProduct(p, q); err != nil {
			b.Fatal(err)
		}
	}
	return o
}

// BenchmarkSaleCommit commits a 5-line order with a cash payment, its stock
// decrements, outbox and audit rows through the Store (gorm), FULL sync.
func BenchmarkSaleCommit(b *testing.B) {
	s := newTestStore(b)
	tmpl := benchOrder(b, s)
	sc := SaleContext{TerminalID: "T01", Operator: cashier}
	for b.Loop() {
		o := *tmpl
		o.Lines = append([]OrderLine(nil), tmpl.Lines...)
		if err := s.CommitSale(bg, &o, cashFor(&o, o.Total), sc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSaleCommitRawSQL does the same writes as BenchmarkSaleCommit in
// one transaction with database/sql and prepared statements: the baseline.
func BenchmarkSaleCommitRawSQL(b *testing.B) {
	s := newTestStore(b)
	tmpl := benchOrder(b, s)
	s.Close()
	db, err := sql.Open("sqlite3", DSN(filepath.Join(filepath.Dir(s.Path()), "till.db")))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	prep := func(q string) *sql.Stmt {
		st, err := db.Prepare(q)
		if err != nil {
			b.Fatal(err)
		}
		return st
	}
	seqNext := prep(nextSeqSQL)
	orderIns := prep(`INSERT INTO orders(number, terminal_id, seq, status, operator_id, operator_name, currency, tax_mode,
		discount_kind, discount_value, subtotal, discount_total, tax_total, total, line_count, created_at, paid_at)
		VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
	lineIns := prep(`INSERT INTO order_lines(order_id, line_no, product_id, sku, name, name_en, unit, unit_en, weighed,
		unit_price, qty, tax_rate_bp, discount_kind, discount_value, gross, line_discount, order_discount, net, tax)
		VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
	stockUpd := prep(`UPDATE products SET stock = stock - ? WHERE id = ?`)
	payIns := prep(`INSERT INTO payments(order_id, tender, status, currency, amount, tendered, change, reference, masked_pan, created_at)
		VALUES(?,?,?,?,?,?,?,?,?,?)`)
	outIns := prep(`INSERT INTO outbox_entries(kind, order_id, payment_id, payload, created_at, attempts) VALUES(?,?,?,?,?,0)`)
	auditIns := prep(`INSERT INTO audit_entries(at, terminal_id, operator_id, action, subject, detail, seq, prev_hash, hash)
		VALUES(?,?,?,?,?,?,?,?,?)`)
	headGet := prep(`SELECT seq, hash FROM audit_heads WHERE id = 1`)
	headSet := prep(`INSERT INTO audit_heads(id, seq, hash) VALUES(1, ?, ?) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`)
	ctx := context.Background()
	for b.Loop() {
		o := tmpl
		now := time.Now()
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		st := func(s *sql.Stmt) *sql.Stmt { return tx.Stmt(s) }
		must := func(r sql.Result, err error) sql.Result {
			if err != nil {
				b.Fatal(err)
			}
			return r
		}
		var seq int64
		if err := st(seqNext).QueryRow("order:T01").Scan(&seq); err != nil {
			b.Fatal(err)
		}
		number := OrderNumber("T01", seq)
		res := must(st(orderIns).Exec(number, "T01", seq, OrderPaid, cashier.ID, cashier.Name, o.Currency, o.TaxMode,
			o.Discount.Kind, o.Discount.Value, o.Subtotal, o.DiscountTotal, o.TaxTotal, o.Total, len(o.Lines), now, now))
		orderID, _ := res.LastInsertId()
		for _, l := range o.Lines {
			must(st(lineIns).Exec(orderID, l.LineNo, l.ProductID, l.SKU, l.Name, l.NameEN, l.Unit, l.UnitEN, l.Weighed,
				l.UnitPrice, l.Qty, l.TaxRateBP, l.Discount.Kind, l.Discount.Value, l.Gross, l.LineDiscount, l.OrderDiscount, l.Net, l.Tax))
			must(st(stockUpd).Exec(int64(l.Qty), l.ProductID))
		}
		res = must(st(payIns).Exec(orderID, TenderCash, PaymentApproved, o.Currency, o.Total, o.Total, 0, "", "", now))
		payID, _ := res.LastInsertId()
		payload, _ := json.Marshal(outboxSale{OrderNumber: number, TerminalID: "T01", Tender: TenderCash, Amount: o.Total,
			Currency: o.Currency, At: now.UTC().Format(time.RFC3339)})
		must(st(outIns).Exec("sale", orderID, payID, string(payload), now))
		// The audit entry, chained as the store chains it.
		e := AuditEntry{At: now.Truncate(auditTimeUnit), TerminalID: "T01", OperatorID: cashier.ID, Action: "sale", Subject: number,
			Detail: fmt.Sprintf("total=%d lines=%d", o.Total, len(o.Lines))}
		if err := st(headGet).QueryRow().Scan(&e.Seq, &e.PrevHash); err != nil && err != sql.ErrNoRows {
			b.Fatal(err)
		}
		e.Seq++
		e.Hash = e.ChainHash(e.PrevHash)
		must(st(auditIns).Exec(e.At, e.TerminalID, e.OperatorID, e.Action, e.Subject, e.Detail, e.Seq, e.PrevHash, e.Hash))
		must(st(headSet).Exec(e.Seq, e.Hash))
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}
