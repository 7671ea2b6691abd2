// Package loadtest measures Waymark's live workshops under load, as
// `waymark loadtest` runs it: it starts Waymark in-process on loopback with
// a fresh database (or targets a running server), sets up a workshop in the
// rating phase with the results shown, joins participants through the
// participant API, opens their live streams, sends answers at a fixed rate
// or as fast as the machine allows, and reports acknowledged answers per
// second, latency, errors, the group committer's batches, and the delay
// from an answer's acknowledgement to the aggregate update that includes it
// reaching each listener. In the same run it drives a bare no-op handler the
// same way, the ceiling of any endpoint on the machine, and reports the
// ratio.
//
// Everything is bounded: the load lasts Config.Duration (at most
// MaxDuration), every wait has a timeout, and targets other than loopback
// are refused unless Config.AllowRemote is set.
package loadtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"time"

	"github.com/waymark/waymark/internal/app"
	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/store"
)

// Defaults and bounds.
const (
	DefaultParticipants = 2000
	DefaultListeners    = 2000
	DefaultDuration     = 10 * time.Second
	DefaultBatch        = 1
	DefaultTrends       = 10
	DefaultQuestions    = 5
	DefaultConcurrency  = 128
	DefaultBareDuration = 5 * time.Second
	MaxDuration         = 10 * time.Minute
	MaxParticipants     = 100_000
	MaxListeners        = 10_000
	MaxConcurrency      = 10_000
)

// Config says what to run. Zero values take the defaults.
type Config struct {
	// Target is the base URL of a running Waymark (e.g.
	// http://127.0.0.1:8080); empty starts one in-process.
	Target string
	// Code is the join code of the workshop at Target (rating phase,
	// results shown for listener figures).
	Code string
	// AllowRemote allows a Target that is not a loopback address.
	AllowRemote bool
	// Groups, with Target, are group keys to try for the first join
	// (default "staff"); the others join in the groups its answer lists.
	Groups []string

	// DatabaseURL, in-process, selects PostgreSQL (postgres://…); empty
	// is SQLite in a fresh temporary folder (or DataDir).
	DatabaseURL string
	DataDir     string
	// Trends and Questions shape the in-process workshop.
	Trends    int
	Questions int

	// Participants join; Listeners open live streams (participant i mod
	// Participants each).
	Participants int
	Listeners    int
	// Rate is answer requests per second, open-loop; 0 sends as fast as
	// Concurrency requests in flight allow ("max").
	Rate float64
	// Concurrency bounds the answer requests in flight (default 128).
	Concurrency int
	// Duration of the load (default 10 s, at most MaxDuration).
	Duration time.Duration
	// Batch is the number of answers per request, all for one participant.
	Batch int
	// NoBare skips the bare-handler baseline; BareDuration is how long it
	// runs (default the smaller of Duration and 5 s).
	NoBare       bool
	BareDuration time.Duration
	// ProbeWait is how long the first answer's update may take to reach
	// the listeners before the run gives up measuring them (default 3 s;
	// tests on a crowded machine wait longer).
	ProbeWait time.Duration

	// Log receives the in-process server's log; nil discards it.
	Log *slog.Logger
	// Progress receives a line per step; nil discards them.
	Progress io.Writer
	// RawClient sends the answer requests (of the load and of the bare
	// baseline) with the lean client (rawSender) instead of net/http's:
	// less of the processors goes to the load generator. http:// only.
	RawClient bool
	// CPUProfile, when set, receives a CPU profile of the whole process
	// (server and clients) during the load.
	CPUProfile io.Writer
	// AllocProfile, when set, receives the process's allocation profile
	// (pprof "allocs", server and clients) when the load ends, and
	// AllocProfileStart, when set too, the same as it starts: the second
	// as pprof's -base leaves the load's allocations alone. A collection
	// runs before each, so that both are complete.
	AllocProfile, AllocProfileStart io.Writer
}

func (c *Config) defaults() error {
	if c.Participants == 0 {
		c.Participants = DefaultParticipants
	}
	if c.Listeners < 0 {
		c.Listeners = 0
	}
	if c.Duration == 0 {
		c.Duration = DefaultDuration
	}
	if c.Batch == 0 {
		c.Batch = DefaultBatch
	}
	if c.Trends == 0 {
		c.Trends = DefaultTrends
	}
	if c.Questions == 0 {
		c.Questions = DefaultQuestions
	}
	if c.Concurrency == 0 {
		c.Concurrency = DefaultConcurrency
	}
	if c.BareDuration == 0 {
		c.BareDuration = min(c.Duration, DefaultBareDuration)
	}
	switch {
	case c.Participants < 1 || c.Participants > MaxParticipants:
		return fmt.Errorf("participants %d: give 1 to %d", c.Participants, MaxParticipants)
	case c.Listeners > MaxListeners:
		return fmt.Errorf("listeners %d: give 0 to %d", c.Listeners, MaxListeners)
	case c.Duration < 0 || c.Duration > MaxDuration:
		return fmt.Errorf("duration %v: give up to %v", c.Duration, MaxDuration)
	case c.BareDuration < 0 || c.BareDuration > MaxDuration:
		return fmt.Errorf("bare duration %v: give up to %v", c.BareDuration, MaxDuration)
	case c.Concurrency < 1 || c.Concurrency > MaxConcurrency:
		return fmt.Errorf("concurrency %d: give 1 to %d", c.Concurrency, MaxConcurrency)
	case c.Rate < 0:
		return fmt.Errorf("rate %v: give a positive number or max", c.Rate)
	case c.Target != "" && c.Code == "":
		return errors.New("a target needs the join code of its workshop")
	case c.Target == "" && c.Code != "":
		return errors.New("a join code needs a target; without one the load test makes its own workshop")
	}
	return nil
}

// Result is what a run measured.
type Result struct {
	// Engine is sqlite or postgres in-process, "target" against a running
	// server.
	Engine string `json:"engine"`
	Target string `json:"target"`
	Go     string `json:"go"`
	CPUs   int    `json:"cpus"`

	Trends       int     `json:"trends"`
	Questions    int     `json:"questions"`
	Participants int     `json:"participants"`
	JoinSeconds  float64 `json:"join_seconds"`

	Rate        string  `json:"rate"` // requests per second, or "max"
	Concurrency int     `json:"concurrency"`
	Batch       int     `json:"batch"`
	Client      string  `json:"client"` // "net/http" or "raw": what sent the answer requests
	Duration    float64 `json:"duration_seconds"`

	Answers LoadResult `json:"answers"`
	// Committer is the group committer during the load (in-process only).
	Committer *CommitterResult `json:"committer,omitempty"`
	Listen    ListenResult     `json:"listeners"`
	// CPU is how the machine's processors were used during the load
	// (Linux only).
	CPU *CPUShare `json:"cpu,omitempty"`
	// Bare is the no-op handler driven the same way at rate max, and
	// BareCPU the processors' use meanwhile.
	Bare    *LoadResult `json:"bare,omitempty"`
	BareCPU *CPUShare   `json:"bare_cpu,omitempty"`
	// Ratio is acknowledged answers per second ÷ bare requests per second.
	Ratio float64 `json:"ratio"`
	// CPURatio is the same per second of processor time this process had
	// in each run: on a shared machine, where the two runs may get
	// different shares, it compares the work each request costs.
	CPURatio float64 `json:"cpu_ratio,omitempty"`
}

// CommitterResult is what the group committer did during the load.
type CommitterResult struct {
	Transactions int64   `json:"transactions"`
	Answers      int64   `json:"answers"`
	Submissions  int64   `json:"submissions"`
	MeanBatch    float64 `json:"mean_batch"`
	MaxBatch     int64   `json:"max_batch"`
}

// Run runs a load test. It returns an error when the test could not run
// (setup failed, nobody could join); what went wrong during the load is in
// the Result.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	say := func(format string, args ...any) {
		if cfg.Progress != nil {
			fmt.Fprintf(cfg.Progress, format+"\n", args...)
		}
	}
	// Setup and the waits around the load are bounded as well.
	ctx, cancel := context.WithTimeout(ctx, cfg.Duration+cfg.BareDuration+5*time.Minute)
	defer cancel()

	res := &Result{Go: runtime.Version(), CPUs: runtime.NumCPU(), Concurrency: cfg.Concurrency, Batch: cfg.Batch, Client: cfg.clientName(),
		Duration: cfg.Duration.Seconds(), Rate: "max"}
	if cfg.Rate > 0 {
		res.Rate = fmt.Sprintf("%g", cfg.Rate)
	}
	plan := &Plan{Batch: cfg.Batch}
	var groups []string
	var code string
	var srv *inProcess
	if cfg.Target == "" {
		say("Starting Waymark in-process and setting up a workshop…")
		var err error
		srv, err = startInProcess(ctx, cfg)
		if err != nil {
			return nil, err
		}
		defer srv.close()
		res.Engine, res.Target, code = srv.m.DB.Dialect(), srv.url, srv.fix.Workshop.Code
		for _, g := range srv.fix.Workshop.Groups {
			groups = append(groups, g.Key)
		}
	} else {
		if !cfg.AllowRemote {
			if err := CheckLoopback(ctx, cfg.Target); err != nil {
				return nil, err
			}
		}
		res.Engine, res.Target, code, groups = "target", cfg.Target, cfg.Code, cfg.Groups
		if len(groups) == 0 {
			groups = []string{"staff"}
		}
	}

	senders := &Client{Base: res.Target, HTTP: &http.Client{Transport: NewTransport(cfg.Concurrency + 16)}}
	defer senders.HTTP.CloseIdleConnections()

	// Join: the first participant learns the workshop's trends, questions
	// and groups from the answer, the others join in its groups in turn.
	say("Joining %d participants…", cfg.Participants)
	start := time.Now()
	var first *Joined
	var err error
	for _, g := range groups {
		first, err = senders.Join(ctx, code, g)
		if se := (*StatusError)(nil); !errors.As(err, &se) || se.Status != http.StatusUnprocessableEntity {
			break
		}
	}
	if err != nil {
		if se := (*StatusError)(nil); errors.As(err, &se) && se.Status == http.StatusUnprocessableEntity && cfg.Target != "" {
			return nil, fmt.Errorf("join: %w (give the workshop's group keys with --groups)", err)
		}
		return nil, fmt.Errorf("join: %w", err)
	}
	ws := first.Workshop
	if ws.Phase != string(domain.PhaseRating) {
		return nil, fmt.Errorf("the workshop is in the %s phase; answers are taken in the rating phase", ws.Phase)
	}
	groups = groups[:0]
	for _, g := range ws.Groups {
		groups = append(groups, g.Key)
	}
	for _, t := range ws.Trends {
		plan.Trends = append(plan.Trends, t.Key)
	}
	for _, q := range ws.Questions {
		plan.Questions = append(plan.Questions, QuestionScale{Key: q.Key, Min: q.Min, Max: q.Max})
	}
	res.Trends, res.Questions = len(plan.Trends), len(plan.Questions)
	tokens, err := joinAll(ctx, senders, code, groups, cfg.Participants-1)
	if err != nil {
		return nil, err
	}
	tokens = append([]string{first.Token}, tokens...)
	res.JoinSeconds = time.Since(start).Seconds()
	res.Participants = len(tokens)
	wsID := ws.ID
	plan.WorkshopID, plan.Tokens = wsID, tokens
	if err := plan.check(); err != nil {
		return nil, err
	}
	if !ws.ShowResults && cfg.Listeners > 0 {
		res.Listen.Note = "the workshop does not show results to participants, so their streams get no aggregate updates"
	}

	// Listen.
	epoch := time.Now()
	res.Listen.Listeners = cfg.Listeners
	counts := newCountCache(plan.Trends[0], plan.Questions[0].Key)
	ltr := NewTransport(16)
	ltr.ResponseHeaderTimeout = 30 * time.Second
	lc := &Client{Base: res.Target, HTTP: &http.Client{Transport: ltr}}
	lctx, stopListening := context.WithCancel(ctx)
	defer stopListening()
	ls := make([]*listener, cfg.Listeners)
	var lwg sync.WaitGroup
	if cfg.Listeners > 0 {
		say("Opening %d live streams…", cfg.Listeners)
		gate := make(chan struct{}, 64) // connections being opened at once
		for i := range ls {
			l := &listener{c: lc, ws: wsID, token: tokens[i%len(tokens)], counts: counts, ready: make(chan struct{})}
			ls[i] = l
			gate <- struct{}{}
			lwg.Go(func() { l.run(lctx) })
			go func() {
				select {
				case <-l.ready:
				case <-time.After(30 * time.Second):
				}
				<-gate
			}()
		}
		deadline := time.After(60 * time.Second)
	wait:
		for _, l := range ls {
			select {
			case <-l.ready:
			case <-deadline:
				break wait
			}
		}
		for _, l := range ls {
			select {
			case <-l.ready:
				if _, _, err := l.snapshot(); err == nil {
					res.Listen.Connected++
				}
			default:
			}
		}
		// Let updates caused by the joins pass.
		time.Sleep(700 * time.Millisecond)
	}
	// The probe is marker 0: its update gives the counts the load starts
	// from, and its delay that of an idle workshop.
	probeSent := time.Since(epoch)
	probeAck, err := sendMarker(ctx, senders, plan, 0, epoch)
	if err != nil {
		return nil, fmt.Errorf("the first answer failed: %w", err)
	}
	var base Counts
	probeID := uint64(0)
	listening := cfg.Listeners > 0 && res.Listen.Connected > 0
	if listening {
		wait := cfg.ProbeWait
		if wait <= 0 {
			wait = 3 * time.Second
		}
		// The probe's update may reach a listener before this client has
		// read the acknowledgement (a busy machine schedules the server's
		// writes first), so look from when it was sent, for the first
		// update that counts it.
		id, at, c, ok := firstEventAfter(ls, counts, epoch, probeSent, wait)
		if ok {
			probeID, base = id, c
			res.Listen.ProbeDelay = max(at-probeAck, 0)
		} else {
			listening = false
			res.Listen.Note = fmt.Sprintf("no aggregate update reached the listeners within %v of an answer: are the results shown to participants?", wait)
		}
	}

	// Load.
	before := srv.committerStats()
	if cfg.CPUProfile != nil {
		if err := pprof.StartCPUProfile(cfg.CPUProfile); err != nil {
			return nil, err
		}
	}
	say("Sending answers for %v (rate %s, %d in flight at most, batch %d)…", cfg.Duration, res.Rate, cfg.Concurrency, cfg.Batch)
	cpu0 := readCPU()
	var markers []time.Duration
	var mwg sync.WaitGroup
	if listening {
		mwg.Go(func() { markers = sendMarkers(ctx, senders, plan, epoch, cfg.Duration, &res.Listen) })
	}
	load, err := cfg.sender(res.Target, senders)
	if err != nil {
		return nil, err
	}
	if err := writeAllocs(cfg.AllocProfile, cfg.AllocProfileStart); err != nil {
		return nil, err
	}
	ld := sendLoad(ctx, load, plan, epoch, cfg.Rate, cfg.Concurrency, cfg.Duration)
	load.close()
	mwg.Wait()
	res.CPU = share(cpu0, readCPU())
	if cfg.CPUProfile != nil {
		pprof.StopCPUProfile()
	}
	if err := writeAllocs(cfg.AllocProfile, cfg.AllocProfile); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("interrupted during the load: %w", err)
	}
	res.Answers = ld.summarise(cfg.Rate > 0)
	if after := srv.committerStats(); after != nil {
		c := &CommitterResult{Transactions: after.Transactions - before.Transactions, Answers: after.Answers - before.Answers,
			Submissions: after.Submissions - before.Submissions, MaxBatch: after.MaxBatch}
		if c.Transactions > 0 {
			c.MeanBatch = float64(c.Answers) / float64(c.Transactions)
		}
		res.Committer = c
	}

	// Let the last updates arrive, then close the streams.
	var fresh int64 // first answers acknowledged, markers included
	for _, r := range ld.records {
		if r.status == http.StatusOK {
			fresh += int64(r.newKeys)
		}
	}
	final := base.Total + fresh + int64(len(markers))
	if listening {
		waitCovered(ls, counts, final, 5*time.Second)
	}
	for _, l := range ls {
		l.stopped.Store(true)
	}
	stopListening()
	lwg.Wait()
	lc.HTTP.CloseIdleConnections()
	for _, l := range ls {
		_, r, _ := l.snapshot()
		res.Listen.Reconnects += r
	}
	if listening {
		// The updates of the load run from the one after the probe's to
		// the first that counts every answer; any later one may have been
		// cut off by closing the streams.
		lastID := counts.firstReaching(final)
		evs := make([]listenerEvents, len(ls))
		for i, l := range ls {
			got, _, _ := l.snapshot()
			seen := map[uint64]bool{}
			for _, e := range got {
				if e.id <= probeID || e.id > lastID || seen[e.id] {
					continue
				}
				seen[e.id] = true
				c, _ := counts.get(e.id)
				evs[i].ids = append(evs[i].ids, e.id)
				evs[i].at = append(evs[i].at, e.at.Sub(epoch))
				evs[i].markers = append(evs[i].markers, c.Marker-base.Marker)
			}
		}
		listenerDelays(&res.Listen, markers, evs)
	}

	// The in-process server is stopped before the baseline, so that the
	// baseline has the machine to itself as Waymark had.
	if srv != nil {
		say("Stopping Waymark…")
		srv.close()
	}
	if !cfg.NoBare && cfg.BareDuration > 0 {
		say("Measuring the bare handler for %v…", cfg.BareDuration)
		cpu0 := readCPU()
		b, err := measureBare(ctx, cfg, plan, cfg.Concurrency, cfg.BareDuration)
		if err != nil {
			return nil, err
		}
		res.Bare, res.BareCPU = b, share(cpu0, readCPU())
		if b.RequestsPerSecond > 0 {
			res.Ratio = res.Answers.AnswersPerSecond / b.RequestsPerSecond
			if res.CPU != nil && res.BareCPU != nil && res.CPU.Self > 0 && res.BareCPU.Self > 0 {
				res.CPURatio = res.Ratio * res.BareCPU.Self / res.CPU.Self
			}
		}
	}
	return res, nil
}

// measureBare drives the bare handler with requests like plan's at rate
// max.
func measureBare(ctx context.Context, cfg Config, plan *Plan, inFlight int, d time.Duration) (*LoadResult, error) {
	b, err := StartBare()
	if err != nil {
		return nil, err
	}
	defer b.Close()
	c := &Client{Base: b.URL, HTTP: &http.Client{Transport: NewTransport(inFlight + 16)}}
	defer c.HTTP.CloseIdleConnections()
	s, err := cfg.sender(b.URL, c)
	if err != nil {
		return nil, err
	}
	defer s.close()
	runtime.GC()
	ld := sendLoad(ctx, s, plan, time.Now(), 0, inFlight, d)
	r := ld.summarise(false)
	return &r, nil
}

// writeAllocs writes the allocation profile to w after a collection (the
// profile counts allocations up to the last one), when profiling is on
// (on) and w is set.
func writeAllocs(on, w io.Writer) error {
	if on == nil || w == nil {
		return nil
	}
	runtime.GC()
	return pprof.Lookup("allocs").WriteTo(w, 0)
}

// joinAll joins n participants, cycling through the groups, 32 at a time,
// and returns their tokens.
func joinAll(ctx context.Context, c *Client, code string, groups []string, n int) ([]string, error) {
	tokens := make([]string, n)
	var next atomic.Int64
	var firstErr error
	var once sync.Once
	jctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for range min(32, max(n, 0)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || jctx.Err() != nil {
					return
				}
				rctx, rcancel := context.WithTimeout(jctx, 30*time.Second)
				j, err := c.Join(rctx, code, groups[(i+1)%len(groups)])
				rcancel()
				if err != nil {
					once.Do(func() { firstErr = fmt.Errorf("join participant %d: %w", i+2, err); cancel() })
					return
				}
				tokens[i] = j.Token
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return tokens, nil
}

// sendMarker sends marker i and returns when it was acknowledged, as an
// offset from epoch.
func sendMarker(ctx context.Context, c *Client, plan *Plan, i int, epoch time.Time) (time.Duration, error) {
	var val int
	who, a := plan.Marker(i, &val)
	rctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	status, msg, err := c.PutAnswers(rctx, plan.WorkshopID, plan.Tokens[who], AppendAnswersBody(nil, []Answer{a}))
	if err != nil {
		return 0, err
	}
	if status != http.StatusOK {
		return 0, &StatusError{Status: status, Body: msg}
	}
	return time.Since(epoch), nil
}

// sendMarkers sends markers 1, 2, … MarkerRate times a second, each after
// the previous one's acknowledgement, for d or until every participant has
// answered the marker cell, and returns their acknowledgements. A marker
// that fails ends them: what the updates count would be uncertain.
func sendMarkers(ctx context.Context, c *Client, plan *Plan, epoch time.Time, d time.Duration, res *ListenResult) []time.Duration {
	start := time.Now()
	var acks []time.Duration
	for i := 1; i < len(plan.Tokens) && ctx.Err() == nil; i++ {
		next := start.Add(time.Duration(i-1) * time.Second / MarkerRate)
		if !next.Before(start.Add(d)) {
			break
		}
		time.Sleep(time.Until(next))
		at, err := sendMarker(ctx, c, plan, i, epoch)
		if err != nil {
			res.Note = fmt.Sprintf("marker %d failed (%v); delays are from the markers before it", i, err)
			break
		}
		acks = append(acks, at)
	}
	return acks
}

// firstEventAfter waits up to timeout for a listener to receive a progress
// event after the offset after that counts the probe (marker 0), and
// returns the first such event's id, arrival and count.
func firstEventAfter(ls []*listener, counts *countCache, epoch time.Time, after, timeout time.Duration) (uint64, time.Duration, Counts, bool) {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		var best received
		for _, l := range ls {
			l.mu.Lock()
			for _, e := range l.events {
				if c, ok := counts.get(e.id); !ok || c.Marker < 1 {
					continue // does not count the probe yet
				}
				if e.at.Sub(epoch) > after && (best.id == 0 || e.at.Before(best.at)) {
					best = e
				}
			}
			l.mu.Unlock()
		}
		if best.id != 0 {
			c, _ := counts.get(best.id)
			return best.id, best.at.Sub(epoch), c, true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return 0, 0, Counts{}, false
}

// waitCovered waits up to timeout for every listener to have received an
// update counting at least want answers in all.
func waitCovered(ls []*listener, counts *countCache, want int64, timeout time.Duration) {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		done := true
		for _, l := range ls {
			if l.maxTotal(counts) < want {
				done = false
				break
			}
		}
		if done {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// inProcess is Waymark started by the load test.
type inProcess struct {
	m         *app.Main
	committer *store.AnswerCommitter
	fix       *Fixture
	url       string
	tmp       string
	stop      context.CancelFunc
	served    chan error
	once      sync.Once
}

// startInProcess opens a fresh database, sets up the workshop and serves
// Waymark on a free loopback port. Answers go through a group committer
// made here with the same options as app.New's, so that its counts can be
// read.
func startInProcess(ctx context.Context, cfg Config) (*inProcess, error) {
	p := &inProcess{served: make(chan error, 1)}
	dir := cfg.DataDir
	if cfg.DatabaseURL == "" && dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "waymark-loadtest-"); err != nil {
			return nil, err
		}
		p.tmp = dir
	}
	m, err := app.Open(ctx, app.Config{DataDir: dir, DatabaseURL: cfg.DatabaseURL, Log: cfg.Log})
	if err != nil {
		p.removeTmp()
		return nil, err
	}
	p.m = m
	p.committer = store.NewAnswerCommitter(m.DB, store.CommitterOptions{})
	m.Service.UseLive(nil, p.committer)
	if p.fix, err = Setup(ctx, m.Service, WorkshopSpec{Trends: cfg.Trends, Questions: cfg.Questions}); err != nil {
		p.close()
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		p.close()
		return nil, err
	}
	p.url = "http://" + ln.Addr().String()
	sctx, stop := context.WithCancel(context.Background())
	p.stop = stop
	go func() { p.served <- m.Serve(sctx, ln) }()
	return p, nil
}

// committerStats returns the committer's counts, nil when not in-process.
func (p *inProcess) committerStats() *store.CommitterStats {
	if p == nil {
		return nil
	}
	s := p.committer.Stats()
	return &s
}

// close stops serving and closes everything; it is safe to call twice.
func (p *inProcess) close() {
	p.once.Do(func() {
		if p.stop != nil {
			p.stop()
			<-p.served
		}
		if p.committer != nil {
			p.committer.Close()
		}
		if p.m != nil {
			if err := p.m.Close(); err != nil {
				p.m.Config.Log.Warn("loadtest: close", "err", err)
			}
		}
		p.removeTmp()
	})
}

func (p *inProcess) removeTmp() {
	if p.tmp != "" {
		os.RemoveAll(p.tmp)
	}
}

// sender returns what sends the answer requests to base: the lean client
// or c.
func (cfg Config) sender(base string, c *Client) (answerSender, error) {
	if cfg.RawClient {
		return newRawSender(base, cfg.Concurrency)
	}
	return netHTTPSender{c}, nil
}

func (cfg Config) clientName() string {
	if cfg.RawClient {
		return "raw"
	}
	return "net/http"
}
