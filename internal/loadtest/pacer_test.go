package loadtest

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// inFlight counts jobs running at once and remembers the most.
type inFlight struct {
	now, most atomic.Int64
}

func (f *inFlight) enter() {
	n := f.now.Add(1)
	for {
		m := f.most.Load()
		if n <= m || f.most.CompareAndSwap(m, n) {
			return
		}
	}
}

func (f *inFlight) leave() { f.now.Add(-1) }

// Ensures a fixed rate starts exactly rate × duration jobs, each at its
// place in the schedule (open loop), with as many workers as the
// service time needs and no more.
func TestDriveFixedRate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		var mu sync.Mutex
		var seqs []int64
		var f inFlight
		st := Drive(t.Context(), 100, 50, time.Second, func(_ context.Context, _ int, j Job) {
			f.enter()
			defer f.leave()
			if want := start.Add(time.Duration(j.Seq) * 10 * time.Millisecond); !j.Due.Equal(want) || !time.Now().Equal(want) {
				t.Errorf("job %d due %v, started %v; want both at %v", j.Seq, j.Due.Sub(start), time.Since(start), want.Sub(start))
			}
			mu.Lock()
			seqs = append(seqs, j.Seq)
			mu.Unlock()
			time.Sleep(25 * time.Millisecond) // service time: 2.5 intervals
		})
		if st.Started != 100 || len(seqs) != 100 || st.Late != 0 || st.Unsent != 0 {
			t.Errorf("started %d (%d ran), late %d, unsent %d; want 100, 0, 0", st.Started, len(seqs), st.Late, st.Unsent)
		}
		if st.Workers != 3 || f.most.Load() != 3 {
			t.Errorf("%d workers, %d at once; want 3", st.Workers, f.most.Load())
		}
		// The last job is due at 990 ms and takes 25 ms.
		if st.Elapsed != 1015*time.Millisecond {
			t.Errorf("elapsed %v, want 1.015s", st.Elapsed)
		}
	})
}

// Ensures a fixed rate the workers cannot keep up with never runs more
// than maxInFlight jobs at once, stops at the end instead of catching up,
// and counts the jobs it could not start.
func TestDriveFixedRateBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var f inFlight
		var ran atomic.Int64
		st := Drive(t.Context(), 1000, 5, time.Second, func(_ context.Context, _ int, j Job) {
			f.enter()
			defer f.leave()
			ran.Add(1)
			time.Sleep(50 * time.Millisecond)
		})
		if f.most.Load() != 5 || st.Workers != 5 {
			t.Errorf("%d at once, %d workers; want 5", f.most.Load(), st.Workers)
		}
		// Five workers × 20 jobs of 50 ms in one second.
		if st.Started != 100 || ran.Load() != 100 || st.Unsent != 900 {
			t.Errorf("started %d, ran %d, unsent %d; want 100, 100, 900", st.Started, ran.Load(), st.Unsent)
		}
		if st.Late < 90 {
			t.Errorf("late %d, want most of them", st.Late)
		}
		if st.Elapsed > time.Second+50*time.Millisecond {
			t.Errorf("elapsed %v: it tried to catch up", st.Elapsed)
		}
	})
}

// Ensures rate max keeps exactly maxInFlight jobs running back to back
// until the end.
func TestDriveMax(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var f inFlight
		perWorker := make([]atomic.Int64, 4)
		st := Drive(t.Context(), 0, 4, time.Second, func(_ context.Context, w int, j Job) {
			f.enter()
			defer f.leave()
			perWorker[w].Add(1)
			time.Sleep(10 * time.Millisecond)
		})
		if st.Started != 400 || f.most.Load() != 4 || st.Workers != 4 {
			t.Errorf("started %d, %d at once, %d workers; want 400, 4, 4", st.Started, f.most.Load(), st.Workers)
		}
		for w := range perWorker {
			if n := perWorker[w].Load(); n != 100 {
				t.Errorf("worker %d ran %d jobs, want 100", w, n)
			}
		}
	})
}

// Ensures a cancelled context stops both kinds of drive early.
func TestDriveCancel(t *testing.T) {
	for _, rate := range []float64{0, 100} {
		synctest.Test(t, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			time.AfterFunc(200*time.Millisecond, cancel)
			st := Drive(ctx, rate, 2, time.Hour, func(ctx context.Context, _ int, _ Job) {
				select {
				case <-time.After(10 * time.Millisecond):
				case <-ctx.Done():
				}
			})
			if st.Elapsed > 250*time.Millisecond {
				t.Errorf("rate %g: ran %v after the cancel at 200ms", rate, st.Elapsed)
			}
		})
	}
}
