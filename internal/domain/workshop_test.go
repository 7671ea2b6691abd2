package domain

import (
	"strings"
	"testing"
	"time"
)

func sampleWorkshop() (*Workshop, *Content) {
	c := &Content{
		Name:     T("Lib", "Bibl"),
		Trends:   []Trend{{Key: "ai", Title: T("AI", "AI"), Category: Technology}, {Key: "care", Title: T("Care", "Vård"), Category: Societal}},
		Tensions: []Tension{{Key: "steer", Name: T("Steering", "Styrning"), PoleA: T("Local", "Lokalt"), PoleB: T("National", "Nationellt")}},
	}
	w := &Workshop{Title: " Budget day ", TrendKeys: []string{"ai", "care"}, Tensions: []string{"steer"},
		Questions: DefaultQuestions(), Groups: DefaultGroups(), Mode: Live, Language: "sv", Dots: 3}
	return w, c
}

// Ensures a sensible workshop passes and every broken setting is reported
// with its field.
func TestWorkshopValidate(t *testing.T) {
	w, c := sampleWorkshop()
	if ps := w.Validate(c); ps != nil {
		t.Fatalf("valid workshop: %v", ps)
	}
	if w.Title != "Budget day" {
		t.Fatalf("title not trimmed: %q", w.Title)
	}
	w.Title = ""
	w.TrendKeys = []string{"ai", "ai", "ghost"}
	w.Tensions = []string{"nope"}
	w.Questions = append(w.Questions, Question{Key: "impact", Label: T("Again", ""), Min: 3, Max: 3})
	w.Groups = []Group{{Key: "Bad Key"}}
	w.Mode = Async
	w.Language = "fi"
	w.Dots = 0
	var got []string
	for _, p := range w.Validate(c) {
		got = append(got, p.Field+": "+p.Message)
	}
	want := []string{
		"title: is required",
		`trends: "ai" is listed twice`,
		`trends: "ghost" is not a trend of the library version`,
		`tensions: "nope" is not a field of tension of the library version`,
		`questions[5].key: "impact" is used twice`,
		"questions[5].max: the scale must have 2 to 11 values",
		`groups[0].key: "Bad Key" must be lower-case letters, digits and hyphens, at most 64 characters`,
		"groups[0].name: is required in English or Swedish",
		"closes_at: an asynchronous round needs an opening and a closing time",
		"language: must be en or sv",
		"dots: must be between 1 and 20",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("problems\n got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Ensures answers are checked against the workshop's trends and scales,
// and "don't know" (nil) is always accepted.
func TestValidateAnswer(t *testing.T) {
	w, _ := sampleWorkshop()
	v := func(n int) *int { return &n }
	if ps := w.ValidateAnswer(Answer{TrendKey: "ai", QuestionKey: QDirection, Value: v(-2)}, "0"); ps != nil {
		t.Fatal(ps)
	}
	if ps := w.ValidateAnswer(Answer{TrendKey: "ai", QuestionKey: QImpact}, "0"); ps != nil {
		t.Fatal("don't know rejected:", ps)
	}
	ps := w.ValidateAnswer(Answer{TrendKey: "ghost", QuestionKey: QImpact, Value: v(6)}, "3")
	if len(ps) != 2 || ps[0].Field != "trend" || ps[1].Message != "6 is outside the scale 1 to 5" || ps[1].Where != "3" {
		t.Fatalf("problems: %v", ps)
	}
	if ps := w.ValidateAnswer(Answer{TrendKey: "ai", QuestionKey: "mood"}, "0"); len(ps) != 1 || ps[0].Field != "question" {
		t.Fatalf("unknown question: %v", ps)
	}
}

// Ensures live workshops take each kind of input in its own phase and
// async ones everything between their dates.
func TestAccepts(t *testing.T) {
	w, _ := sampleWorkshop()
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	w.Phase = PhaseRating
	if !w.Accepts(PhaseRating, now) || w.Accepts(PhaseTensions, now) {
		t.Fatal("live workshop accepts the wrong phase")
	}
	opens, closes := now.Add(-time.Hour), now.Add(time.Hour)
	w.Mode, w.OpensAt, w.ClosesAt, w.Phase = Async, &opens, &closes, PhaseLobby
	if !w.Accepts(PhaseTensions, now) || w.Accepts(PhaseRating, closes) {
		t.Fatal("async workshop window wrong")
	}
	w.Phase = PhaseClosed
	if w.Accepts(PhaseRating, now) {
		t.Fatal("closed workshop accepts")
	}
}

// Ensures a list of problems counts as invalid input wherever codes are
// mapped (HTTP 422, not 500).
func TestProblemsAreInvalid(t *testing.T) {
	var err error = Problems{{Field: "x", Message: "is required"}}
	if ErrorCode(err) != EINVALID || ErrorMessage(err) != "x: is required" {
		t.Fatalf("code %q, message %q", ErrorCode(err), ErrorMessage(err))
	}
}
