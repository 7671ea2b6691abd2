package e2e

import (
	"context"
	"testing"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/service"
	"github.com/waymark/waymark/internal/workshop"
)

// Ensures that when the facilitator shows the results, a participant's
// phone shows them without a reload, follows new answers by itself (at
// most every few seconds), and keeps the trend the participant opened
// open while the numbers change; the results screen passes axe.
func TestParticipantResultsFollowAnswers(t *testing.T) {
	t.Parallel()
	d := startDemo(t)
	ctx := context.Background()
	ws, owner := d.liveWorkshop(t)
	alice := d.phone()
	joinByCode(t, alice, workshop.FormatCode(ws.Code), "group", ws, false)
	var err error
	if ws, err = d.Svc.SetPhase(ctx, owner, ws.ID, domain.PhaseRating); err != nil {
		t.Fatal(err)
	}
	alice.WaitFor(`(document.getElementById('wm-screen') || {dataset: {}}).dataset.wmStep === 'rating'`)

	// Five others rate the first trend's impact: enough to show it.
	trend := ws.TrendKeys[0]
	answer := func(value int) {
		t.Helper()
		_, w, p, err := d.Svc.Join(ctx, ws.Code, ws.Groups[0].Key, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Svc.SubmitAnswers(ctx, w, p, []service.AnswerInput{{Trend: trend, Question: "impact", Value: &value}}); err != nil {
			t.Fatal(err)
		}
	}
	for v := range 5 {
		answer(1 + v)
	}
	mark(alice, "alice")
	if _, err := d.Svc.SetShowResults(ctx, owner, ws.ID, true); err != nil {
		t.Fatal(err)
	}
	caption := `(document.querySelector('#results details[data-wm-details] caption') || {textContent: ''}).textContent`
	alice.WaitFor(caption + `.includes('5 answers')`)
	alice.Click("#results details[data-wm-details] summary")
	alice.WaitFor(`document.querySelector('#results details[data-wm-details]').open`)
	audit(alice, "results")

	answer(3)
	alice.WaitFor(caption + `.includes('6 answers')`)
	var open bool
	alice.Eval(`document.querySelector('#results details[data-wm-details]').open`, &open)
	if !open {
		t.Error("the trend the participant opened closed when the results changed")
	}
	marked(t, alice, "alice")
}
