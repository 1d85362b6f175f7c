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
	regexp.MustCompile(`\binvalid\(\s*"([^"]+)"`),
	regexp.MustCompile(`\bnotFound\([^")\n]*"([^"]+)"`),
	regexp.MustCompile(`Key:\s*"([^"]+)"`),
	regexp.MustCompile(`\btr\(\s*"([^"]+)"`),
	regexp.MustCompile(`\bKey[A-Z]\w*\s*=\s*"([^"]+)"`), // key constants: KeyExpired = "error.card.expired"
}

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

func readTranslations(t *testing.T, name string) map[string]string {
	t.Helper()
	data, err := Translations.ReadFile(TranslationsDir + "/" + name)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return m
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
