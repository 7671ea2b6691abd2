package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/waymark/waymark/internal/service"
	"github.com/waymark/waymark/internal/workshop"
)

// Ensures the hand-made answers body is the JSON the API reads, with
// "don't know" as null and odd characters escaped.
func TestAppendAnswersBody(t *testing.T) {
	three := 3
	in := []Answer{{Trend: "t-1", Question: "impact", Value: &three}, {Trend: `odd"\é`, Question: "q", Value: nil}}
	body := AppendAnswersBody(nil, in)
	var out struct {
		Answers []struct {
			Trend    string `json:"trend"`
			Question string `json:"question"`
			Value    *int   `json:"value"`
		} `json:"answers"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("%s: %v", body, err)
	}
	if len(out.Answers) != 2 || out.Answers[0].Trend != "t-1" || *out.Answers[0].Value != 3 ||
		out.Answers[1].Trend != `odd"\é` || out.Answers[1].Value != nil {
		t.Errorf("%s read back as %+v", body, out)
	}
}

// Ensures only loopback targets pass.
func TestCheckLoopback(t *testing.T) {
	ctx := context.Background()
	for _, ok := range []string{"http://127.0.0.1:8080", "http://[::1]:8080/", "http://localhost:1", "https://127.0.0.2"} {
		if err := CheckLoopback(ctx, ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"http://192.0.2.1:8080", "http://10.0.0.1", "ftp://127.0.0.1", "127.0.0.1:8080", "http://[2001:db8::1]/"} {
		if err := CheckLoopback(ctx, bad); err == nil {
			t.Errorf("%s passed", bad)
		}
	}
}

// progressData returns a progress event's data as the service writes it,
// with count answers in one cell and dk "don't know" in another.
func progressData(t *testing.T, count, dk int64) []byte {
	t.Helper()
	p := service.Progress{Revision: 3, Joined: map[string]int{"staff": 2}, Total: 2, Trends: []service.TrendProgress{
		{Key: "a", Questions: map[string]workshop.Distribution{"impact": {Min: 1, Max: 5, Count: count, Counts: []int64{count, 0, 0, 0, 0}, Sum: count}}},
		{Key: "b", Questions: map[string]workshop.Distribution{"impact": {Min: 1, Max: 5, DontKnow: dk, Counts: make([]int64, 5)}}},
	}}
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// Ensures ProgressCounts reads the service's own progress format: answers
// with a value plus "don't know" answers, over every trend and question
// and in the one cell asked for.
func TestProgressCounts(t *testing.T) {
	c, err := ProgressCounts(progressData(t, 5, 2), "b", "impact")
	if err != nil || c.Total != 7 || c.Marker != 2 {
		t.Errorf("counts %+v, %v; want 7 in all, 2 in b/impact", c, err)
	}
	if _, err := ProgressCounts([]byte("{"), "a", "impact"); err == nil {
		t.Error("broken JSON counted")
	}
}

// Ensures a listener records every progress event with its id and arrival,
// skips other events and heartbeats, reads each event's count once for all
// listeners, and when the stream ends reconnects with Last-Event-ID.
func TestListenerFollowsAndResumes(t *testing.T) {
	var conns atomic.Int32
	var resumedFrom atomic.Value
	p1, p2, p3 := progressData(t, 1, 0), progressData(t, 2, 1), progressData(t, 5, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Participant tok" || r.URL.Path != "/api/v1/workshops/ws1/events" {
			http.Error(w, "no", http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		fl := w.(http.Flusher)
		switch conns.Add(1) {
		case 1:
			fmt.Fprintf(w, "retry: 2000\n\nid: 4\nevent: state\ndata: {\"phase\":\"rating\"}\n\n: heartbeat\n\n")
			fmt.Fprintf(w, "id: 5\nevent: progress\ndata: %s\n\n", p1)
			fl.Flush()
			time.Sleep(20 * time.Millisecond)
			fmt.Fprintf(w, "id: 6\nevent: progress\ndata: %s\n\n", p2)
			fl.Flush()
			// The stream ends, as for a slow consumer.
		default:
			resumedFrom.Store(r.Header.Get("Last-Event-ID"))
			fmt.Fprintf(w, "retry: 2000\n\nid: 7\nevent: progress\ndata: %s\n\n", p3)
			fl.Flush()
			<-r.Context().Done()
		}
	}))
	defer srv.Close()
	counts := newCountCache("a", "impact")
	l := &listener{c: &Client{Base: srv.URL, HTTP: srv.Client()}, ws: "ws1", token: "tok", counts: counts, ready: make(chan struct{})}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	done := make(chan struct{})
	go func() { l.run(ctx); close(done) }()
	for l.maxTotal(counts) < 6 && ctx.Err() == nil {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
	evs, reconns, _ := l.snapshot()
	var ids []uint64
	for _, e := range evs {
		ids = append(ids, e.id)
	}
	if fmt.Sprint(ids) != "[5 6 7]" || reconns != 1 || resumedFrom.Load() != "6" {
		t.Errorf("ids %v, %d reconnects, resumed from %v; want [5 6 7], 1, 6", ids, reconns, resumedFrom.Load())
	}
	for id, want := range map[uint64]Counts{5: {1, 1}, 6: {3, 2}, 7: {6, 5}} {
		if c, ok := counts.get(id); !ok || c != want {
			t.Errorf("event %d counts %+v (%v), want %+v", id, c, ok, want)
		}
	}
	if evs[1].at.Sub(evs[0].at) < 15*time.Millisecond {
		t.Errorf("arrivals %v and %v: not when the events came", evs[0].at, evs[1].at)
	}
}

// Ensures the bare server answers every request of a drive with 200, and
// that the baseline measured on it counts what the server saw.
func TestBareBaseline(t *testing.T) {
	b, err := StartBare()
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	plan := &Plan{WorkshopID: "w", Tokens: []string{"wmp_a", "wmp_b"}, Trends: []string{"t", "u"},
		Questions: []QuestionScale{{"impact", 1, 5}, {"direction", -2, 2}}, Batch: 2}
	c := &Client{Base: b.URL, HTTP: &http.Client{Transport: NewTransport(8)}}
	for _, raw := range []bool{false, true} {
		cfg := Config{Concurrency: 4, RawClient: raw}
		s, err := cfg.sender(b.URL, c)
		if err != nil {
			t.Fatal(err)
		}
		before := b.Requests.Load()
		ld := sendLoad(t.Context(), s, plan, time.Now(), 200, 4, 500*time.Millisecond)
		s.close()
		r := ld.summarise(true)
		if seen := b.Requests.Load() - before; r.Requests != 100 || r.Acknowledged != 100 || r.Answers != 200 || len(r.Errors) != 0 || seen != 100 {
			t.Errorf("%s client at 200/s for 0.5 s: %+v; the server saw %d", cfg.clientName(), r, seen)
		}
		if r.Latency.P50 <= 0 || r.Latency.P50 > 100*time.Millisecond {
			t.Errorf("%s client: latency %+v", cfg.clientName(), r.Latency)
		}
		br, err := measureBare(t.Context(), cfg, plan, 4, 300*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		if br.RequestsPerSecond < 100 || br.Acknowledged != br.Requests || br.Latency.Count != br.Acknowledged {
			t.Errorf("%s client: bare baseline %+v", cfg.clientName(), br)
		}
	}
	if !strings.HasPrefix(b.URL, "http://127.0.0.1:") {
		t.Errorf("bare server at %s, not on loopback", b.URL)
	}
}
