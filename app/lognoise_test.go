package app

import (
	"bytes"
	"log"
	"testing"
)

func TestTheLogDropsOnlyFynesPreferencesRace(t *testing.T) {
	var out bytes.Buffer
	l := log.New(quietPreferencesRace(&out), "", 0)
	l.Println("Fyne error:  Preferences load error:")
	l.Println("  Cause: EOF")
	l.Println("  At: /fyne/app/preferences.go:105")
	l.Println("till: started")
	l.Println("Fyne error:  Preferences load error:")
	l.Println("  Cause: invalid character 'x' looking for beginning of value")
	l.Println("  At: /fyne/app/preferences.go:105")
	l.Println("  At: somewhere else")
	want := "till: started\nFyne error:  Preferences load error:\n  Cause: invalid character 'x' looking for beginning of value\n" +
		"  At: /fyne/app/preferences.go:105\n  At: somewhere else\n"
	if out.String() != want {
		t.Fatalf("log:\n%s\nwant:\n%s", out.String(), want)
	}
}
