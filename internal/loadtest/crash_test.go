package loadtest_test

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/waymark/waymark/internal/app"
	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/loadtest"
	"github.com/waymark/waymark/internal/store/storetest"
)

// The crash test.
//
// Design: the waymark binary is built once; for each engine a fresh
// database gets a workshop (4 trends × 3 questions on an 11-value scale,
// rating phase) and 48 participants, made directly through app.Open and the
// service before any server runs, so that the test needs nothing but the
// answers endpoint from the server under test. Then, in every round,
// `waymark serve` runs as a child process on a free loopback port, 16
// senders send batches of 1–4 answers through PUT /api/v1/workshops/{id}/
// answers — each sender owns its participants, so the writes to any one
// answer are sequential and their order is known — and the server is
// killed with SIGKILL at a random moment 50–500 ms into the load. It is
// started again, must be ready and take an answer, is stopped with SIGTERM
// (exit status 0), and the database is read directly:
//
//   - every answer acknowledged with 200 must be there with the value of
//     its last acknowledged write, or with the value of a later write whose
//     outcome the sender could not know (in flight at the kill: it may have
//     been committed, just not acknowledged); an answer never acknowledged
//     in the round must hold its value from before the round or such a
//     later value; rows nobody wrote must not exist;
//   - SQLite: PRAGMA integrity_check is "ok" and foreign_key_check is
//     empty; PostgreSQL: no duplicate answer keys or participant token
//     hashes, no answer without its participant.
//
// Each value of an answer differs from its previous eleven (the values
// cycle through 0…10 and "don't know"), so a lost write that left an
// older value behind is seen. The next round starts from what the
// database holds. WAYMARK_CRASH_ROUNDS sets the number of rounds per
// engine (default 10; docs/benchmarks.md reports 20).

const (
	crashParticipants = 48
	crashSenders      = 16
	crashTrends       = 4
)

// crashQuestions have 11 values each, the most a question may have.
func crashQuestions() []domain.Question {
	var qs []domain.Question
	for _, k := range []string{"alpha", "beta", "gamma"} {
		qs = append(qs, domain.Question{Key: k, Label: domain.T("Question "+k, "Fråga "+k), Min: 0, Max: 10})
	}
	return qs
}

// Ensures no acknowledged answer is lost and the database stays sound when
// the server is killed (SIGKILL) under concurrent answers, on both engines.
func TestCrashKeepsAcknowledgedAnswers(t *testing.T) {
	if testing.Short() {
		t.Skip("the crash test builds and kills the server: skipped in -short mode")
	}
	rounds := 10
	if v := os.Getenv("WAYMARK_CRASH_ROUNDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("WAYMARK_CRASH_ROUNDS=%q: give a positive number", v)
		}
		rounds = n
	}
	bin := buildWaymark(t)
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			dsn := storetest.DSN(t, engine)
			c := newCrashRig(t, bin, engine, dsn)
			var writes, acked, landed, inFlight int
			start := time.Now()
			for round := 1; round <= rounds; round++ {
				r := c.round(t, round)
				writes += r.writes
				acked += r.acked
				landed += r.landed
				inFlight += r.inFlight
				if t.Failed() {
					return
				}
			}
			t.Logf("%s: %d rounds in %.1f s: %d answers acknowledged (%d distinct per round, summed), each holding its last "+
				"acknowledged value or a later unacknowledged one; %d requests in flight at the kills, %d of their answers had landed; "+
				"integrity checks passed", engine, rounds, time.Since(start).Seconds(), writes, acked, inFlight, landed)
		})
	}
}

// buildWaymark builds the waymark binary into a temporary folder.
func buildWaymark(t *testing.T) string {
	t.Helper()
	gocmd, err := exec.LookPath("go")
	if err != nil {
		gocmd = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	}
	out, err := exec.Command(gocmd, "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "waymark")
	build := exec.Command(gocmd, "build", "-o", bin, "./cmd/waymark")
	build.Dir = filepath.Dir(strings.TrimSpace(string(out)))
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// Value codes in the model: a value 0…10, or these.
const (
	dontKnow = -1 // stored as NULL
	absent   = -2 // no row
	noAck    = -3 // nothing acknowledged this round
)

// keyState is what the test knows of one answer (participant, trend,
// question). Only the sender that owns the participant touches it during
// a round.
type keyState struct {
	known  int   // the value in the database at the start of the round
	acked  int   // the last acknowledged value this round, or noAck
	maybe  []int // values written after that whose outcome is unknown
	writes int   // writes so far, to choose the next value
}

// crashRig holds one engine's database, workshop and model.
type crashRig struct {
	bin     string
	engine  string
	dsn     string
	args    []string // database flags for the server
	wsID    string
	tokens  []string
	pids    []string
	trends  []string
	qs      []string
	keys    []keyState // participant·(trends·qs) + trend·qs + question
	client  *loadtest.Client
	verbose bool
}

func newCrashRig(t *testing.T, bin, engine, dsn string) *crashRig {
	t.Helper()
	c := &crashRig{bin: bin, engine: engine, dsn: dsn, verbose: testing.Verbose()}
	cfg := app.Config{Log: slog.New(slog.DiscardHandler)}
	if engine == storetest.Postgres {
		cfg.DatabaseURL = dsn
		c.args = []string{"--database", dsn}
	} else {
		cfg.DataDir = filepath.Dir(dsn)
		if cfg.DSN() != dsn {
			t.Fatalf("the server would open %s, not %s", cfg.DSN(), dsn)
		}
		c.args = []string{"--data", cfg.DataDir}
	}
	ctx := t.Context()
	m, err := app.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	fix, err := loadtest.Setup(ctx, m.Service, loadtest.WorkshopSpec{Trends: crashTrends, QuestionSet: crashQuestions()})
	if err != nil {
		m.Close()
		t.Fatal(err)
	}
	w := fix.Workshop
	c.wsID, c.trends = w.ID, w.TrendKeys
	for _, q := range w.Questions {
		c.qs = append(c.qs, q.Key)
	}
	for range crashParticipants {
		secret, _, p, err := m.Service.Join(ctx, w.Code, "staff", "")
		if err != nil {
			m.Close()
			t.Fatal(err)
		}
		c.tokens, c.pids = append(c.tokens, secret), append(c.pids, p.ID)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	c.keys = make([]keyState, crashParticipants*len(c.trends)*len(c.qs))
	for i := range c.keys {
		c.keys[i] = keyState{known: absent, acked: noAck}
	}
	c.client = &loadtest.Client{HTTP: &http.Client{Transport: loadtest.NewTransport(crashSenders + 4)}}
	t.Cleanup(c.client.HTTP.CloseIdleConnections)
	return c
}

// server is a running `waymark serve`.
type server struct {
	cmd    *exec.Cmd
	base   string
	exited chan error
	log    *lockedBuffer
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var servingAt = regexp.MustCompile(`at (http://127\.0\.0\.1:\d+)/`)

// start runs the server on a free loopback port and waits until it says
// where it listens.
func (c *crashRig) start(t *testing.T) *server {
	t.Helper()
	args := append(append([]string{}, c.args...), "--log-level", "warn", "serve", "--addr", "127.0.0.1:0")
	cmd := exec.Command(c.bin, args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "WAYMARK_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	s := &server{cmd: cmd, exited: make(chan error, 1), log: &lockedBuffer{}}
	cmd.Stderr = s.log
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := servingAt.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
				break
			}
		}
		io.Copy(io.Discard, out)
		s.exited <- cmd.Wait()
	}()
	select {
	case s.base = <-addr:
	case err := <-s.exited:
		t.Fatalf("the server exited before serving: %v\n%s", err, s.log)
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("the server did not start within a minute\n%s", s.log)
	}
	return s
}

// crashResult sums up a round.
type crashResult struct {
	writes, acked, landed, inFlight int
}

// round runs one round: load, SIGKILL, restart, check.
func (c *crashRig) round(t *testing.T, n int) crashResult {
	t.Helper()
	srv := c.start(t)
	c.client.Base = srv.base
	killAfter := time.Duration(50+rand.IntN(451)) * time.Millisecond

	var killed atomic.Bool
	var ackedAnswers, ackedRequests, ackedWrites, inFlight atomic.Int64
	firstAck := make(chan struct{})
	var firstOnce sync.Once
	var unexpected sync.Map // status → count, for answers other than 200 before the kill
	var wg sync.WaitGroup
	for s := range crashSenders {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(n), uint64(s)))
			mine := []int{}
			for p := s; p < crashParticipants; p += crashSenders {
				mine = append(mine, p)
			}
			for i := 0; !killed.Load(); i++ {
				p := mine[i%len(mine)]
				k := 1 + r.IntN(4)
				status, err := c.send(p, k, r)
				switch {
				case err != nil:
					inFlight.Add(1)
					return // the server is gone
				case status == http.StatusOK:
					ackedRequests.Add(1)
					ackedWrites.Add(int64(k))
					firstOnce.Do(func() { close(firstAck) })
				default:
					v, _ := unexpected.LoadOrStore(status, new(atomic.Int64))
					v.(*atomic.Int64).Add(1)
				}
			}
		})
	}
	// The load is on once answers are acknowledged; the kill comes at a
	// random moment 50–500 ms later.
	select {
	case <-firstAck:
	case <-time.After(30 * time.Second):
		killed.Store(true)
		srv.cmd.Process.Kill()
		t.Fatalf("round %d: no answer was acknowledged within 30 s\n%s", n, srv.log)
	}
	time.Sleep(killAfter)
	killed.Store(true)
	if err := srv.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("round %d: kill: %v", n, err)
	}
	<-srv.exited
	wg.Wait()
	unexpected.Range(func(k, v any) bool {
		t.Errorf("round %d: %d answers with HTTP %v before the kill\n%s", n, v.(*atomic.Int64).Load(), k, srv.log)
		return true
	})
	for i := range c.keys {
		if c.keys[i].acked != noAck {
			ackedAnswers.Add(1)
		}
	}

	// Restart: it must come up, be ready and take an answer, and stop
	// cleanly.
	again := c.start(t)
	c.client.Base = again.base
	res, err := http.Get(again.base + "/readyz")
	if err != nil {
		t.Fatalf("round %d: readyz after the restart: %v\n%s", n, err, again.log)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("round %d: readyz after the restart: %d\n%s", n, res.StatusCode, again.log)
	}
	if status, err := c.send(0, 1, rand.New(rand.NewPCG(uint64(n), 99))); err != nil || status != http.StatusOK {
		t.Errorf("round %d: an answer after the restart: %d, %v\n%s", n, status, err, again.log)
	}
	again.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-again.exited:
		if err != nil {
			t.Errorf("round %d: the restarted server did not stop cleanly: %v\n%s", n, err, again.log)
		}
	case <-time.After(20 * time.Second):
		again.cmd.Process.Kill()
		t.Fatalf("round %d: the restarted server did not stop within 20 s", n)
	}

	landed := c.check(t, n)
	r := crashResult{writes: int(ackedWrites.Load()), acked: int(ackedAnswers.Load()), landed: landed, inFlight: int(inFlight.Load())}
	if c.verbose {
		t.Logf("round %2d: SIGKILL %3d ms into the load: %4d requests acknowledged (%4d answers, %3d distinct), %2d in flight, %2d of their answers had landed; all present",
			n, killAfter.Milliseconds(), ackedRequests.Load(), r.writes, r.acked, r.inFlight, r.landed)
	}
	return r
}

// send sends k answers of participant p to distinct cells, updating the
// model, and returns the status (0 with an error when there was no answer).
func (c *crashRig) send(p, k int, r *rand.Rand) (int, error) {
	cells := len(c.trends) * len(c.qs)
	picked := r.Perm(cells)[:k]
	answers := make([]loadtest.Answer, k)
	vals := make([]int, k)
	idx := make([]int, k)
	for i, cell := range picked {
		ki := p*cells + cell
		ks := &c.keys[ki]
		v := ks.writes % 12 // 0…10, then 11: don't know
		ks.writes++
		idx[i] = ki
		answers[i] = loadtest.Answer{Trend: c.trends[cell/len(c.qs)], Question: c.qs[cell%len(c.qs)]}
		if v == 11 {
			vals[i] = dontKnow
		} else {
			vals[i] = v
			answers[i].Value = &vals[i]
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	status, _, err := c.client.PutAnswers(ctx, c.wsID, c.tokens[p], loadtest.AppendAnswersBody(nil, answers))
	for i, ki := range idx {
		ks := &c.keys[ki]
		if err == nil && status == http.StatusOK {
			ks.acked, ks.maybe = vals[i], nil
		} else if err != nil || status >= 500 {
			ks.maybe = append(ks.maybe, vals[i])
		}
	}
	return status, err
}

// check reads the answers from the database, compares them with the model
// and runs the integrity checks; it returns how many unacknowledged writes
// had landed, and makes the database's values the model's.
func (c *crashRig) check(t *testing.T, n int) int {
	t.Helper()
	driver, dsn := "sqlite", "file:"+c.dsn+"?_pragma=busy_timeout(10000)"
	if c.engine == storetest.Postgres {
		driver, dsn = "pgx", c.dsn
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := t.Context()
	pidx := map[string]int{}
	for i, id := range c.pids {
		pidx[id] = i
	}
	tidx, qidx := map[string]int{}, map[string]int{}
	for i, k := range c.trends {
		tidx[k] = i
	}
	for i, k := range c.qs {
		qidx[k] = i
	}
	cells := len(c.trends) * len(c.qs)
	got := make([]int, len(c.keys))
	for i := range got {
		got[i] = absent
	}
	rows, err := db.QueryContext(ctx, `SELECT participant_id, trend_key, question_key, value FROM answers WHERE workshop_id = $1`, c.wsID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var pid, trend, q string
		var v sql.NullInt64
		if err := rows.Scan(&pid, &trend, &q, &v); err != nil {
			t.Fatal(err)
		}
		p, ok1 := pidx[pid]
		ti, ok2 := tidx[trend]
		qi, ok3 := qidx[q]
		if !ok1 || !ok2 || !ok3 {
			t.Errorf("round %d: an answer nobody sent: %s %s %s", n, pid, trend, q)
			continue
		}
		ki := p*cells + ti*len(c.qs) + qi
		if got[ki] != absent {
			t.Errorf("round %d: two rows for %s %s %s", n, pid, trend, q)
		}
		got[ki] = dontKnow
		if v.Valid {
			got[ki] = int(v.Int64)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()

	landed, lost := 0, 0
	for ki := range c.keys {
		ks := &c.keys[ki]
		want := ks.known
		if ks.acked != noAck {
			want = ks.acked
		}
		switch {
		case got[ki] == want:
		case contains(ks.maybe, got[ki]):
			landed++
		default:
			lost++
			if lost <= 5 {
				p, cell := ki/cells, ki%cells
				t.Errorf("round %d: participant %d, %s/%s holds %s; acknowledged %s (before the round %s), unacknowledged later writes %v",
					n, p, c.trends[cell/len(c.qs)], c.qs[cell%len(c.qs)], show(got[ki]), show(ks.acked), show(ks.known), ks.maybe)
			}
		}
		ks.known, ks.acked, ks.maybe = got[ki], noAck, nil
	}
	if lost > 0 {
		t.Errorf("round %d: %d answers do not hold their acknowledged value", n, lost)
	}

	if c.engine == storetest.SQLite {
		var res string
		if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&res); err != nil || res != "ok" {
			t.Errorf("round %d: PRAGMA integrity_check: %q, %v", n, res, err)
		}
		fk, err := db.QueryContext(ctx, `PRAGMA foreign_key_check`)
		if err != nil {
			t.Fatal(err)
		}
		if fk.Next() {
			t.Errorf("round %d: PRAGMA foreign_key_check reports violations", n)
		}
		fk.Close()
	} else {
		for _, q := range []struct{ what, sql string }{
			{"duplicate answer keys", `SELECT COUNT(*) FROM (SELECT 1 FROM answers GROUP BY participant_id, trend_key, question_key HAVING COUNT(*) > 1) d`},
			{"duplicate participant token hashes", `SELECT COUNT(*) FROM (SELECT 1 FROM participants GROUP BY token_hash HAVING COUNT(*) > 1) d`},
			{"answers without their participant", `SELECT COUNT(*) FROM answers a LEFT JOIN participants p ON p.id = a.participant_id AND p.workshop_id = a.workshop_id WHERE p.id IS NULL`},
		} {
			var k int
			if err := db.QueryRowContext(ctx, q.sql).Scan(&k); err != nil || k != 0 {
				t.Errorf("round %d: %s: %d, %v", n, q.what, k, err)
			}
		}
	}
	return landed
}

func contains(vs []int, v int) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}

func show(v int) string {
	switch v {
	case dontKnow:
		return "don't know"
	case absent:
		return "nothing"
	case noAck:
		return "nothing"
	}
	return fmt.Sprint(v)
}
