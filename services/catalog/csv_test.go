package catalog_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/till-pos/till/internal/storetest"
	"github.com/till-pos/till/models"
	"github.com/till-pos/till/services/catalog"
)

const file = "\ufeffsku,barcode,name,name_en,category,price,unit,weighed,tax_rate,stock\n" +
	"D1,6901234567892,可口可乐,Cola,drinks,3.50,瓶,no,13,100\n" +
	"D2,6901234567891,雪碧,Sprite,drinks,3.50,瓶,no,13,100\n" + // wrong check digit
	"F1,,苹果,Apples,fresh,12.80,千克,yes,9,20.5\n" +
	"X1,,,Nameless,fresh,1,,,,\n"

// TestFilesImportExportRoundTrip: an import stores the good rows, reports
// the bad ones, reloads the index the sell screen searches and is audited;
// its export imported again changes nothing; a cashier may do neither.
func TestFilesImportExportRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	owner, err := s.FirstOwner(ctx, "王芳", "582931", models.DefaultTerminalID)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in.csv")
	if err := os.WriteFile(in, []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	cat := &catalog.Catalog{}
	f := catalog.NewFiles(s, cat, models.DefaultTerminalID, models.CNY)
	var last [2]int
	res, err := f.Import(ctx, in, owner, func(done, total int) { last = [2]int{done, total} })
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 2 || res.Total != 4 || len(res.Rejects) != 2 || !res.Complete || last != [2]int{4, 4} {
		t.Fatalf("import %+v, last progress %v", res, last)
	}
	if res.Rejects[0].Line != 3 || res.Rejects[0].Reason.Key != "error.catalog.ean13" || res.Rejects[1].Line != 5 {
		t.Errorf("rejects %+v %+v", res.Rejects[0], res.Rejects[1])
	}
	if it, ok := cat.Lookup("6901234567892"); !ok || it.Price != 350 {
		t.Errorf("the index was not reloaded: %+v %v", it, ok)
	}
	out := filepath.Join(dir, "out.csv")
	written := 0
	if n, err := f.Export(ctx, out, owner, func(rows int) { written = rows }); err != nil || n != 2 || written != 2 {
		t.Fatalf("export %d (told %d), %v", n, written, err)
	}
	data, _ := os.ReadFile(out)
	if !bytes.HasPrefix(data, []byte("\ufeffsku,barcode,name,")) ||
		!strings.Contains(string(data), "\nF1,,苹果,Apples,fresh,fresh,,12.80,千克,,yes,9,20.5\n") {
		t.Errorf("exported:\n%s", data)
	}
	res, err = f.Import(ctx, out, owner, nil)
	if err != nil || res.Unchanged != 2 || res.Imported+res.Updated+len(res.Rejects) != 0 {
		t.Fatalf("round trip %+v %v", res, err)
	}
	again := filepath.Join(dir, "again.csv")
	if _, err := f.Export(ctx, again, owner, nil); err != nil {
		t.Fatal(err)
	}
	if data2, _ := os.ReadFile(again); !bytes.Equal(data, data2) {
		t.Errorf("round trip changed the export:\n%s\n%s", data, data2)
	}
	rej := filepath.Join(dir, "rejected.csv")
	res, _ = f.Import(ctx, in, owner, nil)
	if err := f.SaveRejects(rej, res.Rejects, func(err error) string { return "原因：" + err.Error() }); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(rej); !strings.Contains(string(data), "3,D2,雪碧,原因：6901234567891 has a wrong EAN-13 check digit") {
		t.Errorf("rejects file:\n%s", data)
	}

	cashier, err := s.AddOperator(ctx, models.Operator{Name: "李娜", Role: models.RoleCashier}, "730415", owner, models.DefaultTerminalID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Import(ctx, in, cashier, nil); !models.IsDenied(err) {
		t.Errorf("cashier import: %v", err)
	}
	if _, err := f.Export(ctx, filepath.Join(dir, "c.csv"), cashier, nil); !models.IsDenied(err) {
		t.Errorf("cashier export: %v", err)
	}
	if _, err := f.Import(ctx, filepath.Join(dir, "missing.csv"), owner, nil); models.ErrorCode(err) != models.EINVALID {
		t.Errorf("missing file: %v", err)
	}
}
