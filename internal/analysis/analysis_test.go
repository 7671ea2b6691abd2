package analysis

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/workshop"
)

// sampleContent is a library version with five driving forces and n
// trends, each under one or two forces (and every seventh under none).
func sampleContent(n int) *domain.Content {
	c := &domain.Content{}
	for i := range 5 {
		c.DrivingForces = append(c.DrivingForces, domain.DrivingForce{Key: fmt.Sprint("force-", i), Name: domain.T(fmt.Sprint("Force ", i), fmt.Sprint("Kraft ", i))})
	}
	for i := range n {
		t := domain.Trend{Key: fmt.Sprintf("trend-%02d", i), Title: domain.T(fmt.Sprintf("Trend %d of the sample", i), fmt.Sprintf("Trend %d i exemplet", i)),
			Category: domain.Categories[i%3]}
		if i%7 != 6 {
			t.DrivingForces = []string{fmt.Sprint("force-", i%5), fmt.Sprint("force-", (i+1)%5)}
		}
		c.Trends = append(c.Trends, t)
	}
	return c
}

// sampleTally returns a workshop over the content's trends and a Tally
// holding the answers of np participants in the default groups, each
// answering every question of every trend; about one answer in ten is
// "don't know". Trends differ in their typical answers.
func sampleTally(c *domain.Content, np int) (*domain.Workshop, *workshop.Tally) {
	w := testWorkshop()
	for _, t := range c.Trends {
		w.TrendKeys = append(w.TrendKeys, t.Key)
	}
	tl := workshop.NewTally(w)
	rng := rand.New(rand.NewPCG(1, 2))
	values := make([]int, 16)
	for i := range values {
		values[i] = i - 5
	}
	for p := range np {
		id, group := fmt.Sprintf("p%05d", p), w.Groups[p%len(w.Groups)].Key
		for ti, tk := range w.TrendKeys {
			for qi, q := range w.Questions {
				a := domain.Answer{ParticipantID: id, TrendKey: tk, QuestionKey: q.Key}
				if rng.IntN(10) > 0 {
					span := q.Max - q.Min + 1
					centre := (ti*7 + qi*3 + p%len(w.Groups)) % span // trends and groups lean differently
					v := q.Min + min(span-1, max(0, centre+rng.IntN(3)-1))
					a.Value = &values[v+5]
				}
				tl.Apply(a, group)
			}
		}
	}
	return w, tl
}

// fullInput returns the input of a whole analysis from a Tally: results
// for everyone and each group, labels and driving-force sectors.
func fullInput(c *domain.Content, w *domain.Workshop, tl *workshop.Tally) Input {
	sectors, infos := DrivingForceSectors(c, w.TrendKeys, "en")
	in := Input{Everyone: tl.Results(""), Questions: w.Questions, Trends: infos, Sectors: sectors}
	for _, g := range w.Groups {
		in.Groups = append(in.Groups, GroupResults{Group: g.Key, Label: g.Name.String("en"), Results: tl.Results(g.Key)})
	}
	return in
}

// TestAnalyze ensures a whole analysis accounts for every trend in every
// view — once in the ranking, in the matrix or its unplaced list, on the
// radar — and that its views hold their geometric promises and survive a
// JSON round trip without NaN errors.
func TestAnalyze(t *testing.T) {
	c := sampleContent(30)
	w, tl := sampleTally(c, 200)
	// One trend nobody answered with a value: it must still be listed.
	for p := range 3 {
		tl.Apply(domain.Answer{ParticipantID: fmt.Sprint("late", p), TrendKey: "trend-00", QuestionKey: "impact"}, "staff")
	}
	in := fullInput(c, w, tl)
	a := Analyze(in, Options{Decisions: []Decision{{TrendKey: "trend-05", Kind: Exclude, Reason: "Out of scope"}}})

	if len(a.Trends) != 30 || len(a.Ranking.Trends) != 30 || len(a.Radar.Entries) != 30 {
		t.Fatalf("%d trends, %d ranked, %d on the radar", len(a.Trends), len(a.Ranking.Trends), len(a.Radar.Entries))
	}
	if got := len(a.Matrix.Points) + len(a.Matrix.Unplaced); got != 30 {
		t.Errorf("%d trends in the matrix", got)
	}
	if last := a.Ranking.Trends[29]; last.Key != "trend-05" || last.Standing != Excluded {
		t.Errorf("last in the ranking: %+v", last)
	}
	if len(a.Groups) != 5 {
		t.Errorf("%d group comparisons, want one per question", len(a.Groups))
	}
	for _, g := range a.Groups {
		if len(g.Rows) != 30 || len(g.Groups) != 5 {
			t.Errorf("%s: %d rows, %d groups", g.Question, len(g.Rows), len(g.Groups))
		}
	}
	// Sectors: the five forces, in order, and Other for trends under none.
	if len(a.Radar.Sectors) != 6 || a.Radar.Sectors[0].Label != "Force 0" || a.Radar.Sectors[5].Key != OtherSector {
		t.Errorf("sectors %+v", a.Radar.Sectors)
	}
	if a.Radar.Rings[0].Label != "Now" || a.Radar.Rings[3].Label != "Beyond 10 years" {
		t.Errorf("rings %+v", a.Radar.Rings)
	}
	var entries []RadarEntry
	for _, tr := range a.Trends {
		entries = append(entries, RadarEntry{Key: tr.Key})
	}
	checkRadar(t, a.Radar, entries)
	checkLabels(t, a.Matrix)
	if a.Matrix.Points[0].Key != a.Ranking.Trends[0].Key && a.Ranking.Trends[0].Standing == Ranked {
		t.Errorf("the matrix does not place the top priority's label first")
	}
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatalf("JSON: %v", err)
	}
	var back map[string]any
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	t.Logf("analysis of 200 participants × 30 trends: %d KB of JSON; %s", len(b)/1024, a.Ranking.Summary.EN)
}

// TestAnalyzeUsesTheGivenSectors ensures the radar's sectors are the
// caller's choice: categories instead of driving forces.
func TestAnalyzeUsesTheGivenSectors(t *testing.T) {
	c := sampleContent(9)
	w, tl := sampleTally(c, 10)
	in := fullInput(c, w, tl)
	in.Sectors, in.Trends = CategorySectors(c, w.TrendKeys, "sv")
	a := Analyze(in, Options{Lang: "sv"})
	var labels []string
	for _, s := range a.Radar.Sectors {
		labels = append(labels, s.Label)
		if s.Count != 3 {
			t.Errorf("%s has %d trends, want 3", s.Key, s.Count)
		}
	}
	if !slices.Equal(labels, []string{"Samhälle", "Digitalt", "Teknik"}) {
		t.Errorf("sectors %v", labels)
	}
	if a.Radar.Rings[1].Label != "Inom 3 år" || a.Trends[0].Label != "Trend 0 i exemplet" {
		t.Errorf("ring %q, trend %q", a.Radar.Rings[1].Label, a.Trends[0].Label)
	}
}

// TestAnalyzeEmpty ensures a workshop without answers gives an analysis
// with every trend listed and nothing computed from nothing.
func TestAnalyzeEmpty(t *testing.T) {
	c := sampleContent(4)
	w, _ := sampleTally(c, 0)
	tl := workshop.NewTally(w)
	a := Analyze(fullInput(c, w, tl), Options{})
	if len(a.Ranking.Trends) != 4 || a.Ranking.Trends[0].Standing != Unrated || len(a.Matrix.Unplaced) != 4 || len(a.Radar.Entries) != 4 {
		t.Errorf("ranking %+v, unplaced %d, radar %d", a.Ranking.Trends, len(a.Matrix.Unplaced), len(a.Radar.Entries))
	}
	if a.Ranking.Summary.EN != "No trend has enough answers for a priority yet." {
		t.Errorf("summary %q", a.Ranking.Summary.EN)
	}
	if _, err := json.Marshal(a); err != nil {
		t.Fatal(err)
	}
}
