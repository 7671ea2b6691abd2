package storetest

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/store"
)

// The capability assessment's tests join the contract suite from here, so
// that the suite's list in contract.go stays as it is.
func init() {
	Contract = append(Contract,
		Test{"AssessmentRounds", testAssessmentRounds},
		Test{"AssessmentRoundVersionRules", testAssessmentRoundVersionRules},
		Test{"Assessments", testAssessments},
		Test{"AssessmentRules", testAssessmentRules},
		Test{"DemandLinks", testDemandLinks},
		Test{"CapabilityTenants", testCapabilityTenants},
	)
}

// Keys of RichContent's capability areas.
const (
	AreaData       = "data"
	AreaLeadership = "leadership"
)

// MustRound stores a new RichContent library of orgID and an assessment
// round over it, or fails tb.
func MustRound(tb testing.TB, db *store.DB, orgID, title string) *domain.AssessmentRound {
	tb.Helper()
	_, v := MustLibrary(tb, db, orgID, RichContent())
	r := &domain.AssessmentRound{OrgID: orgID, Title: title, VersionID: v.ID}
	if err := db.CreateAssessmentRound(context.Background(), r); err != nil {
		tb.Fatalf("create assessment round %s: %v", title, err)
	}
	return r
}

// testAssessmentRounds ensures a round round-trips with every field, lists
// newest first with its number of assessors and latest answer, is renamed
// without changing its version, and is deleted with its answers and demand
// links.
func testAssessmentRounds(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "rounds")
	lib, v := MustLibrary(t, db, a.org.ID, RichContent())
	r := &domain.AssessmentRound{OrgID: a.org.ID, Title: "Förmågor 2026 – \"första\"", Description: "Alla chefer.\nRad två.",
		VersionID: v.ID, CreatedBy: a.owner.ID}
	must(t, db.CreateAssessmentRound(ctx(t), r))
	if r.ID == "" || r.LibraryID != lib.ID || r.CreatedAt.IsZero() || r.UpdatedAt != r.CreatedAt {
		t.Fatalf("CreateAssessmentRound did not set ID, LibraryID and times: %+v", r)
	}
	got, err := db.AssessmentRound(ctx(t), a.org.ID, r.ID)
	must(t, err)
	if *got != *r {
		t.Errorf("round:\n got  %+v\n want %+v", got, r)
	}

	later := MustRound(t, db, a.org.ID, "Later round")
	u := MustUser(t, db, "assessor@example.org")
	at := time.Date(2026, 2, 3, 4, 5, 6, 7000, time.UTC)
	must(t, db.SaveAssessments(ctx(t), a.org.ID, r.ID, []domain.Assessment{
		{AssessorID: a.owner.ID, AreaKey: AreaData, Current: 2, Target: 4},
		{AssessorID: u.ID, AreaKey: AreaData, Current: 3, Target: 4, At: at},
		{AssessorID: u.ID, AreaKey: AreaLeadership, Current: 1, Target: 5, At: at.Add(-time.Hour)},
	}))
	list, err := db.AssessmentRounds(ctx(t), a.org.ID)
	must(t, err)
	if len(list) != 2 || list[0].ID != later.ID || list[1].ID != r.ID {
		t.Fatalf("rounds not newest first: %+v", list)
	}
	if list[0].Assessors != 0 || list[0].LastAnswerAt != nil {
		t.Errorf("a round without answers: %+v", list[0])
	}
	if list[1].Assessors != 2 || list[1].LastAnswerAt == nil || list[1].AssessmentRound != *r {
		t.Errorf("a round with answers: %+v", list[1])
	}

	r.Title, r.Description, r.VersionID = "Renamed", "", "ignored"
	must(t, db.UpdateAssessmentRound(ctx(t), r))
	got, err = db.AssessmentRound(ctx(t), a.org.ID, r.ID)
	must(t, err)
	if got.Title != "Renamed" || got.Description != "" || got.VersionID != v.ID || got.UpdatedAt != r.UpdatedAt {
		t.Errorf("after update: %+v", got)
	}
	wantCode(t, db.UpdateAssessmentRound(ctx(t), &domain.AssessmentRound{OrgID: a.org.ID, ID: r.ID}), domain.EINVALID, "update without a title")

	must(t, db.SetDemandLinks(ctx(t), a.org.ID, r.ID, []domain.DemandLink{{TrendKey: TrendAI, AreaKey: AreaData, Level: 3}}))
	must(t, db.DeleteAssessmentRound(ctx(t), a.org.ID, r.ID))
	_, err = db.AssessmentRound(ctx(t), a.org.ID, r.ID)
	wantCode(t, err, domain.ENOTFOUND, "a deleted round")
	wantCode(t, db.DeleteAssessmentRound(ctx(t), a.org.ID, r.ID), domain.ENOTFOUND, "deleting twice")
	for _, table := range []string{"capability_assessments", "capability_demand"} {
		if n := countRows(t, db, "SELECT COUNT(*) FROM "+table+" WHERE round_id = $1", r.ID); n != 0 {
			t.Errorf("%d rows of %s remain after deleting the round", n, table)
		}
	}
}

// testAssessmentRoundVersionRules ensures a round needs a published version
// of an own library, and that a library whose version a round uses cannot
// be deleted while the round exists.
func testAssessmentRoundVersionRules(t *testing.T, db *store.DB) {
	a, b := newTenant(t, db, "ver-a"), newTenant(t, db, "ver-b")
	lib, v := MustLibrary(t, db, a.org.ID, RichContent())
	d, err := db.CreateDraft(ctx(t), a.org.ID, lib.ID, v.ID)
	must(t, err)
	wantCode(t, db.CreateAssessmentRound(ctx(t), &domain.AssessmentRound{OrgID: a.org.ID, Title: "Draft", VersionID: d.ID}),
		domain.EINVALID, "a draft version")
	_, bv := MustLibrary(t, db, b.org.ID, RichContent())
	wantCode(t, db.CreateAssessmentRound(ctx(t), &domain.AssessmentRound{OrgID: a.org.ID, Title: "Theirs", VersionID: bv.ID}),
		domain.ENOTFOUND, "another organisation's version")
	wantCode(t, db.CreateAssessmentRound(ctx(t), &domain.AssessmentRound{OrgID: a.org.ID, Title: "Missing", VersionID: "00000000-0000-7000-8000-000000000000"}),
		domain.ENOTFOUND, "a missing version")
	wantCode(t, db.CreateAssessmentRound(ctx(t), &domain.AssessmentRound{OrgID: a.org.ID, Title: " ", VersionID: v.ID}),
		domain.EINVALID, "no title")
	if n := countRows(t, db, "SELECT COUNT(*) FROM assessment_rounds"); n != 0 {
		t.Fatalf("refused rounds stored %d rows", n)
	}

	r := &domain.AssessmentRound{OrgID: a.org.ID, Title: "In use", VersionID: v.ID}
	must(t, db.CreateAssessmentRound(ctx(t), r))
	wantCode(t, db.DeleteLibrary(ctx(t), a.org.ID, lib.ID), domain.ECONFLICT, "deleting a library a round uses")
	must(t, db.DeleteAssessmentRound(ctx(t), a.org.ID, r.ID))
	must(t, db.DeleteLibrary(ctx(t), a.org.ID, lib.ID))
}

// testAssessments ensures answers round-trip with the assessor's name and
// their times, that the last answer of an assessor on an area replaces the
// earlier one (one row), that deleting an answer removes only it, and that
// deleting the assessor deletes their answers.
func testAssessments(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "assess")
	r := MustRound(t, db, a.org.ID, "Round")
	must(t, db.UpdateUser(ctx(t), &domain.User{ID: a.owner.ID, Email: a.owner.Email, DisplayName: "Åsa Ägare", Language: "sv"}))
	u := MustUser(t, db, "second@example.org")
	at := time.Date(2026, 1, 2, 3, 4, 5, 678901234, time.UTC)
	first := []domain.Assessment{
		{AssessorID: a.owner.ID, AreaKey: AreaData, Current: 2, Target: 4, Evidence: "Data strategy exists – \"draft\"\n2 lines", At: at},
		{AssessorID: a.owner.ID, AreaKey: AreaLeadership, Current: 1, Target: 3},
	}
	must(t, db.SaveAssessments(ctx(t), a.org.ID, r.ID, first))
	wantTime(t, first[0].At, µs(at), "a given At")
	if first[1].At.IsZero() || first[0].RoundID != r.ID {
		t.Errorf("SaveAssessments did not set RoundID and a zero At: %+v", first[1])
	}
	must(t, db.SaveAssessments(ctx(t), a.org.ID, r.ID, []domain.Assessment{{AssessorID: u.ID, AreaKey: AreaData, Current: 5, Target: 5}}))
	// The owner changes their mind on data.
	must(t, db.SaveAssessments(ctx(t), a.org.ID, r.ID, []domain.Assessment{{AssessorID: a.owner.ID, AreaKey: AreaData, Current: 3, Target: 5, Evidence: "Revised", At: at.Add(time.Hour)}}))

	as, err := db.Assessments(ctx(t), a.org.ID, r.ID)
	must(t, err)
	if len(as) != 3 {
		t.Fatalf("%d assessments, want 3: %+v", len(as), as)
	}
	var ownerData domain.Assessment
	for _, x := range as {
		if x.AssessorID == a.owner.ID && x.AreaKey == AreaData {
			ownerData = x
		}
	}
	want := domain.Assessment{RoundID: r.ID, AssessorID: a.owner.ID, AssessorName: "Åsa Ägare", AreaKey: AreaData,
		Current: 3, Target: 5, Evidence: "Revised", At: µs(at.Add(time.Hour))}
	if ownerData != want {
		t.Errorf("the replaced answer:\n got  %+v\n want %+v", ownerData, want)
	}
	for i := 1; i < len(as); i++ {
		if as[i-1].AssessorID > as[i].AssessorID || as[i-1].AssessorID == as[i].AssessorID && as[i-1].AreaKey >= as[i].AreaKey {
			t.Errorf("assessments not ordered by assessor and area: %+v", as)
		}
	}

	must(t, db.DeleteAssessment(ctx(t), a.org.ID, r.ID, a.owner.ID, AreaLeadership))
	must(t, db.DeleteAssessment(ctx(t), a.org.ID, r.ID, a.owner.ID, AreaLeadership))
	if n := countRows(t, db, "SELECT COUNT(*) FROM capability_assessments WHERE round_id = $1", r.ID); n != 2 {
		t.Errorf("%d answers after deleting one, want 2", n)
	}
	if _, err := db.SQL().ExecContext(ctx(t), `DELETE FROM users WHERE id = $1`, u.ID); err != nil {
		t.Fatal(err)
	}
	as, err = db.Assessments(ctx(t), a.org.ID, r.ID)
	must(t, err)
	if len(as) != 1 || as[0].AssessorID != a.owner.ID {
		t.Errorf("after deleting an assessor: %+v", as)
	}
}

// testAssessmentRules ensures answers with levels outside 1–5, without an
// area or assessor, or by a user who does not exist are refused with
// EINVALID and store nothing (not even the valid answers of the batch), and
// that the schema itself refuses such rows.
func testAssessmentRules(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "assess-rules")
	r := MustRound(t, db, a.org.ID, "Round")
	good := domain.Assessment{AssessorID: a.owner.ID, AreaKey: AreaData, Current: 1, Target: 5}
	for name, change := range map[string]func(*domain.Assessment){
		"current 0":     func(x *domain.Assessment) { x.Current = 0 },
		"current 6":     func(x *domain.Assessment) { x.Current = 6 },
		"target 0":      func(x *domain.Assessment) { x.Target = 0 },
		"no area":       func(x *domain.Assessment) { x.AreaKey = "" },
		"no assessor":   func(x *domain.Assessment) { x.AssessorID = "" },
		"unknown actor": func(x *domain.Assessment) { x.AssessorID = "00000000-0000-7000-8000-000000000000" },
	} {
		bad := good
		bad.AreaKey = AreaLeadership
		change(&bad)
		err := db.SaveAssessments(ctx(t), a.org.ID, r.ID, []domain.Assessment{good, bad})
		wantCode(t, err, domain.EINVALID, name)
	}
	var ps domain.Problems
	if err := db.SaveAssessments(ctx(t), a.org.ID, r.ID, []domain.Assessment{good, {AssessorID: a.owner.ID, AreaKey: AreaLeadership, Current: 9, Target: 2}}); !errors.As(err, &ps) ||
		len(ps) != 1 || ps[0].Field != "assessments[1].current" || ps[0].Message != "must be between 1 and 5" {
		t.Errorf("problems %v, want one at assessments[1].current", err)
	}
	if n := countRows(t, db, "SELECT COUNT(*) FROM capability_assessments"); n != 0 {
		t.Errorf("refused batches stored %d rows", n)
	}
	for name, q := range map[string]string{
		"level": `INSERT INTO capability_assessments (round_id, assessor_id, area_key, current_level, target_level, at) VALUES ($1, $2, 'x', 0, 3, 1)`,
		"area":  `INSERT INTO capability_assessments (round_id, assessor_id, area_key, current_level, target_level, at) VALUES ($1, $2, '', 1, 3, 1)`,
	} {
		if _, err := db.SQL().ExecContext(ctx(t), q, r.ID, a.owner.ID); err == nil {
			t.Errorf("the schema took an assessment with a bad %s", name)
		}
	}
	if _, err := db.SQL().ExecContext(ctx(t), `INSERT INTO capability_demand (round_id, trend_key, area_key, level) VALUES ($1, 't', 'a', 4)`, r.ID); err == nil {
		t.Error("the schema took a demand of 4")
	}
}

// testDemandLinks ensures a round's demand links are replaced whole, that
// level 0 is not kept, that they list by trend and area, and that levels
// outside 0–3 or empty keys are refused, changing nothing.
func testDemandLinks(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "demand")
	r := MustRound(t, db, a.org.ID, "Round")
	links, err := db.DemandLinks(ctx(t), a.org.ID, r.ID)
	must(t, err)
	if links != nil {
		t.Errorf("a new round has demand links %+v", links)
	}
	must(t, db.SetDemandLinks(ctx(t), a.org.ID, r.ID, []domain.DemandLink{
		{TrendKey: TrendAI, AreaKey: AreaLeadership, Level: 1},
		{TrendKey: TrendAgeing, AreaKey: AreaData, Level: 0},
		{TrendKey: TrendAI, AreaKey: AreaData, Level: 3},
		{TrendKey: TrendAgeing, AreaKey: AreaLeadership, Level: 2},
	}))
	want := []domain.DemandLink{
		{TrendKey: TrendAgeing, AreaKey: AreaLeadership, Level: 2},
		{TrendKey: TrendAI, AreaKey: AreaData, Level: 3},
		{TrendKey: TrendAI, AreaKey: AreaLeadership, Level: 1},
	}
	links, err = db.DemandLinks(ctx(t), a.org.ID, r.ID)
	must(t, err)
	if !reflect.DeepEqual(links, want) {
		t.Errorf("demand links:\n got  %+v\n want %+v", links, want)
	}
	for name, bad := range map[string]domain.DemandLink{
		"level 4":  {TrendKey: TrendAI, AreaKey: AreaData, Level: 4},
		"level -1": {TrendKey: TrendAI, AreaKey: AreaData, Level: -1},
		"no trend": {AreaKey: AreaData, Level: 1},
		"no area":  {TrendKey: TrendAI, Level: 1},
	} {
		wantCode(t, db.SetDemandLinks(ctx(t), a.org.ID, r.ID, []domain.DemandLink{{TrendKey: TrendSVOnly, AreaKey: AreaData, Level: 1}, bad}),
			domain.EINVALID, name)
	}
	links, err = db.DemandLinks(ctx(t), a.org.ID, r.ID)
	must(t, err)
	if !reflect.DeepEqual(links, want) {
		t.Errorf("refused replacements changed the links: %+v", links)
	}
	must(t, db.SetDemandLinks(ctx(t), a.org.ID, r.ID, nil))
	if links, err = db.DemandLinks(ctx(t), a.org.ID, r.ID); err != nil || links != nil {
		t.Errorf("after clearing: %+v, %v", links, err)
	}
}

// testCapabilityTenants ensures another organisation can neither read,
// change, answer nor delete a round, its answers or its demand links, and
// gets exactly the error a missing round gives.
func testCapabilityTenants(t *testing.T, db *store.DB) {
	a, b := newTenant(t, db, "cap-a"), newTenant(t, db, "cap-b")
	r := MustRound(t, db, a.org.ID, "Ours")
	must(t, db.SaveAssessments(ctx(t), a.org.ID, r.ID, []domain.Assessment{{AssessorID: a.owner.ID, AreaKey: AreaData, Current: 2, Target: 3}}))
	must(t, db.SetDemandLinks(ctx(t), a.org.ID, r.ID, []domain.DemandLink{{TrendKey: TrendAI, AreaKey: AreaData, Level: 2}}))
	missing := "00000000-0000-7000-8000-000000000000"
	_, ref := db.AssessmentRound(ctx(t), a.org.ID, missing)
	wantCode(t, ref, domain.ENOTFOUND, "a missing round")

	_, err := db.AssessmentRound(ctx(t), b.org.ID, r.ID)
	wantSameError(t, err, ref, "reading through another organisation")
	wantSameError(t, db.UpdateAssessmentRound(ctx(t), &domain.AssessmentRound{ID: r.ID, OrgID: b.org.ID, Title: "Theirs"}), ref, "renaming")
	wantSameError(t, db.SaveAssessments(ctx(t), b.org.ID, r.ID, []domain.Assessment{{AssessorID: b.owner.ID, AreaKey: AreaData, Current: 5, Target: 5}}), ref, "answering")
	wantSameError(t, db.DeleteAssessment(ctx(t), b.org.ID, r.ID, a.owner.ID, AreaData), ref, "deleting an answer")
	_, err = db.Assessments(ctx(t), b.org.ID, r.ID)
	wantSameError(t, err, ref, "listing answers")
	wantSameError(t, db.SetDemandLinks(ctx(t), b.org.ID, r.ID, nil), ref, "setting demand links")
	_, err = db.DemandLinks(ctx(t), b.org.ID, r.ID)
	wantSameError(t, err, ref, "listing demand links")
	wantSameError(t, db.DeleteAssessmentRound(ctx(t), b.org.ID, r.ID), ref, "deleting the round")
	list, err := db.AssessmentRounds(ctx(t), b.org.ID)
	must(t, err)
	if len(list) != 0 {
		t.Errorf("another organisation lists %d rounds", len(list))
	}

	got, err := db.AssessmentRound(ctx(t), a.org.ID, r.ID)
	must(t, err)
	as, err := db.Assessments(ctx(t), a.org.ID, r.ID)
	must(t, err)
	links, err := db.DemandLinks(ctx(t), a.org.ID, r.ID)
	must(t, err)
	if got.Title != "Ours" || len(as) != 1 || as[0].Current != 2 || len(links) != 1 {
		t.Errorf("the other organisation changed the round: %+v %+v %+v", got, as, links)
	}
}
