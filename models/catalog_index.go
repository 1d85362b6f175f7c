package models

import (
	"bytes"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// CatalogItem is what the sell screen needs of a product: lean, because the
// index holds every product of the shop in memory.
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

// CatalogIndex is an immutable in-memory index of the catalog for the sell
// screen: barcode lookup, search by name, English name, SKU, barcode and
// pinyin, and products by category. Build it with a CatalogIndexBuilder.
//
// Search keys of all products sit in one byte buffer, so a query is a few
// vectorised bytes.Index calls over it rather than a loop over products.
type CatalogIndex struct {
	items  []CatalogItem // sorted by category order, then as added
	text   []byte        // per product: productSep, then keySep+key for each key
	starts []int32       // offset in text where each product starts
	// Numeric barcodes (EAN, UPC) sorted, with their product positions;
	// other codes in a map.
	codes    []uint64
	codePos  []int32
	other    map[string]int32
	skus     map[string]int32
	catRange map[uint][2]int32
}

// CatalogIndexBuilder collects products for a CatalogIndex. Products are
// appended straight into the index's compact form, so building one holds
// little more memory than the index itself; products added in category
// display order (as the store loads them) need no reordering at the end.
type CatalogIndexBuilder struct {
	idx      *CatalogIndex
	catOrder map[uint]int
	strs     map[string]string
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
			items:    make([]CatalogItem, 0, n),
			text:     make([]byte, 0, n*96),
			starts:   make([]int32, 0, n+1),
			other:    map[string]int32{},
			skus:     make(map[string]int32, n),
			catRange: map[uint][2]int32{},
		},
		catOrder: map[uint]int{},
		strs:     map[string]string{},
		numeric:  make([]codePos, 0, n),
		sorted:   true,
	}
	for i, id := range categories {
		b.catOrder[id] = i
	}
	return b
}

// intern shares one copy of strings that repeat across products (units, currency).
func (b *CatalogIndexBuilder) intern(s string) string {
	if v, ok := b.strs[s]; ok {
		return v
	}
	b.strs[s] = s
	return s
}

func (b *CatalogIndexBuilder) order(cat uint) int {
	if o, ok := b.catOrder[cat]; ok {
		return o
	}
	return len(b.catOrder)
}

// Add adds a product with its barcodes and its stored pinyin keys.
func (b *CatalogIndexBuilder) Add(it CatalogItem, barcodes []string, pinyinInitials, pinyinFull string) {
	x := b.idx
	it.Currency = Currency(b.intern(string(it.Currency)))
	it.Unit = b.intern(it.Unit)
	it.UnitEN = b.intern(it.UnitEN)
	pos := int32(len(x.items))
	if o := b.order(it.CategoryID); o < b.lastCat {
		b.sorted = false
	} else {
		b.lastCat = o
	}
	x.items = append(x.items, it)
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
	x.skus[strings.ToLower(it.SKU)] = pos
}

// Build makes the index. The builder must not be used afterwards.
func (b *CatalogIndexBuilder) Build() *CatalogIndex {
	x := b.idx
	x.starts = append(x.starts, int32(len(x.text)))
	if !b.sorted {
		b.reorder()
	}
	for i, it := range x.items {
		r, ok := x.catRange[it.CategoryID]
		if !ok {
			r[0] = int32(i)
		}
		r[1] = int32(i + 1)
		x.catRange[it.CategoryID] = r
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
	perm := make([]int32, len(x.items))
	for i := range perm {
		perm[i] = int32(i)
	}
	sort.SliceStable(perm, func(i, j int) bool {
		return b.order(x.items[perm[i]].CategoryID) < b.order(x.items[perm[j]].CategoryID)
	})
	newPos := make([]int32, len(perm))
	items := make([]CatalogItem, len(perm))
	text := make([]byte, 0, len(x.text))
	starts := make([]int32, 0, len(x.starts))
	for to, from := range perm {
		newPos[from] = int32(to)
		items[to] = x.items[from]
		starts = append(starts, int32(len(text)))
		text = append(text, x.text[x.starts[from]:x.starts[from+1]]...)
	}
	starts = append(starts, int32(len(text)))
	x.items, x.text, x.starts = items, text, starts
	for i := range b.numeric {
		b.numeric[i].pos = newPos[b.numeric[i].pos]
	}
	for k, p := range x.other {
		x.other[k] = newPos[p]
	}
	for k, p := range x.skus {
		x.skus[k] = newPos[p]
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
func (x *CatalogIndex) Len() int { return len(x.items) }

// All returns every product, by category. The slice is shared: do not modify it.
func (x *CatalogIndex) All() []CatalogItem { return x.items }

// InCategory returns a category's products. The slice is shared: do not modify it.
func (x *CatalogIndex) InCategory(id uint) []CatalogItem {
	r, ok := x.catRange[id]
	if !ok {
		return nil
	}
	return x.items[r[0]:r[1]:r[1]]
}

// Lookup finds the product with a barcode, exactly as scanned.
func (x *CatalogIndex) Lookup(code string) (CatalogItem, bool) {
	code = strings.TrimSpace(code)
	if p, ok := x.lookupPos(code); ok {
		return x.items[p], true
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
// most limit of them: an exact barcode or SKU first, then products with a key
// that starts with the query, then the rest, each in catalog order.
func (x *CatalogIndex) Search(query string, limit int) []CatalogItem {
	q := normalizeQuery(strings.TrimSpace(query))
	if q == "" || limit <= 0 {
		return nil
	}
	var exact []int32
	if p, ok := x.lookupPos(q); ok {
		exact = append(exact, p)
	}
	if p, ok := x.skus[q]; ok && (len(exact) == 0 || exact[0] != p) {
		exact = append(exact, p)
	}
	prefix := make([]int32, 0, min(limit, 64))
	var inner []int32
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
		end := int(x.starts[p+1])
		pos = end
		if isIn(exact, p) {
			continue
		}
		if text[hit-1] == keySep || bytes.Contains(text[hit:end], sepQ) {
			prefix = append(prefix, p)
		} else if len(exact)+len(prefix)+len(inner) < limit {
			inner = append(inner, p)
		}
	}
	out := make([]CatalogItem, 0, min(limit, len(exact)+len(prefix)+len(inner)))
	for _, list := range [][]int32{exact, prefix, inner} {
		for _, p := range list {
			if len(out) == limit {
				return out
			}
			out = append(out, x.items[p])
		}
	}
	return out
}

func isIn(list []int32, p int32) bool {
	for _, v := range list {
		if v == p {
			return true
		}
	}
	return false
}
