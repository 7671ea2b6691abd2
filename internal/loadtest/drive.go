package loadtest

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"time"
)

// record is one answer request as the sender saw it. Times are offsets
// from the run's epoch.
type record struct {
	due, sent, done time.Duration
	status          int // 0: no HTTP answer (see err)
	answers         int
	newKeys         int
	err             string // for status 0
}

// load is what sendLoad measured.
type load struct {
	records []record
	drive   DriveStats
	start   time.Duration // offset of the drive's start
}

// sendLoad drives answer requests built by plan against c at rate (≤ 0:
// max) with at most inFlight at once, for d. Request timeouts are
// generous: a request is never abandoned by the client while the server
// holds it, so that an acknowledgement is never missed.
func sendLoad(ctx context.Context, c answerSender, plan *Plan, epoch time.Time, rate float64, inFlight int, d time.Duration) *load {
	per := make([][]record, max(inFlight, 1))
	bufs := make([][]byte, len(per))
	start := time.Since(epoch)
	st := Drive(ctx, rate, inFlight, d, func(ctx context.Context, w int, j Job) {
		answers := make([]Answer, plan.Batch)
		vals := make([]int, plan.Batch)
		who, fresh := plan.Request(j.Seq, answers, vals)
		bufs[w] = AppendAnswersBody(bufs[w][:0], answers)
		r := record{due: j.Due.Sub(epoch), answers: plan.Batch, newKeys: fresh}
		rctx, cancel := context.WithTimeout(ctx, time.Minute)
		r.sent = time.Since(epoch)
		status, err := c.put(rctx, w, plan.WorkshopID, plan.Tokens[who], bufs[w])
		r.done = time.Since(epoch)
		cancel()
		r.status = status
		if err != nil {
			r.err = errorKind(err)
		}
		per[w] = append(per[w], r)
	})
	l := &load{drive: st, start: start}
	for _, rs := range per {
		l.records = append(l.records, rs...)
	}
	return l
}

// errorKind names a transport error briefly, for the error counts.
func errorKind(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "cancelled"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return "no free local port"
	}
	return "transport error"
}

// LoadResult sums up the answer requests of a run.
type LoadResult struct {
	// Requests counts the requests sent; Acknowledged those answered 200.
	Requests     int64 `json:"requests"`
	Acknowledged int64 `json:"acknowledged_requests"`
	// Answers counts the answers in acknowledged requests.
	Answers int64 `json:"acknowledged_answers"`
	// Seconds is from the first request's start to the last one's end.
	Seconds float64 `json:"seconds"`
	// AnswersPerSecond is Answers / Seconds; RequestsPerSecond counts every
	// request that got an answer.
	AnswersPerSecond  float64 `json:"answers_per_second"`
	RequestsPerSecond float64 `json:"requests_per_second"`
	// Latency of acknowledged requests: from when each request was due
	// (fixed rate: its place in the schedule, so time spent waiting for a
	// free worker counts) or sent (rate max) to its answer.
	Latency Summary `json:"latency"`
	// Service is the latency from when each acknowledged request was sent
	// (the same as Latency at rate max): at a fixed rate, the difference
	// to Latency is time spent waiting to be sent.
	Service Summary `json:"service_latency"`
	// Errors counts the other outcomes by HTTP status or transport error.
	Errors map[string]int64 `json:"errors,omitempty"`
	// Late counts requests that started over 1 ms after they were due;
	// Unsent those due that never started because every allowed request
	// was still in flight at the end (fixed rate only).
	Late   int64 `json:"late"`
	Unsent int64 `json:"unsent"`
	// InFlight is the most requests that were in flight at once.
	InFlight int `json:"max_in_flight"`
}

// summarise turns the records into a LoadResult; fixedRate says whether
// latency counts from the due time.
func (l *load) summarise(fixedRate bool) LoadResult {
	res := LoadResult{Requests: int64(len(l.records)), Late: l.drive.Late, Unsent: l.drive.Unsent, InFlight: l.drive.Workers}
	lat := make([]time.Duration, 0, len(l.records))
	svc := make([]time.Duration, 0, len(l.records))
	var first, last time.Duration = -1, 0
	var answered int64
	for _, r := range l.records {
		from := r.sent
		if fixedRate {
			from = r.due
		}
		if first < 0 || from < first {
			first = from
		}
		last = max(last, r.done)
		if r.status != 0 {
			answered++
		}
		if r.status == http.StatusOK {
			res.Acknowledged++
			res.Answers += int64(r.answers)
			lat = append(lat, r.done-from)
			svc = append(svc, r.done-r.sent)
			continue
		}
		if res.Errors == nil {
			res.Errors = map[string]int64{}
		}
		key := r.err
		if r.status != 0 {
			key = "HTTP " + strconv.Itoa(r.status)
		}
		res.Errors[key]++
	}
	if first >= 0 && last > first {
		res.Seconds = (last - first).Seconds()
		res.AnswersPerSecond = float64(res.Answers) / res.Seconds
		res.RequestsPerSecond = float64(answered) / res.Seconds
	}
	res.Latency = Summarize(lat)
	res.Service = Summarize(svc)
	return res
}
