package storetest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/store"
)

// Test is one test of the contract suite.
type Test struct {
	Name string
	Fn   func(t *testing.T, db *store.DB)
}

// Contract lists the tests every engine must pass, each of which gets a
// fresh, migrated database.
var Contract = []Test{
	{"MigrateTwice", testMigrateTwice},
	{"SQLitePragmas", testSQLitePragmas},
	{"SQLiteCheckpoints", testSQLiteCheckpoints},
	{"TimeRoundTrip", testTimeRoundTrip},
	{"Organisations", testOrganisations},
	{"Users", testUsers},
	{"Memberships", testMemberships},
	{"LastOwner", testLastOwner},
	{"Invitations", testInvitations},
	{"LoginFailures", testLoginFailures},
	{"APITokens", testAPITokens},
	{"Sessions", testSessions},
	{"Audit", testAudit},
	{"Libraries", testLibraries},
	{"ContentRoundTrip", testContentRoundTrip},
	{"VersionLifeCycle", testVersionLifeCycle},
	{"PublishedNeverChanges", testPublishedNeverChanges},
	{"DeleteDraft", testDeleteDraft},
	{"DeleteLibraryCascades", testDeleteLibraryCascades},
	{"PublicVisibility", testPublicVisibility},
	{"TenantIsolation", testTenantIsolation},
	{"MissingIDs", testMissingIDs},
	{"UniqueConflicts", testUniqueConflicts},
	{"SchemaConstraints", testSchemaConstraints},
	{"ForeignKeys", testForeignKeys},
	{"LargeLibrary", testLargeLibrary},
	{"ConcurrentWriters", testConcurrentWriters},
	{"ConcurrentDrafts", testConcurrentDrafts},
	{"ConcurrentAccept", testConcurrentAccept},
	{"ConcurrentOwnerRemoval", testConcurrentOwnerRemoval},
	{"ErrorsWrapped", testErrorsWrapped},

	// Workshops (workshops.go).
	{"WorkshopRoundTrip", testWorkshopRoundTrip},
	{"WorkshopVersionRules", testWorkshopVersionRules},
	{"UpdateWorkshop", testUpdateWorkshop},
	{"QuestionsFrozen", testQuestionsFrozen},
	{"SetWorkshopState", testSetWorkshopState},
	{"ConcurrentPhaseMoves", testConcurrentPhaseMoves},
	{"JoinCodes", testJoinCodes},
	{"WorkshopTenantIsolation", testWorkshopTenantIsolation},
	{"WorkshopList", testWorkshopList},
	{"DeleteWorkshop", testDeleteWorkshop},
	{"LibraryInUse", testLibraryInUse},
	{"Participants", testParticipants},
	{"NoPersonalData", testNoPersonalData},
	{"Answers", testAnswers},
	{"AnswerIntegrity", testAnswerIntegrity},
	{"ParallelAnswers", testParallelAnswers},
	{"CommitterDurable", testCommitterDurable},
	{"CommitterBatches", testCommitterBatches},
	{"CommitterIsolatesFailures", testCommitterIsolatesFailures},
	{"CommitterContext", testCommitterContext},
	{"TensionPositions", testTensionPositions},
	{"Ideas", testIdeas},
	{"Upvotes", testUpvotes},
	{"Dots", testDots},
}

// Run runs the contract suite. open must return a fresh, migrated, empty
// database for each call. The tests run in parallel.
func Run(t *testing.T, open func(t *testing.T) *store.DB) {
	for _, ct := range Contract {
		t.Run(ct.Name, func(t *testing.T) {
			t.Parallel()
			ct.Fn(t, open(t))
		})
	}
}

// --- helpers ---

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantCode fails t unless err carries the domain error code.
func wantCode(t *testing.T, err error, code, what string) {
	t.Helper()
	if got := domain.ErrorCode(err); got != code {
		t.Errorf("%s: error %v has code %q, want %q", what, err, got, code)
	}
}

// wantSameError fails t unless err is the same domain error as want: the
// same code and the same message, so that callers cannot tell "exists but is
// another organisation's" from "does not exist".
func wantSameError(t *testing.T, err, want error, what string) {
	t.Helper()
	if domain.ErrorCode(want) != domain.ENOTFOUND {
		t.Fatalf("%s: the reference error %v is not ENOTFOUND", what, want)
	}
	if err == nil || err.Error() != want.Error() {
		t.Errorf("%s: error %v, want exactly %v as for a missing id", what, err, want)
	}
}

func ctx(t *testing.T) context.Context { return t.Context() }

// µs returns t as the store gives it back: UTC, truncated to microseconds.
func µs(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func wantTime(t *testing.T, got, want time.Time, what string) {
	t.Helper()
	if got != want || got.Location() != time.UTC {
		t.Errorf("%s: got %v (%s), want exactly %v", what, got, got.Location(), want)
	}
}

// diffContent describes how got differs from want, or returns "".
func diffContent(got, want *domain.Content) string {
	if reflect.DeepEqual(got, want) {
		return ""
	}
	var b strings.Builder
	gv, wv := reflect.ValueOf(*got), reflect.ValueOf(*want)
	for i := range gv.NumField() {
		g, w := gv.Field(i).Interface(), wv.Field(i).Interface()
		if reflect.DeepEqual(g, w) {
			continue
		}
		name := gv.Type().Field(i).Name
		if gv.Field(i).Kind() == reflect.Slice && gv.Field(i).Len() == wv.Field(i).Len() {
			for j := range gv.Field(i).Len() {
				gj, wj := gv.Field(i).Index(j).Interface(), wv.Field(i).Index(j).Interface()
				if !reflect.DeepEqual(gj, wj) {
					fmt.Fprintf(&b, "\n%s[%d]:\n got  %#v\n want %#v", name, j, gj, wj)
				}
			}
			continue
		}
		fmt.Fprintf(&b, "\n%s:\n got  %#v\n want %#v", name, g, w)
	}
	return b.String()
}

func wantContent(t *testing.T, got, want *domain.Content, what string) {
	t.Helper()
	if d := diffContent(got, want); d != "" {
		t.Errorf("%s: content differs:%s", what, d)
	}
}

// tenant is an organisation with an owner.
type tenant struct {
	org   *domain.Organisation
	owner *domain.User
}

func newTenant(t *testing.T, db *store.DB, slug string) tenant {
	t.Helper()
	o := MustOrg(t, db, slug)
	u := MustUser(t, db, slug+"-owner@example.org")
	MustMember(t, db, o.ID, u.ID, domain.Owner)
	return tenant{o, u}
}

func countRows(t *testing.T, db *store.DB, query string, args ...any) int {
	t.Helper()
	var n int
	must(t, db.ReadSQL().QueryRowContext(ctx(t), query, args...).Scan(&n))
	return n
}

// --- tests ---

// testMigrateTwice ensures that migrating an up-to-date database changes
// nothing and fails nothing, and that the schema is at the newest version.
func testMigrateTwice(t *testing.T, db *store.DB) {
	must(t, db.Migrate(ctx(t)))
	must(t, db.Migrate(ctx(t)))
	cur, latest, err := db.SchemaVersion(ctx(t))
	must(t, err)
	if cur != latest || cur < 1 {
		t.Errorf("schema version %d, newest migration %d", cur, latest)
	}
	newTenant(t, db, "after-migrate")
}

// testSQLitePragmas ensures that every pooled SQLite connection, not only
// the first, runs in WAL mode with foreign keys on, synchronous=FULL and a
// busy timeout, that read connections cannot write, and that the write
// connection has its larger cache and leaves checkpoints to the background.
func testSQLitePragmas(t *testing.T, db *store.DB) {
	OnlyOn(t, db, SQLite)
	for _, p := range []struct {
		name      string
		pool      *sql.DB
		queryOnly int
	}{{"write", db.SQL(), 0}, {"read", db.ReadSQL(), 1}} {
		n := p.pool.Stats().MaxOpenConnections
		if p.name == "write" && n != 1 {
			t.Errorf("write pool allows %d connections, want 1", n)
		}
		// Hold n connections at once so that each is a different one.
		conns := make([]*sql.Conn, n)
		for i := range conns {
			c, err := p.pool.Conn(ctx(t))
			must(t, err)
			defer c.Close()
			conns[i] = c
		}
		for i, c := range conns {
			var journal string
			var fk, sync, busy, qo int
			must(t, c.QueryRowContext(ctx(t), "PRAGMA journal_mode").Scan(&journal))
			must(t, c.QueryRowContext(ctx(t), "PRAGMA foreign_keys").Scan(&fk))
			must(t, c.QueryRowContext(ctx(t), "PRAGMA synchronous").Scan(&sync))
			must(t, c.QueryRowContext(ctx(t), "PRAGMA busy_timeout").Scan(&busy))
			must(t, c.QueryRowContext(ctx(t), "PRAGMA query_only").Scan(&qo))
			if journal != "wal" || fk != 1 || sync != 2 || busy < 5000 || qo != p.queryOnly {
				t.Errorf("%s connection %d: journal_mode=%s foreign_keys=%d synchronous=%d busy_timeout=%d query_only=%d; want wal 1 2 >=5000 %d",
					p.name, i, journal, fk, sync, busy, qo, p.queryOnly)
			}
			if p.name == "write" {
				// See sqliteWritePragmas in store.go.
				var cache, autockpt, limit int
				must(t, c.QueryRowContext(ctx(t), "PRAGMA cache_size").Scan(&cache))
				must(t, c.QueryRowContext(ctx(t), "PRAGMA wal_autocheckpoint").Scan(&autockpt))
				must(t, c.QueryRowContext(ctx(t), "PRAGMA journal_size_limit").Scan(&limit))
				if cache != -65536 || autockpt != 20000 || limit != 64<<20 {
					t.Errorf("write connection: cache_size=%d wal_autocheckpoint=%d journal_size_limit=%d; want -65536 20000 %d",
						cache, autockpt, limit, 64<<20)
				}
			}
			if p.queryOnly == 1 {
				if _, err := c.ExecContext(ctx(t), "DELETE FROM sessions"); err == nil {
					t.Errorf("read connection %d could write", i)
				}
			}
		}
	}
}

// testTimeRoundTrip ensures that times come back exactly, in UTC, to the
// microsecond, whatever their zone, including far past and future ones, and
// that times the store sets are the ones it gives back.
func testTimeRoundTrip(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "times")
	zone := time.FixedZone("CEST", 2*60*60)
	times := []time.Time{
		time.Date(2024, 5, 17, 13, 14, 15, 123456789, zone),
		time.Date(1969, 12, 31, 23, 59, 59, 999999000, time.UTC), // before the epoch
		time.Date(1900, 1, 1, 0, 0, 0, 1000, time.UTC),
		time.Date(2500, 12, 31, 23, 59, 59, 999999999, zone),
	}
	for i, at := range times {
		e := &domain.AuditEntry{OrgID: a.org.ID, Action: fmt.Sprintf("test.%d", i), At: at}
		must(t, db.Audit(ctx(t), e))
		wantTime(t, e.At, µs(at), "Audit sets At")
	}
	log, err := db.AuditLog(ctx(t), a.org.ID, 10)
	must(t, err)
	got := map[string]time.Time{}
	for _, e := range log {
		got[e.Action] = e.At
	}
	for i, at := range times {
		wantTime(t, got[fmt.Sprintf("test.%d", i)], µs(at), fmt.Sprintf("audit time %d", i))
	}

	// Times set by the store.
	o, err := db.OrgByID(ctx(t), a.org.ID)
	must(t, err)
	wantTime(t, o.CreatedAt, a.org.CreatedAt, "organisation CreatedAt")
	u, err := db.UserByID(ctx(t), a.owner.ID)
	must(t, err)
	wantTime(t, u.CreatedAt, a.owner.CreatedAt, "user CreatedAt")

	// Nullable times and times of other tables.
	at := times[0]
	_, err = db.RecordLoginFailure(ctx(t), a.owner.ID, at)
	must(t, err)
	_, last, err := db.LoginFailures(ctx(t), a.owner.ID)
	must(t, err)
	wantTime(t, last, µs(at), "last failed login")

	inv := &domain.Invitation{OrgID: a.org.ID, Email: "x@example.org", Role: domain.Viewer, TokenHash: "time-hash", ExpiresAt: times[3]}
	must(t, db.CreateInvitation(ctx(t), inv))
	got2, err := db.InvitationByTokenHash(ctx(t), "time-hash")
	must(t, err)
	wantTime(t, got2.ExpiresAt, µs(times[3]), "invitation ExpiresAt")
	wantTime(t, got2.CreatedAt, inv.CreatedAt, "invitation CreatedAt")

	lib, v := MustLibrary(t, db, a.org.ID, RichContent())
	d, err := db.CreateDraft(ctx(t), a.org.ID, lib.ID, v.ID)
	must(t, err)
	must(t, db.PublishVersion(ctx(t), a.org.ID, d.ID, at))
	ver, err := db.Version(ctx(t), a.org.ID, d.ID)
	must(t, err)
	if ver.PublishedAt == nil {
		t.Fatal("PublishedAt is nil")
	}
	wantTime(t, *ver.PublishedAt, µs(at), "PublishedAt")
	wantTime(t, ver.CreatedAt, d.CreatedAt, "version CreatedAt")
}

// testOrganisations ensures organisations are created, found by slug and
// id, and updated, with every field kept.
func testOrganisations(t *testing.T, db *store.DB) {
	o := &domain.Organisation{Slug: "malmo", Name: "Malmö stad", Type: domain.Municipality, Country: "SE", SizeBand: domain.SizeLarge}
	must(t, db.CreateOrg(ctx(t), o))
	if o.ID == "" || o.CreatedAt.IsZero() {
		t.Fatalf("CreateOrg did not set ID and CreatedAt: %+v", o)
	}
	for _, find := range []func() (*domain.Organisation, error){
		func() (*domain.Organisation, error) { return db.OrgBySlug(ctx(t), "malmo") },
		func() (*domain.Organisation, error) { return db.OrgByID(ctx(t), o.ID) },
	} {
		got, err := find()
		must(t, err)
		if *got != *o {
			t.Errorf("got %+v, want %+v", got, o)
		}
	}
	o.Name, o.Type, o.Country, o.SizeBand = "Region Skåne", domain.Region, "", ""
	must(t, db.UpdateOrg(ctx(t), o))
	got, err := db.OrgByID(ctx(t), o.ID)
	must(t, err)
	if *got != *o {
		t.Errorf("after update got %+v, want %+v", got, o)
	}
}

// testUsers ensures users are created, found by id and email, and updated.
func testUsers(t *testing.T, db *store.DB) {
	u := &domain.User{Email: "åsa@example.org", DisplayName: "Åsa Öberg", PasswordHash: "$argon2id$v=19$x", Language: "sv"}
	must(t, db.CreateUser(ctx(t), u))
	if u.ID == "" || u.CreatedAt.IsZero() {
		t.Fatalf("CreateUser did not set ID and CreatedAt: %+v", u)
	}
	for _, find := range []func() (*domain.User, error){
		func() (*domain.User, error) { return db.UserByEmail(ctx(t), u.Email) },
		func() (*domain.User, error) { return db.UserByID(ctx(t), u.ID) },
	} {
		got, err := find()
		must(t, err)
		if *got != *u {
			t.Errorf("got %+v, want %+v", got, u)
		}
	}
	u.DisplayName, u.Language, u.PasswordHash = "Åsa Ö.", "en", ""
	must(t, db.UpdateUser(ctx(t), u))
	got, err := db.UserByID(ctx(t), u.ID)
	must(t, err)
	if *got != *u {
		t.Errorf("after update got %+v, want %+v", got, u)
	}
}

// testMemberships ensures memberships are added, changed, listed in name
// order with the other side filled, and removed.
func testMemberships(t *testing.T, db *store.DB) {
	zeta, alpha := MustOrg(t, db, "zeta"), MustOrg(t, db, "alpha")
	bo, al := MustUser(t, db, "bo@example.org"), MustUser(t, db, "al@example.org")
	owner := MustUser(t, db, "owner@example.org")
	MustMember(t, db, zeta.ID, owner.ID, domain.Owner)
	MustMember(t, db, alpha.ID, owner.ID, domain.Owner)

	m := MustMember(t, db, zeta.ID, bo.ID, domain.Viewer)
	if m.CreatedAt.IsZero() {
		t.Error("SetMembership did not set CreatedAt")
	}
	created := m.CreatedAt
	MustMember(t, db, alpha.ID, bo.ID, domain.Analyst)
	MustMember(t, db, zeta.ID, al.ID, domain.Facilitator)

	// Changing the role keeps the membership's creation time.
	m2 := MustMember(t, db, zeta.ID, bo.ID, domain.Facilitator)
	wantTime(t, m2.CreatedAt, created, "CreatedAt after role change")
	got, err := db.Membership(ctx(t), zeta.ID, bo.ID)
	must(t, err)
	if got.Role != domain.Facilitator || got.OrgID != zeta.ID || got.UserID != bo.ID || got.CreatedAt != created {
		t.Errorf("Membership = %+v", got)
	}

	ms, err := db.Memberships(ctx(t), bo.ID)
	must(t, err)
	if len(ms) != 2 || ms[0].Org == nil || ms[0].Org.Slug != "alpha" || ms[1].Org.Slug != "zeta" ||
		ms[0].Role != domain.Analyst || ms[1].Role != domain.Facilitator || *ms[0].Org != *alpha {
		t.Errorf("Memberships = %+v", ms)
	}

	members, err := db.Members(ctx(t), zeta.ID)
	must(t, err)
	var names []string
	for _, m := range members {
		if m.User == nil {
			t.Fatal("Members left User nil")
		}
		names = append(names, m.User.Email)
	}
	if strings.Join(names, " ") != "al@example.org bo@example.org owner@example.org" {
		t.Errorf("Members by display name = %v", names)
	}
	if *members[0].User != *al {
		t.Errorf("member user = %+v, want %+v", members[0].User, al)
	}

	must(t, db.RemoveMembership(ctx(t), zeta.ID, bo.ID))
	_, err = db.Membership(ctx(t), zeta.ID, bo.ID)
	wantCode(t, err, domain.ENOTFOUND, "Membership after removal")
	wantCode(t, db.RemoveMembership(ctx(t), zeta.ID, bo.ID), domain.ENOTFOUND, "second RemoveMembership")

	err = db.SetMembership(ctx(t), &domain.Membership{OrgID: zeta.ID, UserID: bo.ID, Role: "emperor"})
	wantCode(t, err, domain.EINVALID, "SetMembership with unknown role")
}

// testLastOwner ensures an organisation always keeps an owner: the last one
// can be neither removed nor demoted, while one of two can.
func testLastOwner(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "owners")
	wantCode(t, db.RemoveMembership(ctx(t), a.org.ID, a.owner.ID), domain.ECONFLICT, "removing the last owner")
	err := db.SetMembership(ctx(t), &domain.Membership{OrgID: a.org.ID, UserID: a.owner.ID, Role: domain.Viewer})
	wantCode(t, err, domain.ECONFLICT, "demoting the last owner")
	m, err := db.Membership(ctx(t), a.org.ID, a.owner.ID)
	must(t, err)
	if m.Role != domain.Owner {
		t.Errorf("last owner's role became %s", m.Role)
	}
	// Setting the owner role again is fine.
	MustMember(t, db, a.org.ID, a.owner.ID, domain.Owner)

	second := MustUser(t, db, "second@example.org")
	MustMember(t, db, a.org.ID, second.ID, domain.Owner)
	MustMember(t, db, a.org.ID, a.owner.ID, domain.Viewer) // demote one of two
	wantCode(t, db.RemoveMembership(ctx(t), a.org.ID, second.ID), domain.ECONFLICT, "removing the remaining owner")
	must(t, db.RemoveMembership(ctx(t), a.org.ID, a.owner.ID))
}

// testInvitations ensures invitations are stored, found by token hash,
// listed while pending, revoked while unused, and accepted exactly once
// before they expire, giving the invited role.
func testInvitations(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "inviting")
	now := µs(time.Now())
	inv := &domain.Invitation{OrgID: a.org.ID, Email: "new@example.org", Role: domain.Facilitator, TokenHash: "hash-1",
		InvitedBy: a.owner.ID, ExpiresAt: now.Add(time.Hour)}
	must(t, db.CreateInvitation(ctx(t), inv))
	if inv.ID == "" || inv.CreatedAt.IsZero() {
		t.Fatalf("CreateInvitation did not set ID and CreatedAt: %+v", inv)
	}
	got, err := db.InvitationByTokenHash(ctx(t), "hash-1")
	must(t, err)
	if !reflect.DeepEqual(got, inv) {
		t.Errorf("InvitationByTokenHash = %+v, want %+v", got, inv)
	}

	expired := &domain.Invitation{OrgID: a.org.ID, Email: "late@example.org", Role: domain.Viewer, TokenHash: "hash-2", ExpiresAt: now.Add(-time.Minute)}
	must(t, db.CreateInvitation(ctx(t), expired))
	revocable := &domain.Invitation{OrgID: a.org.ID, Email: "maybe@example.org", Role: domain.Analyst, TokenHash: "hash-3", ExpiresAt: now.Add(time.Hour)}
	must(t, db.CreateInvitation(ctx(t), revocable))
	got3, err := db.InvitationByTokenHash(ctx(t), "hash-3")
	must(t, err)
	if got3.InvitedBy != "" || got3.AcceptedAt != nil || got3.AcceptedBy != "" {
		t.Errorf("invitation without inviter = %+v", got3)
	}

	pending, err := db.PendingInvitations(ctx(t), a.org.ID, now)
	must(t, err)
	if len(pending) != 2 || pending[0].ID != inv.ID || pending[1].ID != revocable.ID {
		t.Errorf("PendingInvitations = %+v", pending)
	}

	must(t, db.RevokeInvitation(ctx(t), a.org.ID, revocable.ID))
	_, err = db.InvitationByTokenHash(ctx(t), "hash-3")
	wantCode(t, err, domain.ENOTFOUND, "revoked invitation")
	wantCode(t, db.RevokeInvitation(ctx(t), a.org.ID, revocable.ID), domain.ENOTFOUND, "second revoke")

	joiner := MustUser(t, db, "new@example.org")
	m, err := db.AcceptInvitation(ctx(t), inv.ID, joiner.ID, now)
	must(t, err)
	if m.OrgID != a.org.ID || m.UserID != joiner.ID || m.Role != domain.Facilitator || m.CreatedAt.IsZero() {
		t.Errorf("AcceptInvitation = %+v", m)
	}
	stored, err := db.Membership(ctx(t), a.org.ID, joiner.ID)
	must(t, err)
	if stored.Role != domain.Facilitator {
		t.Errorf("membership role %s", stored.Role)
	}
	used, err := db.InvitationByTokenHash(ctx(t), "hash-1")
	must(t, err)
	if used.AcceptedAt == nil || *used.AcceptedAt != now || used.AcceptedBy != joiner.ID {
		t.Errorf("accepted invitation = %+v", used)
	}

	other := MustUser(t, db, "other@example.org")
	_, err = db.AcceptInvitation(ctx(t), inv.ID, other.ID, now)
	wantCode(t, err, domain.ECONFLICT, "second accept")
	_, err = db.Membership(ctx(t), a.org.ID, other.ID)
	wantCode(t, err, domain.ENOTFOUND, "membership after refused accept")
	_, err = db.AcceptInvitation(ctx(t), expired.ID, other.ID, now)
	wantCode(t, err, domain.EINVALID, "accepting an expired invitation")
	wantCode(t, db.RevokeInvitation(ctx(t), a.org.ID, inv.ID), domain.ECONFLICT, "revoking a used invitation")

	pending, err = db.PendingInvitations(ctx(t), a.org.ID, now)
	must(t, err)
	if len(pending) != 0 {
		t.Errorf("PendingInvitations after use = %+v", pending)
	}
}

// testLoginFailures ensures failed sign-ins are counted with the time of
// the latest, and reset.
func testLoginFailures(t *testing.T, db *store.DB) {
	u := MustUser(t, db, "failing@example.org")
	n, last, err := db.LoginFailures(ctx(t), u.ID)
	must(t, err)
	if n != 0 || !last.IsZero() {
		t.Errorf("new user: %d failures, last %v", n, last)
	}
	t0 := µs(time.Now())
	for i := 1; i <= 3; i++ {
		n, err := db.RecordLoginFailure(ctx(t), u.ID, t0.Add(time.Duration(i)*time.Second))
		must(t, err)
		if n != i {
			t.Errorf("RecordLoginFailure #%d returned %d", i, n)
		}
	}
	n, last, err = db.LoginFailures(ctx(t), u.ID)
	must(t, err)
	if n != 3 || last != t0.Add(3*time.Second) {
		t.Errorf("LoginFailures = %d, %v", n, last)
	}
	must(t, db.ResetLoginFailures(ctx(t), u.ID))
	n, last, err = db.LoginFailures(ctx(t), u.ID)
	must(t, err)
	if n != 0 || !last.IsZero() {
		t.Errorf("after reset: %d failures, last %v", n, last)
	}
}

// testAPITokens ensures tokens are stored, found by hash until revoked,
// listed newest first, touched, and revoked only by their owner.
func testAPITokens(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "tokens")
	t1 := &domain.APIToken{OrgID: a.org.ID, UserID: a.owner.ID, Name: "CI", TokenHash: "tok-1"}
	t2 := &domain.APIToken{OrgID: a.org.ID, UserID: a.owner.ID, Name: "Skript", TokenHash: "tok-2"}
	must(t, db.CreateAPIToken(ctx(t), t1))
	must(t, db.CreateAPIToken(ctx(t), t2))
	if t1.ID == "" || t1.CreatedAt.IsZero() {
		t.Fatalf("CreateAPIToken did not set ID and CreatedAt: %+v", t1)
	}
	got, err := db.APITokenByHash(ctx(t), "tok-1")
	must(t, err)
	if !reflect.DeepEqual(got, t1) {
		t.Errorf("APITokenByHash = %+v, want %+v", got, t1)
	}
	list, err := db.APITokens(ctx(t), a.org.ID, a.owner.ID)
	must(t, err)
	if len(list) != 2 || list[0].ID != t2.ID || list[1].ID != t1.ID {
		t.Errorf("APITokens not newest first: %+v", list)
	}

	used := µs(time.Now())
	must(t, db.TouchAPIToken(ctx(t), t1.ID, used))
	got, err = db.APITokenByHash(ctx(t), "tok-1")
	must(t, err)
	if got.LastUsedAt == nil || *got.LastUsedAt != used {
		t.Errorf("LastUsedAt = %v, want %v", got.LastUsedAt, used)
	}

	stranger := MustUser(t, db, "stranger@example.org")
	MustMember(t, db, a.org.ID, stranger.ID, domain.Viewer)
	wantCode(t, db.RevokeAPIToken(ctx(t), a.org.ID, stranger.ID, t1.ID, used), domain.ENOTFOUND, "revoking another user's token")

	revoked := used.Add(time.Minute)
	must(t, db.RevokeAPIToken(ctx(t), a.org.ID, a.owner.ID, t1.ID, revoked))
	_, err = db.APITokenByHash(ctx(t), "tok-1")
	wantCode(t, err, domain.ENOTFOUND, "revoked token by hash")
	must(t, db.RevokeAPIToken(ctx(t), a.org.ID, a.owner.ID, t1.ID, revoked.Add(time.Hour)))
	list, err = db.APITokens(ctx(t), a.org.ID, a.owner.ID)
	must(t, err)
	if len(list) != 2 || list[1].RevokedAt == nil || *list[1].RevokedAt != revoked || list[0].RevokedAt != nil {
		t.Errorf("APITokens after revoke: %+v", list)
	}
	if _, err := db.APITokenByHash(ctx(t), "tok-2"); err != nil {
		t.Errorf("the other token stopped working: %v", err)
	}
}

// testSessions ensures sessions are committed, replaced, found until they
// expire, deleted, and swept when expired.
func testSessions(t *testing.T, db *store.DB) {
	now := time.Now()
	must(t, db.CommitSession(ctx(t), "s1", []byte("one"), now.Add(time.Hour)))
	data, ok, err := db.FindSession(ctx(t), "s1")
	must(t, err)
	if !ok || string(data) != "one" {
		t.Errorf("FindSession = %q, %v", data, ok)
	}
	must(t, db.CommitSession(ctx(t), "s1", []byte{0, 1, 2, 255}, now.Add(2*time.Hour)))
	data, ok, err = db.FindSession(ctx(t), "s1")
	must(t, err)
	if !ok || string(data) != "\x00\x01\x02\xff" {
		t.Errorf("FindSession after replace = %q, %v", data, ok)
	}
	must(t, db.CommitSession(ctx(t), "empty", nil, now.Add(time.Hour)))
	data, ok, err = db.FindSession(ctx(t), "empty")
	must(t, err)
	if !ok || len(data) != 0 {
		t.Errorf("FindSession of empty session = %q, %v", data, ok)
	}

	must(t, db.CommitSession(ctx(t), "old", []byte("old"), now.Add(-time.Minute)))
	_, ok, err = db.FindSession(ctx(t), "old")
	must(t, err)
	if ok {
		t.Error("found an expired session")
	}
	_, ok, err = db.FindSession(ctx(t), "missing")
	if ok || err != nil {
		t.Errorf("FindSession of a missing session = %v, %v", ok, err)
	}

	must(t, db.DeleteExpiredSessions(ctx(t), now))
	if n := countRows(t, db, "SELECT COUNT(*) FROM sessions"); n != 2 {
		t.Errorf("%d sessions left after sweeping, want 2", n)
	}
	must(t, db.DeleteSession(ctx(t), "s1"))
	_, ok, err = db.FindSession(ctx(t), "s1")
	must(t, err)
	if ok {
		t.Error("found a deleted session")
	}
	must(t, db.DeleteSession(ctx(t), "s1"))
}

// testAudit ensures audit entries are listed newest first, limited, and per
// organisation, with every field kept.
func testAudit(t *testing.T, db *store.DB) {
	a, b := newTenant(t, db, "audited"), newTenant(t, db, "other")
	t0 := µs(time.Now().Add(-time.Hour))
	e1 := &domain.AuditEntry{OrgID: a.org.ID, UserID: a.owner.ID, Action: "library.import", ObjectType: "library", ObjectID: "L1", Detail: "Importerade 12 trender", At: t0}
	e2 := &domain.AuditEntry{OrgID: a.org.ID, Action: "member.role", ObjectType: "user", ObjectID: "U1", At: t0.Add(2 * time.Second)}
	e3 := &domain.AuditEntry{OrgID: a.org.ID, Action: "token.create", At: t0.Add(time.Second)}
	eb := &domain.AuditEntry{OrgID: b.org.ID, Action: "library.import"}
	for _, e := range []*domain.AuditEntry{e1, e2, e3, eb} {
		must(t, db.Audit(ctx(t), e))
		if e.ID == "" {
			t.Fatal("Audit did not set ID")
		}
	}
	if eb.At.IsZero() || time.Since(eb.At) > time.Minute {
		t.Errorf("Audit set At to %v", eb.At)
	}
	log, err := db.AuditLog(ctx(t), a.org.ID, 0)
	must(t, err)
	want := []domain.AuditEntry{*e2, *e3, *e1}
	if !reflect.DeepEqual(log, want) {
		t.Errorf("AuditLog =\n%+v\nwant\n%+v", log, want)
	}
	log, err = db.AuditLog(ctx(t), a.org.ID, 2)
	must(t, err)
	if len(log) != 2 || log[0].ID != e2.ID || log[1].ID != e3.ID {
		t.Errorf("AuditLog limit 2 = %+v", log)
	}
	// Entries at the same time come newest first too.
	same := µs(time.Now())
	f1 := &domain.AuditEntry{OrgID: b.org.ID, Action: "first", At: same}
	f2 := &domain.AuditEntry{OrgID: b.org.ID, Action: "second", At: same}
	must(t, db.Audit(ctx(t), f1))
	must(t, db.Audit(ctx(t), f2))
	log, err = db.AuditLog(ctx(t), b.org.ID, 2)
	must(t, err)
	if len(log) != 2 || log[0].Action != "second" || log[1].Action != "first" {
		t.Errorf("AuditLog of equal times = %+v", log)
	}
}

// testLibraries ensures libraries are created with their name, description
// and attribution from the content, and listed by name with the latest and
// the published version and trend counts.
func testLibraries(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "libs")
	beta := RichContent()
	beta.Name = domain.T("Beta", "Beta")
	alpha := LargeContent(7)
	alpha.Name = domain.T("alpha", "alfa")

	lb := &domain.Library{OrgID: a.org.ID, StarterKey: "starter-beta"}
	vb, err := db.CreateLibrary(ctx(t), lb, beta, domain.Published, "first")
	must(t, err)
	la := &domain.Library{OrgID: a.org.ID, Visibility: domain.Private}
	va, err := db.CreateLibrary(ctx(t), la, alpha, domain.Draft, "")
	must(t, err)

	if lb.ID == "" || lb.Name != beta.Name || lb.Description != beta.Description || lb.Attribution != beta.Attribution ||
		lb.Visibility != domain.Private || lb.StarterKey != "starter-beta" || lb.CreatedAt.IsZero() || lb.UpdatedAt != lb.CreatedAt {
		t.Errorf("CreateLibrary set %+v", lb)
	}
	if vb.Number != 1 || vb.Status != domain.Published || vb.PublishedAt == nil || vb.TrendCount != len(beta.Trends) ||
		vb.LibraryID != lb.ID || vb.Note != "first" {
		t.Errorf("published version info %+v", vb)
	}
	if va.Status != domain.Draft || va.PublishedAt != nil || va.TrendCount != 7 {
		t.Errorf("draft version info %+v", va)
	}
	_, err = db.CreateLibrary(ctx(t), &domain.Library{OrgID: a.org.ID}, beta, "archived", "")
	wantCode(t, err, domain.EINVALID, "CreateLibrary with unknown status")

	libs, err := db.Libraries(ctx(t), a.org.ID)
	must(t, err)
	if len(libs) != 2 || libs[0].ID != la.ID || libs[1].ID != lb.ID {
		t.Fatalf("Libraries not by name: %+v", libs)
	}
	if libs[0].Latest == nil || *libs[0].Latest != *va || libs[0].Published != nil {
		t.Errorf("draft-only library: Latest %+v Published %+v", libs[0].Latest, libs[0].Published)
	}
	if libs[1].Latest == nil || libs[1].Published == nil || !reflect.DeepEqual(libs[1].Latest, vb) || !reflect.DeepEqual(libs[1].Published, vb) {
		t.Errorf("published library: Latest %+v Published %+v", libs[1].Latest, libs[1].Published)
	}
	if !reflect.DeepEqual(&libs[1], lb) {
		t.Errorf("listed %+v\nwant %+v", libs[1], *lb)
	}

	// A new draft becomes Latest; Published stays.
	d, err := db.CreateDraft(ctx(t), a.org.ID, lb.ID, vb.ID)
	must(t, err)
	got, err := db.Library(ctx(t), a.org.ID, lb.ID)
	must(t, err)
	if got.Latest == nil || got.Latest.ID != d.ID || got.Latest.Number != 2 || got.Latest.TrendCount != len(beta.Trends) ||
		got.Published == nil || got.Published.ID != vb.ID {
		t.Errorf("Library after CreateDraft: Latest %+v Published %+v", got.Latest, got.Published)
	}
	if !got.UpdatedAt.After(got.CreatedAt) && got.UpdatedAt != got.CreatedAt {
		t.Errorf("UpdatedAt %v before CreatedAt %v", got.UpdatedAt, got.CreatedAt)
	}
	vs, err := db.Versions(ctx(t), a.org.ID, lb.ID)
	must(t, err)
	if len(vs) != 2 || vs[0].ID != d.ID || vs[1].ID != vb.ID {
		t.Errorf("Versions not newest first: %+v", vs)
	}

	must(t, db.SetLibraryVisibility(ctx(t), a.org.ID, lb.ID, domain.Public))
	got, err = db.Library(ctx(t), a.org.ID, lb.ID)
	must(t, err)
	if got.Visibility != domain.Public {
		t.Errorf("visibility %s", got.Visibility)
	}
	wantCode(t, db.SetLibraryVisibility(ctx(t), a.org.ID, lb.ID, "secret"), domain.EINVALID, "unknown visibility")

	owner, err := db.LibraryOwner(ctx(t), lb.ID)
	must(t, err)
	if owner != a.org.ID {
		t.Errorf("LibraryOwner = %s", owner)
	}
}

// testContentRoundTrip ensures that every field of rich content, in both
// languages, comes back exactly as stored: on create, after SaveDraft and
// after CreateDraft copies it.
func testContentRoundTrip(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "content")
	if ps := RichContent().Validate(); len(ps) > 0 {
		t.Fatalf("RichContent is not valid: %+v", ps)
	}
	lib := &domain.Library{OrgID: a.org.ID}
	v1, err := db.CreateLibrary(ctx(t), lib, RichContent(), domain.Draft, "")
	must(t, err)
	got, err := db.Version(ctx(t), a.org.ID, v1.ID)
	must(t, err)
	wantContent(t, &got.Content, RichContent(), "after CreateLibrary")
	if got.VersionInfo != *v1 {
		t.Errorf("VersionInfo = %+v, want %+v", got.VersionInfo, *v1)
	}

	// Reordered, edited and shortened content replaces the old entirely.
	edited := RichContent()
	edited.Trends[0], edited.Trends[2] = edited.Trends[2], edited.Trends[0]
	edited.Trends[1].Title.EN = "Only in Swedish – no more"
	edited.Trends[1].Tags = []string{"ny"}
	edited.DrivingForces = edited.DrivingForces[:2]
	edited.Trends[2].DrivingForces = []string{"demography"}
	edited.Trends[0].DrivingForces = nil
	edited.Tensions = nil
	edited.Attribution = domain.Attribution{}
	edited.Trends[2].Demands = []domain.Demand{{Area: "leadership", Level: 1}}
	edited.Trends[1].Demands = []domain.Demand{{Area: "data", Level: 1}}
	edited.Trends[0].Demands = nil
	must(t, db.SaveDraft(ctx(t), a.org.ID, v1.ID, edited, "edited"))
	got, err = db.Version(ctx(t), a.org.ID, v1.ID)
	must(t, err)
	wantContent(t, &got.Content, edited, "after SaveDraft")
	if got.Note != "edited" || got.TrendCount != 3 {
		t.Errorf("after SaveDraft: note %q, %d trends", got.Note, got.TrendCount)
	}

	must(t, db.PublishVersion(ctx(t), a.org.ID, v1.ID, time.Now()))
	v2, err := db.CreateDraft(ctx(t), a.org.ID, lib.ID, v1.ID)
	must(t, err)
	got, err = db.Version(ctx(t), a.org.ID, v2.ID)
	must(t, err)
	wantContent(t, &got.Content, edited, "after CreateDraft")
	if got.Status != domain.Draft || got.Number != 2 || got.PublishedAt != nil || got.TrendCount != 3 {
		t.Errorf("copied version %+v", got.VersionInfo)
	}

	// Empty content is content too.
	empty := &domain.Content{Name: domain.T("Empty", "")}
	must(t, db.SaveDraft(ctx(t), a.org.ID, v2.ID, empty, ""))
	got, err = db.Version(ctx(t), a.org.ID, v2.ID)
	must(t, err)
	wantContent(t, &got.Content, empty, "empty content")
}

// testVersionLifeCycle ensures a version goes from draft to published once,
// a published version cannot be saved, a library has at most one draft, and
// the library mirrors its newest version's name.
func testVersionLifeCycle(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "cycle")
	lib := &domain.Library{OrgID: a.org.ID}
	v1, err := db.CreateLibrary(ctx(t), lib, RichContent(), domain.Draft, "")
	must(t, err)
	wantCode(t, func() error { _, err := db.CreateDraft(ctx(t), a.org.ID, lib.ID, v1.ID); return err }(), domain.ECONFLICT, "second draft while version 1 is a draft")

	at := µs(time.Now())
	must(t, db.PublishVersion(ctx(t), a.org.ID, v1.ID, at))
	wantCode(t, db.PublishVersion(ctx(t), a.org.ID, v1.ID, at), domain.ECONFLICT, "publishing twice")
	wantCode(t, db.SaveDraft(ctx(t), a.org.ID, v1.ID, LargeContent(1), ""), domain.ECONFLICT, "saving a published version")

	v2, err := db.CreateDraft(ctx(t), a.org.ID, lib.ID, v1.ID)
	must(t, err)
	if v2.Number != 2 || v2.Status != domain.Draft || v2.LibraryID != lib.ID {
		t.Errorf("CreateDraft = %+v", v2)
	}
	_, err = db.CreateDraft(ctx(t), a.org.ID, lib.ID, v1.ID)
	wantCode(t, err, domain.ECONFLICT, "second draft")

	next := RichContent()
	next.Name = domain.T("Renamed", "Omdöpt")
	next.Attribution.Licence = "CC0"
	must(t, db.SaveDraft(ctx(t), a.org.ID, v2.ID, next, "rename"))
	got, err := db.Library(ctx(t), a.org.ID, lib.ID)
	must(t, err)
	if got.Name != next.Name || got.Attribution != next.Attribution {
		t.Errorf("library does not mirror the draft: %+v", got)
	}
	must(t, db.PublishVersion(ctx(t), a.org.ID, v2.ID, at.Add(time.Second)))

	// A draft from an older version: the library mirrors it while it exists.
	v3, err := db.CreateDraft(ctx(t), a.org.ID, lib.ID, v1.ID)
	must(t, err)
	if v3.Number != 3 {
		t.Errorf("third version numbered %d", v3.Number)
	}
	got, err = db.Library(ctx(t), a.org.ID, lib.ID)
	must(t, err)
	if got.Name != RichContent().Name {
		t.Errorf("library name %v after drafting from version 1", got.Name)
	}
	ver, err := db.Version(ctx(t), a.org.ID, v3.ID)
	must(t, err)
	wantContent(t, &ver.Content, RichContent(), "draft from version 1")

	vs, err := db.Versions(ctx(t), a.org.ID, lib.ID)
	must(t, err)
	if len(vs) != 3 || vs[0].Number != 3 || vs[1].Number != 2 || vs[2].Number != 1 ||
		vs[0].Status != domain.Draft || vs[1].Status != domain.Published || vs[2].Status != domain.Published {
		t.Errorf("Versions = %+v", vs)
	}

	// fromID must be a version of the same library.
	_, otherV := MustLibrary(t, db, a.org.ID, LargeContent(2))
	must(t, db.DeleteDraft(ctx(t), a.org.ID, v3.ID))
	_, err = db.CreateDraft(ctx(t), a.org.ID, lib.ID, otherV.ID)
	wantCode(t, err, domain.ENOTFOUND, "CreateDraft from another library's version")
}

// testPublishedNeverChanges ensures a published version's content and
// details stay as they were while later drafts are saved, published and
// deleted.
func testPublishedNeverChanges(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "frozen")
	lib, v1 := MustLibrary(t, db, a.org.ID, RichContent())
	before, err := db.Version(ctx(t), a.org.ID, v1.ID)
	must(t, err)

	for i := range 3 {
		d, err := db.CreateDraft(ctx(t), a.org.ID, lib.ID, v1.ID)
		must(t, err)
		c := LargeContent(5 + i)
		must(t, db.SaveDraft(ctx(t), a.org.ID, d.ID, c, fmt.Sprint("round ", i)))
		must(t, db.SaveDraft(ctx(t), a.org.ID, d.ID, LargeContent(2), ""))
		if i == 1 {
			must(t, db.DeleteDraft(ctx(t), a.org.ID, d.ID))
		} else {
			must(t, db.PublishVersion(ctx(t), a.org.ID, d.ID, time.Now()))
		}
	}
	after, err := db.Version(ctx(t), a.org.ID, v1.ID)
	must(t, err)
	if !reflect.DeepEqual(before, after) {
		t.Errorf("published version changed:%s\nbefore %+v\nafter  %+v", diffContent(&after.Content, &before.Content), before.VersionInfo, after.VersionInfo)
	}
}

// testDeleteDraft ensures only drafts other than version 1 can be deleted,
// and that the library then mirrors its newest remaining version.
func testDeleteDraft(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "deleting")
	lib := &domain.Library{OrgID: a.org.ID}
	v1, err := db.CreateLibrary(ctx(t), lib, RichContent(), domain.Draft, "")
	must(t, err)
	wantCode(t, db.DeleteDraft(ctx(t), a.org.ID, v1.ID), domain.ECONFLICT, "deleting version 1")
	must(t, db.PublishVersion(ctx(t), a.org.ID, v1.ID, time.Now()))
	wantCode(t, db.DeleteDraft(ctx(t), a.org.ID, v1.ID), domain.ECONFLICT, "deleting a published version")

	v2, err := db.CreateDraft(ctx(t), a.org.ID, lib.ID, v1.ID)
	must(t, err)
	must(t, db.SaveDraft(ctx(t), a.org.ID, v2.ID, LargeContent(3), ""))
	must(t, db.DeleteDraft(ctx(t), a.org.ID, v2.ID))
	_, err = db.Version(ctx(t), a.org.ID, v2.ID)
	wantCode(t, err, domain.ENOTFOUND, "deleted draft")
	if n := countRows(t, db, "SELECT COUNT(*) FROM trends WHERE version_id = $1", v2.ID); n != 0 {
		t.Errorf("%d trends of the deleted draft remain", n)
	}
	got, err := db.Library(ctx(t), a.org.ID, lib.ID)
	must(t, err)
	if got.Name != RichContent().Name || got.Latest.ID != v1.ID {
		t.Errorf("library after deleting the draft: %+v", got)
	}
	// A new draft may start again, numbered after the deleted one's number
	// is free again.
	v3, err := db.CreateDraft(ctx(t), a.org.ID, lib.ID, v1.ID)
	must(t, err)
	if v3.Number != 2 {
		t.Errorf("new draft numbered %d", v3.Number)
	}
}

// testDeleteLibraryCascades ensures deleting a library removes its versions
// and all their content, and nothing of other libraries.
func testDeleteLibraryCascades(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "cascade")
	lib, v1 := MustLibrary(t, db, a.org.ID, RichContent())
	_, err := db.CreateDraft(ctx(t), a.org.ID, lib.ID, v1.ID)
	must(t, err)
	keep, _ := MustLibrary(t, db, a.org.ID, RichContent())

	must(t, db.DeleteLibrary(ctx(t), a.org.ID, lib.ID))
	_, err = db.Library(ctx(t), a.org.ID, lib.ID)
	wantCode(t, err, domain.ENOTFOUND, "deleted library")
	wantCode(t, db.DeleteLibrary(ctx(t), a.org.ID, lib.ID), domain.ENOTFOUND, "deleting twice")
	if n := countRows(t, db, "SELECT COUNT(*) FROM library_versions WHERE library_id = $1", lib.ID); n != 0 {
		t.Errorf("%d versions remain", n)
	}
	for _, table := range []string{"horizons", "driving_forces", "tensions", "trends", "capability_areas"} {
		n := countRows(t, db, "SELECT COUNT(*) FROM "+table)
		if want := map[string]int{"horizons": 3, "driving_forces": 3, "tensions": 2, "trends": 3, "capability_areas": 2}[table]; n != want {
			t.Errorf("%s: %d rows remain, want %d (the other library's)", table, n, want)
		}
	}
	if _, err := db.Library(ctx(t), a.org.ID, keep.ID); err != nil {
		t.Errorf("the other library: %v", err)
	}
}

// testPublicVisibility ensures a public library can be read by every
// organisation but changed only by its owner, and is listed among the public
// libraries of the others only.
func testPublicVisibility(t *testing.T, db *store.DB) {
	a, b := newTenant(t, db, "owner-org"), newTenant(t, db, "reader-org")
	lib, v1 := MustLibrary(t, db, a.org.ID, RichContent())
	draft, err := db.CreateDraft(ctx(t), a.org.ID, lib.ID, v1.ID)
	must(t, err)
	must(t, db.SetLibraryVisibility(ctx(t), a.org.ID, lib.ID, domain.Public))

	got, err := db.Library(ctx(t), b.org.ID, lib.ID)
	must(t, err)
	if got.ID != lib.ID || got.Published == nil || got.Published.ID != v1.ID {
		t.Errorf("public library seen by B: %+v", got)
	}
	vs, err := db.Versions(ctx(t), b.org.ID, lib.ID)
	must(t, err)
	if len(vs) != 2 {
		t.Errorf("B sees %d versions", len(vs))
	}
	ver, err := db.Version(ctx(t), b.org.ID, v1.ID)
	must(t, err)
	wantContent(t, &ver.Content, RichContent(), "public version read by B")

	pub, err := db.PublicLibraries(ctx(t), b.org.ID)
	must(t, err)
	if len(pub) != 1 || pub[0].ID != lib.ID || pub[0].Latest == nil || pub[0].Latest.ID != draft.ID || pub[0].Published.ID != v1.ID {
		t.Errorf("PublicLibraries(B) = %+v", pub)
	}
	pub, err = db.PublicLibraries(ctx(t), a.org.ID)
	must(t, err)
	if len(pub) != 0 {
		t.Errorf("PublicLibraries(A) lists A's own library: %+v", pub)
	}
	own, err := db.Libraries(ctx(t), b.org.ID)
	must(t, err)
	if len(own) != 0 {
		t.Errorf("Libraries(B) lists another's library: %+v", own)
	}

	// Reading is not owning.
	missing := errNotFoundFor(t, db, b.org.ID)
	wantSameError(t, db.SetLibraryVisibility(ctx(t), b.org.ID, lib.ID, domain.Private), missing.library, "B sets visibility")
	wantSameError(t, db.DeleteLibrary(ctx(t), b.org.ID, lib.ID), missing.library, "B deletes")
	_, err = db.CreateDraft(ctx(t), b.org.ID, lib.ID, v1.ID)
	wantSameError(t, err, missing.library, "B creates a draft")
	wantSameError(t, db.SaveDraft(ctx(t), b.org.ID, draft.ID, LargeContent(1), ""), missing.version, "B saves the draft")
	wantSameError(t, db.PublishVersion(ctx(t), b.org.ID, draft.ID, time.Now()), missing.version, "B publishes")
	wantSameError(t, db.DeleteDraft(ctx(t), b.org.ID, draft.ID), missing.version, "B deletes the draft")

	must(t, db.SetLibraryVisibility(ctx(t), a.org.ID, lib.ID, domain.Private))
	_, err = db.Library(ctx(t), b.org.ID, lib.ID)
	wantSameError(t, err, missing.libraryRead, "B reads the library made private again")
}

// notFound holds the errors the store returns for ids that do not exist.
type notFound struct{ library, libraryRead, version, versionRead, versions, member, invitation, token error }

func errNotFoundFor(t *testing.T, db *store.DB, orgID string) notFound {
	t.Helper()
	const id = "00000000-0000-0000-0000-000000000000"
	var nf notFound
	nf.library = db.DeleteLibrary(ctx(t), orgID, id)
	_, nf.libraryRead = db.Library(ctx(t), orgID, id)
	nf.version = db.DeleteDraft(ctx(t), orgID, id)
	_, nf.versionRead = db.Version(ctx(t), orgID, id)
	_, nf.versions = db.Versions(ctx(t), orgID, id)
	nf.member = db.RemoveMembership(ctx(t), orgID, id)
	nf.invitation = db.RevokeInvitation(ctx(t), orgID, id)
	nf.token = db.RevokeAPIToken(ctx(t), orgID, id, id, time.Now())
	return nf
}

// testTenantIsolation ensures organisation B can neither see nor change
// anything of organisation A's — private library, versions, members,
// invitations, tokens, audit entries — and gets exactly the error it would
// get for an id that does not exist.
func testTenantIsolation(t *testing.T, db *store.DB) {
	a, b := newTenant(t, db, "org-a"), newTenant(t, db, "org-b")
	lib, v1 := MustLibrary(t, db, a.org.ID, RichContent())
	draft, err := db.CreateDraft(ctx(t), a.org.ID, lib.ID, v1.ID)
	must(t, err)
	inv := &domain.Invitation{OrgID: a.org.ID, Email: "x@example.org", Role: domain.Viewer, TokenHash: "a-inv", ExpiresAt: time.Now().Add(time.Hour)}
	must(t, db.CreateInvitation(ctx(t), inv))
	tok := &domain.APIToken{OrgID: a.org.ID, UserID: a.owner.ID, Name: "a", TokenHash: "a-tok"}
	must(t, db.CreateAPIToken(ctx(t), tok))
	must(t, db.Audit(ctx(t), &domain.AuditEntry{OrgID: a.org.ID, Action: "secret.thing"}))
	// B's own owner also belongs to A, so that user-scoped calls are tested
	// with a user who exists in both.
	MustMember(t, db, a.org.ID, b.owner.ID, domain.Viewer)
	tokB := &domain.APIToken{OrgID: a.org.ID, UserID: b.owner.ID, Name: "b in a", TokenHash: "b-tok"}
	must(t, db.CreateAPIToken(ctx(t), tokB))

	missing := errNotFoundFor(t, db, b.org.ID)
	B := b.org.ID

	_, err = db.Library(ctx(t), B, lib.ID)
	wantSameError(t, err, missing.libraryRead, "Library")
	_, err = db.Versions(ctx(t), B, lib.ID)
	wantSameError(t, err, missing.versions, "Versions")
	_, err = db.Version(ctx(t), B, v1.ID)
	wantSameError(t, err, missing.versionRead, "Version (published)")
	_, err = db.Version(ctx(t), B, draft.ID)
	wantSameError(t, err, missing.versionRead, "Version (draft)")
	wantSameError(t, db.SetLibraryVisibility(ctx(t), B, lib.ID, domain.Public), missing.library, "SetLibraryVisibility")
	wantSameError(t, db.DeleteLibrary(ctx(t), B, lib.ID), missing.library, "DeleteLibrary")
	_, err = db.CreateDraft(ctx(t), B, lib.ID, v1.ID)
	wantSameError(t, err, missing.library, "CreateDraft")
	wantSameError(t, db.SaveDraft(ctx(t), B, draft.ID, LargeContent(1), ""), missing.version, "SaveDraft")
	wantSameError(t, db.PublishVersion(ctx(t), B, draft.ID, time.Now()), missing.version, "PublishVersion")
	wantSameError(t, db.DeleteDraft(ctx(t), B, draft.ID), missing.version, "DeleteDraft")
	for _, list := range []func(context.Context, string) ([]domain.Library, error){db.Libraries, db.PublicLibraries} {
		libs, err := list(ctx(t), B)
		must(t, err)
		if len(libs) != 0 {
			t.Errorf("B lists A's library: %+v", libs)
		}
	}

	_, err = db.Membership(ctx(t), B, a.owner.ID)
	wantCode(t, err, domain.ENOTFOUND, "Membership")
	wantSameError(t, db.RemoveMembership(ctx(t), B, a.owner.ID), missing.member, "RemoveMembership")
	members, err := db.Members(ctx(t), B)
	must(t, err)
	if len(members) != 1 || members[0].UserID != b.owner.ID {
		t.Errorf("Members(B) = %+v", members)
	}

	pending, err := db.PendingInvitations(ctx(t), B, time.Now())
	must(t, err)
	if len(pending) != 0 {
		t.Errorf("B lists A's invitations: %+v", pending)
	}
	wantSameError(t, db.RevokeInvitation(ctx(t), B, inv.ID), missing.invitation, "RevokeInvitation")

	for _, uid := range []string{a.owner.ID, b.owner.ID} {
		toks, err := db.APITokens(ctx(t), B, uid)
		must(t, err)
		if len(toks) != 0 {
			t.Errorf("B lists tokens of A: %+v", toks)
		}
	}
	wantSameError(t, db.RevokeAPIToken(ctx(t), B, a.owner.ID, tok.ID, time.Now()), missing.token, "RevokeAPIToken (A's user)")
	wantSameError(t, db.RevokeAPIToken(ctx(t), B, b.owner.ID, tokB.ID, time.Now()), missing.token, "RevokeAPIToken (B's user's token in A)")

	log, err := db.AuditLog(ctx(t), B, 100)
	must(t, err)
	for _, e := range log {
		if e.OrgID != B {
			t.Errorf("B reads A's audit entry %+v", e)
		}
	}

	// Nothing of A's changed.
	got, err := db.Library(ctx(t), a.org.ID, lib.ID)
	must(t, err)
	if got.Visibility != domain.Private || got.Latest.ID != draft.ID {
		t.Errorf("A's library changed: %+v", got)
	}
	ver, err := db.Version(ctx(t), a.org.ID, draft.ID)
	must(t, err)
	wantContent(t, &ver.Content, RichContent(), "A's draft")
	if ver.Status != domain.Draft {
		t.Errorf("A's draft became %s", ver.Status)
	}
	if _, err := db.Membership(ctx(t), a.org.ID, a.owner.ID); err != nil {
		t.Errorf("A's owner: %v", err)
	}
	if pending, _ := db.PendingInvitations(ctx(t), a.org.ID, time.Now()); len(pending) != 1 {
		t.Errorf("A's invitations: %+v", pending)
	}
	for _, h := range []string{"a-tok", "b-tok"} {
		if _, err := db.APITokenByHash(ctx(t), h); err != nil {
			t.Errorf("token %s: %v", h, err)
		}
	}
	log, err = db.AuditLog(ctx(t), a.org.ID, 100)
	must(t, err)
	if len(log) != 1 || log[0].Action != "secret.thing" {
		t.Errorf("A's audit log: %+v", log)
	}
}

// testMissingIDs ensures every lookup and change of an id that does not
// exist returns ENOTFOUND, and a missing session is simply not found.
func testMissingIDs(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "present")
	const id = "01900000-0000-7000-8000-000000000000"
	now := time.Now()
	calls := map[string]error{}
	call := func(name string, err error) { calls[name] = err }
	_, err := db.OrgByID(ctx(t), id)
	call("OrgByID", err)
	_, err = db.OrgBySlug(ctx(t), "nope")
	call("OrgBySlug", err)
	call("UpdateOrg", db.UpdateOrg(ctx(t), &domain.Organisation{ID: id, Name: "x", Type: domain.OtherOrg}))
	_, err = db.UserByID(ctx(t), id)
	call("UserByID", err)
	_, err = db.UserByEmail(ctx(t), "nobody@example.org")
	call("UserByEmail", err)
	call("UpdateUser", db.UpdateUser(ctx(t), &domain.User{ID: id}))
	_, _, err = db.LoginFailures(ctx(t), id)
	call("LoginFailures", err)
	_, err = db.RecordLoginFailure(ctx(t), id, now)
	call("RecordLoginFailure", err)
	call("ResetLoginFailures", db.ResetLoginFailures(ctx(t), id))
	_, err = db.Membership(ctx(t), a.org.ID, id)
	call("Membership", err)
	call("RemoveMembership", db.RemoveMembership(ctx(t), a.org.ID, id))
	call("RemoveMembership of a missing org", db.RemoveMembership(ctx(t), id, a.owner.ID))
	_, err = db.InvitationByTokenHash(ctx(t), "nope")
	call("InvitationByTokenHash", err)
	call("RevokeInvitation", db.RevokeInvitation(ctx(t), a.org.ID, id))
	_, err = db.AcceptInvitation(ctx(t), id, a.owner.ID, now)
	call("AcceptInvitation", err)
	_, err = db.APITokenByHash(ctx(t), "nope")
	call("APITokenByHash", err)
	call("RevokeAPIToken", db.RevokeAPIToken(ctx(t), a.org.ID, a.owner.ID, id, now))
	call("TouchAPIToken", db.TouchAPIToken(ctx(t), id, now))
	_, err = db.Library(ctx(t), a.org.ID, id)
	call("Library", err)
	_, err = db.LibraryOwner(ctx(t), id)
	call("LibraryOwner", err)
	_, err = db.Versions(ctx(t), a.org.ID, id)
	call("Versions", err)
	_, err = db.Version(ctx(t), a.org.ID, id)
	call("Version", err)
	call("SetLibraryVisibility", db.SetLibraryVisibility(ctx(t), a.org.ID, id, domain.Public))
	call("DeleteLibrary", db.DeleteLibrary(ctx(t), a.org.ID, id))
	_, err = db.CreateDraft(ctx(t), a.org.ID, id, id)
	call("CreateDraft", err)
	call("SaveDraft", db.SaveDraft(ctx(t), a.org.ID, id, LargeContent(1), ""))
	call("PublishVersion", db.PublishVersion(ctx(t), a.org.ID, id, now))
	call("DeleteDraft", db.DeleteDraft(ctx(t), a.org.ID, id))
	for name, err := range calls {
		wantCode(t, err, domain.ENOTFOUND, name)
	}
	libs, err := db.Libraries(ctx(t), id)
	if err != nil || len(libs) != 0 {
		t.Errorf("Libraries of a missing organisation = %v, %v", libs, err)
	}
}

// testUniqueConflicts ensures taken slugs, email addresses and token hashes
// give ECONFLICT and change nothing.
func testUniqueConflicts(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "taken")
	o := &domain.Organisation{Slug: "taken", Name: "Impostor", Type: domain.OtherOrg}
	wantCode(t, db.CreateOrg(ctx(t), o), domain.ECONFLICT, "taken slug")
	if o.ID != "" {
		t.Error("CreateOrg set an ID on conflict")
	}
	got, err := db.OrgBySlug(ctx(t), "taken")
	must(t, err)
	if got.Name != a.org.Name {
		t.Errorf("the organisation changed: %+v", got)
	}
	wantCode(t, db.CreateUser(ctx(t), &domain.User{Email: a.owner.Email}), domain.ECONFLICT, "taken email")

	inv := &domain.Invitation{OrgID: a.org.ID, Email: "x@example.org", Role: domain.Viewer, TokenHash: "same", ExpiresAt: time.Now().Add(time.Hour)}
	must(t, db.CreateInvitation(ctx(t), inv))
	inv2 := *inv
	wantCode(t, db.CreateInvitation(ctx(t), &inv2), domain.ECONFLICT, "taken invitation hash")
	tok := &domain.APIToken{OrgID: a.org.ID, UserID: a.owner.ID, Name: "t", TokenHash: "same"}
	must(t, db.CreateAPIToken(ctx(t), tok))
	tok2 := *tok
	wantCode(t, db.CreateAPIToken(ctx(t), &tok2), domain.ECONFLICT, "taken token hash")
}

// testSchemaConstraints ensures the schema itself keeps the rules the store
// relies on, whatever the code does: at most one draft per library (a
// partial unique index), unique version numbers and item keys per version,
// and deleting an organisation removes everything it owns.
func testSchemaConstraints(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "schema")
	lib, v1 := MustLibrary(t, db, a.org.ID, RichContent())
	d, err := db.CreateDraft(ctx(t), a.org.ID, lib.ID, v1.ID)
	must(t, err)
	insertVersion := func(id string, number int, status string) error {
		_, err := db.SQL().ExecContext(ctx(t),
			`INSERT INTO library_versions (id, library_id, number, status, created_at) VALUES ($1, $2, $3, $4, 0)`,
			id, lib.ID, number, status)
		return err
	}
	if err := insertVersion("second-draft", 3, "draft"); err == nil {
		t.Error("a second draft was stored")
	}
	if err := insertVersion("same-number", 2, "published"); err == nil {
		t.Error("a second version 2 was stored")
	}
	must(t, insertVersion("third", 3, "published"))
	_, err = db.SQL().ExecContext(ctx(t),
		`INSERT INTO trends (version_id, position, key, category) VALUES ($1, 99, 'ageing-population', 'societal')`, d.ID)
	if err == nil {
		t.Error("a trend key was stored twice in one version")
	}

	MustLibrary(t, db, a.org.ID, LargeContent(3))
	must(t, db.Audit(ctx(t), &domain.AuditEntry{OrgID: a.org.ID, Action: "x"}))
	must(t, db.CreateAPIToken(ctx(t), &domain.APIToken{OrgID: a.org.ID, UserID: a.owner.ID, TokenHash: "schema"}))
	_, err = db.SQL().ExecContext(ctx(t), `DELETE FROM organisations WHERE id = $1`, a.org.ID)
	must(t, err)
	for _, table := range []string{"libraries", "library_versions", "trends", "horizons", "memberships", "api_tokens", "audit_log"} {
		if n := countRows(t, db, "SELECT COUNT(*) FROM "+table); n != 0 {
			t.Errorf("%s: %d rows left after deleting the organisation", table, n)
		}
	}
	if _, err := db.UserByID(ctx(t), a.owner.ID); err != nil {
		t.Errorf("the user went with the organisation: %v", err)
	}
}

// testForeignKeys ensures rows that refer to missing organisations or users
// are refused with ENOTFOUND rather than stored.
func testForeignKeys(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "fk")
	const id = "01900000-0000-7000-8000-000000000000"
	wantCode(t, db.SetMembership(ctx(t), &domain.Membership{OrgID: a.org.ID, UserID: id, Role: domain.Viewer}), domain.ENOTFOUND, "membership of a missing user")
	wantCode(t, db.SetMembership(ctx(t), &domain.Membership{OrgID: id, UserID: a.owner.ID, Role: domain.Viewer}), domain.ENOTFOUND, "membership in a missing organisation")
	_, err := db.CreateLibrary(ctx(t), &domain.Library{OrgID: id}, RichContent(), domain.Published, "")
	wantCode(t, err, domain.ENOTFOUND, "library of a missing organisation")
	wantCode(t, db.Audit(ctx(t), &domain.AuditEntry{OrgID: id, Action: "x"}), domain.ENOTFOUND, "audit of a missing organisation")
	wantCode(t, db.CreateAPIToken(ctx(t), &domain.APIToken{OrgID: a.org.ID, UserID: id, TokenHash: "fk"}), domain.ENOTFOUND, "token of a missing user")
	wantCode(t, db.CreateInvitation(ctx(t), &domain.Invitation{OrgID: id, Email: "x@example.org", Role: domain.Viewer, TokenHash: "fk", ExpiresAt: time.Now()}), domain.ENOTFOUND, "invitation to a missing organisation")
	if n := countRows(t, db, "SELECT COUNT(*) FROM libraries"); n != 0 {
		t.Errorf("%d libraries stored", n)
	}
}

// testLargeLibrary ensures a library of 1,000 trends is stored and read
// back whole, in order, and reasonably fast.
func testLargeLibrary(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "large")
	c := LargeContent(1000)
	start := time.Now()
	lib, v := MustLibrary(t, db, a.org.ID, c)
	took := time.Since(start)
	got, err := db.Version(ctx(t), a.org.ID, v.ID)
	must(t, err)
	wantContent(t, &got.Content, c, "1,000 trends")
	if got.TrendCount != 1000 {
		t.Errorf("TrendCount %d", got.TrendCount)
	}
	d, err := db.CreateDraft(ctx(t), a.org.ID, lib.ID, v.ID)
	must(t, err)
	if n := countRows(t, db, "SELECT COUNT(*) FROM trends WHERE version_id = $1", d.ID); n != 1000 {
		t.Errorf("draft has %d trends", n)
	}
	// Generous: the benchmark measures; this catches a store that writes
	// one transaction per trend.
	if took > 5*time.Second && !raceEnabled {
		t.Errorf("storing 1,000 trends took %v", took)
	}
	t.Logf("stored 1,000 trends in %v", took)
}

// testConcurrentWriters ensures many goroutines writing and reading at once
// all succeed (no SQLITE_BUSY, no lost updates), including, on SQLite, a
// second handle on the same file as another process would open it.
func testConcurrentWriters(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "busy")
	dbs := []*store.DB{db}
	if db.Dialect() == SQLite {
		var seq int
		var name, file string
		must(t, db.ReadSQL().QueryRowContext(ctx(t), "PRAGMA database_list").Scan(&seq, &name, &file))
		other, err := store.Open(ctx(t), file)
		must(t, err)
		defer other.Close()
		dbs = append(dbs, other)
	}
	const workers, each = 8, 15
	var wg sync.WaitGroup
	var failures atomic.Int32
	fail := func(err error) {
		if err != nil && failures.Add(1) <= 5 {
			t.Error(err)
		}
	}
	for w := range workers {
		db := dbs[w%len(dbs)]
		wg.Go(func() {
			for i := range each {
				fail(db.Audit(ctx(t), &domain.AuditEntry{OrgID: a.org.ID, Action: fmt.Sprintf("w%d.%d", w, i)}))
				_, err := db.RecordLoginFailure(ctx(t), a.owner.ID, time.Now())
				fail(err)
				fail(db.CommitSession(ctx(t), fmt.Sprintf("s-%d-%d", w, i), []byte("x"), time.Now().Add(time.Hour)))
				fail(db.SetMembership(ctx(t), &domain.Membership{OrgID: a.org.ID, UserID: a.owner.ID, Role: domain.Owner}))
				// A transaction that reads before it writes.
				inv := &domain.Invitation{OrgID: a.org.ID, Email: "x@example.org", Role: domain.Viewer,
					TokenHash: fmt.Sprintf("h-%d-%d", w, i), ExpiresAt: time.Now().Add(time.Hour)}
				fail(db.CreateInvitation(ctx(t), inv))
				fail(db.RevokeInvitation(ctx(t), a.org.ID, inv.ID))
				if i%5 == 0 {
					_, err := db.CreateLibrary(ctx(t), &domain.Library{OrgID: a.org.ID}, LargeContent(20), domain.Published, "")
					fail(err)
				}
				_, err = db.Libraries(ctx(t), a.org.ID)
				fail(err)
			}
		})
	}
	wg.Wait()
	n, _, err := db.LoginFailures(ctx(t), a.owner.ID)
	must(t, err)
	if n != workers*each {
		t.Errorf("%d login failures counted, want %d", n, workers*each)
	}
	if n := countRows(t, db, "SELECT COUNT(*) FROM audit_log"); n != workers*each {
		t.Errorf("%d audit entries, want %d", n, workers*each)
	}
	if n := countRows(t, db, "SELECT COUNT(*) FROM libraries"); n != workers*3 {
		t.Errorf("%d libraries, want %d", n, workers*3)
	}
}

// testConcurrentDrafts ensures that of many simultaneous CreateDraft calls
// on one library exactly one wins and the others get ECONFLICT.
func testConcurrentDrafts(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "race")
	lib, v1 := MustLibrary(t, db, a.org.ID, LargeContent(10))
	var wg sync.WaitGroup
	var ok, conflict atomic.Int32
	for range 8 {
		wg.Go(func() {
			_, err := db.CreateDraft(ctx(t), a.org.ID, lib.ID, v1.ID)
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
	if ok.Load() != 1 || conflict.Load() != 7 {
		t.Errorf("%d drafts created, %d conflicts; want 1 and 7", ok.Load(), conflict.Load())
	}
	vs, err := db.Versions(ctx(t), a.org.ID, lib.ID)
	must(t, err)
	if len(vs) != 2 {
		t.Errorf("%d versions", len(vs))
	}
}

// testConcurrentAccept ensures that an invitation accepted by several users
// at once is used exactly once.
func testConcurrentAccept(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "once")
	inv := &domain.Invitation{OrgID: a.org.ID, Email: "x@example.org", Role: domain.Analyst, TokenHash: "once", ExpiresAt: time.Now().Add(time.Hour)}
	must(t, db.CreateInvitation(ctx(t), inv))
	users := make([]*domain.User, 6)
	for i := range users {
		users[i] = MustUser(t, db, fmt.Sprintf("u%d@example.org", i))
	}
	var wg sync.WaitGroup
	var ok, conflict atomic.Int32
	for _, u := range users {
		wg.Go(func() {
			_, err := db.AcceptInvitation(ctx(t), inv.ID, u.ID, time.Now())
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
	members, err := db.Members(ctx(t), a.org.ID)
	must(t, err)
	if ok.Load() != 1 || conflict.Load() != int32(len(users)-1) || len(members) != 2 {
		t.Errorf("%d accepted, %d conflicts, %d members", ok.Load(), conflict.Load(), len(members))
	}
}

// testConcurrentOwnerRemoval ensures that two owners removing each other at
// the same moment cannot leave the organisation without an owner.
func testConcurrentOwnerRemoval(t *testing.T, db *store.DB) {
	for round := range 5 {
		a := newTenant(t, db, fmt.Sprintf("two-owners-%d", round))
		second := MustUser(t, db, fmt.Sprintf("second-%d@example.org", round))
		MustMember(t, db, a.org.ID, second.ID, domain.Owner)
		var wg sync.WaitGroup
		for _, uid := range []string{a.owner.ID, second.ID} {
			wg.Go(func() {
				err := db.RemoveMembership(ctx(t), a.org.ID, uid)
				if err != nil && domain.ErrorCode(err) != domain.ECONFLICT {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		members, err := db.Members(ctx(t), a.org.ID)
		must(t, err)
		if len(members) != 1 || members[0].Role != domain.Owner {
			t.Fatalf("round %d: members left: %+v", round, members)
		}
	}
}

// testErrorsWrapped ensures errors that are not domain errors keep their
// cause and name the store operation.
func testErrorsWrapped(t *testing.T, db *store.DB) {
	c, cancel := context.WithCancel(ctx(t))
	cancel()
	for name, err := range map[string]error{
		"CreateOrg": db.CreateOrg(c, &domain.Organisation{Slug: "x", Name: "x"}),
		"SaveDraft": db.SaveDraft(c, "o", "v", LargeContent(1), ""),
		"Version":   func() error { _, err := db.Version(c, "o", "v"); return err }(),
	} {
		if !errors.Is(err, context.Canceled) || domain.ErrorCode(err) != domain.EINTERNAL || !strings.HasPrefix(err.Error(), "store: ") {
			t.Errorf("%s with a cancelled context: %v", name, err)
		}
	}
}
