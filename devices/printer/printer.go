package printer

import (
	"context"
	"sync"
	"sync/atomic"
)

// Printer prints documents on one printer, one job at a time, in the order
// Print was called. Create it with New; it is safe for concurrent use.
type Printer struct {
	conn    Conn
	profile Profile

	mu     sync.Mutex
	cond   *sync.Cond
	queue  []*job
	closed bool
	done   chan struct{} // closed when the worker has returned
}

type job struct {
	ctx   context.Context
	data  []byte
	state atomic.Int32 // jobQueued, jobStarted or jobCancelled
	res   chan error   // receives the result once
}

const (
	jobQueued int32 = iota
	jobStarted
	jobCancelled
)

// New returns a Printer that sends jobs for profile p over conn. The Printer
// owns conn and closes it in Close.
func New(conn Conn, p Profile) *Printer {
	pr := &Printer{conn: conn, profile: p, done: make(chan struct{})}
	pr.cond = sync.NewCond(&pr.mu)
	go pr.worker()
	return pr
}

// Profile returns the printer's profile.
func (p *Printer) Profile() Profile { return p.profile }

// Print encodes d and queues it. When its turn comes the printer's status
// is read first (unless Profile.NoStatus); if the paper is out, the cover is
// open or the printer is offline, Print returns ErrPaperOut, ErrCoverOpen or
// ErrOffline and nothing is sent; if the printer does not answer, an error
// wrapping ErrNoAnswer. Otherwise the job is written whole.
//
// If ctx ends while the job is still queued, Print returns ctx.Err() and the
// job is dropped; once writing has started, Print waits for it to finish.
func (p *Printer) Print(ctx context.Context, d Doc) error {
	data, err := Encode(d, p.profile)
	if err != nil {
		return err
	}
	return p.PrintRaw(ctx, data)
}

// PrintRaw queues an already encoded job, like Print.
func (p *Printer) PrintRaw(ctx context.Context, data []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	j := &job{ctx: ctx, data: data, res: make(chan error, 1)}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return ErrClosed
	}
	p.queue = append(p.queue, j)
	p.cond.Signal()
	p.mu.Unlock()

	select {
	case err := <-j.res:
		return err
	case <-ctx.Done():
		if j.state.CompareAndSwap(jobQueued, jobCancelled) {
			return ctx.Err()
		}
		return <-j.res
	}
}

func (p *Printer) worker() {
	defer close(p.done)
	for {
		p.mu.Lock()
		for len(p.queue) == 0 && !p.closed {
			p.cond.Wait()
		}
		if len(p.queue) == 0 {
			p.mu.Unlock()
			return
		}
		j := p.queue[0]
		p.queue[0] = nil
		p.queue = p.queue[1:]
		closed := p.closed
		p.mu.Unlock()

		if closed {
			if j.state.CompareAndSwap(jobQueued, jobStarted) {
				j.res <- ErrClosed
			}
			continue
		}
		if !j.state.CompareAndSwap(jobQueued, jobStarted) {
			continue // cancelled while queued
		}
		j.res <- p.send(j)
	}
}

func (p *Printer) send(j *job) error {
	if !p.profile.NoStatus {
		st, err := p.conn.Status(j.ctx)
		if err != nil {
			return err
		}
		if err := st.Err(); err != nil {
			return err
		}
	}
	return p.conn.Write(j.data)
}

// Close finishes the job being printed, fails the jobs still queued with
// ErrClosed and closes the connection.
func (p *Printer) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		<-p.done
		return nil
	}
	p.closed = true
	p.cond.Broadcast()
	p.mu.Unlock()
	<-p.done
	return p.conn.Close()
}
