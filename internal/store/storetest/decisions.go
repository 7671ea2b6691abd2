package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/store"
)

// The priority decisions' tests join the contract suite from here, so that
// the suite's list in contract.go stays as it is.
func init() {
	Contract = append(Contract,
		Test{"PriorityDecisions", testPriorityDecisions},
		Test{"PriorityDecisionRules", testPriorityDecisionRules},
		Test{"PriorityDecisionTenants", testPriorityDecisionTenants},
		Test{"PriorityDecisionCascades", testPriorityDecisionCascades},
	)
}

// testPriorityDecisions ensures a decision round-trips with its reason,
// author (and the author's name) and time; that a second decision on the
// same trend replaces the first; that decisions list oldest first; and that
// deleting one removes only it, twice changing nothing.
func testPriorityDecisions(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "decide")
	must(t, db.UpdateUser(ctx(t), &domain.User{ID: a.owner.ID, Email: a.owner.Email, DisplayName: "Åsa Facilitator", Language: "sv"}))
	w := MustWorkshop(t, db, a.org.ID, "DECIDE01")
	at := time.Date(2026, 3, 1, 9, 30, 0, 123456789, time.UTC)
	pin := &domain.PriorityDecision{WorkshopID: w.ID, TrendKey: TrendAI, Kind: domain.PriorityPin,
		Reason: "The board asked for it – åäö \"first\"\nsecond line", DecidedBy: a.owner.ID, DecidedAt: at}
	must(t, db.SetPriorityDecision(ctx(t), a.org.ID, pin))
	wantTime(t, pin.DecidedAt, µs(at), "DecidedAt after set")
	excl := &domain.PriorityDecision{WorkshopID: w.ID, TrendKey: TrendAgeing, Kind: domain.PriorityExclude, Reason: "Covered by the care plan"}
	must(t, db.SetPriorityDecision(ctx(t), a.org.ID, excl))
	if excl.DecidedAt.IsZero() || excl.DecidedAt.Location() != time.UTC {
		t.Errorf("a zero DecidedAt was set to %v", excl.DecidedAt)
	}

	ds, err := db.PriorityDecisions(ctx(t), a.org.ID, w.ID)
	must(t, err)
	if len(ds) != 2 {
		t.Fatalf("%d decisions, want 2: %+v", len(ds), ds)
	}
	got := ds[0]
	want := domain.PriorityDecision{WorkshopID: w.ID, TrendKey: TrendAI, Kind: domain.PriorityPin, Reason: pin.Reason,
		DecidedBy: a.owner.ID, DecidedByName: "Åsa Facilitator", DecidedAt: µs(at)}
	if got != want {
		t.Errorf("first decision:\n got  %+v\n want %+v", got, want)
	}
	if ds[1].TrendKey != TrendAgeing || ds[1].Kind != domain.PriorityExclude || ds[1].DecidedBy != "" || ds[1].DecidedByName != "" {
		t.Errorf("second decision %+v", ds[1])
	}

	// A new decision on the same trend replaces the old one.
	later := at.Add(time.Hour)
	must(t, db.SetPriorityDecision(ctx(t), a.org.ID, &domain.PriorityDecision{WorkshopID: w.ID, TrendKey: TrendAI,
		Kind: domain.PriorityExclude, Reason: "Changed our mind", DecidedAt: later}))
	ds, err = db.PriorityDecisions(ctx(t), a.org.ID, w.ID)
	must(t, err)
	if len(ds) != 2 {
		t.Fatalf("after replacing: %d decisions, want 2", len(ds))
	}
	var ai domain.PriorityDecision
	for _, d := range ds {
		if d.TrendKey == TrendAI {
			ai = d
		}
	}
	if ai.Kind != domain.PriorityExclude || ai.Reason != "Changed our mind" || ai.DecidedBy != "" || ai.DecidedAt != µs(later) {
		t.Errorf("replaced decision %+v", ai)
	}
	if n := countRows(t, db, "SELECT COUNT(*) FROM priority_decisions WHERE workshop_id = $1", w.ID); n != 2 {
		t.Errorf("%d rows stored, want 2", n)
	}

	must(t, db.DeletePriorityDecision(ctx(t), a.org.ID, w.ID, TrendAI))
	must(t, db.DeletePriorityDecision(ctx(t), a.org.ID, w.ID, TrendAI))
	must(t, db.DeletePriorityDecision(ctx(t), a.org.ID, w.ID, "no-such-trend"))
	ds, err = db.PriorityDecisions(ctx(t), a.org.ID, w.ID)
	must(t, err)
	if len(ds) != 1 || ds[0].TrendKey != TrendAgeing {
		t.Errorf("after deleting: %+v", ds)
	}
}

// testPriorityDecisionRules ensures a decision of another kind than pin or
// exclude is refused, and one without a trend or reason, with a reason over
// the limit, or by a user who does not exist is refused with EINVALID, all
// storing nothing; a reason of exactly the
// limit is taken; and the schema itself refuses what the checks refuse.
func testPriorityDecisionRules(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "rules")
	w := MustWorkshop(t, db, a.org.ID, "RULES001")
	base := domain.PriorityDecision{WorkshopID: w.ID, TrendKey: TrendAI, Kind: domain.PriorityPin, Reason: "Because"}
	for _, kind := range []domain.PriorityKind{"promote", ""} {
		d := base
		d.Kind = kind
		if err := db.SetPriorityDecision(ctx(t), a.org.ID, &d); err == nil {
			t.Errorf("kind %q was taken", kind)
		}
	}
	for name, change := range map[string]func(*domain.PriorityDecision){
		"no trend":      func(d *domain.PriorityDecision) { d.TrendKey = "" },
		"no reason":     func(d *domain.PriorityDecision) { d.Reason = "" },
		"blank reason":  func(d *domain.PriorityDecision) { d.Reason = " \n\t " },
		"long reason":   func(d *domain.PriorityDecision) { d.Reason = strings.Repeat("å", domain.MaxDecisionReasonLen+1) },
		"unknown actor": func(d *domain.PriorityDecision) { d.DecidedBy = "00000000-0000-7000-8000-000000000000" },
	} {
		d := base
		change(&d)
		wantCode(t, db.SetPriorityDecision(ctx(t), a.org.ID, &d), domain.EINVALID, name)
	}
	if n := countRows(t, db, "SELECT COUNT(*) FROM priority_decisions"); n != 0 {
		t.Errorf("refused decisions stored %d rows", n)
	}
	d := base
	d.Reason = strings.Repeat("å", domain.MaxDecisionReasonLen)
	must(t, db.SetPriorityDecision(ctx(t), a.org.ID, &d))

	for name, q := range map[string]string{
		"kind":   `INSERT INTO priority_decisions (workshop_id, trend_key, kind, reason, decided_at) VALUES ($1, 'x', 'promote', 'r', 1)`,
		"reason": `INSERT INTO priority_decisions (workshop_id, trend_key, kind, reason, decided_at) VALUES ($1, 'y', 'pin', '', 1)`,
		"trend":  `INSERT INTO priority_decisions (workshop_id, trend_key, kind, reason, decided_at) VALUES ($1, '', 'pin', 'r', 1)`,
	} {
		if _, err := db.SQL().ExecContext(ctx(t), q, w.ID); err == nil {
			t.Errorf("the schema took a decision with a bad %s", name)
		}
	}
	if _, err := db.SQL().ExecContext(ctx(t),
		`INSERT INTO priority_decisions (workshop_id, trend_key, kind, reason, decided_at) VALUES ('00000000-0000-7000-8000-000000000000', 'x', 'pin', 'r', 1)`); err == nil {
		t.Error("the schema took a decision on a workshop that does not exist")
	}
}

// testPriorityDecisionTenants ensures another organisation can neither set,
// delete nor list a workshop's decisions, and gets exactly the error a
// missing workshop gives.
func testPriorityDecisionTenants(t *testing.T, db *store.DB) {
	a, b := newTenant(t, db, "tenant-a"), newTenant(t, db, "tenant-b")
	w := MustWorkshop(t, db, a.org.ID, "TENANT01")
	must(t, db.SetPriorityDecision(ctx(t), a.org.ID, &domain.PriorityDecision{WorkshopID: w.ID, TrendKey: TrendAI, Kind: domain.PriorityPin, Reason: "Ours"}))
	missing := "00000000-0000-7000-8000-000000000000"
	_, ref := db.PriorityDecisions(ctx(t), a.org.ID, missing)
	wantCode(t, ref, domain.ENOTFOUND, "listing a missing workshop")

	err := db.SetPriorityDecision(ctx(t), b.org.ID, &domain.PriorityDecision{WorkshopID: w.ID, TrendKey: TrendAI, Kind: domain.PriorityExclude, Reason: "Theirs"})
	wantSameError(t, err, ref, "setting through another organisation")
	wantSameError(t, db.DeletePriorityDecision(ctx(t), b.org.ID, w.ID, TrendAI), ref, "deleting through another organisation")
	_, err = db.PriorityDecisions(ctx(t), b.org.ID, w.ID)
	wantSameError(t, err, ref, "listing through another organisation")
	wantSameError(t, db.DeletePriorityDecision(ctx(t), a.org.ID, missing, TrendAI), ref, "deleting on a missing workshop")

	ds, err := db.PriorityDecisions(ctx(t), a.org.ID, w.ID)
	must(t, err)
	if len(ds) != 1 || ds[0].Kind != domain.PriorityPin || ds[0].Reason != "Ours" {
		t.Errorf("the other organisation changed the decision: %+v", ds)
	}
}

// testPriorityDecisionCascades ensures deleting a workshop deletes its
// decisions (and only its own), and deleting the deciding user keeps the
// decision without an author.
func testPriorityDecisionCascades(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "cascade")
	w, other := MustWorkshop(t, db, a.org.ID, "CASCADE1"), MustWorkshop(t, db, a.org.ID, "CASCADE2")
	u := MustUser(t, db, "leaver@example.org")
	MustMember(t, db, a.org.ID, u.ID, domain.Facilitator)
	for _, ws := range []*domain.Workshop{w, other} {
		must(t, db.SetPriorityDecision(ctx(t), a.org.ID, &domain.PriorityDecision{WorkshopID: ws.ID, TrendKey: TrendAI,
			Kind: domain.PriorityPin, Reason: "Pinned", DecidedBy: u.ID}))
	}
	if _, err := db.SQL().ExecContext(ctx(t), `DELETE FROM users WHERE id = $1`, u.ID); err != nil {
		t.Fatal(err)
	}
	ds, err := db.PriorityDecisions(ctx(t), a.org.ID, other.ID)
	must(t, err)
	if len(ds) != 1 || ds[0].DecidedBy != "" || ds[0].DecidedByName != "" {
		t.Errorf("after deleting the user: %+v", ds)
	}
	must(t, db.DeleteWorkshop(ctx(t), a.org.ID, w.ID))
	if n := countRows(t, db, "SELECT COUNT(*) FROM priority_decisions WHERE workshop_id = $1", w.ID); n != 0 {
		t.Errorf("%d decisions of the deleted workshop remain", n)
	}
	if n := countRows(t, db, "SELECT COUNT(*) FROM priority_decisions WHERE workshop_id = $1", other.ID); n != 1 {
		t.Errorf("%d decisions of the other workshop remain, want 1", n)
	}
}
