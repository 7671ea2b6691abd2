package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/waymark/waymark/internal/domain"
)

// The portfolio (migration 00004): settings, initiatives with their
// dependencies, and scenarios with their forced choices and last result.
//
// Every write to the settings or to an initiative starts by incrementing
// the organisation's portfolio revision (lockPortfolio), which also takes
// the settings row's lock on PostgreSQL: writes to one organisation's
// portfolio are serial, so the dependency cycle check sees every committed
// edge. Lists and maps are JSON text with their own field names
// (trendLinkJSON, milestoneJSON, criterionJSON), so that renaming a Go
// field does not change what is stored.

type trendLinkJSON struct {
	TrendKey string `json:"trend"`
	Strength int    `json:"strength"`
}

type milestoneJSON struct {
	Title string `json:"title"`
	Due   string `json:"due,omitempty"`
	Done  bool   `json:"done,omitempty"`
}

type criterionJSON struct {
	Key    string      `json:"key"`
	Name   domain.Text `json:"name"`
	Weight float64     `json:"weight"`
}

func errInitiativeNotFound() error { return domain.Errorf(domain.ENOTFOUND, "Initiative not found.") }
func errScenarioNotFound() error   { return domain.Errorf(domain.ENOTFOUND, "Scenario not found.") }

// jsonMap encodes a map as a JSON object; nil and empty maps become "{}".
func jsonMap[K comparable, V any](m map[K]V) (string, error) {
	if len(m) == 0 {
		return "{}", nil
	}
	b, err := json.Marshal(m)
	return string(b), err
}

// parseMap decodes JSON text written by jsonMap; "{}" gives nil.
func parseMap[K comparable, V any](s string) (map[K]V, error) {
	if s == "{}" || s == "" {
		return nil, nil
	}
	var m map[K]V
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, err
	}
	if len(m) == 0 {
		return nil, nil
	}
	return m, nil
}

// queryAll runs a query and scans each of its rows into a T with scan.
func queryAll[T any](ctx context.Context, q queryer, scan func(scanner, *T) error, query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := scan(rows, &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// first returns the first element of list, or notFound when it is empty.
func first[T any](list []T, notFound error) (*T, error) {
	if len(list) == 0 {
		return nil, notFound
	}
	return &list[0], nil
}

// lockPortfolio increments the organisation's portfolio revision, creating
// its settings row when missing, and returns the new revision. On
// PostgreSQL the row stays locked until the transaction ends.
func lockPortfolio(ctx context.Context, tx *sql.Tx, orgID string) (int64, error) {
	var rev int64
	err := tx.QueryRowContext(ctx,
		`INSERT INTO portfolio_settings (org_id, revision) VALUES ($1, 1)
		 ON CONFLICT (org_id) DO UPDATE SET revision = portfolio_settings.revision + 1
		 RETURNING revision`, orgID).Scan(&rev)
	if isForeignKeyViolation(err) {
		return 0, errOrgNotFound()
	}
	return rev, err
}

// --- settings ---

// PortfolioSettings returns the organisation's settings, with the defaults
// where it has not saved its own: the currency of its country
// (domain.DefaultCurrency) and domain.DefaultCriteria. Revision is 0 until
// the first change to the portfolio. Returns ENOTFOUND for an
// organisation that does not exist.
func (db *DB) PortfolioSettings(ctx context.Context, orgID string) (*domain.PortfolioSettings, error) {
	s := &domain.PortfolioSettings{OrgID: orgID}
	var country, criteria string
	var rev sql.NullInt64
	var saved *time.Time
	err := db.read.QueryRowContext(ctx,
		`SELECT o.country, s.currency, s.criteria, s.library_id, s.version_id, s.revision, s.saved_at
		 FROM organisations o LEFT JOIN portfolio_settings s ON s.org_id = o.id
		 WHERE o.id = $1`, orgID).
		Scan(&country, scanNullStr(&s.Currency), scanNullStr(&criteria), scanNullStr(&s.LibraryID), scanNullStr(&s.VersionID),
			&rev, scanNullTime(&saved))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errOrgNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("store: portfolio settings of %s: %w", orgID, err)
	}
	s.Currency = cmp.Or(s.Currency, domain.DefaultCurrency(country))
	if criteria == "" {
		s.Criteria = domain.DefaultCriteria()
	} else {
		cs, err := parseList[criterionJSON](criteria)
		if err != nil {
			return nil, fmt.Errorf("store: portfolio settings of %s: criteria: %w", orgID, err)
		}
		for _, c := range cs {
			s.Criteria = append(s.Criteria, domain.BenefitCriterion(c))
		}
	}
	s.Revision = rev.Int64
	if saved != nil {
		s.UpdatedAt = *saved
	}
	return s, nil
}

// SavePortfolioSettings checks (domain.PortfolioSettings.Validate: EINVALID
// with Problems) and stores currency, criteria and version, and sets
// Revision, UpdatedAt and LibraryID (from the version; "" without one).
// The version must be "" or a published version of a library s.OrgID owns:
// ENOTFOUND otherwise, EINVALID for a draft. Returns ENOTFOUND for an
// organisation that does not exist.
func (db *DB) SavePortfolioSettings(ctx context.Context, s *domain.PortfolioSettings) error {
	if ps := s.Validate(); ps != nil {
		return ps
	}
	cs := make([]criterionJSON, len(s.Criteria))
	for i, c := range s.Criteria {
		cs[i] = criterionJSON(c)
	}
	criteria, err := jsonList(cs)
	if err != nil {
		return fmt.Errorf("store: save portfolio settings: %w", err)
	}
	at := now()
	var rev int64
	var libraryID string
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if rev, err = lockPortfolio(ctx, tx, s.OrgID); err != nil {
			return err
		}
		if s.VersionID != "" {
			var published bool
			if libraryID, published, err = publishedOwnVersion(ctx, tx, s.OrgID, s.VersionID); err != nil {
				return err
			}
			if !published {
				return domain.Errorf(domain.EINVALID, "The portfolio needs a published library version; publish the draft first.")
			}
		}
		_, err = tx.ExecContext(ctx,
			`UPDATE portfolio_settings SET currency = $2, criteria = $3, library_id = $4, version_id = $5, saved_at = $6
			 WHERE org_id = $1`,
			s.OrgID, s.Currency, criteria, nullStr(libraryID), nullStr(s.VersionID), tv(at))
		if isForeignKeyViolation(err) {
			return errVersionNotFound()
		}
		return err
	})
	if err != nil {
		return wrap(err, "save portfolio settings of %s", s.OrgID)
	}
	s.Revision, s.UpdatedAt, s.LibraryID = rev, at, libraryID
	return nil
}

// --- initiatives ---

var initiativeColumns = []string{"id", "org_id", "title", "description", "owner", "trends", "areas",
	"one_off_cost", "recurring_cost", "fte", "duration", "earliest_start", "latest_start", "exclusive_group",
	"benefits", "risk", "status", "rag", "milestones", "revision", "created_by", "created_at", "updated_at"}

var initiativeCols = "i." + strings.Join(initiativeColumns, ", i.")

// initiativeJSON holds an initiative's lists as stored.
type initiativeJSON struct{ trends, areas, benefits, milestones string }

func encodeInitiative(in *domain.Initiative) (initiativeJSON, error) {
	var j initiativeJSON
	ts := make([]trendLinkJSON, len(in.Trends))
	for i, l := range in.Trends {
		ts[i] = trendLinkJSON(l)
	}
	var err error
	if j.trends, err = jsonList(ts); err != nil {
		return j, err
	}
	if j.areas, err = jsonList(in.Areas); err != nil {
		return j, err
	}
	if j.benefits, err = jsonMap(in.Benefits); err != nil {
		return j, err
	}
	j.milestones, err = encodeMilestones(in.Milestones)
	return j, err
}

func encodeMilestones(ms []domain.Milestone) (string, error) {
	js := make([]milestoneJSON, len(ms))
	for i, m := range ms {
		js[i] = milestoneJSON(m)
	}
	return jsonList(js)
}

func (j initiativeJSON) decode(in *domain.Initiative) error {
	ts, err := parseList[trendLinkJSON](j.trends)
	if err != nil {
		return fmt.Errorf("trends: %w", err)
	}
	in.Trends = nil
	for _, l := range ts {
		in.Trends = append(in.Trends, domain.TrendLink(l))
	}
	if in.Areas, err = parseList[string](j.areas); err != nil {
		return fmt.Errorf("areas: %w", err)
	}
	if in.Benefits, err = parseMap[string, int](j.benefits); err != nil {
		return fmt.Errorf("benefits: %w", err)
	}
	ms, err := parseList[milestoneJSON](j.milestones)
	if err != nil {
		return fmt.Errorf("milestones: %w", err)
	}
	in.Milestones = nil
	for _, m := range ms {
		in.Milestones = append(in.Milestones, domain.Milestone(m))
	}
	return nil
}

func scanInitiative(sc scanner, in *domain.Initiative) error {
	var j initiativeJSON
	err := sc.Scan(&in.ID, &in.OrgID, &in.Title, &in.Description, &in.Owner, &j.trends, &j.areas,
		&in.OneOffCost, &in.RecurringCost, (*int64)(&in.FTE), &in.Duration, &in.EarliestStart, &in.LatestStart,
		&in.ExclusiveGroup, &j.benefits, (*string)(&in.Risk), (*string)(&in.Status), (*string)(&in.RAG), &j.milestones,
		&in.Revision, scanNullStr(&in.CreatedBy), scanTime(&in.CreatedAt), scanTime(&in.UpdatedAt))
	if err != nil {
		return err
	}
	if err := j.decode(in); err != nil {
		return fmt.Errorf("initiative %s: %w", in.ID, err)
	}
	return nil
}

// validInitiative checks what the schema checks, so that a caller that
// skipped domain validation gets EINVALID with the field at fault and not
// a constraint error.
func validInitiative(in *domain.Initiative) error {
	var ps domain.Problems
	add := func(field, msg string) { ps = append(ps, domain.Problem{Field: field, Message: msg}) }
	if strings.TrimSpace(in.Title) == "" {
		add("title", "is required")
	}
	if in.OneOffCost < 0 {
		add("one_off_cost", "cannot be negative")
	}
	if in.RecurringCost < 0 {
		add("recurring_cost", "cannot be negative")
	}
	if in.FTE < 0 {
		add("fte", "cannot be negative")
	}
	if in.Duration < 1 {
		add("duration", fmt.Sprintf("must be between 1 and %d", domain.MaxDuration))
	}
	if in.LatestStart < in.EarliestStart {
		add("latest_start", "must not be before the earliest start year")
	}
	if !slices.Contains(domain.Risks, in.Risk) {
		add("risk", "must be low, medium or high")
	}
	ps = append(ps, trackingProblems(in)...)
	if len(ps) > 0 {
		return ps
	}
	return nil
}

// trackingProblems checks what the schema checks of an initiative's
// tracking: its status and RAG.
func trackingProblems(in *domain.Initiative) domain.Problems {
	var ps domain.Problems
	if !slices.Contains(domain.InitiativeStatuses, in.Status) {
		ps = append(ps, domain.Problem{Field: "status", Message: "must be proposed, approved, in_progress, done or stopped"})
	}
	if in.RAG != domain.RAGNone && !slices.Contains(domain.RAGs, in.RAG) {
		ps = append(ps, domain.Problem{Field: "rag", Message: "must be red, amber or green"})
	}
	return ps
}

func errTitleTaken(title string) error {
	return domain.Errorf(domain.ECONFLICT, "An initiative with the title %q already exists.", title)
}

// writeDependencies replaces an initiative's dependencies with deps, in
// order, leaving out repeats. A dependency that is not an initiative of the
// organisation is EINVALID (Problems at depends_on[i]).
func writeDependencies(ctx context.Context, tx *sql.Tx, orgID, id string, deps []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM initiative_dependencies WHERE initiative_id = $1`, id); err != nil {
		return err
	}
	seen := map[string]bool{}
	for i, d := range deps {
		f := fmt.Sprintf("depends_on[%d]", i)
		if d == id {
			return domain.Problems{{Field: f, Message: "an initiative cannot depend on itself"}}
		}
		if seen[d] {
			continue
		}
		seen[d] = true
		_, err := tx.ExecContext(ctx,
			`INSERT INTO initiative_dependencies (org_id, initiative_id, depends_on, position) VALUES ($1, $2, $3, $4)`,
			orgID, id, d, i)
		if isForeignKeyViolation(err) {
			return domain.Problems{{Field: f, Message: "is not an initiative of this organisation"}}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// checkCycle returns EINVALID (a Problem at depends_on naming the
// initiatives by title) if the dependencies of the organisation, as the
// transaction sees them, have a cycle through id.
func checkCycle(ctx context.Context, tx *sql.Tx, orgID, id string) error {
	edges, err := dependencyEdges(ctx, tx, orgID)
	if err != nil {
		return err
	}
	cyc := domain.DependencyCycle(edges, id)
	if cyc == nil {
		return nil
	}
	titles := map[string]string{}
	rows, err := tx.QueryContext(ctx, `SELECT id, title FROM initiatives WHERE org_id = $1`, orgID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var i, t string
		if err := rows.Scan(&i, &t); err != nil {
			return err
		}
		titles[i] = t
	}
	if err := rows.Err(); err != nil {
		return err
	}
	names := make([]string, len(cyc))
	for i, c := range cyc {
		names[i] = titles[c]
	}
	return domain.Problems{{Field: "depends_on", Message: fmt.Sprintf("makes a cycle: %s", strings.Join(names, " → "))}}
}

// dependencyEdges returns the organisation's dependencies: initiative id →
// the ids it depends on, in order.
func dependencyEdges(ctx context.Context, q queryer, orgID string) (map[string][]string, error) {
	rows, err := q.QueryContext(ctx,
		`SELECT initiative_id, depends_on FROM initiative_dependencies WHERE org_id = $1 ORDER BY initiative_id, position`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	edges := map[string][]string{}
	for rows.Next() {
		var from, to string
		if err := rows.Scan(&from, &to); err != nil {
			return nil, err
		}
		edges[from] = append(edges[from], to)
	}
	return edges, rows.Err()
}

// CreateInitiative stores a new initiative of in.OrgID with its
// dependencies, setting ID, Revision (1), CreatedAt and UpdatedAt, and
// increments the portfolio's revision. Returns ECONFLICT if the title is
// taken in the organisation or it already has domain.MaxInitiatives;
// EINVALID (Problems at depends_on[i]) for a dependency that is not an
// initiative of the organisation; ENOTFOUND for an organisation that does
// not exist.
func (db *DB) CreateInitiative(ctx context.Context, in *domain.Initiative) error {
	if err := validInitiative(in); err != nil {
		return err
	}
	j, err := encodeInitiative(in)
	if err != nil {
		return fmt.Errorf("store: create initiative: %w", err)
	}
	id, at := newID(), now()
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := lockPortfolio(ctx, tx, in.OrgID); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM initiatives WHERE org_id = $1`, in.OrgID).Scan(&n); err != nil {
			return err
		}
		if n >= domain.MaxInitiatives {
			return domain.Errorf(domain.ECONFLICT, "An organisation can have at most %d initiatives.", domain.MaxInitiatives)
		}
		_, err := tx.ExecContext(ctx,
			`INSERT INTO initiatives (`+strings.Join(initiativeColumns, ", ")+`)
			 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, 1, $20, $21, $21)`,
			id, in.OrgID, in.Title, in.Description, in.Owner, j.trends, j.areas, in.OneOffCost, in.RecurringCost,
			int64(in.FTE), in.Duration, in.EarliestStart, in.LatestStart, in.ExclusiveGroup, j.benefits,
			string(in.Risk), string(in.Status), string(in.RAG), j.milestones, nullStr(in.CreatedBy), tv(at))
		switch {
		case isUniqueViolation(err):
			return errTitleTaken(in.Title)
		case isForeignKeyViolation(err):
			return domain.Errorf(domain.ENOTFOUND, "Organisation or user not found.")
		case err != nil:
			return err
		}
		return writeDependencies(ctx, tx, in.OrgID, id, in.DependsOn)
	})
	if err != nil {
		return wrap(err, "create initiative")
	}
	in.ID, in.Revision, in.CreatedAt, in.UpdatedAt = id, 1, at, at
	return nil
}

// updateRevisioned runs an UPDATE … WHERE id = $2 AND org_id = $1 AND
// revision = $3 RETURNING revision; when it changes no row it tells a
// missing row (notFound) from a stale revision (stale).
func updateRevisioned(ctx context.Context, tx *sql.Tx, notFound, stale error, table, query string, args ...any) (int64, error) {
	var rev int64
	err := tx.QueryRowContext(ctx, query, args...).Scan(&rev)
	if !errors.Is(err, sql.ErrNoRows) {
		return rev, err
	}
	if err := rowInOrg(ctx, tx, table, notFound, args[0], args[1]); err != nil {
		return 0, err
	}
	return 0, stale
}

func errInitiativeStale() error {
	return domain.Errorf(domain.ECONFLICT, "The initiative has been changed by someone else meanwhile; reload it and make your changes again.")
}

// UpdateInitiative saves everything of an initiative but ID, OrgID,
// CreatedBy and CreatedAt, when in.Revision is the stored revision
// (ECONFLICT otherwise), sets Revision and UpdatedAt, and increments the
// portfolio's revision. Returns ECONFLICT if the title is taken; EINVALID
// (Problems at depends_on) for a dependency that is not an initiative of
// the organisation or that makes a cycle; ENOTFOUND unless the initiative
// is the organisation's.
func (db *DB) UpdateInitiative(ctx context.Context, in *domain.Initiative) error {
	if err := validInitiative(in); err != nil {
		return err
	}
	j, err := encodeInitiative(in)
	if err != nil {
		return fmt.Errorf("store: update initiative %s: %w", in.ID, err)
	}
	at := now()
	var rev int64
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := lockPortfolio(ctx, tx, in.OrgID); err != nil {
			return err
		}
		var err error
		rev, err = updateRevisioned(ctx, tx, errInitiativeNotFound(), errInitiativeStale(), "initiatives",
			`UPDATE initiatives SET title = $4, description = $5, owner = $6, trends = $7, areas = $8,
				one_off_cost = $9, recurring_cost = $10, fte = $11, duration = $12, earliest_start = $13,
				latest_start = $14, exclusive_group = $15, benefits = $16, risk = $17, status = $18, rag = $19,
				milestones = $20, revision = revision + 1, updated_at = $21
			 WHERE id = $2 AND org_id = $1 AND revision = $3
			 RETURNING revision`,
			in.OrgID, in.ID, in.Revision, in.Title, in.Description, in.Owner, j.trends, j.areas, in.OneOffCost,
			in.RecurringCost, int64(in.FTE), in.Duration, in.EarliestStart, in.LatestStart, in.ExclusiveGroup,
			j.benefits, string(in.Risk), string(in.Status), string(in.RAG), j.milestones, tv(at))
		if isUniqueViolation(err) {
			return errTitleTaken(in.Title)
		}
		if err != nil {
			return err
		}
		if err := writeDependencies(ctx, tx, in.OrgID, in.ID, in.DependsOn); err != nil {
			return err
		}
		return checkCycle(ctx, tx, in.OrgID, in.ID)
	})
	if err != nil {
		return wrap(err, "update initiative %s", in.ID)
	}
	in.Revision, in.UpdatedAt = rev, at
	return nil
}

// UpdateInitiativeTracking saves an initiative's Status, RAG and
// Milestones only, with UpdateInitiative's revision check, and sets
// Revision and UpdatedAt.
func (db *DB) UpdateInitiativeTracking(ctx context.Context, in *domain.Initiative) error {
	if ps := trackingProblems(in); len(ps) > 0 {
		return ps
	}
	milestones, err := encodeMilestones(in.Milestones)
	if err != nil {
		return fmt.Errorf("store: track initiative %s: %w", in.ID, err)
	}
	at := now()
	var rev int64
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := lockPortfolio(ctx, tx, in.OrgID); err != nil {
			return err
		}
		var err error
		rev, err = updateRevisioned(ctx, tx, errInitiativeNotFound(), errInitiativeStale(), "initiatives",
			`UPDATE initiatives SET status = $4, rag = $5, milestones = $6, revision = revision + 1, updated_at = $7
			 WHERE id = $2 AND org_id = $1 AND revision = $3
			 RETURNING revision`,
			in.OrgID, in.ID, in.Revision, string(in.Status), string(in.RAG), milestones, tv(at))
		return err
	})
	if err != nil {
		return wrap(err, "track initiative %s", in.ID)
	}
	in.Revision, in.UpdatedAt = rev, at
	return nil
}

// Initiative returns one of the organisation's initiatives with its
// dependencies.
func (db *DB) Initiative(ctx context.Context, orgID, id string) (*domain.Initiative, error) {
	ins, err := db.initiatives(ctx, orgID, "AND i.id = $2", id)
	if err != nil {
		return nil, wrap(err, "find initiative %s", id)
	}
	return first(ins, errInitiativeNotFound())
}

// Initiatives lists the organisation's initiatives with their
// dependencies, oldest first.
func (db *DB) Initiatives(ctx context.Context, orgID string) ([]domain.Initiative, error) {
	ins, err := db.initiatives(ctx, orgID, "")
	if err != nil {
		return nil, wrap(err, "list initiatives of %s", orgID)
	}
	return ins, nil
}

func (db *DB) initiatives(ctx context.Context, orgID, where string, args ...any) ([]domain.Initiative, error) {
	var out []domain.Initiative
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = queryAll(ctx, tx, scanInitiative,
			`SELECT `+initiativeCols+` FROM initiatives i WHERE i.org_id = $1 `+where+`
			 ORDER BY i.created_at, i.id`, append([]any{orgID}, args...)...)
		if err != nil || len(out) == 0 {
			return err
		}
		edges, err := dependencyEdges(ctx, tx, orgID)
		if err != nil {
			return err
		}
		for i := range out {
			out[i].DependsOn = edges[out[i].ID]
		}
		return nil
	})
	return out, err
}

// DeleteInitiative deletes an initiative of the organisation, takes it out
// of every scenario's forced choices (by cascade), and increments the
// portfolio's revision. Returns ECONFLICT if other initiatives depend on
// it.
func (db *DB) DeleteInitiative(ctx context.Context, orgID, id string) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := lockPortfolio(ctx, tx, orgID); err != nil {
			return err
		}
		dependants, err := queryAll(ctx, tx, func(sc scanner, t *string) error { return sc.Scan(t) },
			`SELECT i.title FROM initiative_dependencies d JOIN initiatives i ON i.id = d.initiative_id
			 WHERE d.org_id = $1 AND d.depends_on = $2`, orgID, id)
		if err != nil {
			return err
		}
		switch len(dependants) {
		case 0:
		case 1:
			return domain.Errorf(domain.ECONFLICT, "The initiative cannot be deleted: %q depends on it. Remove that dependency first.", dependants[0])
		default:
			return domain.Errorf(domain.ECONFLICT, "The initiative cannot be deleted: %d initiatives depend on it. Remove those dependencies first.", len(dependants))
		}
		return exec1(ctx, tx, errInitiativeNotFound(), `DELETE FROM initiatives WHERE id = $2 AND org_id = $1`, orgID, id)
	})
	return wrap(err, "delete initiative %s", id)
}

// --- scenarios ---

var scenarioColumns = []string{"id", "org_id", "name", "description", "start_year", "end_year",
	"budget_default", "budget_years", "fte_capped", "fte_default", "fte_years", "scale_by_priority",
	"priority_workshop_id", "trend_weight", "result", "result_at", "result_revision", "revision",
	"created_by", "created_at", "updated_at"}

var scenarioCols = "s." + strings.Join(scenarioColumns, ", s.")

// scenarioJSON holds a scenario's maps, and its FTE caps, as stored.
type scenarioJSON struct {
	budgetYears, fteYears string
	fteCapped             bool
	fteDefault            int64
}

func encodeScenario(s *domain.Scenario) (scenarioJSON, error) {
	var j scenarioJSON
	var err error
	if j.budgetYears, err = jsonMap(s.Budget.Years); err != nil {
		return j, err
	}
	j.fteYears = "{}"
	if s.FTE != nil {
		j.fteCapped, j.fteDefault = true, int64(s.FTE.Default)
		j.fteYears, err = jsonMap(s.FTE.Years)
	}
	return j, err
}

func scanScenario(sc scanner, s *domain.Scenario) error {
	var j scenarioJSON
	var result string
	var resultAt *time.Time
	var resultRev sql.NullInt64
	err := sc.Scan(&s.ID, &s.OrgID, &s.Name, &s.Description, &s.StartYear, &s.EndYear,
		&s.Budget.Default, &j.budgetYears, &j.fteCapped, &j.fteDefault, &j.fteYears, &s.ScaleByPriority,
		scanNullStr(&s.PriorityWorkshopID), &s.TrendWeight, scanNullStr(&result), scanNullTime(&resultAt), &resultRev,
		&s.Revision, scanNullStr(&s.CreatedBy), scanTime(&s.CreatedAt), scanTime(&s.UpdatedAt))
	if err != nil {
		return err
	}
	if s.Budget.Years, err = parseMap[int, int64](j.budgetYears); err != nil {
		return fmt.Errorf("scenario %s: budget years: %w", s.ID, err)
	}
	s.FTE = nil
	if j.fteCapped {
		s.FTE = &domain.FTECaps{Default: domain.FTE(j.fteDefault)}
		if s.FTE.Years, err = parseMap[int, domain.FTE](j.fteYears); err != nil {
			return fmt.Errorf("scenario %s: FTE years: %w", s.ID, err)
		}
	}
	s.Result = nil
	if resultAt != nil {
		s.Result = &domain.ScenarioResult{Data: []byte(result), At: *resultAt, PortfolioRevision: resultRev.Int64}
	}
	return nil
}

// validScenario checks what the schema checks.
func validScenario(s *domain.Scenario) error {
	var ps domain.Problems
	if strings.TrimSpace(s.Name) == "" {
		ps = append(ps, domain.Problem{Field: "name", Message: "is required"})
	}
	if s.EndYear < s.StartYear {
		ps = append(ps, domain.Problem{Field: "end_year", Message: "must not be before the first year"})
	}
	if s.Budget.Default < 0 {
		ps = append(ps, domain.Problem{Field: "budget.default", Message: "cannot be negative"})
	}
	if s.FTE != nil && s.FTE.Default < 0 {
		ps = append(ps, domain.Problem{Field: "fte.default", Message: "cannot be negative"})
	}
	if s.TrendWeight < 0 || math.IsNaN(s.TrendWeight) {
		ps = append(ps, domain.Problem{Field: "trend_weight", Message: fmt.Sprintf("must be a number between 0 and %d", domain.MaxTrendWeight)})
	}
	for _, id := range slices.Sorted(maps.Keys(s.Forced)) {
		if f := s.Forced[id]; f != domain.ForceIn && f != domain.ForceOut {
			ps = append(ps, domain.Problem{Field: "forced." + id, Message: "must be in or out"})
		}
	}
	if len(ps) > 0 {
		return ps
	}
	return nil
}

func errNameTaken(name string) error {
	return domain.Errorf(domain.ECONFLICT, "A scenario with the name %q already exists.", name)
}

// priorityWorkshop returns EINVALID (a Problem at priority_workshop) unless
// the scenario's priority workshop is "" or the organisation's.
func priorityWorkshop(ctx context.Context, tx *sql.Tx, s *domain.Scenario) error {
	if s.PriorityWorkshopID == "" {
		return nil
	}
	err := workshopInOrg(ctx, tx, s.OrgID, s.PriorityWorkshopID)
	if domain.IsNotFound(err) {
		return domain.Problems{{Field: "priority_workshop", Message: "is not a workshop of this organisation"}}
	}
	return err
}

// writeForces replaces the forced choices of a scenario.
func writeForces(ctx context.Context, tx *sql.Tx, s *domain.Scenario, id string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM scenario_forces WHERE scenario_id = $1`, id); err != nil {
		return err
	}
	for _, ini := range slices.Sorted(maps.Keys(s.Forced)) {
		_, err := tx.ExecContext(ctx,
			`INSERT INTO scenario_forces (org_id, scenario_id, initiative_id, forced) VALUES ($1, $2, $3, $4)`,
			s.OrgID, id, ini, string(s.Forced[ini]))
		if isForeignKeyViolation(err) {
			return domain.Problems{{Field: "forced." + ini, Message: "is not an initiative of this organisation"}}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// CreateScenario stores a new scenario of s.OrgID, setting ID, Revision
// (1), CreatedAt and UpdatedAt; a Result is not stored (use
// SetScenarioResult). Returns ECONFLICT if the name is taken in the
// organisation; EINVALID (Problems at forced.<id> or priority_workshop)
// for a forced initiative or a priority workshop that is not the
// organisation's; ENOTFOUND for an organisation that does not exist.
func (db *DB) CreateScenario(ctx context.Context, s *domain.Scenario) error {
	if err := validScenario(s); err != nil {
		return err
	}
	j, err := encodeScenario(s)
	if err != nil {
		return fmt.Errorf("store: create scenario: %w", err)
	}
	id, at := newID(), now()
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		if err := priorityWorkshop(ctx, tx, s); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx,
			`INSERT INTO scenarios (`+strings.Join(scenarioColumns, ", ")+`)
			 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, NULL, NULL, NULL, 1, $15, $16, $16)`,
			id, s.OrgID, s.Name, s.Description, s.StartYear, s.EndYear, s.Budget.Default, j.budgetYears,
			j.fteCapped, j.fteDefault, j.fteYears, s.ScaleByPriority, nullStr(s.PriorityWorkshopID), s.TrendWeight,
			nullStr(s.CreatedBy), tv(at))
		switch {
		case isUniqueViolation(err):
			return errNameTaken(s.Name)
		case isForeignKeyViolation(err):
			return domain.Errorf(domain.ENOTFOUND, "Organisation, user or workshop not found.")
		case err != nil:
			return err
		}
		return writeForces(ctx, tx, s, id)
	})
	if err != nil {
		return wrap(err, "create scenario")
	}
	s.ID, s.Revision, s.CreatedAt, s.UpdatedAt, s.Result = id, 1, at, at, nil
	return nil
}

func errScenarioStale() error {
	return domain.Errorf(domain.ECONFLICT, "The scenario has been changed by someone else meanwhile; reload it and make your changes again.")
}

// UpdateScenario saves everything of a scenario but ID, OrgID, CreatedBy,
// CreatedAt and Result, when s.Revision is the stored revision (ECONFLICT
// otherwise). It clears the stored result, which was for the old
// assumptions, and sets Revision, UpdatedAt and Result (nil). Errors as
// for CreateScenario; ENOTFOUND unless the scenario is the organisation's.
func (db *DB) UpdateScenario(ctx context.Context, s *domain.Scenario) error {
	if err := validScenario(s); err != nil {
		return err
	}
	j, err := encodeScenario(s)
	if err != nil {
		return fmt.Errorf("store: update scenario %s: %w", s.ID, err)
	}
	at := now()
	var rev int64
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		rev, err = updateRevisioned(ctx, tx, errScenarioNotFound(), errScenarioStale(), "scenarios",
			`UPDATE scenarios SET name = $4, description = $5, start_year = $6, end_year = $7, budget_default = $8,
				budget_years = $9, fte_capped = $10, fte_default = $11, fte_years = $12, scale_by_priority = $13,
				trend_weight = $14, result = NULL, result_at = NULL, result_revision = NULL,
				revision = revision + 1, updated_at = $15
			 WHERE id = $2 AND org_id = $1 AND revision = $3
			 RETURNING revision`,
			s.OrgID, s.ID, s.Revision, s.Name, s.Description, s.StartYear, s.EndYear, s.Budget.Default,
			j.budgetYears, j.fteCapped, j.fteDefault, j.fteYears, s.ScaleByPriority, s.TrendWeight, tv(at))
		if isUniqueViolation(err) {
			return errNameTaken(s.Name)
		}
		if err != nil {
			return err
		}
		// Checked after the update so that another organisation's
		// scenario is ENOTFOUND whatever its workshop.
		if err := priorityWorkshop(ctx, tx, s); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE scenarios SET priority_workshop_id = $2 WHERE id = $1`, s.ID, nullStr(s.PriorityWorkshopID))
		if isForeignKeyViolation(err) {
			return domain.Errorf(domain.ENOTFOUND, "Organisation, user or workshop not found.")
		}
		if err != nil {
			return err
		}
		return writeForces(ctx, tx, s, s.ID)
	})
	if err != nil {
		return wrap(err, "update scenario %s", s.ID)
	}
	s.Revision, s.UpdatedAt, s.Result = rev, at, nil
	return nil
}

// SetScenarioResult stores r as the result of optimising the scenario at
// revision, truncating r.At to the microsecond (now when zero). Returns
// ECONFLICT if the scenario changed since that revision, EINVALID for an
// empty result, and ENOTFOUND unless the scenario is the organisation's.
// The scenario's Revision does not change.
func (db *DB) SetScenarioResult(ctx context.Context, orgID, id string, revision int64, r *domain.ScenarioResult) error {
	if len(r.Data) == 0 {
		return domain.Errorf(domain.EINVALID, "A scenario result cannot be empty.")
	}
	at := r.At.UTC().Truncate(time.Microsecond)
	if r.At.IsZero() {
		at = now()
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := updateRevisioned(ctx, tx, errScenarioNotFound(),
			domain.Errorf(domain.ECONFLICT, "The scenario has been changed since it was optimised; optimise it again."), "scenarios",
			`UPDATE scenarios SET result = $4, result_at = $5, result_revision = $6
			 WHERE id = $2 AND org_id = $1 AND revision = $3
			 RETURNING revision`,
			orgID, id, revision, string(r.Data), tv(at), r.PortfolioRevision)
		return err
	})
	if err != nil {
		return wrap(err, "set result of scenario %s", id)
	}
	r.At = at
	return nil
}

// Scenario returns one of the organisation's scenarios with its forced
// choices and result.
func (db *DB) Scenario(ctx context.Context, orgID, id string) (*domain.Scenario, error) {
	ss, err := db.scenarios(ctx, orgID, "AND s.id = $2", id)
	if err != nil {
		return nil, wrap(err, "find scenario %s", id)
	}
	return first(ss, errScenarioNotFound())
}

// Scenarios lists the organisation's scenarios with their forced choices
// and results, oldest first.
func (db *DB) Scenarios(ctx context.Context, orgID string) ([]domain.Scenario, error) {
	ss, err := db.scenarios(ctx, orgID, "")
	if err != nil {
		return nil, wrap(err, "list scenarios of %s", orgID)
	}
	return ss, nil
}

func (db *DB) scenarios(ctx context.Context, orgID, where string, args ...any) ([]domain.Scenario, error) {
	var out []domain.Scenario
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = queryAll(ctx, tx, scanScenario,
			`SELECT `+scenarioCols+` FROM scenarios s WHERE s.org_id = $1 `+where+`
			 ORDER BY s.created_at, s.id`, append([]any{orgID}, args...)...)
		if err != nil || len(out) == 0 {
			return err
		}
		pos := make(map[string]int, len(out))
		for i := range out {
			pos[out[i].ID] = i
		}
		frows, err := tx.QueryContext(ctx, `SELECT scenario_id, initiative_id, forced FROM scenario_forces WHERE org_id = $1`, orgID)
		if err != nil {
			return err
		}
		defer frows.Close()
		for frows.Next() {
			var sid, iid, f string
			if err := frows.Scan(&sid, &iid, &f); err != nil {
				return err
			}
			i, ok := pos[sid]
			if !ok {
				continue
			}
			if out[i].Forced == nil {
				out[i].Forced = map[string]domain.Force{}
			}
			out[i].Forced[iid] = domain.Force(f)
		}
		return frows.Err()
	})
	return out, err
}

// DeleteScenario deletes one of the organisation's scenarios.
func (db *DB) DeleteScenario(ctx context.Context, orgID, id string) error {
	err := exec1(ctx, db.write, errScenarioNotFound(), `DELETE FROM scenarios WHERE id = $2 AND org_id = $1`, orgID, id)
	return wrap(err, "delete scenario %s", id)
}
