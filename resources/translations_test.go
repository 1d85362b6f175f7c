package resources

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// keyPatterns find the translation keys used in Till's source: lang.X calls,
// models errors (invalid(...), notFound(...), Key: fields) and receipt labels.
var keyPatterns = []*regexp.Regexp{
	regexp.MustCompile(`lang\.X\(\s*"([^"]+)"`),
	pluralPattern,
	regexp.MustCompile(`\binvalid\(\s*"([^"]+)"`),
	regexp.MustCompile(`\bnotFound\([^")\n]*"([^"]+)"`),
	regexp.MustCompile(`Key:\s*"([^"]+)"`),
	regexp.MustCompile(`\btr\(\s*"([^"]+)"`),
	regexp.MustCompile(`\bKey[A-Z]\w*\s*=\s*"([^"]+)"`), // key constants: KeyExpired = "error.card.expired"
}

// pluralPattern finds the keys of texts that show a count, whose
// translations must give each plural form (lang.XN, or screens' plural).
var pluralPattern = regexp.MustCompile(`(?:lang\.XN|\bplural)\(\s*"([^"]+)"`)

// sourceKeys returns every key used by non-test Go files of the repository.
func sourceKeys(t *testing.T) map[string]string {
	t.Helper()
	keys := map[string]string{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, p := range keyPatterns {
			for _, m := range p.FindAllStringSubmatch(string(src), -1) {
				keys[m[1]] = path
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// readTranslations reads a translation file: each key's text, a plural
// text as its "other" form (its forms are in readPlurals).
func readTranslations(t *testing.T, name string) map[string]string {
	t.Helper()
	m := map[string]string{}
	for k, forms := range readPlurals(t, name) {
		m[k] = forms["other"]
	}
	return m
}

// readPlurals reads a translation file as each key's forms: "other" alone
// for a plain text, and "one", "other"… for a text with plural forms.
func readPlurals(t *testing.T, name string) map[string]map[string]string {
	t.Helper()
	data, err := Translations.ReadFile(TranslationsDir + "/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	m := map[string]map[string]string{}
	for k, v := range raw {
		var text string
		if json.Unmarshal(v, &text) == nil {
			m[k] = map[string]string{"other": text}
			continue
		}
		var forms map[string]string
		if err := json.Unmarshal(v, &forms); err != nil {
			t.Fatalf("%s: %s is neither a text nor plural forms: %v", name, k, err)
		}
		m[k] = forms
	}
	return m
}

// TestCountsHavePluralForms checks that every text showing a count has its
// plural forms: "one" and "other" in English, "other" in Chinese (which
// has one form), each keeping the count's placeholder.
func TestCountsHavePluralForms(t *testing.T) {
	keys := map[string]string{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range pluralPattern.FindAllStringSubmatch(string(src), -1) {
			keys[m[1]] = path
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) < 5 {
		t.Fatalf("found only %d texts with a count: the pattern is broken", len(keys))
	}
	want := map[string][]string{"till.en.json": {"one", "other"}, "till.zh_Hans.json": {"other"}}
	for file, forms := range want {
		tr := readPlurals(t, file)
		for k, where := range keys {
			for _, f := range forms {
				if strings.TrimSpace(tr[k][f]) == "" {
					t.Errorf("%s: %s (%s) lacks its %q form", file, k, where, f)
				}
			}
		}
	}
}

// TestEveryKeyTranslated fails when a string shown to people lacks a
// translation, or a translation is left over from removed code.
func TestEveryKeyTranslated(t *testing.T) {
	used := sourceKeys(t)
	if len(used) < 50 {
		t.Fatalf("found only %d keys in the source: the patterns are broken", len(used))
	}
	for _, file := range []string{"till.zh_Hans.json", "till.en.json"} {
		tr := readTranslations(t, file)
		var missing, unused []string
		for k, where := range used {
			if strings.TrimSpace(tr[k]) == "" {
				missing = append(missing, k+" ("+where+")")
			}
		}
		for k := range tr {
			if _, ok := used[k]; !ok {
				unused = append(unused, k)
			}
		}
		sort.Strings(missing)
		sort.Strings(unused)
		if len(missing) > 0 {
			t.Errorf("%s lacks %d keys:\n%s", file, len(missing), strings.Join(missing, "\n"))
		}
		if len(unused) > 0 {
			t.Errorf("%s has %d keys no code uses:\n%s", file, len(unused), strings.Join(unused, "\n"))
		}
	}
}

// TestTranslationsKeepPlaceholders checks that each Chinese text keeps the
// {{.Name}} placeholders of its English original.
func TestTranslationsKeepPlaceholders(t *testing.T) {
	en := readTranslations(t, "till.en.json")
	zh := readTranslations(t, "till.zh_Hans.json")
	ph := regexp.MustCompile(`\{\{\.[A-Za-z]+\}\}`)
	for k, e := range en {
		want := ph.FindAllString(e, -1)
		got := ph.FindAllString(zh[k], -1)
		sort.Strings(want)
		sort.Strings(got)
		if strings.Join(want, ",") != strings.Join(got, ",") {
			t.Errorf("%s: zh has %v, en has %v", k, got, want)
		}
	}
}
