package printer_test

import (
	"fmt"

	"github.com/till-pos/till/devices/printer"
	"github.com/till-pos/till/devices/printer/escposdecode"
)

func ExampleEncode() {
	var d printer.Doc
	d.Text("收银台示范店", printer.Style{Align: printer.Center, Bold: true})
	d.Text("可口可乐 x2                 6.00", printer.Style{})
	d.QR("https://example.com/invoice/42")
	d.Cut(true)
	d.Drawer()

	b, err := printer.Encode(d, printer.Profile58())
	if err != nil {
		panic(err)
	}
	ops, err := escposdecode.Decode(b)
	if err != nil {
		panic(err)
	}
	for _, l := range escposdecode.Lines(ops) {
		fmt.Printf("%q\n", l)
	}
	// Output:
	// "[C][B]收银台示范店"
	// "可口可乐 x2                 6.00"
	// "[QR:https://example.com/invoice/42]"
	// ""
	// ""
	// ""
	// ""
	// "[CUT]"
	// "[DRAWER]"
}
