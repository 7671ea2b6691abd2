package storetest

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/store"
)

// The portfolio's tests join the contract suite from here, so that the
// suite's list in contract.go stays as it is.
func init() {
	Contract = append(Contract,
		Test{"PortfolioSettings", testPortfolioSettings},
		Test{"InitiativeRoundTrip", testInitiativeRoundTrip},
		Test{"InitiativeRevisions", testInitiativeRevisions},
		Test{"InitiativeDependencies", testInitiativeDependencies},
		Test{"ConcurrentDependencyCycle", testConcurrentDependencyCycle},
		Test{"InitiativeSchema", testInitiativeSchema},
		Test{"Scenarios", testScenarios},
		Test{"ScenarioReferences", testScenarioReferences},
		Test{"PortfolioTenants", testPortfolioTenants},
		Test{"PortfolioOrgCascade", testPortfolioOrgCascade},
	)
}

// NewInitiative returns a valid initiative of orgID with the title,
// starting 2027–2029 for two years, not stored.
func NewInitiative(orgID, title string) *domain.Initiative {
	return &domain.Initiative{OrgID: orgID, Title: title, OneOffCost: 100_000, RecurringCost: 10_000, FTE: 150,
		Duration: 2, EarliestStart: 2027, LatestStart: 2029, Risk: domain.RiskLow, Status: domain.StatusProposed}
}

// MustInitiative stores NewInitiative(orgID, title) depending on deps, or
// fails tb.
func MustInitiative(tb testing.TB, db *store.DB, orgID, title string, deps ...string) *domain.Initiative {
	tb.Helper()
	in := NewInitiative(orgID, title)
	in.DependsOn = deps
	if err := db.CreateInitiative(context.Background(), in); err != nil {
		tb.Fatalf("create initiative %s: %v", title, err)
	}
	return in
}

// NewScenario returns a valid scenario of orgID, 2026–2035, with a budget
// of 1,000,000 a year and no staff cap, not stored.
func NewScenario(orgID, name string) *domain.Scenario {
	return &domain.Scenario{OrgID: orgID, Name: name, StartYear: 2026, EndYear: 2035, Budget: domain.MoneyCaps{Default: 1_000_000}}
}

// wantProblem fails t unless err is Problems with exactly one problem, at
// field, whose message starts with msg.
func wantProblem(t *testing.T, err error, field, msg, what string) {
	t.Helper()
	var ps domain.Problems
	if !errors.As(err, &ps) || len(ps) != 1 || ps[0].Field != field || !strings.HasPrefix(ps[0].Message, msg) {
		t.Errorf("%s: error %v, want one problem at %s: %s…", what, err, field, msg)
	}
}

func portfolioRevision(t *testing.T, db *store.DB, orgID string) int64 {
	t.Helper()
	s, err := db.PortfolioSettings(ctx(t), orgID)
	must(t, err)
	return s.Revision
}

// testPortfolioSettings ensures an organisation that never saved settings
// gets the currency of its country and the default criteria at revision 0;
// that saved settings round-trip with their version and increment the
// revision; that the version must be a published version of an own
// library; and that bad settings are refused, changing nothing.
func testPortfolioSettings(t *testing.T, db *store.DB) {
	a, b := newTenant(t, db, "settings-a"), newTenant(t, db, "settings-b")
	for country, cur := range map[string]string{"SE": "SEK", "GB": "GBP", "DE": "EUR", "": "EUR"} {
		o := &domain.Organisation{Slug: "org-" + strings.ToLower(cur) + strings.ToLower(country), Name: "Org", Type: domain.Region, Country: country}
		must(t, db.CreateOrg(ctx(t), o))
		s, err := db.PortfolioSettings(ctx(t), o.ID)
		must(t, err)
		if s.Currency != cur || s.Revision != 0 || !s.UpdatedAt.IsZero() || s.VersionID != "" || !reflect.DeepEqual(s.Criteria, domain.DefaultCriteria()) {
			t.Errorf("defaults for country %q: %+v", country, s)
		}
	}
	_, err := db.PortfolioSettings(ctx(t), "00000000-0000-7000-8000-000000000000")
	wantCode(t, err, domain.ENOTFOUND, "settings of a missing organisation")

	lib, v := MustLibrary(t, db, a.org.ID, RichContent())
	s := &domain.PortfolioSettings{OrgID: a.org.ID, Currency: "nok", VersionID: v.ID, Criteria: []domain.BenefitCriterion{
		{Key: "people", Name: domain.T("People", "Människor – \"alla\""), Weight: 2.5},
		{Key: "climate", Name: domain.T("", "Klimat"), Weight: 0},
	}}
	must(t, db.SavePortfolioSettings(ctx(t), s))
	if s.Revision != 1 || s.LibraryID != lib.ID || s.UpdatedAt.IsZero() || s.Currency != "NOK" {
		t.Errorf("after saving: %+v", s)
	}
	got, err := db.PortfolioSettings(ctx(t), a.org.ID)
	must(t, err)
	if !reflect.DeepEqual(got, s) {
		t.Errorf("settings:\n got  %+v\n want %+v", got, s)
	}

	d, err := db.CreateDraft(ctx(t), a.org.ID, lib.ID, v.ID)
	must(t, err)
	_, bv := MustLibrary(t, db, b.org.ID, RichContent())
	for name, c := range map[string]struct {
		change func(*domain.PortfolioSettings)
		code   string
	}{
		"draft version":         {func(s *domain.PortfolioSettings) { s.VersionID = d.ID }, domain.EINVALID},
		"another org's version": {func(s *domain.PortfolioSettings) { s.VersionID = bv.ID }, domain.ENOTFOUND},
		"currency":              {func(s *domain.PortfolioSettings) { s.Currency = "kronor" }, domain.EINVALID},
		"no criteria":           {func(s *domain.PortfolioSettings) { s.Criteria = nil }, domain.EINVALID},
		"weight":                {func(s *domain.PortfolioSettings) { s.Criteria[0].Weight = -1 }, domain.EINVALID},
	} {
		bad := *got
		bad.Criteria = append([]domain.BenefitCriterion(nil), got.Criteria...)
		c.change(&bad)
		wantCode(t, db.SavePortfolioSettings(ctx(t), &bad), c.code, name)
	}
	again, err := db.PortfolioSettings(ctx(t), a.org.ID)
	must(t, err)
	if !reflect.DeepEqual(again, s) {
		t.Errorf("refused settings changed them: %+v", again)
	}
	wantCode(t, db.DeleteLibrary(ctx(t), a.org.ID, lib.ID), domain.ECONFLICT, "deleting the portfolio's library")

	// No version: the library can go.
	s.VersionID = ""
	must(t, db.SavePortfolioSettings(ctx(t), s))
	if s.LibraryID != "" || s.Revision != 2 {
		t.Errorf("after clearing the version: %+v", s)
	}
	must(t, db.DeleteLibrary(ctx(t), a.org.ID, lib.ID))
}

// richInitiative uses every field, with characters that are easy to
// mangle.
func richInitiative(orgID, dep string) *domain.Initiative {
	return &domain.Initiative{
		OrgID: orgID, Title: "Öppna data – \"plattform\"", Description: "Line one.\nLine two: <b>x</b> & 🙂; DROP TABLE initiatives; --",
		Owner:  "Digitaliseringsenheten",
		Trends: []domain.TrendLink{{TrendKey: TrendAI, Strength: 3}, {TrendKey: TrendAgeing, Strength: 1}},
		Areas:  []string{AreaLeadership, AreaData}, OneOffCost: 999_999_999_999, RecurringCost: 1, FTE: 1025,
		Duration: 3, EarliestStart: 2026, LatestStart: 2031, DependsOn: []string{dep}, ExclusiveGroup: "Plattform",
		Benefits: map[string]int{"people": 5, "financial": 0, "equality": 2}, Risk: domain.RiskHigh,
		Status: domain.StatusInProgress, RAG: domain.RAGAmber,
		Milestones: []domain.Milestone{{Title: "Upphandling", Due: "2026-09-30", Done: true}, {Title: "Go live"}},
	}
}

// testInitiativeRoundTrip ensures an initiative round-trips with every
// field and its dependencies in order, that an empty one reads back with
// nil lists, and that initiatives list oldest first.
func testInitiativeRoundTrip(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "initiatives")
	first := MustInitiative(t, db, a.org.ID, "First")
	second := MustInitiative(t, db, a.org.ID, "Second")
	in := richInitiative(a.org.ID, second.ID)
	in.DependsOn = []string{second.ID, first.ID}
	in.CreatedBy = a.owner.ID
	must(t, db.CreateInitiative(ctx(t), in))
	if in.ID == "" || in.Revision != 1 || in.CreatedAt.IsZero() || in.UpdatedAt != in.CreatedAt {
		t.Fatalf("CreateInitiative did not set ID, Revision and times: %+v", in)
	}
	got, err := db.Initiative(ctx(t), a.org.ID, in.ID)
	must(t, err)
	if !reflect.DeepEqual(got, in) {
		t.Errorf("initiative:\n got  %+v\n want %+v", got, in)
	}
	plain, err := db.Initiative(ctx(t), a.org.ID, first.ID)
	must(t, err)
	if plain.Trends != nil || plain.Areas != nil || plain.DependsOn != nil || plain.Benefits != nil || plain.Milestones != nil {
		t.Errorf("empty lists read back as %+v", plain)
	}
	if !reflect.DeepEqual(plain, first) {
		t.Errorf("plain initiative:\n got  %+v\n want %+v", plain, first)
	}
	list, err := db.Initiatives(ctx(t), a.org.ID)
	must(t, err)
	if len(list) != 3 || list[0].ID != first.ID || list[1].ID != second.ID || !reflect.DeepEqual(&list[2], in) {
		t.Errorf("list not oldest first or incomplete: %+v", list)
	}
	wantCode(t, db.CreateInitiative(ctx(t), NewInitiative(a.org.ID, "First")), domain.ECONFLICT, "a taken title")
}

// testInitiativeRevisions ensures an update needs the revision it started
// from (a stale one is ECONFLICT and changes nothing), that tracking
// updates change only status, RAG and milestones, and that every change to
// an initiative increments the portfolio's revision.
func testInitiativeRevisions(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "revisions")
	if r := portfolioRevision(t, db, a.org.ID); r != 0 {
		t.Fatalf("a new organisation's portfolio revision is %d", r)
	}
	in := MustInitiative(t, db, a.org.ID, "Platform")
	if r := portfolioRevision(t, db, a.org.ID); r != 1 {
		t.Errorf("revision after creating an initiative: %d, want 1", r)
	}
	stale := *in
	in.Title, in.FTE, in.Milestones = "Platform v2", 0, []domain.Milestone{{Title: "Start"}}
	must(t, db.UpdateInitiative(ctx(t), in))
	if in.Revision != 2 {
		t.Errorf("Revision after update: %d", in.Revision)
	}
	stale.Title = "Lost update"
	wantCode(t, db.UpdateInitiative(ctx(t), &stale), domain.ECONFLICT, "a stale update")
	wantCode(t, db.UpdateInitiativeTracking(ctx(t), &stale), domain.ECONFLICT, "a stale tracking update")

	track := *in
	track.Title, track.OneOffCost = "Ignored", 1
	track.Status, track.RAG, track.Milestones = domain.StatusDone, domain.RAGGreen, []domain.Milestone{{Title: "Start", Due: "2027-01-31", Done: true}}
	must(t, db.UpdateInitiativeTracking(ctx(t), &track))
	got, err := db.Initiative(ctx(t), a.org.ID, in.ID)
	must(t, err)
	if got.Title != "Platform v2" || got.OneOffCost != in.OneOffCost || got.Status != domain.StatusDone || got.RAG != domain.RAGGreen ||
		!reflect.DeepEqual(got.Milestones, track.Milestones) || got.Revision != 3 || got.UpdatedAt != track.UpdatedAt {
		t.Errorf("after tracking: %+v", got)
	}
	wantCode(t, db.UpdateInitiativeTracking(ctx(t), &domain.Initiative{OrgID: a.org.ID, ID: in.ID, Revision: 3, Status: "finished"}),
		domain.EINVALID, "an unknown status")
	if r := portfolioRevision(t, db, a.org.ID); r != 3 {
		t.Errorf("revision after three changes and three refusals: %d, want 3", r)
	}
	must(t, db.DeleteInitiative(ctx(t), a.org.ID, in.ID))
	if r := portfolioRevision(t, db, a.org.ID); r != 4 {
		t.Errorf("revision after deleting: %d, want 4", r)
	}
}

// testInitiativeDependencies ensures dependencies refer to initiatives of
// the same organisation only, never to the initiative itself or in a
// cycle, and that an initiative others depend on cannot be deleted.
func testInitiativeDependencies(t *testing.T, db *store.DB) {
	a, b := newTenant(t, db, "deps-a"), newTenant(t, db, "deps-b")
	x := MustInitiative(t, db, a.org.ID, "Identity")
	y := MustInitiative(t, db, a.org.ID, "Portal", x.ID)
	z := MustInitiative(t, db, a.org.ID, "App", y.ID)
	theirs := MustInitiative(t, db, b.org.ID, "Theirs")

	bad := NewInitiative(a.org.ID, "Cross")
	bad.DependsOn = []string{x.ID, theirs.ID}
	wantProblem(t, db.CreateInitiative(ctx(t), bad), "depends_on[1]", "is not an initiative of this organisation", "a dependency on another organisation's")
	bad.DependsOn = []string{"00000000-0000-7000-8000-000000000000"}
	wantProblem(t, db.CreateInitiative(ctx(t), bad), "depends_on[0]", "is not an initiative of this organisation", "a dependency on a missing one")

	x.DependsOn = []string{z.ID}
	wantProblem(t, db.UpdateInitiative(ctx(t), x), "depends_on", "makes a cycle: Identity → App → Portal → Identity", "a cycle")
	x.DependsOn = []string{x.ID}
	wantProblem(t, db.UpdateInitiative(ctx(t), x), "depends_on[0]", "an initiative cannot depend on itself", "itself")
	got, err := db.Initiative(ctx(t), a.org.ID, x.ID)
	must(t, err)
	if got.DependsOn != nil || got.Revision != 1 {
		t.Errorf("refused updates changed the initiative: %+v", got)
	}
	if n := countRows(t, db, "SELECT COUNT(*) FROM initiatives WHERE org_id = $1", a.org.ID); n != 3 {
		t.Errorf("%d initiatives, want 3", n)
	}

	err = db.DeleteInitiative(ctx(t), a.org.ID, y.ID)
	wantCode(t, err, domain.ECONFLICT, "deleting a dependency")
	if !strings.Contains(domain.ErrorMessage(err), `"App"`) {
		t.Errorf("the message %q does not name the dependant", domain.ErrorMessage(err))
	}
	z.DependsOn = nil
	must(t, db.UpdateInitiative(ctx(t), z))
	must(t, db.DeleteInitiative(ctx(t), a.org.ID, y.ID))
	wantCode(t, db.DeleteInitiative(ctx(t), a.org.ID, y.ID), domain.ENOTFOUND, "deleting twice")
}

// testConcurrentDependencyCycle ensures two updates that would each close
// half of a cycle cannot both succeed, however they interleave.
func testConcurrentDependencyCycle(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "race")
	for round := range 5 {
		x := MustInitiative(t, db, a.org.ID, "X"+string(rune('a'+round)))
		y := MustInitiative(t, db, a.org.ID, "Y"+string(rune('a'+round)))
		x.DependsOn, y.DependsOn = []string{y.ID}, []string{x.ID}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, in := range []*domain.Initiative{x, y} {
			wg.Go(func() { errs[i] = db.UpdateInitiative(ctx(t), in) })
		}
		wg.Wait()
		if errs[0] == nil && errs[1] == nil {
			t.Fatalf("round %d: both halves of a cycle were stored", round)
		}
		for _, err := range errs {
			if err != nil && domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("round %d: %v, want EINVALID", round, err)
			}
		}
	}
}

// testInitiativeSchema ensures the schema itself refuses what the store
// refuses: a dependency across organisations, on itself, a bad risk or
// status, negative amounts, a start window the wrong way round.
func testInitiativeSchema(t *testing.T, db *store.DB) {
	a, b := newTenant(t, db, "schema-a"), newTenant(t, db, "schema-b")
	x, y := MustInitiative(t, db, a.org.ID, "X"), MustInitiative(t, db, b.org.ID, "Y")
	sc := NewScenario(a.org.ID, "S")
	must(t, db.CreateScenario(ctx(t), sc))
	for name, q := range map[string]string{
		"across organisations": `INSERT INTO initiative_dependencies (org_id, initiative_id, depends_on, position) VALUES ('` + a.org.ID + `', '` + x.ID + `', '` + y.ID + `', 0)`,
		"on itself":            `INSERT INTO initiative_dependencies (org_id, initiative_id, depends_on, position) VALUES ('` + a.org.ID + `', '` + x.ID + `', '` + x.ID + `', 0)`,
		"forcing another's":    `INSERT INTO scenario_forces (org_id, scenario_id, initiative_id, forced) VALUES ('` + a.org.ID + `', '` + sc.ID + `', '` + y.ID + `', 'in')`,
		"risk":                 `UPDATE initiatives SET risk = 'extreme' WHERE id = '` + x.ID + `'`,
		"status":               `UPDATE initiatives SET status = 'paused' WHERE id = '` + x.ID + `'`,
		"rag":                  `UPDATE initiatives SET rag = 'blue' WHERE id = '` + x.ID + `'`,
		"cost":                 `UPDATE initiatives SET one_off_cost = -1 WHERE id = '` + x.ID + `'`,
		"window":               `UPDATE initiatives SET latest_start = earliest_start - 1 WHERE id = '` + x.ID + `'`,
		"duration":             `UPDATE initiatives SET duration = 0 WHERE id = '` + x.ID + `'`,
	} {
		if _, err := db.SQL().ExecContext(ctx(t), q); err == nil {
			t.Errorf("the schema took %s", name)
		}
	}
}

// testScenarios ensures a scenario round-trips with every field (with and
// without a staff cap), that a result is stored for the revision it was
// computed at and cleared when the scenario changes, that stale updates
// and results are ECONFLICT, and that names are unique in an
// organisation.
func testScenarios(t *testing.T, db *store.DB) {
	a := newTenant(t, db, "scenarios")
	w := MustWorkshop(t, db, a.org.ID, "SCEN0001")
	x, y := MustInitiative(t, db, a.org.ID, "X"), MustInitiative(t, db, a.org.ID, "Y")
	base := NewScenario(a.org.ID, "Baseline")
	must(t, db.CreateScenario(ctx(t), base))
	s := &domain.Scenario{OrgID: a.org.ID, Name: "Budget −20 % – \"tight\"", Description: "Rad ett.\nRad två.",
		StartYear: 2026, EndYear: 2035, Budget: domain.MoneyCaps{Default: 800_000, Years: map[int]int64{2026: 0, 2030: 1_000_000_000_000}},
		FTE:    &domain.FTECaps{Default: 350, Years: map[int]domain.FTE{2027: 0, 2028: 125}},
		Forced: map[string]domain.Force{x.ID: domain.ForceIn, y.ID: domain.ForceOut}, ScaleByPriority: true,
		PriorityWorkshopID: w.ID, TrendWeight: 0.75, CreatedBy: a.owner.ID}
	must(t, db.CreateScenario(ctx(t), s))
	if s.ID == "" || s.Revision != 1 || s.CreatedAt.IsZero() || s.Result != nil {
		t.Fatalf("CreateScenario did not set ID, Revision and times: %+v", s)
	}
	got, err := db.Scenario(ctx(t), a.org.ID, s.ID)
	must(t, err)
	if !reflect.DeepEqual(got, s) {
		t.Errorf("scenario:\n got  %+v\n want %+v", got, s)
	}
	gotBase, err := db.Scenario(ctx(t), a.org.ID, base.ID)
	must(t, err)
	if gotBase.FTE != nil || gotBase.Forced != nil || gotBase.Budget.Years != nil || !reflect.DeepEqual(gotBase, base) {
		t.Errorf("baseline:\n got  %+v\n want %+v", gotBase, base)
	}
	wantCode(t, db.CreateScenario(ctx(t), NewScenario(a.org.ID, "Baseline")), domain.ECONFLICT, "a taken name")

	// A result at the current revision.
	at := time.Date(2026, 4, 1, 12, 0, 0, 999, time.UTC)
	res := &domain.ScenarioResult{Data: []byte(`{"format":"waymark.portfolio/v1","kind":"result","objective":12.5}`), At: at, PortfolioRevision: 7}
	must(t, db.SetScenarioResult(ctx(t), a.org.ID, s.ID, s.Revision, res))
	list, err := db.Scenarios(ctx(t), a.org.ID)
	must(t, err)
	if len(list) != 2 || list[0].ID != base.ID || list[1].ID != s.ID {
		t.Fatalf("scenarios not oldest first: %+v", list)
	}
	r := list[1].Result
	if r == nil || string(r.Data) != string(res.Data) || r.At != µs(at) || r.PortfolioRevision != 7 || list[1].Revision != 1 {
		t.Errorf("stored result %+v", r)
	}
	if !list[1].ResultCurrent(7) || list[1].ResultCurrent(8) || list[0].ResultCurrent(0) {
		t.Error("ResultCurrent is wrong")
	}
	wantCode(t, db.SetScenarioResult(ctx(t), a.org.ID, s.ID, s.Revision, &domain.ScenarioResult{}), domain.EINVALID, "an empty result")

	// Changing the scenario clears the result; the old revision is stale.
	stale := *got
	s.Name, s.FTE, s.Forced, s.ScaleByPriority, s.PriorityWorkshopID, s.TrendWeight = "Budget −30 %", nil, nil, false, "", 0
	s.Budget.Years = nil
	must(t, db.UpdateScenario(ctx(t), s))
	if s.Revision != 2 || s.Result != nil {
		t.Errorf("after update: %+v", s)
	}
	got, err = db.Scenario(ctx(t), a.org.ID, s.ID)
	must(t, err)
	if !reflect.DeepEqual(got, s) {
		t.Errorf("after update:\n got  %+v\n want %+v", got, s)
	}
	wantCode(t, db.SetScenarioResult(ctx(t), a.org.ID, s.ID, 1, res), domain.ECONFLICT, "a result of an old revision")
	stale.Name = "Lost"
	wantCode(t, db.UpdateScenario(ctx(t), &stale), domain.ECONFLICT, "a stale update")
	s.Name = "Baseline"
	wantCode(t, db.UpdateScenario(ctx(t), s), domain.ECONFLICT, "renaming to a taken name")

	must(t, db.DeleteScenario(ctx(t), a.org.ID, s.ID))
	wantCode(t, db.DeleteScenario(ctx(t), a.org.ID, s.ID), domain.ENOTFOUND, "deleting twice")
}

// testScenarioReferences ensures a scenario forces and takes priorities
// from the organisation's own initiatives and workshops only, that
// deleting a forced initiative takes it out of the scenario, and that
// deleting the priority workshop leaves the scenario without one.
func testScenarioReferences(t *testing.T, db *store.DB) {
	a, b := newTenant(t, db, "refs-a"), newTenant(t, db, "refs-b")
	mine, theirs := MustInitiative(t, db, a.org.ID, "Mine"), MustInitiative(t, db, b.org.ID, "Theirs")
	w, tw := MustWorkshop(t, db, a.org.ID, "REFS0001"), MustWorkshop(t, db, b.org.ID, "REFS0002")

	s := NewScenario(a.org.ID, "Forced")
	s.Forced = map[string]domain.Force{mine.ID: domain.ForceIn, theirs.ID: domain.ForceOut}
	wantProblem(t, db.CreateScenario(ctx(t), s), "forced."+theirs.ID, "is not an initiative of this organisation", "forcing another's initiative")
	s.Forced = map[string]domain.Force{mine.ID: "maybe"}
	wantProblem(t, db.CreateScenario(ctx(t), s), "forced."+mine.ID, "must be in or out", "an unknown force")
	s.Forced, s.PriorityWorkshopID = map[string]domain.Force{mine.ID: domain.ForceIn}, tw.ID
	wantProblem(t, db.CreateScenario(ctx(t), s), "priority_workshop", "is not a workshop of this organisation", "another's workshop")
	if n := countRows(t, db, "SELECT COUNT(*) FROM scenarios"); n != 0 {
		t.Fatalf("refused scenarios stored %d rows", n)
	}
	s.PriorityWorkshopID = w.ID
	must(t, db.CreateScenario(ctx(t), s))
	s.PriorityWorkshopID = tw.ID
	wantProblem(t, db.UpdateScenario(ctx(t), s), "priority_workshop", "is not a workshop of this organisation", "updating to another's workshop")

	must(t, db.DeleteInitiative(ctx(t), a.org.ID, mine.ID))
	must(t, db.DeleteWorkshop(ctx(t), a.org.ID, w.ID))
	got, err := db.Scenario(ctx(t), a.org.ID, s.ID)
	must(t, err)
	if got.Forced != nil || got.PriorityWorkshopID != "" {
		t.Errorf("after deleting the initiative and the workshop: %+v", got)
	}
}

// testPortfolioTenants ensures another organisation can neither read,
// change, track, delete nor optimise an organisation's initiatives and
// scenarios, and gets exactly the error a missing one gives; and that
// listings show only its own.
func testPortfolioTenants(t *testing.T, db *store.DB) {
	a, b := newTenant(t, db, "port-a"), newTenant(t, db, "port-b")
	in := MustInitiative(t, db, a.org.ID, "Ours")
	s := NewScenario(a.org.ID, "Ours")
	must(t, db.CreateScenario(ctx(t), s))
	missing := "00000000-0000-7000-8000-000000000000"

	_, refIn := db.Initiative(ctx(t), a.org.ID, missing)
	wantCode(t, refIn, domain.ENOTFOUND, "a missing initiative")
	_, err := db.Initiative(ctx(t), b.org.ID, in.ID)
	wantSameError(t, err, refIn, "reading an initiative")
	theirs := *in
	theirs.OrgID, theirs.Title = b.org.ID, "Taken over"
	wantSameError(t, db.UpdateInitiative(ctx(t), &theirs), refIn, "updating an initiative")
	wantSameError(t, db.UpdateInitiativeTracking(ctx(t), &theirs), refIn, "tracking an initiative")
	wantSameError(t, db.DeleteInitiative(ctx(t), b.org.ID, in.ID), refIn, "deleting an initiative")

	_, refSc := db.Scenario(ctx(t), a.org.ID, missing)
	wantCode(t, refSc, domain.ENOTFOUND, "a missing scenario")
	_, err = db.Scenario(ctx(t), b.org.ID, s.ID)
	wantSameError(t, err, refSc, "reading a scenario")
	ts := *s
	ts.OrgID, ts.Name = b.org.ID, "Taken over"
	wantSameError(t, db.UpdateScenario(ctx(t), &ts), refSc, "updating a scenario")
	wantSameError(t, db.SetScenarioResult(ctx(t), b.org.ID, s.ID, s.Revision, &domain.ScenarioResult{Data: []byte("{}")}), refSc, "storing a result")
	wantSameError(t, db.DeleteScenario(ctx(t), b.org.ID, s.ID), refSc, "deleting a scenario")

	ins, err := db.Initiatives(ctx(t), b.org.ID)
	must(t, err)
	ss, err := db.Scenarios(ctx(t), b.org.ID)
	must(t, err)
	if len(ins) != 0 || len(ss) != 0 {
		t.Errorf("another organisation lists %d initiatives and %d scenarios", len(ins), len(ss))
	}
	got, err := db.Initiative(ctx(t), a.org.ID, in.ID)
	must(t, err)
	gs, err := db.Scenario(ctx(t), a.org.ID, s.ID)
	must(t, err)
	if got.Title != "Ours" || got.Revision != 1 || gs.Name != "Ours" || gs.Result != nil {
		t.Errorf("the other organisation changed them: %+v %+v", got, gs)
	}
}

// testPortfolioOrgCascade ensures deleting an organisation removes its
// rounds, answers, demand links, settings (naming a library version),
// initiatives depending on each other and scenarios forcing them — the
// NO ACTION foreign keys do not block it — and leaves another
// organisation's alone.
func testPortfolioOrgCascade(t *testing.T, db *store.DB) {
	a, b := newTenant(t, db, "gone"), newTenant(t, db, "stays")
	for _, o := range []tenant{a, b} {
		r := MustRound(t, db, o.org.ID, "Round")
		must(t, db.SaveAssessments(ctx(t), o.org.ID, r.ID, []domain.Assessment{{AssessorID: o.owner.ID, AreaKey: AreaData, Current: 1, Target: 2}}))
		must(t, db.SetDemandLinks(ctx(t), o.org.ID, r.ID, []domain.DemandLink{{TrendKey: TrendAI, AreaKey: AreaData, Level: 1}}))
		must(t, db.SavePortfolioSettings(ctx(t), &domain.PortfolioSettings{OrgID: o.org.ID, Currency: "SEK",
			Criteria: domain.DefaultCriteria(), VersionID: r.VersionID}))
		x := MustInitiative(t, db, o.org.ID, "X")
		y := MustInitiative(t, db, o.org.ID, "Y", x.ID)
		s := NewScenario(o.org.ID, "S")
		s.Forced = map[string]domain.Force{x.ID: domain.ForceIn, y.ID: domain.ForceOut}
		s.PriorityWorkshopID = MustWorkshop(t, db, o.org.ID, "CASC"+o.org.Slug[:4]).ID
		must(t, db.CreateScenario(ctx(t), s))
	}
	tables := []string{"assessment_rounds", "capability_assessments", "capability_demand", "portfolio_settings",
		"initiatives", "initiative_dependencies", "scenarios", "scenario_forces"}
	before := map[string]int{}
	for _, table := range tables {
		before[table] = countRows(t, db, "SELECT COUNT(*) FROM "+table)
	}
	if _, err := db.SQL().ExecContext(ctx(t), `DELETE FROM organisations WHERE id = $1`, a.org.ID); err != nil {
		t.Fatalf("deleting an organisation with a portfolio: %v", err)
	}
	for _, table := range tables {
		// Both organisations had the same rows.
		if n := countRows(t, db, "SELECT COUNT(*) FROM "+table); n != before[table]/2 || n == 0 {
			t.Errorf("%s has %d rows, want the other organisation's %d", table, n, before[table]/2)
		}
	}
}
