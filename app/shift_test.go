package app

import (
	"context"
	"strings"
	"testing"
)

// TestCloseOfDayFromDayEndPrintsTheZ: a cash sale, then from Day end the
// shift screen; the cashier's close of day is approved by a manager, the Z
// report is stored with the sale in it and printed, and its reprint is
// marked COPY.
func TestCloseOfDayFromDayEndPrintsTheZ(t *testing.T) {
	till := startDemoWithHost(t)
	path := filePrinter(t, till)
	sellColasForCash(t, till.Window(), 1)

	tapKeys(t, till, "Day end", "Shift and close of day", "Close the day (Z report)")
	mustShow(t, till, "Close day 1?")
	tapKeys(t, till, "Take the Z report")
	mustShow(t, till, "A manager's code is needed")
	tapKeys(t, till, "8", "8", "8", "8", "OK")
	z, err := till.Store().LastZReport(context.Background(), "T01")
	if err != nil || z.Number != 1 || z.Sales != 1 || z.CashAmount != 350 || z.AuditHash == "" {
		t.Fatalf("Z stored: %+v %v", z, err)
	}
	slip := printedText(t, path, "Z REPORT")
	if !strings.Contains(slip, "T01-Z0001") || !strings.Contains(slip, "#"+itoa(uint(z.AuditSeq))) {
		t.Fatalf("Z printed:\n%s", slip)
	}
	tapKeys(t, till, "Done", "Reprint the last Z")
	if slip := printedText(t, path, "COPY"); !strings.Contains(slip, "COPY") {
		t.Fatalf("reprint:\n%s", slip)
	}
}
