package loadtest

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Pacing.
//
// A fixed rate is open-loop: request i is due at start + i/rate whatever
// happened to the requests before it, as vegeta and wrk2 do, so that a slow
// server cannot slow the load down and hide its own slowness. A request
// that is due while every allowed worker is busy waits for one, and its
// latency is counted from when it was due, not from when it could be sent
// (no "coordinated omission"). At rate max a fixed number of workers send
// back to back: a closed loop whose in-flight count is the bound.

// Job is one request a driver asks for.
type Job struct {
	// Seq numbers the requests of a drive from 0.
	Seq int64
	// Due is when the request should start: its place in the schedule at a
	// fixed rate, the moment the worker took it at rate max.
	Due time.Time
}

// DriveStats says how a drive went.
type DriveStats struct {
	// Started counts the jobs handed to workers.
	Started int64
	// Late counts the jobs (fixed rate only) handed to a worker more than a
	// millisecond after they were due: every worker was busy, or the
	// scheduler itself did not get the processor in time.
	Late int64
	// Unsent counts the jobs (fixed rate only) that were due before the
	// end but never started, because every worker stayed busy.
	Unsent int64
	// Workers is the most workers that ran at once.
	Workers int
	// Elapsed is from the start to the last job's end.
	Elapsed time.Duration
}

// Drive calls do for jobs until d has passed or ctx ends, then waits for
// the jobs started to finish. With rate > 0 it starts rate jobs a second,
// on schedule, on at most maxInFlight workers at once (started as needed);
// with rate ≤ 0 it runs maxInFlight workers that each start the next job as
// soon as their last one ends. do gets a context that ends with ctx (not
// with d): a job started in time may finish after d.
func Drive(ctx context.Context, rate float64, maxInFlight int, d time.Duration, do func(ctx context.Context, worker int, j Job)) DriveStats {
	maxInFlight = max(maxInFlight, 1)
	start := time.Now()
	end := start.Add(d)
	var st DriveStats
	var seq atomic.Int64
	var wg sync.WaitGroup
	if rate <= 0 {
		st.Workers = maxInFlight
		for w := range maxInFlight {
			wg.Go(func() {
				for ctx.Err() == nil {
					now := time.Now()
					if !now.Before(end) {
						return
					}
					do(ctx, w, Job{Seq: seq.Add(1) - 1, Due: now})
				}
			})
		}
		wg.Wait()
		st.Started = seq.Load()
		st.Elapsed = time.Since(start)
		return st
	}

	interval := time.Duration(float64(time.Second) / rate)
	jobs := make(chan Job)
	workers := 0
	spawn := func() {
		w := workers
		workers++
		wg.Go(func() {
			for j := range jobs {
				do(ctx, w, j)
			}
		})
	}
	timer := time.NewTimer(0)
	defer timer.Stop()
	var i int64
loop:
	for {
		due := start.Add(time.Duration(i) * interval)
		if !due.Before(end) {
			break
		}
		if wait := time.Until(due); wait > 0 {
			timer.Reset(wait)
			select {
			case <-timer.C:
			case <-ctx.Done():
				break loop
			}
		}
		j := Job{Seq: i, Due: due}
		select {
		case jobs <- j:
		default:
			if workers < maxInFlight {
				spawn()
			}
			// Wait for a free worker, but not past the end: what was not
			// sent by then is counted, not sent late.
			wait := time.Until(end)
			if wait <= 0 {
				break loop
			}
			timer.Reset(wait)
			select {
			case jobs <- j:
				timer.Stop() // Go 1.23 timers: no stale tick after Stop
			case <-timer.C:
				break loop
			case <-ctx.Done():
				break loop
			}
		}
		if time.Since(due) > time.Millisecond {
			st.Late++
		}
		i++
	}
	close(jobs)
	wg.Wait()
	st.Started, st.Workers = i, workers
	st.Unsent = int64(d/interval) - i
	if d%interval != 0 {
		st.Unsent++
	}
	st.Unsent = max(st.Unsent, 0)
	st.Elapsed = time.Since(start)
	return st
}
