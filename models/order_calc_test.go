package models

import (
	"math/rand"
	"testing"
)

var (
	cola   = Product{ID: 1, SKU: "D1", Name: "可口可乐 330ml", Price: 350, Currency: CNY, TaxRateBP: 1300}
	coffee = Product{ID: 2, SKU: "C1", Name: "拿铁", Price: 2000, Currency: CNY, TaxRateBP: 600}
	apple  = Product{ID: 3, SKU: "F1", Name: "散装苹果", Price: 1280, Currency: CNY, TaxRateBP: 900, Weighed: true, Unit: "千克"}
	banana = Product{ID: 4, SKU: "F2", Name: "香蕉", Price: 990, Currency: CNY, TaxRateBP: 900, Weighed: true}
)

type lineSpec struct {
	p    Product
	qty  Quantity
	disc Discount
}

func buildOrder(t *testing.T, mode TaxMode, lines []lineSpec, disc Discount) *Order {
	t.Helper()
	o := NewOrder(CNY, mode)
	for _, l := range lines {
		i, err := o.AddProduct(l.p, l.qty)
		if err != nil {
			t.Fatalf("add %s: %v", l.p.Name, err)
		}
		if !l.disc.IsZero() {
			if err := o.SetLineDiscount(i, l.disc); err != nil {
				t.Fatalf("line discount: %v", err)
			}
		}
	}
	if err := o.SetDiscount(disc); err != nil {
		t.Fatalf("order discount: %v", err)
	}
	return o
}

func TestOrderTotals(t *testing.T) {
	cases := []struct {
		name                           string
		mode                           TaxMode
		lines                          []lineSpec
		disc                           Discount
		subtotal, discount, tax, total int64
	}{
		{name: "one line, VAT 13% included", mode: TaxInclusive,
			lines: []lineSpec{{p: cola, qty: Units(1)}}, subtotal: 350, tax: 40, total: 350},
		{name: "mixed rates", mode: TaxInclusive,
			lines:    []lineSpec{{p: cola, qty: Units(2)}, {p: coffee, qty: Units(1)}},
			subtotal: 2700, tax: 81 + 113, total: 2700}, // 700×13/113 = 80.5 → 81; 2000×6/106 = 113.2 → 113
		{name: "weighed goods round half up to the fen", mode: TaxInclusive,
			lines:    []lineSpec{{p: apple, qty: 255}, {p: banana, qty: 375}},
			subtotal: 326 + 371, tax: 27 + 31, total: 697}, // 326.4 → 326, 371.25 → 371
		{name: "half a fen rounds up", mode: TaxInclusive,
			lines:    []lineSpec{{p: Product{ID: 9, Name: "散装", Price: 1010, Currency: CNY, Weighed: true}, qty: 5}},
			subtotal: 5, tax: 0, total: 5}, // 5.05 → 5
		{name: "half a fen exactly", mode: TaxInclusive,
			lines:    []lineSpec{{p: Product{ID: 9, Name: "散装", Price: 100, Currency: CNY, Weighed: true}, qty: 5}},
			subtotal: 1, tax: 0, total: 1}, // 0.5 → 1
		{name: "line percent discount", mode: TaxInclusive,
			lines:    []lineSpec{{p: coffee, qty: Units(1), disc: PercentDiscount(1000)}},
			subtotal: 2000, discount: 200, tax: 102, total: 1800},
		{name: "line amount discount", mode: TaxInclusive,
			lines:    []lineSpec{{p: cola, qty: Units(3), disc: AmountDiscount(50)}},
			subtotal: 1050, discount: 50, tax: 115, total: 1000},
		{name: "order percent discount after line discount", mode: TaxInclusive,
			lines:    []lineSpec{{p: cola, qty: Units(2), disc: AmountDiscount(100)}, {p: coffee, qty: Units(1)}},
			disc:     PercentDiscount(1000),
			subtotal: 2700, discount: 100 + 260, tax: 62 + 102, total: 2340},
		{name: "exclusive VAT is added", mode: TaxExclusive,
			lines:    []lineSpec{{p: cola, qty: Units(2)}, {p: coffee, qty: Units(1)}},
			subtotal: 2700, tax: 91 + 120, total: 2700 + 211},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := buildOrder(t, c.mode, c.lines, c.disc)
			if o.Subtotal != c.subtotal || o.DiscountTotal != c.discount || o.TaxTotal != c.tax || o.Total != c.total {
				t.Fatalf("subtotal %d discount %d tax %d total %d; want %d %d %d %d",
					o.Subtotal, o.DiscountTotal, o.TaxTotal, o.Total, c.subtotal, c.discount, c.tax, c.total)
			}
			if o.LineCount != len(o.Lines) {
				t.Fatalf("LineCount %d, lines %d", o.LineCount, len(o.Lines))
			}
		})
	}
}

func TestOrderRulesLeaveOrderUnchanged(t *testing.T) {
	o := buildOrder(t, TaxInclusive, []lineSpec{{p: cola, qty: Units(2)}, {p: apple, qty: 500}}, Discount{})
	before := *o
	before.Lines = append([]OrderLine(nil), o.Lines...)
	same := func(what string) {
		t.Helper()
		if o.Total != before.Total || o.TaxTotal != before.TaxTotal || len(o.Lines) != len(before.Lines) ||
			o.Lines[0] != before.Lines[0] || o.Discount != before.Discount {
			t.Fatalf("%s changed the order", what)
		}
	}
	checks := []struct {
		what string
		err  error
		key  string
	}{
		{"line discount above line", o.SetLineDiscount(0, AmountDiscount(701)), "error.discount.too_large"},
		{"percent above 100", o.SetLineDiscount(0, PercentDiscount(10001)), "error.discount.percent"},
		{"negative discount", o.SetDiscount(AmountDiscount(-1)), "error.discount.negative"},
		{"order discount above order", o.SetDiscount(AmountDiscount(o.Total + 1)), "error.discount.too_large"},
		{"zero quantity", o.SetQty(0, 0), "error.qty.zero"},
		{"negative quantity", o.SetQty(0, -1000), "error.qty.zero"},
		{"fraction of a counted product", o.SetQty(0, 1500), "error.qty.whole"},
		{"too large a quantity", o.SetQty(0, MaxQuantity+1000), "error.qty.too_large"},
		{"no such line", o.SetQty(7, 1000), "error.order.no_line"},
		{"remove no such line", o.RemoveLine(-1), "error.order.no_line"},
	}
	for _, c := range checks {
		if errKey(c.err) != c.key {
			t.Errorf("%s: err = %v, want key %s", c.what, c.err, c.key)
		}
		same(c.what)
	}
	if _, err := o.AddProduct(cola, 500); errKey(err) != "error.qty.whole" {
		t.Errorf("half a cola: %v", err)
	}
	if _, err := o.AddProduct(cola, 0); errKey(err) != "error.qty.zero" {
		t.Errorf("no cola: %v", err)
	}
	same("refused AddProduct")
	if _, err := o.AddProduct(Product{ID: 8, Name: "x", Price: 100, Currency: "USD"}, 1000); errKey(err) != "error.currency.mismatch" {
		t.Errorf("foreign currency: %v", err)
	}
	same("foreign currency")
}

func TestAddProductMergesCountedLines(t *testing.T) {
	o := NewOrder(CNY, TaxInclusive)
	o.AddProduct(cola, Units(1))
	o.AddProduct(cola, Units(2))
	o.AddProduct(apple, 300)
	o.AddProduct(apple, 200)
	if len(o.Lines) != 3 || o.Lines[0].Qty != Units(3) {
		t.Fatalf("lines = %+v", o.Lines)
	}
	// A discounted line is not merged into.
	o.SetLineDiscount(0, PercentDiscount(500))
	o.AddProduct(cola, Units(1))
	if len(o.Lines) != 4 {
		t.Fatalf("added to a discounted line: %d lines", len(o.Lines))
	}
	if err := o.RemoveLine(1); err != nil || len(o.Lines) != 3 || o.Lines[1].LineNo != 2 {
		t.Fatalf("remove: %v, %+v", err, o.Lines)
	}
	o.Clear()
	if !o.IsEmpty() || o.Total != 0 || o.Subtotal != 0 {
		t.Fatalf("clear left %+v", o)
	}
}

func TestRemovingLineDropsOversizedOrderDiscount(t *testing.T) {
	o := buildOrder(t, TaxInclusive, []lineSpec{{p: cola, qty: Units(1)}, {p: coffee, qty: Units(1)}}, AmountDiscount(1000))
	if err := o.RemoveLine(1); err != nil {
		t.Fatal(err)
	}
	if !o.Discount.IsZero() || o.Total != 350 {
		t.Fatalf("after removal discount %+v total %d", o.Discount, o.Total)
	}
}

func TestMaxLines(t *testing.T) {
	o := NewOrder(CNY, TaxInclusive)
	for i := 0; i < MaxLines; i++ {
		if _, err := o.AddProduct(apple, 100); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := o.AddProduct(apple, 100); errKey(err) != "error.order.too_many_lines" {
		t.Fatalf("line %d: %v", MaxLines+1, err)
	}
}

func TestHugeAmountsDoNotOverflow(t *testing.T) {
	big := Product{ID: 5, Name: "金条", Price: MaxAmount / 4, Currency: CNY, TaxRateBP: 1300}
	o := buildOrder(t, TaxInclusive, []lineSpec{{p: big, qty: Units(2)}, {p: cola, qty: Units(1)}}, AmountDiscount(MaxAmount/3))
	var shares int64
	for _, l := range o.Lines {
		shares += l.OrderDiscount
		if l.Net < 0 {
			t.Fatalf("negative net %d", l.Net)
		}
	}
	if shares != MaxAmount/3 {
		t.Fatalf("shares %d, discount %d", shares, MaxAmount/3)
	}
	if _, err := o.AddProduct(big, Units(4)); errKey(err) != "error.order.too_large" {
		t.Fatalf("over MaxAmount: %v", err)
	}
}

// TestOrderInvariants checks random orders: the order discount is shared to
// the fen, no line goes negative and the totals add up.
func TestOrderInvariants(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	products := []Product{cola, coffee, apple, banana,
		{ID: 6, Name: "纸巾", Price: 1290, Currency: CNY, TaxRateBP: 1300},
		{ID: 7, Name: "零价", Price: 0, Currency: CNY, TaxRateBP: 1300}}
	for n := 0; n < 2000; n++ {
		mode := TaxInclusive
		if n%3 == 0 {
			mode = TaxExclusive
		}
		o := NewOrder(CNY, mode)
		for k := rng.Intn(8) + 1; k > 0; k-- {
			p := products[rng.Intn(len(products))]
			q := Units(int64(rng.Intn(5) + 1))
			if p.Weighed {
				q = Quantity(rng.Intn(3000) + 1)
			}
			i, err := o.AddProduct(p, q)
			if err != nil {
				t.Fatal(err)
			}
			if rng.Intn(3) == 0 {
				o.SetLineDiscount(i, PercentDiscount(int64(rng.Intn(10001))))
			}
		}
		if rng.Intn(2) == 0 {
			o.SetDiscount(PercentDiscount(int64(rng.Intn(10001))))
		} else {
			var base int64
			for _, l := range o.Lines {
				base += l.Gross - l.LineDiscount
			}
			o.SetDiscount(AmountDiscount(rng.Int63n(base + 1)))
		}
		var shares, net, tax, lineDisc int64
		for _, l := range o.Lines {
			if l.Net < 0 || l.Tax < 0 {
				t.Fatalf("order %d: negative line %+v", n, l)
			}
			shares += l.OrderDiscount
			lineDisc += l.LineDiscount
			net += l.Net
			tax += l.Tax
		}
		orderDisc, _ := o.Discount.of(o.Subtotal - lineDisc)
		if shares != orderDisc {
			t.Fatalf("order %d: shares %d != discount %d", n, shares, orderDisc)
		}
		want := net
		if mode == TaxExclusive {
			want = net + tax
		}
		if o.Total != want || o.TaxTotal != tax || o.Subtotal-o.DiscountTotal != net {
			t.Fatalf("order %d: totals don't add up: %+v", n, o)
		}
	}
}
