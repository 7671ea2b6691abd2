package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/store"
)

// Keys of RichContent that workshops in tests use.
const (
	TrendAgeing = "ageing-population"
	TrendSVOnly = "sv-only"
	TrendAI     = "ai-in-casework"
	TensionA    = "local-vs-national"
	TensionB    = "speed-vs-safety"
)

// NewWorkshop returns a valid live draft workshop of orgID over the
// RichContent version versionID (from MustLibrary), with the default
// questions and groups, every trend and field of tension, and the join
// code. It is not stored.
func NewWorkshop(orgID, versionID, code string) *domain.Workshop {
	return &domain.Workshop{
		OrgID:     orgID,
		Title:     "Trends workshop " + code,
		Purpose:   "Rate the trends together.",
		VersionID: versionID,
		TrendKeys: []string{TrendAgeing, TrendSVOnly, TrendAI},
		Tensions:  []string{TensionA, TensionB},
		Questions: domain.DefaultQuestions(),
		Groups:    domain.DefaultGroups(),
		Mode:      domain.Live,
		Language:  "sv",
		Anonymous: true,
		Dots:      3,
		Phase:     domain.PhaseDraft,
		Code:      code,
	}
}

// MustWorkshop stores a new RichContent library of orgID and a workshop
// over it (NewWorkshop) with the join code, or fails tb.
func MustWorkshop(tb testing.TB, db *store.DB, orgID, code string) *domain.Workshop {
	tb.Helper()
	_, v := MustLibrary(tb, db, orgID, RichContent())
	w := NewWorkshop(orgID, v.ID, code)
	if err := db.CreateWorkshop(context.Background(), w); err != nil {
		tb.Fatalf("create workshop %s: %v", code, err)
	}
	return w
}

// MustParticipant adds a participant with a random token hash to the
// workshop, in the group, or fails tb.
func MustParticipant(tb testing.TB, db *store.DB, workshopID, group string) *domain.Participant {
	tb.Helper()
	var b [16]byte
	rand.Read(b[:])
	p := &domain.Participant{WorkshopID: workshopID, TokenHash: hex.EncodeToString(b[:]), Group: group}
	if err := db.AddParticipant(context.Background(), p); err != nil {
		tb.Fatalf("add participant: %v", err)
	}
	return p
}
