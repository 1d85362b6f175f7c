// Package catalogtest makes large synthetic catalogs, the same every time,
// for Till's benchmarks: Chinese product names with their pinyin, English
// names, SKUs and valid EAN-13 barcodes.
package catalogtest

import (
	"fmt"
	"strconv"

	"github.com/till-pos/till/models"
)

var words = []struct{ zh, en string }{
	{"可口可乐", "Coca-Cola"}, {"百事可乐", "Pepsi"}, {"雪碧", "Sprite"}, {"矿泉水", "Mineral water"}, {"纯净水", "Purified water"},
	{"冰红茶", "Iced black tea"}, {"绿茶", "Green tea"}, {"奶茶", "Milk tea"}, {"红牛", "Red Bull"}, {"王老吉", "Wanglaoji"},
	{"纯牛奶", "Pure milk"}, {"酸奶", "Yogurt"}, {"豆浆", "Soy milk"}, {"橙汁", "Orange juice"}, {"苹果汁", "Apple juice"},
	{"啤酒", "Beer"}, {"白酒", "Baijiu"}, {"红酒", "Red wine"}, {"咖啡", "Coffee"}, {"拿铁", "Latte"},
	{"薯片", "Potato chips"}, {"饼干", "Biscuits"}, {"巧克力", "Chocolate"}, {"口香糖", "Chewing gum"}, {"辣条", "Spicy strips"},
	{"瓜子", "Sunflower seeds"}, {"花生", "Peanuts"}, {"坚果", "Nuts"}, {"牛肉干", "Beef jerky"}, {"猪肉脯", "Pork jerky"},
	{"方便面", "Instant noodles"}, {"火腿肠", "Ham sausage"}, {"面包", "Bread"}, {"蛋糕", "Cake"}, {"月饼", "Mooncake"},
	{"汤圆", "Tangyuan"}, {"饺子", "Dumplings"}, {"粽子", "Zongzi"}, {"大米", "Rice"}, {"面粉", "Flour"},
	{"食用油", "Cooking oil"}, {"酱油", "Soy sauce"}, {"醋", "Vinegar"}, {"食盐", "Salt"}, {"白糖", "Sugar"},
	{"鸡蛋", "Eggs"}, {"苹果", "Apples"}, {"香蕉", "Bananas"}, {"橘子", "Mandarins"}, {"葡萄", "Grapes"},
	{"西瓜", "Watermelon"}, {"草莓", "Strawberries"}, {"番茄", "Tomatoes"}, {"黄瓜", "Cucumbers"}, {"土豆", "Potatoes"},
	{"白菜", "Napa cabbage"}, {"抽纸", "Facial tissue"}, {"卷纸", "Toilet roll"}, {"湿巾", "Wet wipes"}, {"香皂", "Soap"},
	{"洗发水", "Shampoo"}, {"沐浴露", "Shower gel"}, {"牙膏", "Toothpaste"}, {"牙刷", "Toothbrush"}, {"洗衣液", "Laundry liquid"},
	{"洗洁精", "Dish soap"}, {"垃圾袋", "Trash bags"}, {"电池", "Batteries"}, {"雨伞", "Umbrella"}, {"口罩", "Masks"},
}

var brands = []string{"康师傅", "统一", "农夫", "伊利", "蒙牛", "旺旺", "达利", "良品", "三只松鼠", "洽洽", "海天", "金龙鱼", "立白", "蓝月亮", "清风", "心相印"}
var sizes = []string{"250ml", "330ml", "500ml", "1L", "70g", "100g", "200g", "500g", "1kg", "6包", "10片", "家庭装"}

// EAN13 completes 12 digits with their check digit.
func EAN13(body string) string {
	sum := 0
	for i, c := range body {
		d := int(c - '0')
		if i%2 == 1 {
			d *= 3
		}
		sum += d
	}
	return body + strconv.Itoa((10-sum%10)%10)
}

// Categories are the synthetic catalog's categories.
func Categories() []models.Category {
	names := [][2]string{{"饮料", "Drinks"}, {"零食", "Snacks"}, {"粮油", "Groceries"}, {"生鲜", "Fresh"}, {"日用品", "Daily goods"}, {"酒水", "Alcohol"}}
	cats := make([]models.Category, len(names))
	for i, n := range names {
		cats[i] = models.Category{Code: fmt.Sprintf("c%d", i), Name: n[0], NameEN: n[1], Sort: i}
	}
	return cats
}

// Products returns n products over Categories, each with pinyin keys and
// one barcode (690…699 prefixes); product i has SKU "SKU%07d".
func Products(n int) []models.Product {
	cats := Categories()
	type py struct{ ini, full string }
	cache := map[string]py{}
	keys := func(s string) py {
		if v, ok := cache[s]; ok {
			return v
		}
		i, f := models.PinyinKeys(s)
		cache[s] = py{i, f}
		return cache[s]
	}
	out := make([]models.Product, n)
	for i := range out {
		w := words[i%len(words)]
		b := brands[(i/len(words))%len(brands)]
		sz := sizes[(i/(len(words)*len(brands)))%len(sizes)]
		variant := i / (len(words) * len(brands) * len(sizes))
		name := b + w.zh + " " + sz
		if variant > 0 {
			name += fmt.Sprintf(" %d号", variant)
		}
		bk, wk := keys(b), keys(w.zh)
		szi, szf := models.PinyinKeys(sz)
		out[i] = models.Product{
			SKU: fmt.Sprintf("SKU%07d", i), Name: name, NameEN: w.en + " " + sz,
			Category:       &cats[i%len(cats)],
			PinyinInitials: bk.ini + wk.ini + szi, PinyinFull: bk.full + wk.full + szf,
			Price: int64(100 + (i*37)%9900), Currency: models.CNY, TaxRateBP: 1300,
			Unit: "件", UnitEN: "pc", Stock: models.Units(100), Active: true,
			Barcodes: []models.Barcode{{Code: EAN13(fmt.Sprintf("69%d%09d", i%10, i))}},
		}
	}
	return out
}

// Index builds a CatalogIndex over n synthetic products, IDs 1…n.
func Index(n int) *models.CatalogIndex {
	cats := Categories()
	ids := make([]uint, len(cats))
	for i := range cats {
		ids[i] = uint(i + 1)
	}
	b := models.NewCatalogIndexBuilder(n, ids)
	for i, p := range Products(n) {
		b.Add(models.CatalogItem{ID: uint(i + 1), SKU: p.SKU, Name: p.Name, NameEN: p.NameEN, CategoryID: uint(i%len(cats) + 1),
			Price: p.Price, Currency: p.Currency, TaxRateBP: p.TaxRateBP, Unit: p.Unit, UnitEN: p.UnitEN},
			[]string{p.Barcodes[0].Code}, p.PinyinInitials, p.PinyinFull)
	}
	return b.Build()
}
