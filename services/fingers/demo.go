package fingers

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/till-pos/till/models"
)

// PlaceDemo puts a demo finger on the simulated module (demo mode only).
func (r *Reader) PlaceDemo(name string) {
	if r.sim != nil {
		r.sim.PlaceFinger(name)
	}
}

// EnrolDemo enrols a demo person's simulated finger at once: it "is placed"
// three times by preloading it, then its template is read back as an
// enrolment would.
func (r *Reader) EnrolDemo(ctx context.Context, kind string, id uint, name string, by models.Operator, purpose string) error {
	if r.sim == nil {
		return fmt.Errorf("fingers: no simulated module")
	}
	page, err := r.store.NextFingerprintPage(ctx)
	if err != nil {
		return err
	}
	if err := r.sim.Preload(page, name); err != nil {
		return err
	}
	if err := r.m.LoadChar(1, page); err != nil {
		return err
	}
	tpl, err := r.m.UpChar(1)
	if err != nil {
		return err
	}
	return r.save(ctx, kind, id, by, name, purpose, page, tpl)
}

// demoPlacements places the simulated finger and returns a progress
// function that lifts it after each reading and places it again once the
// module has seen the sensor empty, until ctx is done; placed counts the
// placings under way.
func (r *Reader) demoPlacements(ctx context.Context, placed *sync.WaitGroup, finger string, step func(int)) func(int) {
	r.sim.PlaceFinger(finger)
	return func(n int) {
		if step != nil {
			step(n)
		}
		r.sim.LiftFinger()
		seen := r.sim.Commands()
		placed.Add(1)
		go func() {
			defer placed.Done()
			for r.sim.Commands() < seen+2 && ctx.Err() == nil {
				time.Sleep(5 * time.Millisecond) // the module polls the sensor; wait for it to look
			}
			if ctx.Err() == nil {
				r.sim.PlaceFinger(finger)
			}
		}()
	}
}
