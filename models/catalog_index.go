package models

import (
	"bytes"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// CatalogItem is what the sell screen needs of a product. The index keeps
// products in a compact form and makes a CatalogItem when one is asked for.
type CatalogItem struct {
	ID         uint
	SKU        string
	Name       string
	NameEN     string
	CategoryID uint
	Price      int64
	TaxRateBP  int64
	Currency   Currency
	Unit       string
	UnitEN     string
	Weighed    bool
}

// Product returns the product as an order line needs it.
func (it CatalogItem) Product() Product {
	return Product{ID: it.ID, SKU: it.SKU, Name: it.Name, NameEN: it.NameEN, CategoryID: it.CategoryID,
		Price: it.Price, Currency: it.Currency, TaxRateBP: it.TaxRateBP, Weighed: it.Weighed,
		Unit: it.Unit, UnitEN: it.UnitEN, Active: true}
}

// Separators in the index's search text.
const (
	productSep = 0x01 // starts each product
	keySep     = 0x00 // starts each key of a product
)

// itemRec is a product in 32 bytes: its names and SKU live in the index's
// display buffer, its unit and currency in small shared tables.
type itemRec struct {
	id       uint32
	cat      uint32
	price    int64
	tax      int32
	disp     uint32 // offset of name, then nameEN, then SKU, in CatalogIndex.disp
	nameLen  uint16
	enLen    uint16
	skuLen   uint8
	unit     uint8 // index in CatalogIndex.units
	currency uint8 // index in CatalogIndex.currencies
	weighed  bool
}

type unitNames struct{ zh, en string }

// CatalogIndex is an immutable in-memory index of the catalog for the sell
// screen: barcode lookup, search by name, English name, SKU, barcode and
// pinyin, and products by category. Build it with a CatalogIndexBuilder.
//
// Search keys of all products sit in one byte buffer, so a query is a few
// vectorised bytes.Index calls over it rather than a loop over products, and
// a product takes about 150 bytes in all.
type CatalogIndex struct {
	recs       []itemRec // by category order, then as added
	disp       []byte    // names and SKUs as shown
	text       []byte    // per product: productSep, then keySep+key for each key
	starts     []int32   // offset in text where each product starts
	units      []unitNames
	currencies []Currency
	// Numeric barcodes (EAN, UPC) sorted, with their product positions;
	// other codes in a map.
	codes    []uint64
	codePos  []int32
	other    map[string]int32
	catRange map[uint][2]int32
}

// item makes the CatalogItem of the product at position p.
func (x *CatalogIndex) item(p int32) CatalogItem {
	r := &x.recs[p]
	d := int(r.disp)
	name := string(x.disp[d : d+int(r.nameLen)])
	d += int(r.nameLen)
	en := string(x.disp[d : d+int(r.enLen)])
	d += int(r.enLen)
	sku := string(x.disp[d : d+int(r.skuLen)])
	u := x.units[r.unit]
	return CatalogItem{ID: uint(r.id), SKU: sku, Name: name, NameEN: en, CategoryID: uint(r.cat),
		Price: r.price, TaxRateBP: int64(r.tax), Currency: x.currencies[r.currency],
		Unit: u.zh, UnitEN: u.en, Weighed: r.weighed}
}

// CatalogList is a list of products of an index: a category, the whole
// catalog or search results. It makes each CatalogItem only when asked, so a
// list of 100,000 products costs nothing to hand around.
type CatalogList struct {
	x      *CatalogIndex
	pos    []int32 // the positions, or nil for the range lo..hi
	lo, hi int32
}

// Len is the number of products in the list.
func (l CatalogList) Len() int {
	if l.pos != nil {
		return len(l.pos)
	}
	return int(l.hi - l.lo)
}

// At returns the i-th product of the list.
func (l CatalogList) At(i int) CatalogItem {
	if l.pos != nil {
		return l.x.item(l.pos[i])
	}
	return l.x.item(l.lo + int32(i))
}

// Items returns every product of the list; for short lists and tests.
func (l CatalogList) Items() []CatalogItem {
	out := make([]CatalogItem, l.Len())
	for i := range out {
		out[i] = l.At(i)
	}
	return out
}

// CatalogIndexBuilder collects products for a CatalogIndex. Products are
// appended straight into the index's compact form, so building one holds
// little more memory than the index itself; products added in category
// display order (as the store loads them) need no reordering at the end.
type CatalogIndexBuilder struct {
	idx      *CatalogIndex
	catOrder map[uint]int
	unitIdx  map[unitNames]uint8
	curIdx   map[Currency]uint8
	numeric  []codePos
	sorted   bool
	lastCat  int
}

type codePos struct {
	code uint64
	pos  int32
}

// NewCatalogIndexBuilder starts an index of about n products; categories
// lists the category IDs in display order.
func NewCatalogIndexBuilder(n int, categories []uint) *CatalogIndexBuilder {
	b := &CatalogIndexBuilder{
		idx: &CatalogIndex{
			recs:     make([]itemRec, 0, n),
			starts:   make([]int32, 0, n+1),
			other:    map[string]int32{},
			catRange: map[uint][2]int32{},
		},
		catOrder: map[uint]int{},
		unitIdx:  map[unitNames]uint8{},
		curIdx:   map[Currency]uint8{},
		numeric:  make([]codePos, 0, n),
		sorted:   true,
	}
	for i, id := range categories {
		b.catOrder[id] = i
	}
	return b
}

// Reserve sizes the builder's buffers for products whose names, English
// names and SKUs add up to dispBytes and whose search keys (names, pinyin,
// SKU, barcodes) add up to keyBytes, so that building never grows a buffer.
func (b *CatalogIndexBuilder) Reserve(dispBytes, keyBytes int) {
	x := b.idx
	n := cap(x.recs)
	if dispBytes > cap(x.disp) {
		x.disp = make([]byte, 0, dispBytes)
	}
	// Each product adds a product separator and up to 8 key separators.
	if want := keyBytes + 9*n; want > cap(x.text) {
		x.text = make([]byte, 0, want)
	}
}

func (b *CatalogIndexBuilder) order(cat uint) int {
	if o, ok := b.catOrder[cat]; ok {
		return o
	}
	return len(b.catOrder)
}

// tableIndex returns v's index in a small shared table, adding it if new
// (0 once the table holds 256 entries).
func tableIndex[T comparable](index map[T]uint8, table *[]T, v T) uint8 {
	if i, ok := index[v]; ok {
		return i
	}
	if len(*table) > math.MaxUint8 {
		return 0
	}
	i := uint8(len(*table))
	*table = append(*table, v)
	index[v] = i
	return i
}

// clip cuts s to at most n bytes on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

// Add adds a product with its barcodes and its stored pinyin keys.
func (b *CatalogIndexBuilder) Add(it CatalogItem, barcodes []string, pinyinInitials, pinyinFull string) {
	x := b.idx
	if x.text == nil {
		// Typical sizes, when Reserve was not told better.
		b.Reserve(cap(x.recs)*56, cap(x.recs)*88)
	}
	pos := int32(len(x.recs))
	if o := b.order(it.CategoryID); o < b.lastCat {
		b.sorted = false
	} else {
		b.lastCat = o
	}
	name, en, sku := clip(it.Name, math.MaxUint16), clip(it.NameEN, math.MaxUint16), clip(it.SKU, math.MaxUint8)
	x.recs = append(x.recs, itemRec{
		id: uint32(it.ID), cat: uint32(it.CategoryID), price: it.Price, tax: int32(it.TaxRateBP),
		disp: uint32(len(x.disp)), nameLen: uint16(len(name)), enLen: uint16(len(en)), skuLen: uint8(len(sku)),
		unit:     tableIndex(b.unitIdx, &x.units, unitNames{it.Unit, it.UnitEN}),
		currency: tableIndex(b.curIdx, &x.currencies, it.Currency), weighed: it.Weighed,
	})
	x.disp = append(append(append(x.disp, name...), en...), sku...)
	x.starts = append(x.starts, int32(len(x.text)))
	x.text = append(x.text, productSep)
	for _, key := range []string{it.Name, it.NameEN, pinyinInitials, pinyinFull, it.SKU} {
		if key = normalizeQuery(key); key != "" {
			x.text = append(x.text, keySep)
			x.text = append(x.text, key...)
		}
	}
	for _, c := range barcodes {
		if c == "" {
			continue
		}
		x.text = append(x.text, keySep)
		x.text = append(x.text, c...)
		if n, err := strconv.ParseUint(c, 10, 64); err == nil && c[0] != '0' {
			b.numeric = append(b.numeric, codePos{n, pos})
		} else {
			x.other[c] = pos
		}
	}
}

// Build makes the index. The builder must not be used afterwards.
func (b *CatalogIndexBuilder) Build() *CatalogIndex {
	x := b.idx
	x.starts = append(x.starts, int32(len(x.text)))
	if !b.sorted {
		b.reorder()
	}
	for i, r := range x.recs {
		cat := uint(r.cat)
		rg, ok := x.catRange[cat]
		if !ok {
			rg[0] = int32(i)
		}
		rg[1] = int32(i + 1)
		x.catRange[cat] = rg
	}
	sort.Slice(b.numeric, func(i, j int) bool { return b.numeric[i].code < b.numeric[j].code })
	x.codes = make([]uint64, len(b.numeric))
	x.codePos = make([]int32, len(b.numeric))
	for i, c := range b.numeric {
		x.codes[i], x.codePos[i] = c.code, c.pos
	}
	b.idx, b.numeric = nil, nil
	return x
}

// reorder puts products added out of category order into it, keeping the
// order they were added in within a category.
func (b *CatalogIndexBuilder) reorder() {
	x := b.idx
	perm := make([]int32, len(x.recs))
	for i := range perm {
		perm[i] = int32(i)
	}
	sort.SliceStable(perm, func(i, j int) bool {
		return b.order(uint(x.recs[perm[i]].cat)) < b.order(uint(x.recs[perm[j]].cat))
	})
	newPos := make([]int32, len(perm))
	recs := make([]itemRec, len(perm))
	text := make([]byte, 0, len(x.text))
	starts := make([]int32, 0, len(x.starts))
	for to, from := range perm {
		newPos[from] = int32(to)
		recs[to] = x.recs[from]
		starts = append(starts, int32(len(text)))
		text = append(text, x.text[x.starts[from]:x.starts[from+1]]...)
	}
	starts = append(starts, int32(len(text)))
	x.recs, x.text, x.starts = recs, text, starts
	for i := range b.numeric {
		b.numeric[i].pos = newPos[b.numeric[i].pos]
	}
	for k, p := range x.other {
		x.other[k] = newPos[p]
	}
}

// normalizeQuery lowercases s and drops white space, so "Ke Kou" finds "kekou".
func normalizeQuery(s string) string {
	var out []byte
	for i, r := range s {
		switch {
		case unicode.IsSpace(r) || r == productSep || r == keySep:
			if out == nil {
				out = append(make([]byte, 0, len(s)), s[:i]...)
			}
		case r >= 'A' && r <= 'Z':
			if out == nil {
				out = append(make([]byte, 0, len(s)), s[:i]...)
			}
			out = append(out, byte(r+'a'-'A'))
		default:
			if out != nil {
				out = append(out, string(r)...)
			}
		}
	}
	if out == nil {
		return s
	}
	return string(out)
}

// Len is the number of products.
func (x *CatalogIndex) Len() int { return len(x.recs) }

// All lists every product, by category.
func (x *CatalogIndex) All() CatalogList { return CatalogList{x: x, hi: int32(len(x.recs))} }

// InCategory lists a category's products.
func (x *CatalogIndex) InCategory(id uint) CatalogList {
	r, ok := x.catRange[id]
	if !ok {
		return CatalogList{}
	}
	return CatalogList{x: x, lo: r[0], hi: r[1]}
}

// Lookup finds the product with a barcode, exactly as scanned.
func (x *CatalogIndex) Lookup(code string) (CatalogItem, bool) {
	code = strings.TrimSpace(code)
	if p, ok := x.lookupPos(code); ok {
		return x.item(p), true
	}
	return CatalogItem{}, false
}

func (x *CatalogIndex) lookupPos(code string) (int32, bool) {
	if code == "" {
		return 0, false
	}
	if n, err := strconv.ParseUint(code, 10, 64); err == nil && code[0] != '0' {
		i := sort.Search(len(x.codes), func(i int) bool { return x.codes[i] >= n })
		if i < len(x.codes) && x.codes[i] == n {
			return x.codePos[i], true
		}
		return 0, false
	}
	p, ok := x.other[code]
	return p, ok
}

// Search finds products whose name, English name, pinyin initials, full
// pinyin, SKU or barcode contains the query (case and spaces ignored), at
// most limit of them: a scanned barcode's product first, then products with
// a key equal to the query (a SKU, a name), then those with a key that
// starts with it, then the rest, each in catalog order.
func (x *CatalogIndex) Search(query string, limit int) CatalogList {
	q := normalizeQuery(strings.TrimSpace(query))
	if q == "" || limit <= 0 {
		return CatalogList{}
	}
	var exact, prefix, inner []int32
	if p, ok := x.lookupPos(q); ok {
		exact = append(exact, p)
	}
	sepQ := append([]byte{keySep}, q...)
	qb := sepQ[1:]
	text := x.text
	for pos := 0; pos < len(text) && len(exact)+len(prefix) < limit; {
		i := bytes.Index(text[pos:], qb)
		if i < 0 {
			break
		}
		hit := pos + i
		// The product holding the hit: the last start at or before it.
		p := int32(sort.Search(len(x.starts)-1, func(k int) bool { return int(x.starts[k+1]) > hit }))
		start, end := int(x.starts[p]), int(x.starts[p+1])
		pos = end
		if len(exact) > 0 && exact[0] == p {
			continue
		}
		seg := text[start:end]
		switch {
		case hasKey(seg, qb):
			exact = append(exact, p)
		case text[hit-1] == keySep || bytes.Contains(text[hit:end], sepQ):
			prefix = append(prefix, p)
		case len(exact)+len(prefix)+len(inner) < limit:
			inner = append(inner, p)
		}
	}
	return CatalogList{x: x, pos: firstOf(limit, exact, prefix, inner)}
}

// firstOf is the first limit positions of lists, taken one list after the
// other in their order.
func firstOf(limit int, lists ...[]int32) []int32 {
	n := 0
	for _, list := range lists {
		n += len(list)
	}
	out := make([]int32, 0, min(limit, n))
	for _, list := range lists {
		for _, p := range list {
			if len(out) == limit {
				break
			}
			out = append(out, p)
		}
	}
	return out
}

// hasKey reports whether a product's segment has a key equal to q.
func hasKey(seg, q []byte) bool {
	for len(seg) > 0 {
		i := bytes.IndexByte(seg, keySep)
		if i < 0 {
			return false
		}
		seg = seg[i+1:]
		if bytes.HasPrefix(seg, q) && (len(seg) == len(q) || seg[len(q)] == keySep) {
			return true
		}
	}
	return false
}
