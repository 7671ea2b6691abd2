package store

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/waymark/waymark/internal/domain"
)

// Group commit.
//
// With synchronous=FULL every SQLite commit waits for the disk; one
// transaction per answer saturates at a few hundred answers a second. The
// AnswerCommitter lets many requests share one transaction: each request's
// Submit puts its batch in a queue and waits; a writer goroutine takes
// everything waiting at that moment (up to MaxBatch answers), writes it with
// SaveAnswers in one transaction and only then acknowledges every
// submission in it. While one transaction commits the next batch gathers,
// so the busier the server, the larger the batches: throughput grows with
// load instead of collapsing.

// ErrCommitterClosed is returned by Submit after Close.
var ErrCommitterClosed = errors.New("store: answer committer closed")

// CommitterOptions tune an AnswerCommitter. Zero values take the defaults.
type CommitterOptions struct {
	// MaxBatch is the most answers one transaction takes (default 5,000).
	// A submission is never split: a larger one is written alone.
	MaxBatch int
	// MaxQueue is the most submissions that may wait (default 10,000); when
	// it is reached Submit waits for room, as long as its context allows.
	MaxQueue int
	// Writers is the number of writer goroutines: by default 1 on SQLite,
	// where there is one write connection and more writers only split
	// batches, and 2 on PostgreSQL, where a second writer fills and sends
	// a transaction while the first waits for its commit
	// (BenchmarkAnswerCommitter: about 1.5 times the answers a second).
	// With several writers, concurrent submissions may commit in any
	// order; a submitter that waits for each Submit keeps its own order.
	Writers int
	// Timeout limits one transaction (default 30 s).
	Timeout time.Duration
}

func (o CommitterOptions) withDefaults(dialect string) CommitterOptions {
	if o.MaxBatch <= 0 {
		o.MaxBatch = 5000
	}
	if o.MaxQueue <= 0 {
		o.MaxQueue = 10000
	}
	if o.Writers <= 0 {
		o.Writers = 1
		if dialect == Postgres {
			o.Writers = 2
		}
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	return o
}

// AnswerCommitter writes answers from many concurrent submitters in shared
// transactions (group commit). It implements domain.AnswerSink and is safe
// for concurrent use. Its correctness does not depend on being the only
// writer of answers: several committers, in one process or in several
// instances on one PostgreSQL, may write at once (SaveAnswers upserts, in a
// fixed lock order).
type AnswerCommitter struct {
	db   *DB
	opts CommitterOptions

	slots   chan struct{} // one per waiting submission, up to MaxQueue
	wake    chan struct{} // tells a writer the queue is not empty
	closing chan struct{} // closed by Close; wakes every writer
	writers sync.WaitGroup
	once    sync.Once

	mu     sync.Mutex
	queue  []*submission
	closed bool

	transactions, answers, submissions, failed, cancelled, maxBatch atomic.Int64
}

var _ domain.AnswerSink = (*AnswerCommitter)(nil)

type submission struct {
	ctx     context.Context
	answers []domain.Answer
	done    chan error // buffered: the writer never waits for the submitter
}

// NewAnswerCommitter starts a committer writing to db. Call Close to stop
// it.
func NewAnswerCommitter(db *DB, opts CommitterOptions) *AnswerCommitter {
	opts = opts.withDefaults(db.dialect)
	c := &AnswerCommitter{
		db:      db,
		opts:    opts,
		slots:   make(chan struct{}, opts.MaxQueue),
		wake:    make(chan struct{}, 1),
		closing: make(chan struct{}),
	}
	for range opts.Writers {
		c.writers.Go(c.run)
	}
	return c
}

// Submit writes answers (see DB.SaveAnswers for what that means) and
// returns nil only once they are committed: an acknowledged answer is
// durable. The answers share a transaction with those of other
// submissions; if that transaction fails because of some submission's
// answers (an unknown participant, say), each submission is written again
// on its own so that only the faulty one gets the error.
//
// If ctx ends first, Submit returns ctx's error at once and the answers
// were not acknowledged: if the writer had not yet taken them they are
// dropped and never written; if it had, they are committed anyway. Either
// way the caller must treat them as not saved (the client retries; a
// retried answer overwrites itself). Submit copies answers: the caller may
// reuse the slice as soon as it returns.
//
// After Close, Submit returns ErrCommitterClosed.
func (c *AnswerCommitter) Submit(ctx context.Context, answers []domain.Answer) error {
	if len(answers) == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case c.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	case <-c.closing:
		return ErrCommitterClosed
	}
	s := &submission{ctx: ctx, answers: copyAnswers(answers), done: make(chan error, 1)}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		<-c.slots
		return ErrCommitterClosed
	}
	c.queue = append(c.queue, s)
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default: // a wake-up is pending already
	}
	select {
	case err := <-s.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// copyAnswers copies answers and their values, so that nothing the caller
// keeps is read by the writer after Submit returns.
func copyAnswers(answers []domain.Answer) []domain.Answer {
	cp := make([]domain.Answer, len(answers))
	copy(cp, answers)
	var vals []int
	for i := range cp {
		if v := cp[i].Value; v != nil {
			if vals == nil {
				vals = make([]int, 0, len(cp)-i)
			}
			vals = append(vals, *v)
			cp[i].Value = &vals[len(vals)-1]
		}
	}
	return cp
}

// Close stops taking submissions, writes every submission already queued,
// acknowledges it, and returns when the writers have stopped. It is safe to
// call more than once.
func (c *AnswerCommitter) Close() {
	c.once.Do(func() {
		c.mu.Lock()
		c.closed = true
		c.mu.Unlock()
		close(c.closing) // wakes every writer, now and later
	})
	c.writers.Wait()
}

// run is a writer: it takes batches from the queue and commits them until
// the committer is closed and the queue is empty.
func (c *AnswerCommitter) run() {
	var buf []domain.Answer
	for {
		batch := c.take()
		if batch == nil {
			return
		}
		buf = c.commit(batch, buf[:0])
	}
}

// take waits for submissions and removes from the queue as many as fit in
// MaxBatch answers (at least one). It returns nil when the committer is
// closed and the queue empty.
func (c *AnswerCommitter) take() []*submission {
	c.mu.Lock()
	for len(c.queue) == 0 {
		if c.closed {
			c.mu.Unlock()
			return nil
		}
		c.mu.Unlock()
		select {
		case <-c.wake:
		case <-c.closing:
		}
		c.mu.Lock()
	}
	n, total := 0, 0
	for n < len(c.queue) && (n == 0 || total+len(c.queue[n].answers) <= c.opts.MaxBatch) {
		total += len(c.queue[n].answers)
		n++
	}
	batch := make([]*submission, n)
	copy(batch, c.queue)
	rest := copy(c.queue, c.queue[n:])
	clear(c.queue[rest:])
	c.queue = c.queue[:rest]
	more := rest > 0
	c.mu.Unlock()
	for range n {
		<-c.slots
	}
	if more {
		// Another writer may take the rest while this one commits.
		select {
		case c.wake <- struct{}{}:
		default:
		}
	}
	return batch
}

// commit writes the answers of the submissions whose context has not ended
// in one transaction and acknowledges each. buf is reused between batches.
func (c *AnswerCommitter) commit(batch []*submission, buf []domain.Answer) []domain.Answer {
	live := batch[:0]
	for _, s := range batch {
		if err := s.ctx.Err(); err != nil {
			// Its submitter has returned already; do not write what it
			// was told is not saved.
			c.cancelled.Add(1)
			s.done <- err
			continue
		}
		live = append(live, s)
		buf = append(buf, s.answers...)
	}
	if len(live) == 0 {
		return buf
	}
	err := c.save(buf)
	if err != nil && len(live) > 1 && domain.ErrorCode(err) != domain.EINTERNAL {
		// Some submission's answers broke a rule: write each on its own
		// so that the others are saved and only the faulty one fails.
		for _, s := range live {
			c.finish([]*submission{s}, len(s.answers), c.save(s.answers))
		}
		return buf
	}
	c.finish(live, len(buf), err)
	return buf
}

func (c *AnswerCommitter) save(answers []domain.Answer) error {
	ctx, cancel := context.WithTimeout(context.Background(), c.opts.Timeout)
	defer cancel()
	return c.db.SaveAnswers(ctx, answers)
}

// finish counts a transaction and tells its submitters how it ended.
func (c *AnswerCommitter) finish(subs []*submission, answers int, err error) {
	c.transactions.Add(1)
	if err != nil {
		c.failed.Add(int64(len(subs)))
	} else {
		c.answers.Add(int64(answers))
		c.submissions.Add(int64(len(subs)))
		for {
			m := c.maxBatch.Load()
			if int64(answers) <= m || c.maxBatch.CompareAndSwap(m, int64(answers)) {
				break
			}
		}
	}
	for _, s := range subs {
		s.done <- err
	}
}

// CommitterStats counts what an AnswerCommitter did since it started.
type CommitterStats struct {
	Transactions int64 // transactions run, committed or not
	Answers      int64 // answers committed and acknowledged
	Submissions  int64 // submissions committed and acknowledged
	Failed       int64 // submissions that got an error from the store
	Cancelled    int64 // submissions dropped, unwritten, because their context ended while queued
	MaxBatch     int64 // the most answers one committed transaction held
	Queued       int   // submissions waiting now
}

// MeanBatch returns the mean number of answers per transaction.
func (s CommitterStats) MeanBatch() float64 {
	if s.Transactions == 0 {
		return 0
	}
	return float64(s.Answers) / float64(s.Transactions)
}

// Stats returns the committer's counts so far.
func (c *AnswerCommitter) Stats() CommitterStats {
	c.mu.Lock()
	queued := len(c.queue)
	c.mu.Unlock()
	return CommitterStats{
		Queued:       queued,
		Transactions: c.transactions.Load(),
		Answers:      c.answers.Load(),
		Submissions:  c.submissions.Load(),
		Failed:       c.failed.Load(),
		Cancelled:    c.cancelled.Load(),
		MaxBatch:     c.maxBatch.Load(),
	}
}
