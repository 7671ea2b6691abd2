package storetest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/store"
)

// The workshop half of the contract suite: workshops, participants,
// answers, positions on fields of tension, ideas, upvotes, dots, and the
// group committer.

// --- helpers ---

func iv(n int) *int { return &n }

// errorIf reports err without stopping the test, for goroutines other than
// the test's own, which must not call t.Fatal.
func errorIf(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Error(err)
	}
}

func answer(w *domain.Workshop, p *domain.Participant, trend, question string, v *int) domain.Answer {
	return domain.Answer{WorkshopID: w.ID, ParticipantID: p.ID, TrendKey: trend, QuestionKey: question, Value: v, At: µs(time.Now())}
}

// reopen opens a second handle on db's database, as another process or
// another instance of the server would, closed when t ends.
func reopen(t *testing.T, db *store.DB) *store.DB {
	t.Helper()
	var dsn string
	if db.Dialect() == SQLite {
		var seq int
		var name string
		must(t, db.ReadSQL().QueryRowContext(ctx(t), "PRAGMA database_list").Scan(&seq, &name, &dsn))
	} else {
		var name string
		must(t, db.ReadSQL().QueryRowContext(ctx(t), "SELECT current_database()").Scan(&name))
		u, err := url.Parse(os.Getenv(PostgresURLEnv))
		must(t, err)
		u.Path = "/" + name
		dsn = u.String()
	}
	other, err := store.Open(ctx(t), dsn)
	must(t, err)
	t.Cleanup(func() { other.Close() })
	return other
}

// wantWorkshop fails t unless got equals want in every field.
func wantWorkshop(t *testing.T, got, want *domain.Workshop, what string) {
	t.Helper()
	if reflect.DeepEqual(got, want) {
		return
	}
	gv, wv := reflect.ValueOf(*got), reflect.ValueOf(*want)
	for i := range gv.NumField() {
		if g, w := gv.Field(i).Interface(), wv.Field(i).Interface(); !reflect.DeepEqual(g, w) {
			t.Errorf("%s: %s:\n got  %#v\n want %#v", what, gv.Type().Field(i).Name, g, w)
		}
	}
}

// answerRows returns the number of answer rows of a workshop.
func answerRows(t *testing.T, db *store.DB, workshopID string) int {
	return countRows(t, db, "SELECT COUNT(*) FROM answers WHERE workshop_id = $1", workshopID)
}

// plug blocks db's answer writes until the returned function is called (a
// committer under test then has one writer, so that what it queues is
// known):
// on SQLite it holds the one write connection, on PostgreSQL the row lock
// of workshop w (whose questions must not be frozen yet, so that
// SaveAnswers needs that lock).
func plug(t *testing.T, db *store.DB, w *domain.Workshop) (release func()) {
	t.Helper()
	tx, err := db.SQL().BeginTx(ctx(t), nil)
	must(t, err)
	_, err = tx.ExecContext(ctx(t), `UPDATE workshops SET title = title WHERE id = $1`, w.ID)
	must(t, err)
	var once sync.Once
	release = func() { once.Do(func() { must(t, tx.Commit()) }) }
	t.Cleanup(release)
	return release
}

// waitQueued waits until the committer has n submissions waiting.
func waitQueued(t *testing.T, c *store.AnswerCommitter, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for c.Stats().Queued < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d submissions queued after 10 s, want %d", c.Stats().Queued, n)
		}
		time.Sleep(time.Millisecond)
	}
}

// testSQLiteCheckpoints ensures the background checkpointer copies what
// was committed from the WAL into the database file within seconds, although
// the write connection itself would wait for 20,000 pages.
func testSQLiteCheckpoints(t *testing.T, db *store.DB) {
	OnlyOn(t, db, SQLite)
	var seq int
	var name, file string
	must(t, db.ReadSQL().QueryRowContext(ctx(t), "PRAGMA database_list").Scan(&seq, &name, &file))
	size := func() int64 {
		fi, err := os.Stat(file)
		must(t, err)
		return fi.Size()
	}
	before := size()
	a := newTenant(t, db, "checkpoints")
	MustLibrary(t, db, a.org.ID, LargeContent(300))
	deadline := time.Now().Add(5 * store.CheckpointInterval)
	for size() <= before {
		if time.Now().After(deadline) {
			t.Fatalf("the database file is still %d bytes %v after a commit", size(), 5*store.CheckpointInterval)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// --- workshops ---

// testWorkshopRoundTrip ensures a workshop with every field set is stored
// and read back exactly — by id, by code, in the list and with a
// participant's token — and that the store sets its id, library, revision
// and times.
func testWorkshopRoundTrip(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "round-trip")
	lib, v := MustLibrary(t, db, a.org.ID, RichContent())
	opens, closes := µs(time.Now().Add(time.Hour)), µs(time.Now().Add(48*time.Hour))
	w := NewWorkshop(a.org.ID, v.ID, "ROUNDTRIP")
	w.Title, w.Purpose = "Åtgärder \"2030\"", "Line one.\nLine two – åäö 🙂; DROP TABLE workshops; --"
	w.TrendKeys, w.Tensions = []string{TrendAI, TrendAgeing}, []string{TensionB}
	w.Questions = append(w.Questions, domain.Question{Key: "custom", Label: domain.T("", "Bara svenska"), Min: -3, Max: 3})
	w.Groups = []domain.Group{{Key: "members", Name: domain.T("Members", "Ledamöter")}, {Key: "x", Name: domain.T("X", "")}}
	w.Mode, w.OpensAt, w.ClosesAt = domain.Async, &opens, &closes
	w.Language, w.Anonymous, w.Dots, w.Phase, w.ShowResults = "en", false, 7, domain.PhaseLobby, true
	w.CreatedBy = a.owner.ID
	must(t, db.CreateWorkshop(ctx(t), w))
	if w.ID == "" || w.Revision != 1 || w.LibraryID != lib.ID || w.CreatedAt.IsZero() || w.UpdatedAt != w.CreatedAt || w.QuestionsFrozen {
		t.Fatalf("CreateWorkshop set %+v", w)
	}

	got, err := db.Workshop(ctx(t), a.org.ID, w.ID)
	must(t, err)
	wantWorkshop(t, got, w, "Workshop")
	wantTime(t, got.CreatedAt, w.CreatedAt, "CreatedAt")
	got, err = db.WorkshopByCode(ctx(t), "ROUNDTRIP")
	must(t, err)
	wantWorkshop(t, got, w, "WorkshopByCode")
	list, err := db.Workshops(ctx(t), a.org.ID)
	must(t, err)
	if len(list) != 1 {
		t.Fatalf("Workshops lists %d", len(list))
	}
	wantWorkshop(t, &list[0].Workshop, w, "Workshops")
	p := MustParticipant(t, db, w.ID, "members")
	got, _, err = db.ParticipantByToken(ctx(t), w.ID, p.TokenHash)
	must(t, err)
	wantWorkshop(t, got, w, "ParticipantByToken")

	// Optional fields left empty come back empty.
	w2 := NewWorkshop(a.org.ID, v.ID, "EMPTYONE")
	w2.Purpose, w2.Tensions, w2.Phase = "", nil, ""
	must(t, db.CreateWorkshop(ctx(t), w2))
	if w2.Phase != domain.PhaseDraft {
		t.Errorf("empty phase stored as %q", w2.Phase)
	}
	got, err = db.Workshop(ctx(t), a.org.ID, w2.ID)
	must(t, err)
	wantWorkshop(t, got, w2, "workshop with empty fields")
}

// testWorkshopVersionRules ensures a workshop can only be made over a
// published version of a library its organisation owns, and that a
// refused workshop leaves nothing behind.
func testWorkshopVersionRules(t *testing.T, db *store.DB) {
	a, b := newTenant(t, db, "versions-a"), newTenant(t, db, "versions-b")
	lib, v1 := MustLibrary(t, db, a.org.ID, RichContent())
	draft, err := db.CreateDraft(ctx(t), a.org.ID, lib.ID, v1.ID)
	must(t, err)
	_, otherV := MustLibrary(t, db, a.org.ID, RichContent())
	_, bPublic := MustLibrary(t, db, b.org.ID, RichContent())
	must(t, db.SetLibraryVisibility(ctx(t), b.org.ID, bPublic.LibraryID, domain.Public))

	create := func(mod func(w *domain.Workshop)) error {
		w := NewWorkshop(a.org.ID, v1.ID, "VERSIONS")
		mod(w)
		return db.CreateWorkshop(ctx(t), w)
	}
	wantCode(t, create(func(w *domain.Workshop) { w.VersionID = draft.ID }), domain.EINVALID, "draft version")
	wantCode(t, create(func(w *domain.Workshop) { w.VersionID = bPublic.ID }), domain.ENOTFOUND, "another organisation's public version")
	wantCode(t, create(func(w *domain.Workshop) { w.VersionID = "01900000-0000-7000-8000-000000000000" }), domain.ENOTFOUND, "missing version")
	wantCode(t, create(func(w *domain.Workshop) { w.LibraryID = otherV.LibraryID }), domain.ENOTFOUND, "version of another library than LibraryID")
	wantCode(t, create(func(w *domain.Workshop) { w.OrgID = b.org.ID }), domain.ENOTFOUND, "B using A's version")
	wantCode(t, create(func(w *domain.Workshop) { w.Phase = "nonsense" }), domain.EINVALID, "unknown phase")
	wantCode(t, create(func(w *domain.Workshop) { w.Code = "" }), domain.EINVALID, "no code")
	wantCode(t, create(func(w *domain.Workshop) { w.CreatedBy = "01900000-0000-7000-8000-000000000000" }), domain.ENOTFOUND, "missing creator")
	if n := countRows(t, db, "SELECT COUNT(*) FROM workshops"); n != 0 {
		t.Errorf("%d workshops stored", n)
	}
	must(t, create(func(w *domain.Workshop) { w.LibraryID = lib.ID }))
}

// testUpdateWorkshop ensures UpdateWorkshop saves the settings, increments
// the revision, leaves phase, results, code, frozen flag and creator alone,
// and lets the library version change only while the workshop is a draft.
func testUpdateWorkshop(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "update")
	w := MustWorkshop(t, db, a.org.ID, "UPDATE01")
	_, v2 := MustLibrary(t, db, a.org.ID, RichContent())
	before := *w

	u := *w
	u.Title, u.Purpose, u.TrendKeys, u.Tensions = "New title", "New purpose", []string{TrendSVOnly}, nil
	u.Groups = u.Groups[:2]
	opens, closes := µs(time.Now()), µs(time.Now().Add(time.Hour))
	u.Mode, u.OpensAt, u.ClosesAt, u.Language, u.Anonymous, u.Dots = domain.Async, &opens, &closes, "en", false, 5
	u.VersionID, u.LibraryID = v2.ID, ""
	// Fields UpdateWorkshop does not save.
	u.Phase, u.ShowResults, u.Code, u.QuestionsFrozen, u.CreatedBy = domain.PhaseVoting, true, "OTHERCODE", true, a.owner.ID
	time.Sleep(time.Millisecond)
	must(t, db.UpdateWorkshop(ctx(t), &u, false))
	if u.Revision != 2 || !u.UpdatedAt.After(before.UpdatedAt) || u.LibraryID != v2.LibraryID {
		t.Errorf("UpdateWorkshop set revision %d, updated %v (was %v), library %s", u.Revision, u.UpdatedAt, before.UpdatedAt, u.LibraryID)
	}
	got, err := db.Workshop(ctx(t), a.org.ID, w.ID)
	must(t, err)
	want := u
	want.Phase, want.ShowResults, want.Code, want.QuestionsFrozen, want.CreatedBy = before.Phase, before.ShowResults, before.Code, false, ""
	wantWorkshop(t, got, &want, "after UpdateWorkshop")

	// Once open, the version stays.
	_, err = db.SetWorkshopState(ctx(t), a.org.ID, w.ID, domain.PhaseDraft, domain.PhaseLobby, false)
	must(t, err)
	u2 := *got
	u2.VersionID = before.VersionID
	wantCode(t, db.UpdateWorkshop(ctx(t), &u2, true), domain.ECONFLICT, "changing the version of an open workshop")
	u2.VersionID, u2.Title = got.VersionID, "Still editable"
	must(t, db.UpdateWorkshop(ctx(t), &u2, false))
	if u2.Revision != 4 {
		t.Errorf("revision %d after create, update, phase, refused update, update; want 4", u2.Revision)
	}

	missing := *got
	missing.ID = "01900000-0000-7000-8000-000000000000"
	wantCode(t, db.UpdateWorkshop(ctx(t), &missing, false), domain.ENOTFOUND, "missing workshop")
}

// testQuestionsFrozen ensures the first answer freezes a workshop's
// questions, after which UpdateWorkshop refuses changed questions with
// ECONFLICT, changing nothing, unless overridden, while other settings can
// still change.
func testQuestionsFrozen(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "frozen")
	w := MustWorkshop(t, db, a.org.ID, "FROZEN01")
	p := MustParticipant(t, db, w.ID, "staff")

	// Before any answer the questions may change freely.
	w.Questions = w.Questions[:4]
	must(t, db.UpdateWorkshop(ctx(t), w, false))

	must(t, db.SaveAnswers(ctx(t), []domain.Answer{answer(w, p, TrendAI, domain.QImpact, iv(3))}))
	got, err := db.Workshop(ctx(t), a.org.ID, w.ID)
	must(t, err)
	if !got.QuestionsFrozen {
		t.Fatal("the first answer did not freeze the questions")
	}
	if got.Revision != w.Revision {
		t.Errorf("freezing changed the revision from %d to %d", w.Revision, got.Revision)
	}

	changed := *got
	changed.Questions = slices.Clone(got.Questions)
	changed.Questions[0].Max = 7
	err = db.UpdateWorkshop(ctx(t), &changed, false)
	wantCode(t, err, domain.ECONFLICT, "changing frozen questions")
	after, err := db.Workshop(ctx(t), a.org.ID, w.ID)
	must(t, err)
	wantWorkshop(t, after, got, "after the refused change")

	// The same questions (a new but equal slice) and other changes pass.
	same := *got
	same.Questions = slices.Clone(got.Questions)
	same.Title = "Renamed"
	must(t, db.UpdateWorkshop(ctx(t), &same, false))

	must(t, db.UpdateWorkshop(ctx(t), &changed, true))
	after, err = db.Workshop(ctx(t), a.org.ID, w.ID)
	must(t, err)
	if after.Questions[0].Max != 7 || !after.QuestionsFrozen {
		t.Errorf("after the override: questions %+v, frozen %v", after.Questions[0], after.QuestionsFrozen)
	}
}

// testSetWorkshopState ensures a phase move is a compare-and-set: it
// succeeds from the current phase, sets the results flag and increments the
// revision, and gives ECONFLICT from any other phase, ENOTFOUND for a
// missing workshop and EINVALID for an unknown phase.
func testSetWorkshopState(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "state")
	w := MustWorkshop(t, db, a.org.ID, "STATE001")
	got, err := db.SetWorkshopState(ctx(t), a.org.ID, w.ID, domain.PhaseDraft, domain.PhaseLobby, true)
	must(t, err)
	if got.Phase != domain.PhaseLobby || !got.ShowResults || got.Revision != 2 || got.Title != w.Title {
		t.Errorf("after the move: %+v", got)
	}
	read, err := db.Workshop(ctx(t), a.org.ID, w.ID)
	must(t, err)
	wantWorkshop(t, read, got, "the returned workshop is the one saved")

	_, err = db.SetWorkshopState(ctx(t), a.org.ID, w.ID, domain.PhaseDraft, domain.PhaseRating, false)
	wantCode(t, err, domain.ECONFLICT, "stale from")
	got, err = db.SetWorkshopState(ctx(t), a.org.ID, w.ID, domain.PhaseLobby, domain.PhaseLobby, false)
	must(t, err)
	if got.ShowResults || got.Revision != 3 {
		t.Errorf("hiding results: %+v", got)
	}
	_, err = db.SetWorkshopState(ctx(t), a.org.ID, w.ID, domain.PhaseLobby, "later", false)
	wantCode(t, err, domain.EINVALID, "unknown phase")
	_, err = db.SetWorkshopState(ctx(t), a.org.ID, "01900000-0000-7000-8000-000000000000", domain.PhaseLobby, domain.PhaseRating, false)
	wantCode(t, err, domain.ENOTFOUND, "missing workshop")
}

// testConcurrentPhaseMoves ensures that of goroutines moving a workshop
// from the same phase at the same moment exactly one wins and the others
// get ECONFLICT, round after round.
func testConcurrentPhaseMoves(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "cas")
	w := MustWorkshop(t, db, a.org.ID, "CAS00001")
	other := reopen(t, db) // as a second server instance would
	from := domain.PhaseDraft
	for round, to := range domain.Phases[1:] {
		const movers = 6
		var wg sync.WaitGroup
		var ok, conflict atomic.Int32
		for i := range movers {
			db := []*store.DB{db, other}[i%2]
			wg.Go(func() {
				_, err := db.SetWorkshopState(ctx(t), a.org.ID, w.ID, from, to, i%2 == 0)
				switch domain.ErrorCode(err) {
				case "":
					ok.Add(1)
				case domain.ECONFLICT:
					conflict.Add(1)
				default:
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if ok.Load() != 1 || conflict.Load() != movers-1 {
			t.Fatalf("round %d: %d moves won, %d conflicts; want 1 and %d", round, ok.Load(), conflict.Load(), movers-1)
		}
		got, err := db.Workshop(ctx(t), a.org.ID, w.ID)
		must(t, err)
		if got.Phase != to || got.Revision != int64(round+2) {
			t.Fatalf("round %d: phase %s revision %d", round, got.Phase, got.Revision)
		}
		from = to
	}
}

// testJoinCodes ensures a join code is unique among workshops that are not
// closed, can be drawn again once its workshop is closed, finds only the
// open workshop, and that a closed workshop cannot reopen while its code is
// taken.
func testJoinCodes(t *testing.T, db *store.DB) {
	a, b := newTenant(t, db, "codes-a"), newTenant(t, db, "codes-b")
	w1 := MustWorkshop(t, db, a.org.ID, "ABCD2345")
	_, vb := MustLibrary(t, db, b.org.ID, RichContent())
	dup := NewWorkshop(b.org.ID, vb.ID, "ABCD2345")
	err := db.CreateWorkshop(ctx(t), dup)
	wantCode(t, err, domain.ECONFLICT, "code of an open workshop of another organisation")
	if dup.ID != "" {
		t.Error("CreateWorkshop set an ID on conflict")
	}
	// A draft is found by its code: the caller decides who may join.
	got, err := db.WorkshopByCode(ctx(t), "ABCD2345")
	must(t, err)
	if got.ID != w1.ID {
		t.Errorf("WorkshopByCode found %s", got.ID)
	}
	_, err = db.WorkshopByCode(ctx(t), "abcd2345")
	wantCode(t, err, domain.ENOTFOUND, "a code that is not normalised")

	_, err = db.SetWorkshopState(ctx(t), a.org.ID, w1.ID, domain.PhaseDraft, domain.PhaseClosed, false)
	must(t, err)
	_, err = db.WorkshopByCode(ctx(t), "ABCD2345")
	wantCode(t, err, domain.ENOTFOUND, "code of a closed workshop")
	must(t, db.CreateWorkshop(ctx(t), dup))
	got, err = db.WorkshopByCode(ctx(t), "ABCD2345")
	must(t, err)
	if got.ID != dup.ID || got.OrgID != b.org.ID {
		t.Errorf("WorkshopByCode found %s of %s", got.ID, got.OrgID)
	}
	// Two closed workshops may share a code.
	_, err = db.SetWorkshopState(ctx(t), b.org.ID, dup.ID, domain.PhaseDraft, domain.PhaseClosed, false)
	must(t, err)
	_, err = db.SetWorkshopState(ctx(t), a.org.ID, w1.ID, domain.PhaseClosed, domain.PhaseVoting, false)
	must(t, err)
	_, err = db.SetWorkshopState(ctx(t), b.org.ID, dup.ID, domain.PhaseClosed, domain.PhaseVoting, false)
	wantCode(t, err, domain.ECONFLICT, "reopening while the code is taken")
}

// testWorkshopTenantIsolation ensures organisation B can neither read nor
// change organisation A's workshop, or what was given in it, by id, and
// gets exactly the error of a missing id.
func testWorkshopTenantIsolation(t *testing.T, db *store.DB) {
	a, b := newTenant(t, db, "ws-a"), newTenant(t, db, "ws-b")
	w := MustWorkshop(t, db, a.org.ID, "TENANT01")
	p := MustParticipant(t, db, w.ID, "staff")
	must(t, db.SaveAnswers(ctx(t), []domain.Answer{answer(w, p, TrendAI, domain.QImpact, iv(4))}))
	must(t, db.SaveTensionPosition(ctx(t), domain.TensionPosition{WorkshopID: w.ID, ParticipantID: p.ID, TensionKey: TensionA, Now: 10, Want: 20}))
	idea := &domain.Idea{WorkshopID: w.ID, ParticipantID: p.ID, TrendKey: TrendAI, Text: "An idea"}
	must(t, db.AddIdea(ctx(t), idea))
	before, err := db.Workshop(ctx(t), a.org.ID, w.ID)
	must(t, err)

	const missingID = "01900000-0000-7000-8000-000000000000"
	B := b.org.ID
	_, missing := db.Workshop(ctx(t), B, missingID)
	_, err = db.Workshop(ctx(t), B, w.ID)
	wantSameError(t, err, missing, "Workshop")
	_, missingState := db.SetWorkshopState(ctx(t), B, missingID, domain.PhaseDraft, domain.PhaseLobby, true)
	_, err = db.SetWorkshopState(ctx(t), B, w.ID, domain.PhaseDraft, domain.PhaseLobby, true)
	wantSameError(t, err, missingState, "SetWorkshopState")
	wantSameError(t, db.DeleteWorkshop(ctx(t), B, w.ID), db.DeleteWorkshop(ctx(t), B, missingID), "DeleteWorkshop")
	upd := *before
	upd.OrgID, upd.Title = B, "Taken over"
	updMissing := upd
	updMissing.ID = missingID
	wantSameError(t, db.UpdateWorkshop(ctx(t), &upd, true), db.UpdateWorkshop(ctx(t), &updMissing, true), "UpdateWorkshop")
	_, missingAnswers := db.Answers(ctx(t), B, missingID)
	_, err = db.Answers(ctx(t), B, w.ID)
	wantSameError(t, err, missingAnswers, "Answers")
	_, missingTensions := db.TensionPositions(ctx(t), B, missingID)
	_, err = db.TensionPositions(ctx(t), B, w.ID)
	wantSameError(t, err, missingTensions, "TensionPositions")
	wantSameError(t, db.SetIdeaHidden(ctx(t), B, w.ID, idea.ID, true), db.SetIdeaHidden(ctx(t), B, missingID, missingID, true), "SetIdeaHidden")
	list, err := db.Workshops(ctx(t), B)
	must(t, err)
	if len(list) != 0 {
		t.Errorf("B lists A's workshops: %+v", list)
	}

	after, err := db.Workshop(ctx(t), a.org.ID, w.ID)
	must(t, err)
	wantWorkshop(t, after, before, "A's workshop")
	ideas, err := db.Ideas(ctx(t), w.ID)
	must(t, err)
	if len(ideas) != 1 || ideas[0].Hidden {
		t.Errorf("A's ideas: %+v", ideas)
	}
	if n := answerRows(t, db, w.ID); n != 1 {
		t.Errorf("A's workshop has %d answers", n)
	}
}

// testWorkshopList ensures Workshops lists newest first with the number of
// participants and the time of the latest answer of each.
func testWorkshopList(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "list")
	w1 := MustWorkshop(t, db, a.org.ID, "LIST0001")
	w2 := MustWorkshop(t, db, a.org.ID, "LIST0002")
	p1, p2 := MustParticipant(t, db, w1.ID, "staff"), MustParticipant(t, db, w1.ID, "members")
	at := µs(time.Now().Add(-time.Minute))
	a1 := answer(w1, p1, TrendAI, domain.QImpact, iv(1))
	a1.At = at
	a2 := answer(w1, p2, TrendAI, domain.QImpact, nil)
	a2.At = at.Add(-time.Second)
	must(t, db.SaveAnswers(ctx(t), []domain.Answer{a1, a2}))

	list, err := db.Workshops(ctx(t), a.org.ID)
	must(t, err)
	if len(list) != 2 || list[0].ID != w2.ID || list[1].ID != w1.ID {
		t.Fatalf("Workshops = %+v", list)
	}
	if list[0].Participants != 0 || list[0].LastAnswerAt != nil {
		t.Errorf("empty workshop: %d participants, last answer %v", list[0].Participants, list[0].LastAnswerAt)
	}
	if list[1].Participants != 2 || list[1].LastAnswerAt == nil {
		t.Fatalf("workshop with answers: %d participants, last answer %v", list[1].Participants, list[1].LastAnswerAt)
	}
	wantTime(t, *list[1].LastAnswerAt, at, "LastAnswerAt")
	if !list[1].QuestionsFrozen {
		t.Error("list shows the questions not frozen")
	}
}

// testDeleteWorkshop ensures deleting a workshop removes its participants,
// answers, positions, ideas, upvotes and dots, and nothing of another
// workshop.
func testDeleteWorkshop(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "delete")
	give := func(code string) *domain.Workshop {
		w := MustWorkshop(t, db, a.org.ID, code)
		p, q := MustParticipant(t, db, w.ID, "staff"), MustParticipant(t, db, w.ID, "members")
		must(t, db.SaveAnswers(ctx(t), []domain.Answer{answer(w, p, TrendAI, domain.QImpact, iv(2)), answer(w, q, TrendAI, domain.QImpact, nil)}))
		must(t, db.SaveTensionPosition(ctx(t), domain.TensionPosition{WorkshopID: w.ID, ParticipantID: p.ID, TensionKey: TensionA, Now: -5, Want: 50}))
		idea := &domain.Idea{WorkshopID: w.ID, ParticipantID: p.ID, TrendKey: TrendAI, Text: "Idea"}
		must(t, db.AddIdea(ctx(t), idea))
		must(t, db.SetUpvote(ctx(t), w.ID, idea.ID, q.ID, true))
		must(t, db.SetDots(ctx(t), w.ID, q.ID, map[string]int{idea.ID: 2}, 3))
		return w
	}
	w, keep := give("DELETE01"), give("KEEP0001")
	tables := []string{"participants", "answers", "tension_positions", "ideas", "upvotes", "dots"}
	must(t, db.DeleteWorkshop(ctx(t), a.org.ID, w.ID))
	for _, table := range tables {
		if n := countRows(t, db, "SELECT COUNT(*) FROM "+table+" WHERE workshop_id = $1", w.ID); n != 0 {
			t.Errorf("%s: %d rows of the deleted workshop remain", table, n)
		}
		if n := countRows(t, db, "SELECT COUNT(*) FROM "+table+" WHERE workshop_id = $1", keep.ID); n == 0 {
			t.Errorf("%s: the other workshop's rows went too", table)
		}
	}
	_, err := db.Workshop(ctx(t), a.org.ID, w.ID)
	wantCode(t, err, domain.ENOTFOUND, "deleted workshop")
	wantCode(t, db.DeleteWorkshop(ctx(t), a.org.ID, w.ID), domain.ENOTFOUND, "deleting twice")
}

// testLibraryInUse ensures a library version used by a workshop cannot be
// deleted — DeleteLibrary gives ECONFLICT saying so and changes nothing,
// and the schema refuses it too — until the workshop is gone, and that
// deleting the organisation still removes workshops and libraries together.
func testLibraryInUse(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "in-use")
	w := MustWorkshop(t, db, a.org.ID, "INUSE001")
	err := db.DeleteLibrary(ctx(t), a.org.ID, w.LibraryID)
	wantCode(t, err, domain.ECONFLICT, "deleting a library in use")
	if msg := domain.ErrorMessage(err); !strings.Contains(msg, "used by a workshop") {
		t.Errorf("message %q does not say the library is used by a workshop", msg)
	}
	if _, err := db.Library(ctx(t), a.org.ID, w.LibraryID); err != nil {
		t.Errorf("the library went: %v", err)
	}
	if _, err := db.SQL().ExecContext(ctx(t), `DELETE FROM library_versions WHERE id = $1`, w.VersionID); err == nil {
		t.Error("the schema let a version in use be deleted")
	}
	if _, err := db.SQL().ExecContext(ctx(t), `DELETE FROM libraries WHERE id = $1`, w.LibraryID); err == nil {
		t.Error("the schema let a library in use be deleted")
	}
	MustWorkshop(t, db, a.org.ID, "INUSE002")
	w3 := NewWorkshop(a.org.ID, w.VersionID, "INUSE003")
	must(t, db.CreateWorkshop(ctx(t), w3))
	err = db.DeleteLibrary(ctx(t), a.org.ID, w.LibraryID)
	if msg := domain.ErrorMessage(err); !strings.Contains(msg, "used by 2 workshops") {
		t.Errorf("message %q does not count 2 workshops", msg)
	}

	must(t, db.DeleteWorkshop(ctx(t), a.org.ID, w.ID))
	must(t, db.DeleteWorkshop(ctx(t), a.org.ID, w3.ID))
	must(t, db.DeleteLibrary(ctx(t), a.org.ID, w.LibraryID))

	MustParticipant(t, db, MustWorkshop(t, db, a.org.ID, "INUSE004").ID, "staff")
	_, err = db.SQL().ExecContext(ctx(t), `DELETE FROM organisations WHERE id = $1`, a.org.ID)
	must(t, err)
	for _, table := range []string{"workshops", "participants", "libraries", "library_versions"} {
		if n := countRows(t, db, "SELECT COUNT(*) FROM "+table); n != 0 {
			t.Errorf("%s: %d rows left after deleting the organisation", table, n)
		}
	}
}

// --- participants ---

// testParticipants ensures participants are stored and found by their
// token only within their workshop, that token hashes are unique, and that
// counts by group are right.
func testParticipants(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "participants")
	w, other := MustWorkshop(t, db, a.org.ID, "PART0001"), MustWorkshop(t, db, a.org.ID, "PART0002")
	p := &domain.Participant{WorkshopID: w.ID, TokenHash: "hash-1", Group: "members", DisplayName: "Anna Åberg"}
	must(t, db.AddParticipant(ctx(t), p))
	if p.ID == "" || p.JoinedAt.IsZero() {
		t.Fatalf("AddParticipant set %+v", p)
	}
	gw, gp, err := db.ParticipantByToken(ctx(t), w.ID, "hash-1")
	must(t, err)
	if gw.ID != w.ID || !reflect.DeepEqual(gp, p) {
		t.Errorf("ParticipantByToken = %+v, %+v; want %+v", gw, gp, p)
	}
	wantTime(t, gp.JoinedAt, p.JoinedAt, "JoinedAt")

	_, _, err = db.ParticipantByToken(ctx(t), other.ID, "hash-1")
	wantCode(t, err, domain.ENOTFOUND, "token used on another workshop")
	_, _, errNone := db.ParticipantByToken(ctx(t), w.ID, "no-such-hash")
	wantSameError(t, err, errNone, "token of another workshop and unknown token")

	wantCode(t, db.AddParticipant(ctx(t), &domain.Participant{WorkshopID: other.ID, TokenHash: "hash-1", Group: "staff"}), domain.ECONFLICT, "token hash taken")
	wantCode(t, db.AddParticipant(ctx(t), &domain.Participant{WorkshopID: "01900000-0000-7000-8000-000000000000", TokenHash: "hash-2", Group: "staff"}), domain.ENOTFOUND, "missing workshop")
	wantCode(t, db.AddParticipant(ctx(t), &domain.Participant{WorkshopID: w.ID, Group: "staff"}), domain.EINVALID, "no token")

	for range 3 {
		MustParticipant(t, db, w.ID, "staff")
	}
	q := MustParticipant(t, db, other.ID, "staff")
	counts, err := db.ParticipantCounts(ctx(t), w.ID)
	must(t, err)
	if !reflect.DeepEqual(counts, map[string]int{"members": 1, "staff": 3}) {
		t.Errorf("ParticipantCounts = %v", counts)
	}
	groups, err := db.ParticipantGroups(ctx(t), other.ID)
	must(t, err)
	if !reflect.DeepEqual(groups, map[string]string{q.ID: "staff"}) {
		t.Errorf("ParticipantGroups = %v", groups)
	}
	counts, err = db.ParticipantCounts(ctx(t), "01900000-0000-7000-8000-000000000000")
	if err != nil || len(counts) != 0 {
		t.Errorf("ParticipantCounts of a missing workshop = %v, %v", counts, err)
	}
}

// testNoPersonalData ensures no table of what participants give has a
// column for an email address, an IP address or a user agent.
func testNoPersonalData(t *testing.T, db *store.DB) {
	for _, table := range []string{"workshops", "participants", "answers", "tension_positions", "ideas", "upvotes", "dots"} {
		rows, err := db.ReadSQL().QueryContext(ctx(t), "SELECT * FROM "+table+" WHERE 1 = 0")
		must(t, err)
		cols, err := rows.Columns()
		rows.Close()
		must(t, err)
		for _, c := range cols {
			for _, bad := range []string{"email", "mail", "ip", "addr", "agent", "ua"} {
				if c == bad || strings.HasPrefix(c, bad+"_") || strings.HasSuffix(c, "_"+bad) || strings.Contains(c, "email") || strings.Contains(c, "agent") {
					t.Errorf("%s.%s looks like personal data", table, c)
				}
			}
		}
	}
}

// --- answers ---

// testAnswers ensures answers round-trip exactly — "don't know" (nil) as
// nil and not 0, 0 and negative values as themselves, times to the
// microsecond — that a later write replaces an earlier one, that within a
// batch the last answer for a key wins, and that listings are scoped.
func testAnswers(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "answers")
	w, other := MustWorkshop(t, db, a.org.ID, "ANSWER01"), MustWorkshop(t, db, a.org.ID, "ANSWER02")
	p, q, r := MustParticipant(t, db, w.ID, "staff"), MustParticipant(t, db, w.ID, "members"), MustParticipant(t, db, other.ID, "staff")
	at := µs(time.Date(2025, 3, 4, 5, 6, 7, 891234567, time.UTC))
	batch := []domain.Answer{
		{WorkshopID: w.ID, ParticipantID: p.ID, TrendKey: TrendAI, QuestionKey: domain.QImpact, Value: nil, At: at},
		{WorkshopID: w.ID, ParticipantID: p.ID, TrendKey: TrendAI, QuestionKey: domain.QDirection, Value: iv(0), At: at},
		{WorkshopID: w.ID, ParticipantID: p.ID, TrendKey: TrendAgeing, QuestionKey: domain.QDirection, Value: iv(-2), At: at},
		{WorkshopID: w.ID, ParticipantID: q.ID, TrendKey: TrendAI, QuestionKey: domain.QImpact, Value: iv(5), At: at},
		{WorkshopID: other.ID, ParticipantID: r.ID, TrendKey: TrendAI, QuestionKey: domain.QImpact, Value: iv(1), At: at},
	}
	must(t, db.SaveAnswers(ctx(t), batch))

	got, err := db.Answers(ctx(t), a.org.ID, w.ID)
	must(t, err)
	want := slices.Clone(batch[:4])
	slices.SortFunc(want, func(x, y domain.Answer) int {
		return strings.Compare(x.ParticipantID+x.TrendKey+x.QuestionKey, y.ParticipantID+y.TrendKey+y.QuestionKey)
	})
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Answers =\n%s\nwant\n%s", fmtAnswers(got), fmtAnswers(want))
	}
	for _, g := range got {
		if g.ParticipantID == p.ID && g.QuestionKey == domain.QImpact && g.Value != nil {
			t.Errorf("\"don't know\" came back as %d", *g.Value)
		}
		if g.QuestionKey == domain.QDirection && g.TrendKey == TrendAI && (g.Value == nil || *g.Value != 0) {
			t.Errorf("0 came back as %v", g.Value)
		}
	}
	mine, err := db.ParticipantAnswers(ctx(t), w.ID, p.ID)
	must(t, err)
	if len(mine) != 3 {
		t.Errorf("ParticipantAnswers = %s", fmtAnswers(mine))
	}
	none, err := db.ParticipantAnswers(ctx(t), other.ID, p.ID)
	must(t, err)
	if len(none) != 0 {
		t.Errorf("ParticipantAnswers under another workshop = %s", fmtAnswers(none))
	}

	// A change, and "don't know" replacing a value and back.
	later := at.Add(time.Minute)
	must(t, db.SaveAnswers(ctx(t), []domain.Answer{
		{WorkshopID: w.ID, ParticipantID: p.ID, TrendKey: TrendAI, QuestionKey: domain.QImpact, Value: iv(4), At: later},
		{WorkshopID: w.ID, ParticipantID: q.ID, TrendKey: TrendAI, QuestionKey: domain.QImpact, Value: nil, At: later},
		// The last of several answers for one key in a batch wins.
		{WorkshopID: w.ID, ParticipantID: p.ID, TrendKey: TrendAgeing, QuestionKey: domain.QDirection, Value: iv(1), At: later},
		{WorkshopID: w.ID, ParticipantID: p.ID, TrendKey: TrendAgeing, QuestionKey: domain.QDirection, Value: nil, At: later},
		{WorkshopID: w.ID, ParticipantID: p.ID, TrendKey: TrendAgeing, QuestionKey: domain.QDirection, Value: iv(2), At: later},
	}))
	got, err = db.Answers(ctx(t), a.org.ID, w.ID)
	must(t, err)
	if len(got) != 4 {
		t.Fatalf("%d answers after changes: %s", len(got), fmtAnswers(got))
	}
	byKey := map[string]domain.Answer{}
	for _, g := range got {
		byKey[g.ParticipantID+"/"+g.TrendKey+"/"+g.QuestionKey] = g
	}
	check := func(pid, trend, question string, v *int, at time.Time) {
		t.Helper()
		g := byKey[pid+"/"+trend+"/"+question]
		if !reflect.DeepEqual(g.Value, v) || g.At != at {
			t.Errorf("%s/%s: value %v at %v, want %v at %v", trend, question, fmtValue(g.Value), g.At, fmtValue(v), at)
		}
	}
	check(p.ID, TrendAI, domain.QImpact, iv(4), later)
	check(q.ID, TrendAI, domain.QImpact, nil, later)
	check(p.ID, TrendAgeing, domain.QDirection, iv(2), later)
	check(p.ID, TrendAI, domain.QDirection, iv(0), at)

	// An answer without a time gets the current one.
	before := µs(time.Now())
	must(t, db.SaveAnswers(ctx(t), []domain.Answer{{WorkshopID: w.ID, ParticipantID: q.ID, TrendKey: TrendSVOnly, QuestionKey: domain.QHorizon, Value: iv(3)}}))
	mine, err = db.ParticipantAnswers(ctx(t), w.ID, q.ID)
	must(t, err)
	for _, g := range mine {
		if g.TrendKey == TrendSVOnly && (g.At.Before(before) || g.At.After(time.Now())) {
			t.Errorf("an answer without a time was stamped %v", g.At)
		}
	}
	must(t, db.SaveAnswers(ctx(t), nil))
}

// testAnswerIntegrity ensures a batch with an answer for a participant that
// is missing or of another workshop, or with an empty key, is refused whole:
// nothing of it is stored and no other participant's answer changes.
func testAnswerIntegrity(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "integrity")
	w, other := MustWorkshop(t, db, a.org.ID, "INTEGR01"), MustWorkshop(t, db, a.org.ID, "INTEGR02")
	p, r := MustParticipant(t, db, w.ID, "staff"), MustParticipant(t, db, other.ID, "staff")
	must(t, db.SaveAnswers(ctx(t), []domain.Answer{answer(other, r, TrendAI, domain.QImpact, iv(1))}))
	good := answer(w, p, TrendAI, domain.QImpact, iv(3))

	missing := good
	missing.ParticipantID = "01900000-0000-7000-8000-000000000000"
	wantCode(t, db.SaveAnswers(ctx(t), []domain.Answer{good, missing}), domain.ENOTFOUND, "missing participant")
	crossNew := answer(w, r, TrendAI, domain.QCertainty, iv(2)) // r is of the other workshop
	wantCode(t, db.SaveAnswers(ctx(t), []domain.Answer{good, crossNew}), domain.ENOTFOUND, "participant of another workshop (new row)")
	crossOld := answer(w, r, TrendAI, domain.QImpact, iv(5)) // r's existing row
	wantCode(t, db.SaveAnswers(ctx(t), []domain.Answer{good, crossOld}), domain.ENOTFOUND, "participant of another workshop (existing row)")
	empty := good
	empty.QuestionKey = ""
	wantCode(t, db.SaveAnswers(ctx(t), []domain.Answer{good, empty}), domain.EINVALID, "empty question")

	if n := answerRows(t, db, w.ID); n != 0 {
		t.Errorf("%d answers stored from refused batches", n)
	}
	theirs, err := db.ParticipantAnswers(ctx(t), other.ID, r.ID)
	must(t, err)
	if len(theirs) != 1 || *theirs[0].Value != 1 {
		t.Errorf("the other workshop's answer changed: %s", fmtAnswers(theirs))
	}
	got, err := db.Workshop(ctx(t), a.org.ID, w.ID)
	must(t, err)
	if got.QuestionsFrozen {
		t.Error("a refused batch froze the questions")
	}
}

// testParallelAnswers ensures that 50 parallel identical and 50 parallel
// different answers for the same participant, trend and question leave
// exactly one row, holding one of the values sent — through SaveAnswers,
// through one AnswerCommitter, and through two committers on two handles,
// as two server instances would write.
func testParallelAnswers(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "parallel")
	w := MustWorkshop(t, db, a.org.ID, "PARALLEL")
	other := reopen(t, db)
	c1 := store.NewAnswerCommitter(db, store.CommitterOptions{})
	defer c1.Close()
	c2 := store.NewAnswerCommitter(other, store.CommitterOptions{})
	defer c2.Close()
	sinks := map[string][]func(context.Context, []domain.Answer) error{
		"SaveAnswers":    {db.SaveAnswers, other.SaveAnswers},
		"one committer":  {c1.Submit},
		"two committers": {c1.Submit, c2.Submit},
	}
	for _, name := range []string{"SaveAnswers", "one committer", "two committers"} {
		p := MustParticipant(t, db, w.ID, "staff")
		sent := map[string]bool{"nil": true, "3": true}
		var wg sync.WaitGroup
		for i := range 100 {
			var v *int
			switch {
			case i < 50:
				v = iv(3) // identical
			case i%6 != 0:
				v = iv(i%5 + 1) // different
				sent[fmtValue(v)] = true
			}
			submit := sinks[name][i%len(sinks[name])]
			wg.Go(func() {
				ans := answer(w, p, TrendAI, domain.QImpact, v)
				if err := submit(ctx(t), []domain.Answer{ans}); err != nil {
					t.Errorf("%s: %v", name, err)
				}
			})
		}
		wg.Wait()
		rows := countRows(t, db, "SELECT COUNT(*) FROM answers WHERE participant_id = $1 AND trend_key = $2 AND question_key = $3",
			p.ID, TrendAI, domain.QImpact)
		if rows != 1 {
			t.Errorf("%s: %d rows, want exactly 1", name, rows)
		}
		got, err := db.ParticipantAnswers(ctx(t), w.ID, p.ID)
		must(t, err)
		if len(got) != 1 || !sent[fmtValue(got[0].Value)] {
			t.Errorf("%s: answers %s", name, fmtAnswers(got))
		}
	}
}

func fmtValue(v *int) string {
	if v == nil {
		return "nil"
	}
	return fmt.Sprint(*v)
}

func fmtAnswers(as []domain.Answer) string {
	var b strings.Builder
	for _, a := range as {
		fmt.Fprintf(&b, "  %s %s %s %s = %s at %v\n", a.WorkshopID, a.ParticipantID, a.TrendKey, a.QuestionKey, fmtValue(a.Value), a.At)
	}
	return b.String()
}

// --- the group committer ---

// testCommitterDurable ensures every answer a committer acknowledges is in
// the database, from many goroutines at once, that it counts what it did,
// and that Submit after Close fails without writing.
func testCommitterDurable(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "committer")
	w := MustWorkshop(t, db, a.org.ID, "COMMIT01")
	ps := make([]*domain.Participant, 20)
	for i := range ps {
		ps[i] = MustParticipant(t, db, w.ID, "staff")
	}
	c := store.NewAnswerCommitter(db, store.CommitterOptions{})
	var acked atomic.Int64
	var wg sync.WaitGroup
	questions := []string{domain.QImpact, domain.QDirection, domain.QHorizon, domain.QCertainty, domain.QReadiness}
	for _, p := range ps {
		for _, trend := range []string{TrendAI, TrendAgeing, TrendSVOnly} {
			wg.Go(func() {
				for _, q := range questions {
					if err := c.Submit(ctx(t), []domain.Answer{answer(w, p, trend, q, iv(1))}); err != nil {
						t.Error(err)
						return
					}
					acked.Add(1)
				}
			})
		}
	}
	wg.Wait()
	c.Close()
	if n := answerRows(t, db, w.ID); n != int(acked.Load()) || n != len(ps)*3*5 {
		t.Errorf("%d rows for %d acknowledged answers, want %d", n, acked.Load(), len(ps)*3*5)
	}
	s := c.Stats()
	if s.Answers != acked.Load() || s.Submissions != acked.Load() || s.Failed != 0 || s.Transactions < 1 ||
		s.Transactions > s.Submissions || s.MeanBatch() < 1 || s.Queued != 0 {
		t.Errorf("stats %+v, mean batch %.1f", s, s.MeanBatch())
	}
	t.Logf("%d answers in %d transactions, mean batch %.1f, max %d", s.Answers, s.Transactions, s.MeanBatch(), s.MaxBatch)

	err := c.Submit(ctx(t), []domain.Answer{answer(w, ps[0], TrendAI, "after-close", iv(1))})
	if !errors.Is(err, store.ErrCommitterClosed) {
		t.Errorf("Submit after Close: %v", err)
	}
	c.Close() // twice is fine
	if n := answerRows(t, db, w.ID); n != len(ps)*3*5 {
		t.Errorf("%d rows after a refused submission", n)
	}
	if err := c.Submit(ctx(t), nil); err != nil {
		t.Errorf("submitting nothing: %v", err)
	}
}

// testCommitterBatches ensures the committer writes what waits together in
// shared transactions of at most MaxBatch answers.
func testCommitterBatches(t *testing.T, db *store.DB) {
	for _, maxBatch := range []int{0, 10} {
		a := newTenant(t, db, fmt.Sprintf("batches-%d", maxBatch))
		w := MustWorkshop(t, db, a.org.ID, fmt.Sprintf("BATCHES%d", maxBatch))
		p := MustParticipant(t, db, w.ID, "staff")
		c := store.NewAnswerCommitter(db, store.CommitterOptions{MaxBatch: maxBatch, Writers: 1})
		release := plug(t, db, w)
		var wg sync.WaitGroup
		wg.Go(func() { errorIf(t, c.Submit(ctx(t), []domain.Answer{answer(w, p, TrendAI, "first", iv(1))})) })
		time.Sleep(20 * time.Millisecond) // the writer takes the first and waits for the plug
		const n = 100
		for i := range n {
			wg.Go(func() {
				errorIf(t, c.Submit(ctx(t), []domain.Answer{answer(w, p, TrendAI, fmt.Sprintf("q%d", i), iv(1))}))
			})
		}
		waitQueued(t, c, n)
		release()
		wg.Wait()
		c.Close()
		s := c.Stats()
		if n := answerRows(t, db, w.ID); n != 101 {
			t.Errorf("MaxBatch %d: %d rows, want 101", maxBatch, n)
		}
		switch maxBatch {
		case 0:
			if s.Transactions > 3 || s.MaxBatch < n/2 {
				t.Errorf("100 waiting answers took %d transactions (largest %d)", s.Transactions, s.MaxBatch)
			}
		default:
			if s.MaxBatch > int64(maxBatch) || s.Transactions < n/int64(maxBatch)+1 {
				t.Errorf("MaxBatch %d: %d transactions, largest %d", maxBatch, s.Transactions, s.MaxBatch)
			}
		}
		t.Logf("MaxBatch %d: %+v", maxBatch, s)
	}
}

// testCommitterIsolatesFailures ensures that a submission whose answers
// break a rule fails alone: the submissions sharing its transaction are
// written and acknowledged.
func testCommitterIsolatesFailures(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "isolate")
	w := MustWorkshop(t, db, a.org.ID, "ISOLATE1")
	p := MustParticipant(t, db, w.ID, "staff")
	c := store.NewAnswerCommitter(db, store.CommitterOptions{Writers: 1})
	defer c.Close()
	release := plug(t, db, w)
	var wg sync.WaitGroup
	wg.Go(func() { errorIf(t, c.Submit(ctx(t), []domain.Answer{answer(w, p, TrendAI, "first", iv(1))})) })
	time.Sleep(20 * time.Millisecond)
	for i := range 10 {
		wg.Go(func() {
			errorIf(t, c.Submit(ctx(t), []domain.Answer{answer(w, p, TrendAgeing, fmt.Sprintf("q%d", i), iv(1))}))
		})
	}
	var badErr error
	wg.Go(func() {
		bad := answer(w, p, TrendAI, domain.QImpact, iv(1))
		bad.ParticipantID = "01900000-0000-7000-8000-000000000000"
		badErr = c.Submit(ctx(t), []domain.Answer{bad})
	})
	waitQueued(t, c, 11)
	release()
	wg.Wait()
	wantCode(t, badErr, domain.ENOTFOUND, "the faulty submission")
	if n := answerRows(t, db, w.ID); n != 11 {
		t.Errorf("%d rows, want 11", n)
	}
	if s := c.Stats(); s.Failed != 1 || s.Submissions != 11 {
		t.Errorf("stats %+v", s)
	}
}

// testCommitterContext ensures a submission whose context ends while it
// waits in the queue returns at once with the context's error and is then
// not written, and that Close writes and acknowledges everything queued.
func testCommitterContext(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "cancel")
	w := MustWorkshop(t, db, a.org.ID, "CANCEL01")
	p := MustParticipant(t, db, w.ID, "staff")
	c := store.NewAnswerCommitter(db, store.CommitterOptions{Writers: 1})
	release := plug(t, db, w)
	var wg sync.WaitGroup
	wg.Go(func() { errorIf(t, c.Submit(ctx(t), []domain.Answer{answer(w, p, TrendAI, "first", iv(1))})) })
	time.Sleep(20 * time.Millisecond)

	cctx, cancel := context.WithCancel(ctx(t))
	cancelled := make(chan error, 1)
	go func() { cancelled <- c.Submit(cctx, []domain.Answer{answer(w, p, TrendAI, "cancelled", iv(1))}) }()
	waitQueued(t, c, 1)
	cancel()
	select {
	case err := <-cancelled:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled Submit: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a cancelled Submit did not return")
	}

	for i := range 5 {
		wg.Go(func() {
			errorIf(t, c.Submit(ctx(t), []domain.Answer{answer(w, p, TrendAgeing, fmt.Sprintf("q%d", i), iv(1))}))
		})
	}
	waitQueued(t, c, 6)
	closed := make(chan struct{})
	go func() { c.Close(); close(closed) }()
	time.Sleep(20 * time.Millisecond)
	select {
	case <-closed:
		t.Fatal("Close returned while submissions were still queued")
	default:
	}
	release()
	<-closed
	wg.Wait()
	if n := answerRows(t, db, w.ID); n != 6 {
		t.Errorf("%d rows, want 6 (the first and the five queued; not the cancelled one)", n)
	}
	if s := c.Stats(); s.Cancelled != 1 {
		t.Errorf("stats %+v", s)
	}
	c2 := store.NewAnswerCommitter(db, store.CommitterOptions{})
	defer c2.Close()
	done, stop := context.WithCancel(ctx(t))
	stop()
	if err := c2.Submit(done, []domain.Answer{answer(w, p, TrendAI, "done", iv(1))}); !errors.Is(err, context.Canceled) {
		t.Errorf("Submit with an ended context: %v", err)
	}
}

// --- tensions ---

// testTensionPositions ensures positions on fields of tension are stored,
// replaced by the last write, kept to −100 … 100 by the store and the
// schema, and refused for participants of other workshops.
func testTensionPositions(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "tensions")
	w, other := MustWorkshop(t, db, a.org.ID, "TENSION1"), MustWorkshop(t, db, a.org.ID, "TENSION2")
	p, q, r := MustParticipant(t, db, w.ID, "staff"), MustParticipant(t, db, w.ID, "members"), MustParticipant(t, db, other.ID, "staff")
	at := µs(time.Now())
	pos := domain.TensionPosition{WorkshopID: w.ID, ParticipantID: p.ID, TensionKey: TensionA, Now: -100, Want: 100, At: at}
	must(t, db.SaveTensionPosition(ctx(t), pos))
	pos2 := domain.TensionPosition{WorkshopID: w.ID, ParticipantID: q.ID, TensionKey: TensionB, Now: 0, Want: -30, At: at}
	must(t, db.SaveTensionPosition(ctx(t), pos2))
	pos.Now, pos.Want, pos.At = 5, 6, at.Add(time.Second)
	must(t, db.SaveTensionPosition(ctx(t), pos))

	all, err := db.TensionPositions(ctx(t), a.org.ID, w.ID)
	must(t, err)
	want := []domain.TensionPosition{pos, pos2}
	if p.ID > q.ID {
		want = []domain.TensionPosition{pos2, pos}
	}
	if !reflect.DeepEqual(all, want) {
		t.Errorf("TensionPositions = %+v, want %+v", all, want)
	}
	mine, err := db.ParticipantTensions(ctx(t), w.ID, p.ID)
	must(t, err)
	if !reflect.DeepEqual(mine, []domain.TensionPosition{pos}) {
		t.Errorf("ParticipantTensions = %+v", mine)
	}

	for _, bad := range [][2]int{{101, 0}, {0, -101}} {
		wantCode(t, db.SaveTensionPosition(ctx(t), domain.TensionPosition{WorkshopID: w.ID, ParticipantID: p.ID, TensionKey: TensionA, Now: bad[0], Want: bad[1]}),
			domain.EINVALID, fmt.Sprint("position ", bad))
	}
	if _, err := db.SQL().ExecContext(ctx(t),
		`INSERT INTO tension_positions (workshop_id, participant_id, tension_key, now, want, at) VALUES ($1, $2, 'x', 101, 0, 0)`, w.ID, q.ID); err == nil {
		t.Error("the schema took a position of 101")
	}
	wantCode(t, db.SaveTensionPosition(ctx(t), domain.TensionPosition{WorkshopID: w.ID, ParticipantID: r.ID, TensionKey: TensionA, Now: 1, Want: 1}),
		domain.ENOTFOUND, "participant of another workshop")
	must(t, db.SaveTensionPosition(ctx(t), domain.TensionPosition{WorkshopID: other.ID, ParticipantID: r.ID, TensionKey: TensionA, Now: 1, Want: 1}))
	wantCode(t, db.SaveTensionPosition(ctx(t), domain.TensionPosition{WorkshopID: w.ID, ParticipantID: r.ID, TensionKey: TensionA, Now: 9, Want: 9}),
		domain.ENOTFOUND, "participant of another workshop, existing row")
	theirs, err := db.ParticipantTensions(ctx(t), other.ID, r.ID)
	must(t, err)
	if len(theirs) != 1 || theirs[0].Now != 1 {
		t.Errorf("the other workshop's position: %+v", theirs)
	}
}

// --- ideas, upvotes, dots ---

// testIdeas ensures ideas are stored and listed oldest first with their
// counts, can be hidden and shown only within the organisation, and are
// refused from participants of other workshops.
func testIdeas(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "ideas")
	w, other := MustWorkshop(t, db, a.org.ID, "IDEAS001"), MustWorkshop(t, db, a.org.ID, "IDEAS002")
	p, r := MustParticipant(t, db, w.ID, "staff"), MustParticipant(t, db, other.ID, "staff")
	i1 := &domain.Idea{WorkshopID: w.ID, ParticipantID: p.ID, TrendKey: TrendAI, Text: "Train staff – åäö \"now\"\nSecond line 🙂"}
	must(t, db.AddIdea(ctx(t), i1))
	if i1.ID == "" || i1.CreatedAt.IsZero() {
		t.Fatalf("AddIdea set %+v", i1)
	}
	i2 := &domain.Idea{WorkshopID: w.ID, ParticipantID: p.ID, TrendKey: TrendAgeing, Text: "Second"}
	must(t, db.AddIdea(ctx(t), i2))
	ideas, err := db.Ideas(ctx(t), w.ID)
	must(t, err)
	if len(ideas) != 2 || !reflect.DeepEqual(ideas[0], *i1) || !reflect.DeepEqual(ideas[1], *i2) {
		t.Errorf("Ideas = %+v", ideas)
	}

	must(t, db.SetIdeaHidden(ctx(t), a.org.ID, w.ID, i1.ID, true))
	ideas, err = db.Ideas(ctx(t), w.ID)
	must(t, err)
	if len(ideas) != 2 || !ideas[0].Hidden || ideas[1].Hidden {
		t.Errorf("after hiding: %+v", ideas)
	}
	must(t, db.SetIdeaHidden(ctx(t), a.org.ID, w.ID, i1.ID, false))
	wantCode(t, db.SetIdeaHidden(ctx(t), a.org.ID, other.ID, i1.ID, true), domain.ENOTFOUND, "hiding through another workshop")

	wantCode(t, db.AddIdea(ctx(t), &domain.Idea{WorkshopID: w.ID, ParticipantID: r.ID, TrendKey: TrendAI, Text: "x"}), domain.ENOTFOUND, "idea by a participant of another workshop")
	wantCode(t, db.AddIdea(ctx(t), &domain.Idea{WorkshopID: w.ID, ParticipantID: p.ID, TrendKey: TrendAI}), domain.EINVALID, "empty idea")
	wantCode(t, db.AddIdea(ctx(t), &domain.Idea{WorkshopID: w.ID, ParticipantID: p.ID, TrendKey: TrendAI, Text: strings.Repeat("å", domain.MaxIdeaLen+1)}), domain.EINVALID, "long idea")
	must(t, db.AddIdea(ctx(t), &domain.Idea{WorkshopID: w.ID, ParticipantID: p.ID, TrendKey: TrendAI, Text: strings.Repeat("å", domain.MaxIdeaLen)}))
	ideas, err = db.Ideas(ctx(t), other.ID)
	must(t, err)
	if len(ideas) != 0 {
		t.Errorf("the other workshop lists %+v", ideas)
	}
}

// testUpvotes ensures a participant has at most one upvote per idea
// (upvoting twice is one upvote), can remove it, and cannot upvote an idea
// of another workshop or a hidden one.
func testUpvotes(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "upvotes")
	w, other := MustWorkshop(t, db, a.org.ID, "UPVOTE01"), MustWorkshop(t, db, a.org.ID, "UPVOTE02")
	p, q, r := MustParticipant(t, db, w.ID, "staff"), MustParticipant(t, db, w.ID, "staff"), MustParticipant(t, db, other.ID, "staff")
	idea := &domain.Idea{WorkshopID: w.ID, ParticipantID: p.ID, TrendKey: TrendAI, Text: "Idea"}
	must(t, db.AddIdea(ctx(t), idea))
	theirs := &domain.Idea{WorkshopID: other.ID, ParticipantID: r.ID, TrendKey: TrendAI, Text: "Theirs"}
	must(t, db.AddIdea(ctx(t), theirs))

	upvotes := func() int {
		t.Helper()
		ideas, err := db.Ideas(ctx(t), w.ID)
		must(t, err)
		return ideas[0].Upvotes
	}
	must(t, db.SetUpvote(ctx(t), w.ID, idea.ID, q.ID, true))
	must(t, db.SetUpvote(ctx(t), w.ID, idea.ID, q.ID, true))
	if n := upvotes(); n != 1 {
		t.Errorf("upvoting twice gave %d upvotes", n)
	}
	must(t, db.SetUpvote(ctx(t), w.ID, idea.ID, p.ID, true))
	if n := upvotes(); n != 2 {
		t.Errorf("%d upvotes, want 2", n)
	}
	ids, err := db.ParticipantUpvotes(ctx(t), w.ID, q.ID)
	must(t, err)
	if !reflect.DeepEqual(ids, []string{idea.ID}) {
		t.Errorf("ParticipantUpvotes = %v", ids)
	}
	must(t, db.SetUpvote(ctx(t), w.ID, idea.ID, q.ID, false))
	must(t, db.SetUpvote(ctx(t), w.ID, idea.ID, q.ID, false))
	if n := upvotes(); n != 1 {
		t.Errorf("after removing: %d upvotes", n)
	}

	wantCode(t, db.SetUpvote(ctx(t), w.ID, theirs.ID, q.ID, true), domain.ENOTFOUND, "upvoting another workshop's idea")
	wantCode(t, db.SetUpvote(ctx(t), other.ID, theirs.ID, q.ID, true), domain.ENOTFOUND, "upvoting by a participant of another workshop")
	must(t, db.SetIdeaHidden(ctx(t), a.org.ID, w.ID, idea.ID, true))
	wantCode(t, db.SetUpvote(ctx(t), w.ID, idea.ID, q.ID, true), domain.EINVALID, "upvoting a hidden idea")
	if n := countRows(t, db, "SELECT COUNT(*) FROM upvotes"); n != 1 {
		t.Errorf("%d upvotes stored, want 1", n)
	}
	if _, err := db.SQL().ExecContext(ctx(t), `INSERT INTO upvotes (workshop_id, idea_id, participant_id) VALUES ($1, $2, $3)`, w.ID, theirs.ID, q.ID); err == nil {
		t.Error("the schema took an upvote on another workshop's idea")
	}
}

// testDots ensures SetDots replaces a participant's dots, counts them on
// the ideas, and refuses — changing nothing — a total over the limit, a
// negative number, and hidden ideas or ideas of another workshop; and that
// concurrent calls cannot together exceed the limit.
func testDots(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "dots")
	w, other := MustWorkshop(t, db, a.org.ID, "DOTS0001"), MustWorkshop(t, db, a.org.ID, "DOTS0002")
	p, q, r := MustParticipant(t, db, w.ID, "staff"), MustParticipant(t, db, w.ID, "staff"), MustParticipant(t, db, other.ID, "staff")
	var ideas []*domain.Idea
	for i := range 3 {
		idea := &domain.Idea{WorkshopID: w.ID, ParticipantID: p.ID, TrendKey: TrendAI, Text: fmt.Sprint("Idea ", i)}
		must(t, db.AddIdea(ctx(t), idea))
		ideas = append(ideas, idea)
	}
	theirs := &domain.Idea{WorkshopID: other.ID, ParticipantID: r.ID, TrendKey: TrendAI, Text: "Theirs"}
	must(t, db.AddIdea(ctx(t), theirs))

	placed := map[string]int{ideas[0].ID: 2, ideas[1].ID: 1}
	must(t, db.SetDots(ctx(t), w.ID, q.ID, placed, 3))
	must(t, db.SetDots(ctx(t), w.ID, p.ID, map[string]int{ideas[0].ID: 1, ideas[2].ID: 0}, 3))
	got, err := db.ParticipantDots(ctx(t), w.ID, q.ID)
	must(t, err)
	if !reflect.DeepEqual(got, placed) {
		t.Errorf("ParticipantDots = %v, want %v", got, placed)
	}
	list, err := db.Ideas(ctx(t), w.ID)
	must(t, err)
	if list[0].Dots != 3 || list[1].Dots != 1 || list[2].Dots != 0 {
		t.Errorf("dots on ideas: %d %d %d", list[0].Dots, list[1].Dots, list[2].Dots)
	}

	for name, bad := range map[string]map[string]int{
		"over the limit":         {ideas[0].ID: 3, ideas[2].ID: 1},
		"negative":               {ideas[0].ID: -1, ideas[1].ID: 1},
		"another workshop's":     {theirs.ID: 1},
		"a missing idea":         {"01900000-0000-7000-8000-000000000000": 1},
		"over the limit in one":  {ideas[2].ID: 4},
		"mixed with a good one":  {ideas[2].ID: 1, theirs.ID: 1},
		"hidden (hidden below)":  {ideas[1].ID: 1},
		"hidden among good ones": {ideas[0].ID: 1, ideas[1].ID: 1},
	} {
		if strings.HasPrefix(name, "hidden") {
			must(t, db.SetIdeaHidden(ctx(t), a.org.ID, w.ID, ideas[1].ID, true))
		}
		wantCode(t, db.SetDots(ctx(t), w.ID, q.ID, bad, 3), domain.EINVALID, name)
		got, err := db.ParticipantDots(ctx(t), w.ID, q.ID)
		must(t, err)
		if !reflect.DeepEqual(got, placed) {
			t.Errorf("%s: dots changed to %v", name, got)
		}
		must(t, db.SetIdeaHidden(ctx(t), a.org.ID, w.ID, ideas[1].ID, false))
	}
	wantCode(t, db.SetDots(ctx(t), w.ID, r.ID, map[string]int{ideas[0].ID: 1}, 3), domain.ENOTFOUND, "participant of another workshop")
	if _, err := db.SQL().ExecContext(ctx(t), `INSERT INTO dots (workshop_id, idea_id, participant_id, count) VALUES ($1, $2, $3, 0)`, w.ID, ideas[2].ID, q.ID); err == nil {
		t.Error("the schema took 0 dots")
	}

	// Clearing.
	must(t, db.SetDots(ctx(t), w.ID, q.ID, nil, 3))
	got, err = db.ParticipantDots(ctx(t), w.ID, q.ID)
	must(t, err)
	if len(got) != 0 {
		t.Errorf("after clearing: %v", got)
	}

	// Concurrent calls, each within the limit alone, never exceed it
	// together: the last to commit replaces the others.
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Go(func() {
			err := db.SetDots(ctx(t), w.ID, q.ID, map[string]int{ideas[i%3].ID: 2, ideas[(i+1)%3].ID: 1}, 3)
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got, err = db.ParticipantDots(ctx(t), w.ID, q.ID)
	must(t, err)
	total := 0
	for _, n := range got {
		total += n
	}
	if total != 3 || len(got) != 2 {
		t.Errorf("after concurrent calls: %v", got)
	}
}
