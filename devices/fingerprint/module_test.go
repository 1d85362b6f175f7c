package fingerprint_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/till-pos/till/devices/fingerprint"
	"github.com/till-pos/till/devices/fingerprint/fpsim"
)

// setup serves a simulator on a pseudo-terminal and opens its slave like a
// serial port.
func setup(t testing.TB, capacity int) (*fpsim.Sim, *fingerprint.Module, func()) {
	t.Helper()
	sim := fpsim.New(capacity)
	path, stop, err := sim.StartPTY()
	if err != nil {
		t.Fatalf("no pseudo-terminal: %v", err)
	}
	m, err := fingerprint.Open(path, fingerprint.DefaultBaud)
	if err != nil {
		stop()
		t.Fatal(err)
	}
	m.SetPollInterval(2 * time.Millisecond)
	t.Cleanup(func() {
		m.Close()
		stop()
	})
	return sim, m, stop
}

func wantCode(t *testing.T, what string, err error, code byte) {
	t.Helper()
	var ce fingerprint.ConfirmationError
	if !errors.As(err, &ce) || ce.Code != code {
		t.Errorf("%s: err = %v, want confirmation code %02X", what, err, code)
	}
}

func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func TestInstructions(t *testing.T) {
	sim, m, _ := setup(t, 1000)

	// Password.
	must(t, "VerifyPassword(0)", m.VerifyPassword(0))
	sim.SetPassword(1234)
	_, err := m.TemplateCount()
	wantCode(t, "TemplateCount before password", err, fingerprint.CodeNeedPassword)
	wantCode(t, "VerifyPassword(1)", m.VerifyPassword(1), fingerprint.CodeWrongPassword)
	must(t, "VerifyPassword(1234)", m.VerifyPassword(1234))

	sp, err := m.ReadSysParams()
	must(t, "ReadSysParams", err)
	want := fingerprint.SysParams{Status: 4, SystemID: 9, Capacity: 1000, SecurityLevel: 3,
		Address: 0xFFFFFFFF, PacketSize: 128, Baud: 57600}
	if sp != want {
		t.Errorf("ReadSysParams = %+v, want %+v", sp, want)
	}

	// Capture.
	if err := m.GenImage(); !errors.Is(err, fingerprint.ErrNoFinger) {
		t.Errorf("GenImage without finger: %v", err)
	}
	wantCode(t, "Img2Tz without image", m.Img2Tz(1), fingerprint.CodeNoImage)
	if err := m.Img2Tz(3); err == nil {
		t.Error("Img2Tz(3) accepted")
	}

	// Two different fingers do not combine and do not match.
	sim.PlaceFinger("alice")
	must(t, "GenImage", m.GenImage())
	must(t, "Img2Tz(1)", m.Img2Tz(1))
	sim.PlaceFinger("bob")
	must(t, "GenImage", m.GenImage())
	must(t, "Img2Tz(2)", m.Img2Tz(2))
	wantCode(t, "RegModel alice+bob", m.RegModel(), fingerprint.CodeMergeFailed)
	if _, err := m.Match(); !errors.Is(err, fingerprint.ErrNoMatch) {
		t.Errorf("Match alice/bob: %v", err)
	}

	// The same finger twice.
	sim.PlaceFinger("alice")
	must(t, "GenImage", m.GenImage())
	must(t, "Img2Tz(2)", m.Img2Tz(2))
	sc, err := m.Match()
	must(t, "Match", err)
	if sc < 100 {
		t.Errorf("Match score %d", sc)
	}
	must(t, "RegModel", m.RegModel())
	must(t, "Store(1, 7)", m.Store(1, 7))
	wantCode(t, "Store beyond library", m.Store(1, 1000), fingerprint.CodeBadPage)
	if n, err := m.TemplateCount(); err != nil || n != 1 {
		t.Errorf("TemplateCount = %d, %v; want 1", n, err)
	}
	page, sc, err := m.Search(1, 0, 1000)
	if err != nil || page != 7 || sc < 100 {
		t.Errorf("Search = %d, %d, %v; want page 7", page, sc, err)
	}
	if _, _, err := m.Search(1, 8, 992); !errors.Is(err, fingerprint.ErrNoMatch) {
		t.Errorf("Search past the page: %v", err)
	}

	// LoadChar, UpChar, DownChar.
	must(t, "LoadChar(2, 7)", m.LoadChar(2, 7))
	wantCode(t, "LoadChar empty page", m.LoadChar(2, 8), fingerprint.CodeBadTemplate)
	wantCode(t, "LoadChar beyond library", m.LoadChar(2, 5000), fingerprint.CodeBadPage)
	tpl, err := m.UpChar(2)
	must(t, "UpChar", err)
	if !bytes.Equal(tpl, fpsim.CharFile("alice")) {
		t.Errorf("UpChar: %d bytes, not alice's template", len(tpl))
	}
	must(t, "DownChar bob", m.DownChar(2, fpsim.CharFile("bob")))
	if _, err := m.Match(); !errors.Is(err, fingerprint.ErrNoMatch) {
		t.Errorf("Match alice/bob after DownChar: %v", err)
	}
	got, err := m.UpChar(2)
	if err != nil || !bytes.Equal(got, fpsim.CharFile("bob")) {
		t.Errorf("UpChar after DownChar: %d bytes, %v", len(got), err)
	}

	// Deleting.
	must(t, "DeleteChar", m.DeleteChar(7, 1))
	if n, err := m.TemplateCount(); err != nil || n != 0 {
		t.Errorf("TemplateCount after delete = %d, %v", n, err)
	}
	if _, _, err := m.Search(1, 0, 1000); !errors.Is(err, fingerprint.ErrNoMatch) {
		t.Errorf("Search after delete: %v", err)
	}
	wantCode(t, "DeleteChar beyond library", m.DeleteChar(999, 2), fingerprint.CodeDeleteFailed)
	must(t, "Store(1, 3)", m.Store(1, 3))
	must(t, "Store(1, 4)", m.Store(1, 4))
	must(t, "Empty", m.Empty())
	if n, err := m.TemplateCount(); err != nil || n != 0 {
		t.Errorf("TemplateCount after Empty = %d, %v", n, err)
	}
	if m.RoundTrips() == 0 {
		t.Error("no round trips counted")
	}
}

// fingerAgain answers Enroll's progress calls as a person would: lift the
// finger, then put finger (the same one, or another) back on a moment later.
func fingerAgain(sim *fpsim.Sim, placements int, finger string) (func(int), func() []int) {
	var mu sync.Mutex
	var steps []int
	var wg sync.WaitGroup
	progress := func(step int) {
		mu.Lock()
		steps = append(steps, step)
		mu.Unlock()
		sim.LiftFinger()
		if step < placements {
			wg.Go(func() {
				time.Sleep(10 * time.Millisecond)
				sim.PlaceFinger(finger)
			})
		}
	}
	return progress, func() []int {
		wg.Wait()
		mu.Lock()
		defer mu.Unlock()
		return steps
	}
}

func TestEnrollIdentify(t *testing.T) {
	sim, m, _ := setup(t, 1000)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	sim.PlaceFinger("alice")
	progress, steps := fingerAgain(sim, 3, "alice")
	before := m.RoundTrips()
	tpl, err := fingerprint.Enroll(ctx, m, 1, 3, progress)
	must(t, "Enroll", err)
	t.Logf("round trips for a 3-placement enroll (with no-finger polls): %d", m.RoundTrips()-before)
	if got := steps(); fmt.Sprint(got) != "[1 2 3]" {
		t.Errorf("progress steps %v", got)
	}
	if !bytes.Equal(tpl, fpsim.CharFile("alice")) {
		t.Errorf("template of %d bytes is not alice's", len(tpl))
	}

	sim.PlaceFinger("alice")
	before = m.RoundTrips()
	page, score, err := fingerprint.Identify(ctx, m)
	if err != nil || page != 1 || score < 100 {
		t.Errorf("Identify alice = %d, %d, %v; want page 1", page, score, err)
	}
	first := m.RoundTrips() - before
	before = m.RoundTrips()
	if page, _, err := fingerprint.Identify(ctx, m); err != nil || page != 1 {
		t.Errorf("Identify alice again = %d, %v", page, err)
	}
	again := m.RoundTrips() - before
	t.Logf("round trips per Identify with the finger already on the sensor: first %d, then %d", first, again)
	if again != 3 {
		t.Errorf("Identify took %d round trips, want 3", again)
	}

	sim.PlaceFinger("mallory")
	if _, _, err := fingerprint.Identify(ctx, m); !errors.Is(err, fingerprint.ErrNoMatch) {
		t.Errorf("Identify mallory: %v, want ErrNoMatch", err)
	}

	// Identify waits for a finger.
	sim.LiftFinger()
	go func() {
		time.Sleep(30 * time.Millisecond)
		sim.PlaceFinger("alice")
	}()
	if page, _, err := fingerprint.Identify(ctx, m); err != nil || page != 1 {
		t.Errorf("Identify after placing = %d, %v", page, err)
	}

	// No finger: the context ends the wait.
	sim.LiftFinger()
	short, cancelShort := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancelShort()
	if _, _, err := fingerprint.Identify(short, m); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Identify without finger: %v", err)
	}
}

func TestEnrollTwoFingers(t *testing.T) {
	sim, m, _ := setup(t, 100)
	sim.PlaceFinger("alice")
	progress, steps := fingerAgain(sim, 2, "bob")
	_, err := fingerprint.Enroll(context.Background(), m, 5, 2, progress)
	steps()
	wantCode(t, "Enroll alice then bob", err, fingerprint.CodeMergeFailed)
	if n, err := m.TemplateCount(); err != nil || n != 0 {
		t.Errorf("TemplateCount = %d, %v", n, err)
	}

	// A third placement of another finger fails the check.
	sim.PlaceFinger("alice")
	var mu sync.Mutex
	var wg sync.WaitGroup
	_, err = fingerprint.Enroll(context.Background(), m, 5, 3, func(step int) {
		sim.LiftFinger()
		finger := "alice"
		if step == 2 {
			finger = "bob"
		}
		if step < 3 {
			wg.Go(func() {
				time.Sleep(5 * time.Millisecond)
				mu.Lock()
				defer mu.Unlock()
				sim.PlaceFinger(finger)
			})
		}
	})
	wg.Wait()
	if !errors.Is(err, fingerprint.ErrNoMatch) {
		t.Errorf("Enroll with another third finger: %v, want ErrNoMatch", err)
	}
}

func TestTemplateRoundTrip(t *testing.T) {
	sim, m, _ := setup(t, 200)
	ctx := context.Background()
	sim.PlaceFinger("alice")
	progress, steps := fingerAgain(sim, 2, "alice")
	tpl, err := fingerprint.Enroll(ctx, m, 1, 2, progress)
	steps()
	must(t, "Enroll", err)

	must(t, "Empty", m.Empty())
	sim.PlaceFinger("alice")
	if _, _, err := fingerprint.Identify(ctx, m); !errors.Is(err, fingerprint.ErrNoMatch) {
		t.Fatalf("Identify on an empty library: %v", err)
	}
	must(t, "DownChar", m.DownChar(1, tpl))
	must(t, "Store", m.Store(1, 42))
	page, _, err := fingerprint.Identify(ctx, m)
	if err != nil || page != 42 {
		t.Errorf("Identify after DownChar = %d, %v; want 42", page, err)
	}
}

func TestChecksumError(t *testing.T) {
	sim, m, _ := setup(t, 10)
	sim.CorruptNext()
	if _, err := m.TemplateCount(); !errors.Is(err, fingerprint.ErrChecksum) {
		t.Errorf("err = %v, want ErrChecksum", err)
	}
	if _, err := m.TemplateCount(); err != nil {
		t.Errorf("next call: %v", err)
	}
}

func TestSilentModule(t *testing.T) {
	sim, m, _ := setup(t, 10)
	const timeout = 150 * time.Millisecond
	m.SetTimeout(timeout)
	sim.Silent(true)
	start := time.Now()
	_, err := m.TemplateCount()
	took := time.Since(start)
	if !errors.Is(err, fingerprint.ErrTimeout) {
		t.Errorf("err = %v, want ErrTimeout", err)
	}
	if took < timeout || took > timeout+time.Second {
		t.Errorf("timed out after %v, timeout %v", took, timeout)
	}
	if _, err := m.UpChar(1); !errors.Is(err, fingerprint.ErrTimeout) {
		t.Errorf("UpChar: %v, want ErrTimeout", err)
	}
	sim.Silent(false)
	if _, err := m.TemplateCount(); err != nil {
		t.Errorf("after answering again: %v", err)
	}
}

func TestGone(t *testing.T) {
	_, m, stop := setup(t, 10)
	if _, err := m.TemplateCount(); err != nil {
		t.Fatal(err)
	}
	stop() // the master side closes: the module is unplugged
	for range 2 {
		if _, err := m.TemplateCount(); !errors.Is(err, fingerprint.ErrGone) {
			t.Errorf("err = %v, want ErrGone", err)
		}
	}
	m.Close()
	if err := m.GenImage(); !errors.Is(err, fingerprint.ErrGone) {
		t.Errorf("after Close: %v, want ErrGone", err)
	}
}

func TestGarbage(t *testing.T) {
	sim, m, _ := setup(t, 10)
	m.SetTimeout(500 * time.Millisecond)
	for i := range 20 {
		sim.Garbage()
		_, err := m.TemplateCount()
		if !errors.Is(err, fingerprint.ErrBadPacket) && !errors.Is(err, fingerprint.ErrChecksum) {
			t.Errorf("round %d: err = %v, want ErrBadPacket or ErrChecksum", i, err)
		}
		if _, err := m.TemplateCount(); err != nil {
			t.Errorf("round %d: next call: %v", i, err)
		}
	}
}

func TestOpenMissingPort(t *testing.T) {
	if _, err := fingerprint.Open("/dev/ttyNoSuchFingerprint0", 0); !errors.Is(err, fingerprint.ErrGone) {
		t.Errorf("err = %v, want ErrGone", err)
	}
	if _, err := fingerprint.Ports(); err != nil {
		t.Logf("Ports: %v", err)
	}
}
