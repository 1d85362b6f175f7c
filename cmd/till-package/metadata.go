package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// appMetadata is what FyneApp.toml's [Details] say of the app.
type appMetadata struct {
	Name    string // "收银台 Till"
	ID      string // "pos.till.app"
	Version string // "0.1.0"
	Build   int
	Icon    string // relative to the source folder
}

var semver = regexp.MustCompile(`^\d+\.\d+\.\d+$`)

// readAppMetadata reads the [Details] of src/FyneApp.toml: the flat
// `Key = "value"` and `Key = number` lines Fyne writes there.
func readAppMetadata(src string) (appMetadata, error) {
	path := filepath.Join(src, "FyneApp.toml")
	f, err := os.Open(path)
	if err != nil {
		return appMetadata{}, fmt.Errorf("app metadata: %w", err)
	}
	defer f.Close()
	var m appMetadata
	section := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") {
			section = strings.Trim(line, "[]")
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok {
			return m, fmt.Errorf("%s:%d: not a key = value line", path, n)
		}
		if section != "Details" {
			continue
		}
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		text := strings.Trim(value, `"`)
		switch key {
		case "Name":
			m.Name = text
		case "ID":
			m.ID = text
		case "Version":
			m.Version = text
		case "Icon":
			m.Icon = text
		case "Build":
			if m.Build, err = strconv.Atoi(value); err != nil {
				return m, fmt.Errorf("%s:%d: Build is not a number: %s", path, n, value)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return m, fmt.Errorf("app metadata: %w", err)
	}
	switch {
	case m.ID == "" || m.Name == "" || m.Icon == "":
		return m, fmt.Errorf("%s: [Details] needs Name, ID and Icon", path)
	case !semver.MatchString(m.Version):
		return m, fmt.Errorf("%s: Version %q is not MAJOR.MINOR.PATCH", path, m.Version)
	}
	return m, nil
}
