package printer

import (
	"context"
	"errors"
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
	data  []byte       // nil: only ask the status
	state atomic.Int32 // jobQueued, jobStarted or jobCancelled
	res   chan result  // receives the result once
}

// result is how a job went: the status read before it, and its error.
type result struct {
	st  Status
	err error
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
// ErrOffline and nothing is sent. A printer that does not answer the status
// request in time (ErrNoAnswer) or answers nonsense (ErrBadStatus) gets the
// job anyway: many print servers and cheap printers never answer. Otherwise
// the job is written whole; a printer that stops taking data fails it with
// ErrTimeout.
//
// If ctx ends while the job is still queued, Print returns ctx.Err() and the
// job is dropped; once writing has started, Print waits for it to finish.
func (p *Printer) Print(ctx context.Context, d Doc) error {
	_, err := p.PrintStatus(ctx, d)
	return err
}

// PrintStatus is Print, and also returns the status the printer gave
// before the job: Status.Unknown when it did not say (the job was sent
// anyway if err is nil), or the bad status that refused it.
func (p *Printer) PrintStatus(ctx context.Context, d Doc) (Status, error) {
	data, err := Encode(d, p.profile)
	if err != nil {
		return Status{Unknown: true}, err
	}
	return p.submit(ctx, data)
}

// PrintRaw queues an already encoded job, like Print.
func (p *Printer) PrintRaw(ctx context.Context, data []byte) error {
	if data == nil {
		data = []byte{}
	}
	_, err := p.submit(ctx, data)
	return err
}

// Status asks the printer for its status in its turn in the queue, after
// the jobs before it. A printer that does not answer (or answers nonsense)
// gives Status.Unknown and no error; one that cannot be reached, an error.
func (p *Printer) Status(ctx context.Context) (Status, error) {
	return p.submit(ctx, nil)
}

// submit queues a job (nil data: a status request) and waits for it.
func (p *Printer) submit(ctx context.Context, data []byte) (Status, error) {
	unknown := Status{Unknown: true}
	if err := ctx.Err(); err != nil {
		return unknown, err
	}
	j := &job{ctx: ctx, data: data, res: make(chan result, 1)}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return unknown, ErrClosed
	}
	p.queue = append(p.queue, j)
	p.cond.Signal()
	p.mu.Unlock()

	select {
	case r := <-j.res:
		return r.st, r.err
	case <-ctx.Done():
		if j.state.CompareAndSwap(jobQueued, jobCancelled) {
			return unknown, ctx.Err()
		}
		r := <-j.res
		return r.st, r.err
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
				j.res <- result{Status{Unknown: true}, ErrClosed}
			}
			continue
		}
		if !j.state.CompareAndSwap(jobQueued, jobStarted) {
			continue // cancelled while queued
		}
		st, err := p.send(j)
		j.res <- result{st, err}
	}
}

// send asks the status (unless the profile says the printer has none) and
// writes the job if the status allows it or is unknown.
func (p *Printer) send(j *job) (Status, error) {
	st := Status{Unknown: true}
	if !p.profile.NoStatus {
		var err error
		st, err = p.conn.Status(j.ctx)
		switch {
		case errors.Is(err, ErrNoAnswer) || errors.Is(err, ErrBadStatus):
			st = Status{Unknown: true}
		case err != nil:
			return Status{Unknown: true}, err
		}
		if err := st.Err(); err != nil {
			return st, err
		}
	}
	if j.data == nil {
		return st, nil
	}
	return st, p.conn.Write(j.data)
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
