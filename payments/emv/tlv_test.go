package emv

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestDecodePPSEVector(t *testing.T) {
	list, err := Decode(unhex(t, vecPPSE))
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Tag != 0x6F {
		t.Fatalf("top level = %+v, want one 6F", list)
	}
	df, ok := Find(list, 0x84)
	if !ok || string(df.Value) != "2PAY.SYS.DDF01" {
		t.Fatalf("84 = %q, %v", df.Value, ok)
	}
	dir, ok := Find(list, 0xBF0C)
	if !ok || len(dir.Children) != 2 {
		t.Fatalf("BF0C = %+v, %v", dir, ok)
	}
	wants := []struct{ aid, label string }{{"A0000000031010", "VISA CREDIT"}, {"A000000333010102", "UnionPay Credit"}}
	for i, w := range wants {
		e := dir.Children[i]
		aid, _ := Find(e.Children, 0x4F)
		label, _ := Find(e.Children, 0x50)
		prio, _ := Find(e.Children, 0x87)
		if hexUpper(aid.Value) != w.aid || string(label.Value) != w.label || prio.Value[0] != byte(i+1) {
			t.Errorf("entry %d = %X %q %X, want %s %q %d", i, aid.Value, label.Value, prio.Value, w.aid, w.label, i+1)
		}
	}
}

func TestDecodeGPOAndRecordVectors(t *testing.T) {
	gpo, err := Decode(unhex(t, vecGPOResponse))
	if err != nil {
		t.Fatal(err)
	}
	checks := map[uint32]string{
		0x82: "2000", 0x94: "08010100", 0x57: "4111111111111111D30122010000000F",
		0x9F6C: "0000", 0x9F27: "80", 0x9F36: "0001", 0x9F26: "0102030405060708",
	}
	for tag, want := range checks {
		o, ok := Find(gpo, tag)
		if !ok || hexUpper(o.Value) != want {
			t.Errorf("%s = %X (%v), want %s", TagString(tag), o.Value, ok, want)
		}
	}
	rec, err := Decode(unhex(t, vecRecord))
	if err != nil {
		t.Fatal(err)
	}
	if o, _ := Find(rec, 0x5A); hexUpper(o.Value) != "4111111111111111" {
		t.Errorf("5A = %X", o.Value)
	}
	if o, _ := Find(rec, 0x5F24); hexUpper(o.Value) != "301231" {
		t.Errorf("5F24 = %X", o.Value)
	}
	if o, _ := Find(rec, 0x5F20); string(o.Value) != "TEST/CARDHOLDER" {
		t.Errorf("5F20 = %q", o.Value)
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	for _, v := range []string{vecPPSE, vecSelectVisa, vecGPOResponse, vecRecord, vecMinimalPPSE} {
		in := unhex(t, v)
		list, err := Decode(in)
		if err != nil {
			t.Fatal(err)
		}
		if out := Encode(list); !bytes.Equal(out, in) {
			t.Errorf("round trip of %s gave %X", v, out)
		}
	}
}

func TestDecodeForms(t *testing.T) {
	long := bytes.Repeat([]byte{0xAB}, 300)
	big := bytes.Repeat([]byte{0xCD}, 70000)
	cases := []struct {
		name string
		in   []byte
		tag  uint32
		want []byte
	}{
		{"padding around", append([]byte{0, 0, 0x5A, 0x01, 0x12, 0}, 0), 0x5A, []byte{0x12}},
		{"two-byte tag", []byte{0x9F, 0x26, 0x02, 1, 2}, 0x9F26, []byte{1, 2}},
		{"three-byte tag", []byte{0xDF, 0x81, 0x1A, 0x01, 7}, 0xDF811A, []byte{7}},
		{"81 length", append([]byte{0x90, 0x81, 0x80}, long[:128]...), 0x90, long[:128]},
		{"82 length", append([]byte{0x90, 0x82, 0x01, 0x2C}, long...), 0x90, long},
		{"83 length", append([]byte{0x90, 0x83, 0x01, 0x11, 0x70}, big...), 0x90, big},
		{"nested", []byte{0x70, 0x07, 0xA5, 0x05, 0x00, 0x9F, 0x38, 0x01, 0x42}, 0x9F38, []byte{0x42}},
		{"empty value", []byte{0x50, 0x00}, 0x50, []byte{}},
	}
	for _, c := range cases {
		list, err := Decode(c.in)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		o, ok := Find(list, c.tag)
		if !ok || !bytes.Equal(o.Value, c.want) {
			t.Errorf("%s: %s = %X (%v)", c.name, TagString(c.tag), o.Value, ok)
		}
		again, err := Decode(Encode(list))
		if err != nil || !sameTLV(list, again) {
			t.Errorf("%s: re-encoding changed the objects (%v)", c.name, err)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	deep := []byte{}
	for i := 0; i < 20; i++ {
		deep = append([]byte{0x70, byte(len(deep))}, deep...)
	}
	cases := map[string][]byte{
		"value truncated":      {0x5A, 0x05, 1, 2},
		"no length":            {0x5A},
		"tag truncated":        {0x9F},
		"tag too long":         {0x9F, 0x81, 0x82, 0x83, 0x04, 0x00},
		"81 truncated":         {0x90, 0x81},
		"82 truncated":         {0x90, 0x82, 0x01},
		"indefinite length":    {0x70, 0x80, 0x00, 0x00},
		"84 length":            {0x90, 0x84, 0, 0, 0, 1, 0},
		"child truncated":      {0x70, 0x03, 0x5A, 0x05, 0x01},
		"nesting too deep":     deep,
		"announced beyond end": {0x70, 0x22, 0x5A, 0x08, 0x41, 0x11},
	}
	for name, in := range cases {
		list, err := Decode(in)
		if err == nil {
			t.Errorf("%s: no error, got %+v", name, list)
			continue
		}
		if !strings.HasPrefix(err.Error(), "tlv: ") {
			t.Errorf("%s: error %q lacks context", name, err)
		}
	}
	if _, err := Decode([]byte{0x5A, 0x05, 1}); !errors.Is(err, errTruncated) {
		t.Errorf("truncation error %v does not wrap errTruncated", err)
	}
}

func TestEncodeLengths(t *testing.T) {
	for _, n := range []int{0, 127, 128, 255, 256, 65535, 65536} {
		enc := Append(nil, 0x9F4B, make([]byte, n))
		list, err := Decode(enc)
		if err != nil || len(list) != 1 || len(list[0].Value) != n {
			t.Errorf("length %d: %v", n, err)
		}
	}
}

func TestFindDepthFirst(t *testing.T) {
	// 70 [ A5 [ 50 "inner" ] ] 50 "outer": the nested one comes first.
	in := []byte{0x70, 0x09, 0xA5, 0x07, 0x50, 0x05, 'i', 'n', 'n', 'e', 'r', 0x50, 0x05, 'o', 'u', 't', 'e', 'r'}
	list, err := Decode(in)
	if err != nil {
		t.Fatal(err)
	}
	if o, _ := Find(list, 0x50); string(o.Value) != "inner" {
		t.Errorf("Find = %q, want inner", o.Value)
	}
	if _, ok := Find(list, 0x9F26); ok {
		t.Error("found an absent tag")
	}
}

// sameTLV reports whether two decoded lists hold the same tags and values
// of primitive objects, in the same structure.
func sameTLV(a, b []TLV) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Tag != b[i].Tag || a[i].Constructed() != b[i].Constructed() {
			return false
		}
		if a[i].Constructed() {
			if !sameTLV(a[i].Children, b[i].Children) {
				return false
			}
		} else if !bytes.Equal(a[i].Value, b[i].Value) {
			return false
		}
	}
	return true
}

func FuzzTLVDecode(f *testing.F) {
	for _, v := range []string{vecPPSE, vecSelectVisa, vecGPOResponse, vecRecord, vecMinimalPPSE} {
		f.Add(unhex(f, v))
	}
	f.Add([]byte{0x90, 0x81, 0x01, 0x00})
	f.Add([]byte{0xDF, 0x81, 0x1A, 0x01, 7, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		list, err := Decode(b)
		if err != nil {
			return
		}
		again, err := Decode(Encode(list))
		if err != nil {
			t.Fatalf("re-decoding the encoding failed: %v", err)
		}
		if !sameTLV(list, again) {
			t.Fatalf("re-encoding changed the objects")
		}
	})
}

func BenchmarkTLVDecode(b *testing.B) {
	gpo, rec := unhex(b, vecGPOResponse), unhex(b, vecRecord)
	b.SetBytes(int64(len(gpo) + len(rec)))
	b.ReportAllocs()
	for b.Loop() {
		l1, err := Decode(gpo)
		if err != nil {
			b.Fatal(err)
		}
		l2, err := Decode(rec)
		if err != nil {
			b.Fatal(err)
		}
		if _, ok := Find(l1, 0x9F26); !ok {
			b.Fatal("no 9F26")
		}
		if _, ok := Find(l2, 0x5A); !ok {
			b.Fatal("no 5A")
		}
	}
}
