package fingerprint_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/till-pos/till/devices/fingerprint"
)

// BenchmarkSearch1000 is one 1:N search over a library of 1,000 templates,
// the finger matching the last page, on the simulator through a
// pseudo-terminal.
func BenchmarkSearch1000(b *testing.B) {
	sim, m, _ := setup(b, 1000)
	for i := range 1000 {
		if err := sim.Preload(i, fmt.Sprintf("user-%d", i)); err != nil {
			b.Fatal(err)
		}
	}
	sim.PlaceFinger("user-999")
	if err := m.GenImage(); err != nil {
		b.Fatal(err)
	}
	if err := m.Img2Tz(1); err != nil {
		b.Fatal(err)
	}
	start := m.RoundTrips()
	b.ResetTimer()
	for b.Loop() {
		page, _, err := m.Search(1, 0, 1000)
		if err != nil || page != 999 {
			b.Fatalf("Search = %d, %v", page, err)
		}
	}
	b.ReportMetric(float64(m.RoundTrips()-start)/float64(b.N), "roundtrips/op")
}

// BenchmarkIdentify1000 is a whole Identify (capture, extract, search) over
// 1,000 templates with the finger already on the sensor.
func BenchmarkIdentify1000(b *testing.B) {
	sim, m, _ := setup(b, 1000)
	for i := range 1000 {
		if err := sim.Preload(i, fmt.Sprintf("user-%d", i)); err != nil {
			b.Fatal(err)
		}
	}
	sim.PlaceFinger("user-999")
	ctx := context.Background()
	if _, _, err := fingerprint.Identify(ctx, m); err != nil { // reads the capacity once
		b.Fatal(err)
	}
	start := m.RoundTrips()
	b.ResetTimer()
	for b.Loop() {
		page, _, err := fingerprint.Identify(ctx, m)
		if err != nil || page != 999 {
			b.Fatalf("Identify = %d, %v", page, err)
		}
	}
	b.ReportMetric(float64(m.RoundTrips()-start)/float64(b.N), "roundtrips/op")
}

// BenchmarkTemplateCount is the smallest round trip, the baseline for the
// two above.
func BenchmarkTemplateCount(b *testing.B) {
	_, m, _ := setup(b, 1000)
	for b.Loop() {
		if _, err := m.TemplateCount(); err != nil {
			b.Fatal(err)
		}
	}
}
