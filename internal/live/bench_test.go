package live

// Benchmarks of the fan-out. Run them with, for example:
//
//	go test -run '^$' -bench 'Fanout2000' -benchtime 200x ./internal/live/
//
// (with WAYMARK_TEST_POSTGRES_URL set for the PostgreSQL ones). The paced
// benchmarks publish 20 events a second, as a busy presenter view would,
// so -benchtime 200x runs for 10 s; the "max" ones publish as fast as every
// subscriber keeps up, with at most 32 events in flight. Each reports the
// delay from Publish to receipt over every subscriber and event (p50, p99,
// max, in ms), events published per second, deliveries per second, and
// subscribers dropped as too slow (must be 0).

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const (
	benchSubscribers = 2000
	benchWindow      = 32 // events in flight at most when unpaced
)

// fanoutRun measures one fan-out run. Subscribers call received for every
// event; the publisher calls publish for event seq.
type fanoutRun struct {
	n       int
	subs    int
	start   time.Time
	sent    []atomic.Int64 // UnixNano of each Publish, by seq
	got     []atomic.Int32 // subscribers that received each seq
	dropped atomic.Int32

	mu      sync.Mutex
	lats    []time.Duration
	elapsed time.Duration
}

func newFanoutRun(n, subs int) *fanoutRun {
	return &fanoutRun{n: n, subs: subs, sent: make([]atomic.Int64, n), got: make([]atomic.Int32, n),
		lats: make([]time.Duration, 0, n*subs)}
}

// data is the payload of event seq: its sequence number, then padding to a
// realistic aggregate size.
func benchData(seq int) []byte {
	return []byte(fmt.Sprintf(`{"seq":%d,"pad":"%s"}`, seq, strings.Repeat("x", 400)))
}

// seqOf parses the sequence number back, without allocating.
func seqOf(data []byte) int {
	const prefix = `{"seq":`
	if len(data) < len(prefix) || string(data[:len(prefix)]) != prefix {
		return -1
	}
	n, digits := 0, 0
	for _, c := range data[len(prefix):] {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
		digits++
	}
	if digits == 0 {
		return -1
	}
	return n
}

// follow records the latencies of one subscriber until it has n events.
func (r *fanoutRun) follow(s *Subscription, wg *sync.WaitGroup) {
	wg.Go(func() {
		lats := make([]time.Duration, 0, r.n)
		for ev := range s.C {
			now := time.Now().UnixNano()
			seq := seqOf(ev.Data)
			if seq < 0 || seq >= r.n {
				continue
			}
			lats = append(lats, time.Duration(now-r.sent[seq].Load()))
			r.got[seq].Add(1)
			if seq == r.n-1 {
				break
			}
		}
		if s.Err() != nil {
			r.dropped.Add(1)
		}
		r.mu.Lock()
		r.lats = append(r.lats, lats...)
		r.mu.Unlock()
	})
}

// publishAll publishes r.n events with publish, rate events a second, or
// with at most benchWindow in flight when rate is 0.
func (r *fanoutRun) publishAll(tb testing.TB, rate int, publish func(seq int) error) {
	r.start = time.Now()
	paced := rate > 0
	tick := time.NewTicker(time.Second / time.Duration(max(rate, 1)))
	defer tick.Stop()
	for seq := range r.n {
		if paced {
			if seq > 0 {
				<-tick.C
			}
		} else if seq >= benchWindow {
			deadline := time.Now().Add(30 * time.Second)
			for r.got[seq-benchWindow].Load() < int32(r.subs)-r.dropped.Load() {
				if time.Now().After(deadline) {
					tb.Fatalf("event %d not received by every subscriber in 30 s", seq-benchWindow)
				}
				time.Sleep(50 * time.Microsecond)
			}
		}
		r.sent[seq].Store(time.Now().UnixNano())
		if err := publish(seq); err != nil {
			tb.Fatal(err)
		}
	}
}

// report waits for the subscribers and reports the figures.
func (r *fanoutRun) report(b *testing.B, wg *sync.WaitGroup) {
	r.wait(b, wg)
	r.reportLatencies(b, r.lats, "")
	elapsed := r.elapsed
	b.ReportMetric(float64(r.n)/elapsed.Seconds(), "events/s")
	b.ReportMetric(float64(len(r.lats))/elapsed.Seconds(), "deliveries/s")
	b.ReportMetric(float64(r.dropped.Load()), "dropped")
	b.ReportMetric(0, "ns/op")
	if want := r.n * r.subs; len(r.lats) != want {
		b.Errorf("%d deliveries, want %d (%d subscribers dropped)", len(r.lats), want, r.dropped.Load())
	}
}

// wait waits for the subscribers to have every event.
func (r *fanoutRun) wait(b *testing.B, wg *sync.WaitGroup) {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		b.Fatal("subscribers did not receive every event in 60 s")
	}
	r.elapsed = time.Since(r.start)
	b.StopTimer()
}

// reportLatencies reports p50, p99 and max of lats in ms, named with
// prefix.
func (r *fanoutRun) reportLatencies(b *testing.B, lats []time.Duration, prefix string) {
	slices.Sort(lats)
	q := func(p float64) float64 {
		if len(lats) == 0 {
			return 0
		}
		return float64(lats[min(len(lats)-1, int(p*float64(len(lats))))]) / 1e6
	}
	b.ReportMetric(q(0.50), prefix+"p50-ms")
	b.ReportMetric(q(0.99), prefix+"p99-ms")
	b.ReportMetric(q(1), prefix+"max-ms")
}

// BenchmarkFanout2000 measures the delay from Publish to receipt for 2,000
// subscribers of one topic: on the memory broker, and on the PostgreSQL
// broker with the subscribers spread over two instances (publishing
// alternately on each).
func BenchmarkFanout2000(b *testing.B) {
	for _, rate := range []int{20, 0} {
		mode := rateName(rate)
		b.Run("memory/"+mode, func(b *testing.B) {
			br := NewMemory()
			defer br.Close()
			benchFanout(b, []Broker{br}, rate)
		})
		b.Run("postgres-2-instances/"+mode, func(b *testing.B) {
			dsn := pgDSN(b)
			brokers := []Broker{newPostgres(b, dsn, Options{}), newPostgres(b, dsn, Options{})}
			benchFanout(b, brokers, rate)
		})
	}
}

func rateName(rate int) string {
	if rate == 0 {
		return "max"
	}
	return fmt.Sprintf("paced-%dHz", rate)
}

func benchFanout(b *testing.B, brokers []Broker, rate int) {
	ctx := context.Background()
	topic := fmt.Sprintf("bench/%d", time.Now().UnixNano())
	r := newFanoutRun(b.N, benchSubscribers)
	var wg sync.WaitGroup
	for i := range benchSubscribers {
		s, err := brokers[i%len(brokers)].Subscribe(ctx, topic, 0)
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		r.follow(s, &wg)
	}
	runtime.GC()
	b.ResetTimer()
	r.publishAll(b, rate, func(seq int) error {
		_, err := brokers[seq%len(brokers)].Publish(ctx, topic, "progress", int64(seq), benchData(seq))
		return err
	})
	r.report(b, &wg)
}

// BenchmarkSSEFanout2000 measures the same end to end over HTTP: 2,000
// EventSource-like clients on loopback, each its own connection to a
// ServeSSE handler on the memory broker, parsing the stream. Clients and
// server share this machine's two CPUs and the kernel's loopback TCP, so
// the client-side figures are pessimistic; "srv-" figures are the delay
// until the server has flushed the event to the socket.
func BenchmarkSSEFanout2000(b *testing.B) {
	for _, rate := range []int{20, 5, 0} {
		b.Run(rateName(rate), func(b *testing.B) { benchSSE(b, rate) })
	}
}

// flushTap records, in a ServeSSE handler, when each event was flushed.
type flushTap struct {
	http.ResponseWriter
	r       *fanoutRun
	pending []int
	lats    []time.Duration
}

func (f *flushTap) Unwrap() http.ResponseWriter { return f.ResponseWriter }

func (f *flushTap) Write(p []byte) (int, error) {
	for rest := p; ; {
		i := bytes.Index(rest, []byte("data: "))
		if i < 0 {
			break
		}
		rest = rest[i+6:]
		if seq := seqOf(rest); seq >= 0 && seq < f.r.n {
			f.pending = append(f.pending, seq)
		}
	}
	return f.ResponseWriter.Write(p)
}

func (f *flushTap) FlushError() error {
	err := http.NewResponseController(f.ResponseWriter).Flush()
	now := time.Now().UnixNano()
	for _, seq := range f.pending {
		f.lats = append(f.lats, time.Duration(now-f.r.sent[seq].Load()))
	}
	f.pending = f.pending[:0]
	return err
}

func benchSSE(b *testing.B, rate int) {
	br := NewMemory()
	defer br.Close()
	r := newFanoutRun(b.N, benchSubscribers)
	var srvMu sync.Mutex
	var srvLats []time.Duration
	var handlers sync.WaitGroup
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		handlers.Add(1)
		defer handlers.Done()
		tap := &flushTap{ResponseWriter: w, r: r}
		ServeSSE(tap, req, br, "w", SSEOptions{})
		srvMu.Lock()
		srvLats = append(srvLats, tap.lats...)
		srvMu.Unlock()
	}))
	defer srv.Close()
	tr := &http.Transport{MaxIdleConnsPerHost: benchSubscribers, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	var wg sync.WaitGroup
	var opened sync.WaitGroup
	for range benchSubscribers {
		opened.Add(1)
		wg.Go(func() {
			req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
			resp, err := client.Do(req)
			opened.Done()
			if err != nil {
				r.dropped.Add(1)
				return
			}
			defer resp.Body.Close()
			lats := make([]time.Duration, 0, r.n)
			sc := bufio.NewReader(resp.Body)
			for {
				line, err := sc.ReadSlice('\n')
				if err != nil {
					r.dropped.Add(1)
					break
				}
				data, ok := bytes.CutPrefix(line, []byte("data: "))
				if !ok {
					continue
				}
				now := time.Now().UnixNano()
				seq := seqOf(data)
				if seq < 0 {
					continue
				}
				lats = append(lats, time.Duration(now-r.sent[seq].Load()))
				r.got[seq].Add(1)
				if seq == r.n-1 {
					break
				}
			}
			r.mu.Lock()
			r.lats = append(r.lats, lats...)
			r.mu.Unlock()
		})
	}
	opened.Wait()
	waitSubscribers(b, br, "w", benchSubscribers)
	runtime.GC()
	b.ResetTimer()
	r.publishAll(b, rate, func(seq int) error {
		_, err := br.Publish(ctx, "w", "progress", int64(seq), benchData(seq))
		return err
	})
	r.report(b, &wg)
	cancel()
	handlers.Wait()
	r.reportLatencies(b, srvLats, "srv-")
}
