package web

import (
	"testing"

	"github.com/waymark/waymark/internal/i18n"
)

// Ensures the participant message ids that code builds at run time exist
// in both catalogues (the scan in TestEveryUsedMessageIsTranslated sees
// only literal ids).
func TestParticipantMessageIDs(t *testing.T) {
	cat := i18n.MustNew()
	ids := []string{"join.error_unknown", "join.error_lookalike", "join.error_length"}
	for _, s := range []string{stepRating, stepTensions, stepConsequences, stepVoting} {
		ids = append(ids, "participant.step."+s)
	}
	for _, s := range []string{"answers", "tension", "idea", "dots", "upvote"} {
		ids = append(ids, "participant.saved."+s)
	}
	for _, code := range []string{"ABCD-EFGH", "abcd0fgh", "ABC", "ZZZZ ZZZZ"} {
		ids = append(ids, codeProblem(code))
	}
	for _, id := range ids {
		for _, lang := range i18n.Languages {
			if !cat.Has(lang, id) {
				t.Errorf("%s is missing from %s.json", id, lang)
			}
		}
	}
	if got := codeProblem("abcd-efg0"); got != "join.error_lookalike" {
		t.Errorf("codeProblem with a zero = %s", got)
	}
	if got := codeProblem("ABCD-EFGHJ"); got != "join.error_length" {
		t.Errorf("codeProblem with 9 characters = %s", got)
	}
}
