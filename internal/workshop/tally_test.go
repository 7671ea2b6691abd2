package workshop

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sync"
	"testing"

	"github.com/waymark/waymark/internal/domain"
)

// testWorkshop has two trends, the five default questions, the five default
// groups and two fields of tension.
func testWorkshop() *domain.Workshop {
	return &domain.Workshop{
		ID:        "w1",
		TrendKeys: []string{"ai", "ageing"},
		Questions: domain.DefaultQuestions(),
		Groups:    domain.DefaultGroups(),
		Tensions:  []string{"steering", "privacy"},
	}
}

func iv(v int) *int { return &v }

func ans(p, trend, q string, v *int) domain.Answer {
	return domain.Answer{WorkshopID: "w1", ParticipantID: p, TrendKey: trend, QuestionKey: q, Value: v}
}

func near(a, b float64) bool {
	return math.Abs(a-b) < 1e-9 || math.IsNaN(a) && math.IsNaN(b)
}

func checkDist(t *testing.T, what string, d Distribution, count, dk int64, counts []int64, sum, sumSq int64, mean, sd, median float64) {
	t.Helper()
	if d.Count != count || d.DontKnow != dk || !slices.Equal(d.Counts, counts) || d.Sum != sum || d.SumSq != sumSq {
		t.Errorf("%s: got count %d dk %d counts %v sum %d sumSq %d; want %d %d %v %d %d",
			what, d.Count, d.DontKnow, d.Counts, d.Sum, d.SumSq, count, dk, counts, sum, sumSq)
	}
	if !near(d.Mean(), mean) || !near(d.StdDev(), sd) || !near(d.Median(), median) {
		t.Errorf("%s: mean %v sd %v median %v; want %v %v %v", what, d.Mean(), d.StdDev(), d.Median(), mean, sd, median)
	}
}

// Ensures the distribution, mean, standard deviation, median, shares and
// "don't know" count of hand-computed answers, in total and per group, and
// that a changed answer moves one count from the old value to the new one.
func TestTallyFixture(t *testing.T) {
	tl := NewTally(testWorkshop())
	for _, a := range []struct {
		p, g string
		v    *int
	}{{"p1", "staff", iv(1)}, {"p2", "staff", iv(2)}, {"p3", "managers", iv(2)}, {"p4", "managers", iv(5)}, {"p5", "staff", nil}} {
		if !tl.Apply(ans(a.p, "ai", domain.QImpact, a.v), a.g) {
			t.Fatalf("Apply for %s changed nothing", a.p)
		}
	}
	// 1, 2, 2, 5 and a don't know: n 4, Σ 10, Σ² 34, mean 2.5,
	// variance 34/4 − 2.5² = 2.25, sd 1.5, median (2+2)/2.
	all := tl.Snapshot("ai", domain.QImpact, "")
	checkDist(t, "all", all, 4, 1, []int64{1, 2, 0, 0, 1}, 10, 34, 2.5, 1.5, 2)
	if all.Min != 1 || all.Max != 5 || all.Total() != 5 {
		t.Errorf("scale %d…%d total %d", all.Min, all.Max, all.Total())
	}
	if !near(all.Share(2), 0.5) || !near(all.Share(3), 0) || all.Share(9) != 0 || !near(all.DontKnowShare(), 0.2) {
		t.Errorf("shares %v %v %v %v", all.Share(2), all.Share(3), all.Share(9), all.DontKnowShare())
	}
	// staff: 1, 2 and a don't know: mean 1.5, variance (2·5 − 9)/4 = 0.25.
	checkDist(t, "staff", tl.Snapshot("ai", domain.QImpact, "staff"), 2, 1, []int64{1, 1, 0, 0, 0}, 3, 5, 1.5, 0.5, 1.5)
	// managers: 2, 5: mean 3.5, variance (2·29 − 49)/4 = 2.25.
	checkDist(t, "managers", tl.Snapshot("ai", domain.QImpact, "managers"), 2, 0, []int64{0, 1, 0, 0, 1}, 7, 29, 3.5, 1.5, 3.5)
	checkDist(t, "residents", tl.Snapshot("ai", domain.QImpact, "residents"), 0, 0, []int64{0, 0, 0, 0, 0}, 0, 0, math.NaN(), math.NaN(), math.NaN())

	// p4 changes 5 → 3: 1, 2, 2, 3: Σ 8, Σ² 18, mean 2, variance 18/4 − 4 = 0.5.
	tl.Apply(ans("p4", "ai", domain.QImpact, iv(3)), "managers")
	checkDist(t, "after 5→3", tl.Snapshot("ai", domain.QImpact, ""), 4, 1, []int64{1, 2, 1, 0, 0}, 8, 18, 2, math.Sqrt(0.5), 2)
	// p5 changes don't know → 4: 1, 2, 2, 3, 4: Σ 12, Σ² 34, mean 2.4,
	// variance 34/5 − 5.76 = 1.04, median 2.
	tl.Apply(ans("p5", "ai", domain.QImpact, iv(4)), "staff")
	checkDist(t, "after dk→4", tl.Snapshot("ai", domain.QImpact, ""), 5, 0, []int64{1, 2, 1, 1, 0}, 12, 34, 2.4, math.Sqrt(1.04), 2)
	// p1 changes 1 → don't know: 2, 2, 3, 4: Σ 11, Σ² 33, mean 2.75,
	// variance 33/4 − 7.5625 = 0.6875, median (2+3)/2.
	tl.Apply(ans("p1", "ai", domain.QImpact, nil), "staff")
	checkDist(t, "after 1→dk", tl.Snapshot("ai", domain.QImpact, ""), 4, 1, []int64{0, 2, 1, 1, 0}, 11, 33, 2.75, math.Sqrt(0.6875), 2.5)
	checkDist(t, "staff at the end", tl.Snapshot("ai", domain.QImpact, "staff"), 2, 1, []int64{0, 1, 0, 1, 0}, 6, 20, 3, 1, 3)

	// Other trends and questions are untouched.
	checkDist(t, "other trend", tl.Snapshot("ageing", domain.QImpact, ""), 0, 0, []int64{0, 0, 0, 0, 0}, 0, 0, math.NaN(), math.NaN(), math.NaN())
	if d := tl.Snapshot("nope", domain.QImpact, ""); d.Counts != nil || d.Count != 0 {
		t.Errorf("unknown trend gave %+v", d)
	}
}

// Ensures a scale that does not start at 1 (direction, −2…+2) is counted
// from its minimum, and negative values sum correctly.
func TestTallyNegativeScale(t *testing.T) {
	tl := NewTally(testWorkshop())
	for i, v := range []int{-2, 0, 2} {
		tl.Apply(ans(fmt.Sprint("p", i), "ai", domain.QDirection, iv(v)), "staff")
	}
	// −2, 0, 2: mean 0, variance 8/3, median 0.
	d := tl.Snapshot("ai", domain.QDirection, "")
	checkDist(t, "direction", d, 3, 0, []int64{1, 0, 1, 0, 1}, 0, 8, 0, math.Sqrt(8.0/3), 0)
	if d.Min != -2 || !near(d.Share(-2), 1.0/3) || !near(d.Share(-1), 0) {
		t.Errorf("min %d share(−2) %v share(−1) %v", d.Min, d.Share(-2), d.Share(-1))
	}
}

// Ensures an empty distribution reports NaN, never a zero that could be
// read as an answer.
func TestEmptyDistribution(t *testing.T) {
	d := NewTally(testWorkshop()).Snapshot("ai", domain.QDirection, "")
	for name, v := range map[string]float64{"mean": d.Mean(), "sd": d.StdDev(), "median": d.Median(), "share": d.Share(0), "dk": d.DontKnowShare()} {
		if !math.IsNaN(v) {
			t.Errorf("%s of no answers = %v, want NaN", name, v)
		}
	}
	// Only don't-know answers: no values, but a don't-know share of 1.
	tl := NewTally(testWorkshop())
	tl.Apply(ans("p", "ai", domain.QDirection, nil), "")
	d = tl.Snapshot("ai", domain.QDirection, "")
	if !math.IsNaN(d.Mean()) || d.Sum != 0 || d.DontKnow != 1 || d.DontKnowShare() != 1 {
		t.Errorf("only don't know: %+v mean %v", d, d.Mean())
	}
}

// Ensures a Snapshot is a copy that later answers and edits by the caller
// do not share with the Tally.
func TestSnapshotIsCopy(t *testing.T) {
	tl := NewTally(testWorkshop())
	tl.Apply(ans("p", "ai", domain.QImpact, iv(3)), "")
	d := tl.Snapshot("ai", domain.QImpact, "")
	d.Counts[2] = 99
	tl.Apply(ans("q", "ai", domain.QImpact, iv(3)), "")
	if d2 := tl.Snapshot("ai", domain.QImpact, ""); d2.Counts[2] != 2 {
		t.Fatalf("counts %v", d2.Counts)
	}
}

// Ensures answers for unknown trends or questions, values off the scale and
// positions off −100…100 are ignored without changing the version.
func TestTallyIgnoresInvalid(t *testing.T) {
	tl := NewTally(testWorkshop())
	for _, a := range []domain.Answer{
		ans("p", "nope", domain.QImpact, iv(3)),
		ans("p", "ai", "nope", iv(3)),
		ans("p", "ai", domain.QImpact, iv(0)),
		ans("p", "ai", domain.QImpact, iv(6)),
		ans("p", "ai", domain.QHorizon, iv(-1)),
	} {
		if tl.Apply(a, "staff") {
			t.Errorf("Apply(%+v) changed the tally", a)
		}
	}
	for _, p := range []domain.TensionPosition{
		{ParticipantID: "p", TensionKey: "nope", Now: 0, Want: 0},
		{ParticipantID: "p", TensionKey: "steering", Now: -101, Want: 0},
		{ParticipantID: "p", TensionKey: "steering", Now: 0, Want: 101},
	} {
		if tl.ApplyTension(p, "staff") {
			t.Errorf("ApplyTension(%+v) changed the tally", p)
		}
	}
	if v := tl.Version(); v != 0 {
		t.Fatalf("version %d after invalid input", v)
	}
	if p := tl.Progress(); p.Participants != 0 {
		t.Fatalf("progress %+v", p)
	}
}

// Ensures progress counts, per trend, the participants who answered every
// question (don't know included) in total and per group, and per group the
// participants who answered anything, a tension position included.
func TestTallyProgress(t *testing.T) {
	w := testWorkshop()
	w.Questions = w.Questions[:2] // impact, direction
	tl := NewTally(w)
	tl.Apply(ans("p1", "ai", domain.QImpact, iv(3)), "staff")
	tl.Apply(ans("p1", "ai", domain.QDirection, nil), "staff")
	tl.Apply(ans("p2", "ai", domain.QImpact, iv(4)), "managers")
	tl.ApplyTension(domain.TensionPosition{ParticipantID: "p3", TensionKey: "privacy", Now: 10, Want: 20}, "residents")
	tl.Apply(ans("p4", "ageing", domain.QImpact, iv(1)), "unknown-group")
	tl.Apply(ans("p4", "ageing", domain.QDirection, iv(1)), "unknown-group")
	// Changing a complete answer keeps it complete, once.
	tl.Apply(ans("p1", "ai", domain.QDirection, iv(2)), "staff")

	p := tl.Progress()
	zero := func() map[string]int {
		return map[string]int{"members": 0, "managers": 0, "staff": 0, "residents": 0, "partners": 0}
	}
	aiBy := zero()
	aiBy["staff"] = 1
	want := Progress{
		Participants:     4,
		Groups:           map[string]int{"members": 0, "managers": 1, "staff": 1, "residents": 1, "partners": 0},
		Completed:        map[string]int{"ai": 1, "ageing": 1},
		CompletedByGroup: map[string]map[string]int{"ai": aiBy, "ageing": zero()},
	}
	if !reflect.DeepEqual(p, want) {
		t.Fatalf("progress\n got %+v\nwant %+v", p, want)
	}
	// p2 completes ai.
	tl.Apply(ans("p2", "ai", domain.QDirection, iv(-1)), "managers")
	if p := tl.Progress(); p.Completed["ai"] != 2 || p.CompletedByGroup["ai"]["managers"] != 1 {
		t.Fatalf("after p2 completes: %+v", p)
	}
}

// Ensures tension means, gap, spread and histograms of hand-computed
// positions, and that a moved position replaces the old one.
func TestTallyTensions(t *testing.T) {
	tl := NewTally(testWorkshop())
	pos := func(p string, now, want int) domain.TensionPosition {
		return domain.TensionPosition{WorkshopID: "w1", ParticipantID: p, TensionKey: "steering", Now: now, Want: want}
	}
	tl.ApplyTension(pos("p1", -100, 20), "staff")
	tl.ApplyTension(pos("p2", 0, 100), "staff")
	tl.ApplyTension(pos("p3", 100, 100), "members")
	s := tl.TensionSnapshot("steering", "")
	// now −100, 0, 100: mean 0, variance 20000/3; want 20, 100, 100: mean 220/3.
	if s.Count != 3 || !near(s.MeanNow(), 0) || !near(s.MeanWant(), 220.0/3) || !near(s.Gap(), 220.0/3) ||
		!near(s.StdDevNow(), math.Sqrt(20000.0/3)) {
		t.Errorf("stats %+v mean now %v want %v gap %v sd %v", s, s.MeanNow(), s.MeanWant(), s.Gap(), s.StdDevNow())
	}
	if s.Now != [TensionBins]int64{1, 0, 0, 0, 0, 1, 0, 0, 0, 1} || s.Want != [TensionBins]int64{0, 0, 0, 0, 0, 0, 1, 0, 0, 2} {
		t.Errorf("histograms now %v want %v", s.Now, s.Want)
	}
	// wanted: 20 and 100 → mean 60, sd 40.
	if st := tl.TensionSnapshot("steering", "staff"); st.Count != 2 || !near(st.MeanWant(), 60) || !near(st.StdDevWant(), 40) {
		t.Errorf("staff %+v", st)
	}
	if tl.ApplyTension(pos("p1", -100, 20), "staff") {
		t.Error("the same position changed the tally")
	}
	tl.ApplyTension(pos("p1", -40, -40), "staff")
	s = tl.TensionSnapshot("steering", "")
	if s.Count != 3 || s.SumNow != 60 || s.SumWant != 160 || s.Now != [TensionBins]int64{0, 0, 0, 1, 0, 1, 0, 0, 0, 1} {
		t.Errorf("after move %+v", s)
	}
	if z := tl.TensionSnapshot("privacy", ""); z.Count != 0 || !math.IsNaN(z.MeanNow()) || !math.IsNaN(z.Gap()) {
		t.Errorf("untouched tension %+v", z)
	}
}

// Ensures the bin edges of the tension histograms.
func TestTensionBin(t *testing.T) {
	for v, want := range map[int]int{-100: 0, -81: 0, -80: 1, -1: 4, 0: 5, 19: 5, 20: 6, 79: 8, 80: 9, 99: 9, 100: 9} {
		if got := TensionBin(v); got != want {
			t.Errorf("TensionBin(%d) = %d, want %d", v, got, want)
		}
	}
}

// Ensures a participant whose group changes takes every earlier answer and
// position to the new group, leaving the totals as they were.
func TestTallyGroupChange(t *testing.T) {
	w := testWorkshop()
	w.Questions = w.Questions[:1]
	tl := NewTally(w)
	tl.Apply(ans("p", "ai", domain.QImpact, iv(4)), "staff")
	tl.ApplyTension(domain.TensionPosition{ParticipantID: "p", TensionKey: "steering", Now: 5, Want: 50}, "staff")
	v := tl.Version()
	if !tl.Apply(ans("p", "ai", domain.QImpact, iv(4)), "managers") || tl.Version() != v+1 {
		t.Fatal("a group change did not count as a change")
	}
	if d := tl.Snapshot("ai", domain.QImpact, "staff"); d.Count != 0 {
		t.Errorf("staff still has %+v", d)
	}
	if d := tl.Snapshot("ai", domain.QImpact, "managers"); d.Count != 1 || d.Sum != 4 {
		t.Errorf("managers %+v", d)
	}
	if d := tl.Snapshot("ai", domain.QImpact, ""); d.Count != 1 {
		t.Errorf("total %+v", d)
	}
	if s := tl.TensionSnapshot("steering", "managers"); s.Count != 1 {
		t.Errorf("tension %+v", s)
	}
	p := tl.Progress()
	if p.Groups["staff"] != 0 || p.Groups["managers"] != 1 || p.Participants != 1 || p.CompletedByGroup["ai"]["managers"] != 1 || p.CompletedByGroup["ai"]["staff"] != 0 {
		t.Errorf("progress %+v", p)
	}
}

// Ensures removing a participant takes out every answer and position and
// leaves the Tally as if the participant had never answered.
func TestTallyRemoveParticipant(t *testing.T) {
	tl, ref := NewTally(testWorkshop()), NewTally(testWorkshop())
	for _, x := range []*Tally{tl, ref} {
		x.Apply(ans("keep", "ai", domain.QImpact, iv(2)), "staff")
		x.ApplyTension(domain.TensionPosition{ParticipantID: "keep", TensionKey: "privacy", Now: 1, Want: 2}, "staff")
	}
	for _, q := range domain.DefaultQuestions() {
		tl.Apply(ans("gone", "ageing", q.Key, iv(q.Max)), "members")
	}
	tl.ApplyTension(domain.TensionPosition{ParticipantID: "gone", TensionKey: "privacy", Now: 90, Want: -90}, "members")
	if !tl.RemoveParticipant("gone") || tl.RemoveParticipant("gone") || tl.RemoveParticipant("never") {
		t.Fatal("RemoveParticipant reports wrongly")
	}
	equalResults(t, tl, ref)
}

// equalResults fails unless both tallies hold the same aggregates for
// everyone and every group (versions aside).
func equalResults(t interface {
	Helper()
	Fatalf(string, ...any)
}, a, b *Tally) {
	t.Helper()
	for _, g := range append([]string{""}, a.groups...) {
		ra, rb := a.Results(g), b.Results(g)
		ra.Version, rb.Version = 0, 0
		if !reflect.DeepEqual(ra, rb) {
			t.Fatalf("results for group %q differ:\n%+v\n%+v", g, ra, rb)
		}
	}
}

// Ensures Results returns every trend, question and tension in the
// workshop's order with the version it was taken at.
func TestResults(t *testing.T) {
	tl := NewTally(testWorkshop())
	tl.Apply(ans("p", "ageing", domain.QReadiness, iv(5)), "staff")
	r := tl.Results("staff")
	if r.Version != 1 || len(r.Trends) != 2 || r.Trends[1].Key != "ageing" || len(r.Trends[1].Questions) != 5 ||
		r.Trends[1].Questions[4].Key != domain.QReadiness || r.Trends[1].Questions[4].Distribution.Count != 1 ||
		len(r.Tensions) != 2 || r.Tensions[0].Key != "steering" {
		t.Fatalf("results %+v", r)
	}
	if r := tl.Results("no-such-group"); r.Trends[1].Questions[4].Distribution.Count != 0 || len(r.Trends[1].Questions[4].Distribution.Counts) != 5 {
		t.Fatalf("unknown group %+v", r.Trends[1].Questions[4])
	}
}

// Ensures many goroutines can apply answers and read snapshots at once
// (run with -race), and that the result equals applying each participant's
// answers in order on one goroutine.
func TestTallyConcurrent(t *testing.T) {
	w := testWorkshop()
	tl, ref := NewTally(w), NewTally(w)
	groups := []string{"members", "managers", "staff", "residents", "partners"}
	ops := func(worker int) (as []domain.Answer, ps []domain.TensionPosition) {
		for i := range 2000 {
			p := fmt.Sprintf("w%d-p%d", worker, i%25)
			q := w.Questions[i%len(w.Questions)]
			var v *int
			if i%7 != 0 {
				v = iv(q.Min + (i*31+worker)%(q.Max-q.Min+1))
			}
			as = append(as, ans(p, w.TrendKeys[(i/5)%2], q.Key, v))
			if i%10 == 0 {
				ps = append(ps, domain.TensionPosition{ParticipantID: p, TensionKey: w.Tensions[i%2], Now: i%201 - 100, Want: (i*7)%201 - 100})
			}
		}
		return as, ps
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for worker := range 8 {
		as, ps := ops(worker)
		g := groups[worker%len(groups)]
		wg.Go(func() {
			for i, a := range as {
				tl.Apply(a, g)
				if i%10 == 0 {
					tl.ApplyTension(ps[i/10], g)
				}
			}
		})
		for i, a := range as {
			ref.Apply(a, g)
			if i%10 == 0 {
				ref.ApplyTension(ps[i/10], g)
			}
		}
	}
	var readers sync.WaitGroup
	for range 2 {
		readers.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				d := tl.Snapshot("ai", domain.QImpact, "staff")
				if d.Count < 0 || d.DontKnow < 0 {
					t.Error("negative count")
				}
				_ = tl.Results("")
				_ = tl.Progress()
				_ = tl.Version()
			}
		})
	}
	wg.Wait()
	close(stop)
	readers.Wait()
	equalResults(t, tl, ref)
}

// Ensures distributions, tension summaries and whole results encode as
// JSON (for the live stream) with the derived statistics, null where there
// are no values instead of a NaN that JSON cannot carry.
func TestJSON(t *testing.T) {
	tl := NewTally(testWorkshop())
	tl.Apply(ans("p1", "ai", domain.QImpact, iv(2)), "staff")
	tl.Apply(ans("p2", "ai", domain.QImpact, iv(4)), "staff")
	tl.Apply(ans("p3", "ai", domain.QImpact, nil), "staff")
	tl.ApplyTension(domain.TensionPosition{ParticipantID: "p1", TensionKey: "steering", Now: -20, Want: 40}, "staff")

	b, err := json.Marshal(tl.Snapshot("ai", domain.QImpact, ""))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"min":1,"max":5,"count":2,"dont_know":1,"counts":[0,1,0,1,0],"sum":6,"sum_sq":20,"mean":3,"sd":1,"median":3}`; string(b) != want {
		t.Errorf("distribution JSON\n got %s\nwant %s", b, want)
	}
	b, _ = json.Marshal(tl.Snapshot("ageing", domain.QImpact, ""))
	if want := `{"min":1,"max":5,"count":0,"dont_know":0,"counts":[0,0,0,0,0],"sum":0,"sum_sq":0,"mean":null,"sd":null,"median":null}`; string(b) != want {
		t.Errorf("empty distribution JSON\n got %s\nwant %s", b, want)
	}
	b, _ = json.Marshal(tl.TensionSnapshot("steering", ""))
	if want := `{"key":"steering","count":1,"sum_now":-20,"sum_want":40,"sum_sq_now":400,"sum_sq_want":1600,"now":[0,0,0,0,1,0,0,0,0,0],"want":[0,0,0,0,0,0,0,1,0,0],"mean_now":-20,"mean_want":40,"gap":60}`; string(b) != want {
		t.Errorf("tension JSON\n got %s\nwant %s", b, want)
	}
	b, err = json.Marshal(tl.Results(""))
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Version uint64 `json:"version"`
		Trends  []struct {
			Key       string `json:"key"`
			Questions []struct {
				Key          string `json:"key"`
				Distribution struct {
					Count int      `json:"count"`
					Mean  *float64 `json:"mean"`
				} `json:"distribution"`
			} `json:"questions"`
		} `json:"trends"`
		Progress Progress `json:"progress"`
	}
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	q := back.Trends[0].Questions[0]
	if back.Version != 4 || back.Trends[0].Key != "ai" || q.Key != domain.QImpact || q.Distribution.Count != 2 ||
		*q.Distribution.Mean != 3 || back.Trends[1].Questions[0].Distribution.Mean != nil || back.Progress.Groups["staff"] != 3 {
		t.Errorf("results JSON %s", b)
	}
}
