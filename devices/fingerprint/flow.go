package fingerprint

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// retryCapture reports confirmation codes after which a new capture of the
// same finger is worth trying.
func retryCapture(err error) bool {
	var ce ConfirmationError
	if !errors.As(err, &ce) {
		return false
	}
	switch ce.Code {
	case CodeCaptureFailed, CodeImageMessy, CodeFewFeatures, CodeNoImage:
		return true
	}
	return false
}

// pause waits d or until ctx is done.
func pause(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// capture polls GenImage until a finger is on the sensor and its image gives
// a character file in buffer buf.
func capture(ctx context.Context, m *Module, buf int) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := m.GenImage()
		if err == nil {
			err = m.Img2Tz(buf)
			if err == nil {
				return nil
			}
		}
		if !errors.Is(err, ErrNoFinger) && !retryCapture(err) {
			return err
		}
		if err := pause(ctx, m.pollInterval()); err != nil {
			return err
		}
	}
}

// waitLift polls GenImage until the finger has been lifted from the sensor.
func waitLift(ctx context.Context, m *Module) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := m.GenImage()
		if errors.Is(err, ErrNoFinger) {
			return nil
		}
		if err != nil && !retryCapture(err) {
			return err
		}
		if err := pause(ctx, m.pollInterval()); err != nil {
			return err
		}
	}
}

// Enroll reads a finger placements times and stores its template at page
// pageID. The module combines two readings (buffers 1 and 2) into a
// template; every reading after the second is matched against that template
// as a check, and a mismatch fails with ErrNoMatch. placements below 2 mean
// 2. progress, if not nil, is called with 1, 2, … after each reading; between
// readings Enroll waits for the finger to be lifted. It returns the stored
// template as uploaded by UpChar, which can be kept elsewhere and given back
// to the module with DownChar.
//
// Enroll polls the sensor until ctx is done; each command is bounded by the
// Module's timeout.
func Enroll(ctx context.Context, m *Module, pageID, placements int, progress func(step int)) ([]byte, error) {
	if placements < 2 {
		placements = 2
	}
	if err := checkPage("page ID", pageID); err != nil {
		return nil, err
	}
	for step := 1; step <= placements; step++ {
		if step > 1 {
			if err := waitLift(ctx, m); err != nil {
				return nil, fmt.Errorf("fingerprint: enroll: %w", err)
			}
		}
		buf := min(step, 2)
		if err := capture(ctx, m, buf); err != nil {
			return nil, fmt.Errorf("fingerprint: enroll reading %d: %w", step, err)
		}
		switch {
		case step == 2:
			if err := m.RegModel(); err != nil {
				return nil, fmt.Errorf("fingerprint: enroll: %w", err)
			}
		case step > 2:
			// Buffer 1 holds the template; buffer 2 the new reading.
			if _, err := m.Match(); err != nil {
				return nil, fmt.Errorf("fingerprint: enroll check %d: %w", step, err)
			}
		}
		if progress != nil {
			progress(step)
		}
	}
	if err := m.Store(1, pageID); err != nil {
		return nil, fmt.Errorf("fingerprint: enroll: %w", err)
	}
	tpl, err := m.UpChar(1)
	if err != nil {
		return nil, fmt.Errorf("fingerprint: enroll: %w", err)
	}
	return tpl, nil
}

// Identify waits for a finger, reads it and searches the whole library. It
// returns the page and score of the matching template, or ErrNoMatch. The
// library size is read from the module on first use.
//
// Identify polls the sensor until ctx is done; each command is bounded by the
// Module's timeout.
func Identify(ctx context.Context, m *Module) (pageID int, score int, err error) {
	m.mu.Lock()
	capacity := m.capacity
	m.mu.Unlock()
	if capacity == 0 {
		sp, err := m.ReadSysParams()
		if err != nil {
			return 0, 0, fmt.Errorf("fingerprint: identify: %w", err)
		}
		capacity = sp.Capacity
	}
	if err := capture(ctx, m, 1); err != nil {
		return 0, 0, fmt.Errorf("fingerprint: identify: %w", err)
	}
	pageID, score, err = m.Search(1, 0, capacity)
	if err != nil {
		return 0, 0, fmt.Errorf("fingerprint: identify: %w", err)
	}
	return pageID, score, nil
}
