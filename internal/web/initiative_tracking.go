package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/service"
)

// pfBlankMilestones is how many empty milestone rows the tracking form
// offers; "More rows" adds as many again, without JavaScript.
const pfBlankMilestones = 3

// pfMilestoneRow is one milestone row of the tracking form.
type pfMilestoneRow struct {
	Row      int
	Title    string
	Due      string
	Done     bool
	Remove   bool
	Existing bool // a saved milestone, which can be removed
}

// pfTrackPage is the tracking form of an initiative: status, RAG and
// milestones.
type pfTrackPage struct {
	In       *domain.Initiative
	Revision int64
	Statuses []option
	RAGs     []option
	Rows     []pfMilestoneRow
	Errors   []pfError
	Problems map[string]string
	Stale    bool
}

func (d *pfTrackPage) addBlankRows() {
	for range pfBlankMilestones {
		d.Rows = append(d.Rows, pfMilestoneRow{Row: len(d.Rows)})
	}
}

func (s *Server) initiativeTrackForm(w http.ResponseWriter, r *http.Request, c *call) error {
	if !c.actor.Role.CanEditPortfolio() {
		return errPortfolioForbidden()
	}
	in, err := s.svc.Initiative(r.Context(), c.actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	d := &pfTrackPage{In: in, Revision: in.Revision, Statuses: c.pfStatusOptions(string(in.Status)), RAGs: c.pfRAGOptions(string(in.RAG))}
	for i, m := range in.Milestones {
		d.Rows = append(d.Rows, pfMilestoneRow{Row: i, Title: m.Title, Due: m.Due, Done: m.Done, Existing: true})
	}
	d.addBlankRows()
	return s.render(w, c, http.StatusOK, "initiative_track", c.T("portfolio.track.title", "Title", in.Title), d)
}

// readMilestones reads the milestone rows: rows removed and empty new rows
// are left out; rowOf[i] is the row of milestones[i].
func readMilestones(f url.Values) (rows []pfMilestoneRow, ms []domain.Milestone, rowOf []int) {
	for i := range pfRows(f) {
		at := func(name string) string { return f.Get(fmt.Sprintf("m%d-%s", i, name)) }
		row := pfMilestoneRow{Row: i, Title: at("title"), Due: at("due"), Done: at("done") != "", Remove: at("remove") != "",
			Existing: at("existing") != ""}
		rows = append(rows, row)
		if row.Remove || !row.Existing && strings.TrimSpace(row.Title) == "" && strings.TrimSpace(row.Due) == "" && !row.Done {
			continue
		}
		ms = append(ms, domain.Milestone{Title: row.Title, Due: row.Due, Done: row.Done})
		rowOf = append(rowOf, i)
	}
	return rows, ms, rowOf
}

func (s *Server) initiativeTrack(w http.ResponseWriter, r *http.Request, c *call) error {
	if !c.actor.Role.CanEditPortfolio() {
		return errPortfolioForbidden()
	}
	old, err := s.svc.Initiative(r.Context(), c.actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	f := r.PostForm
	rows, ms, rowOf := readMilestones(f)
	rev, _ := strconv.ParseInt(f.Get("revision"), 10, 64)
	t := service.InitiativeTracking{ID: old.ID, Revision: rev, Status: domain.InitiativeStatus(f.Get("status")),
		RAG: domain.RAG(f.Get("rag")), Milestones: ms}
	d := &pfTrackPage{In: old, Revision: rev, Statuses: c.pfStatusOptions(string(t.Status)), RAGs: c.pfRAGOptions(string(t.RAG)), Rows: rows}
	if f.Get("more") != "" {
		// More empty rows: nothing is saved yet.
		d.addBlankRows()
		return s.render(w, c, http.StatusOK, "initiative_track", c.T("portfolio.track.title", "Title", old.Title), d)
	}
	_, err = s.svc.TrackInitiative(r.Context(), c.actor, t)
	status := http.StatusUnprocessableEntity
	ps, ok := asProblems(err)
	if !ok && domain.ErrorCode(err) == domain.ECONFLICT {
		ps, status, d.Stale = domain.Problems{{Message: domain.ErrorMessage(err)}}, http.StatusConflict, true
	} else if !ok && err != nil {
		return err
	}
	if len(ps) > 0 {
		order := []string{"status", "rag"}
		for _, r := range rows {
			order = append(order, fmt.Sprintf("m%d-title", r.Row), fmt.Sprintf("m%d-due", r.Row))
		}
		d.Errors, d.Problems = c.pfErrors(ps, pfTrackField(rowOf), c.pfTrackLabel, order)
		if len(rows) == 0 || rows[len(rows)-1].Existing {
			d.addBlankRows()
		}
		return s.render(w, c, status, "initiative_track", c.T("portfolio.track.title", "Title", old.Title), d)
	}
	c.setFlash(c.T("portfolio.track.saved"))
	return redirect(w, r, c.orgPath("/initiatives/%s", old.ID))
}

// pfTrackField maps a tracking problem to its input.
func pfTrackField(rowOf []int) func(string) string {
	return func(field string) string {
		switch field {
		case "status", "rag":
			return field
		case "":
			return ""
		}
		var i int
		var rest string
		if _, err := fmt.Sscanf(field, "milestones[%d].%s", &i, &rest); err == nil && i >= 0 && i < len(rowOf) {
			if rest == "due" {
				return fmt.Sprintf("m%d-due", rowOf[i])
			}
			return fmt.Sprintf("m%d-title", rowOf[i])
		}
		return "milestones"
	}
}

func (c *call) pfTrackLabel(id string) string {
	switch id {
	case "status", "rag", "milestones":
		return c.T("portfolio.f." + id)
	}
	var row int
	var input string
	if _, err := fmt.Sscanf(id, "m%d-%s", &row, &input); err == nil {
		return c.T("portfolio.track.milestone_n", "Number", row+1) + ", " + c.T("portfolio.track.f."+input)
	}
	return id
}

// pfTrackingRow is one initiative of the tracking overview.
type pfTrackingRow struct {
	ID      string
	Title   string
	Owner   string
	Status  string
	Active  bool // in progress, rather than approved
	RAG     pfRAG
	Next    *pfMilestone
	Overdue []pfMilestone
	Done    int
	Total   int
}

// pfTrackingPage is the tracking overview: the approved initiatives and
// those in progress.
type pfTrackingPage struct {
	Rows    []pfTrackingRow
	Today   string
	CanEdit bool
	Overdue int // initiatives with an overdue milestone
}

// pfNextMilestone is the milestone not done that is due first; without
// dates, the first not done.
func pfNextMilestone(ms []pfMilestone) *pfMilestone {
	var next *pfMilestone
	for i := range ms {
		m := &ms[i]
		if m.Done {
			continue
		}
		switch {
		case next == nil:
			next = m
		case m.Due != "" && (next.Due == "" || m.Due < next.Due):
			next = m
		}
	}
	return next
}

func (s *Server) portfolioTracking(w http.ResponseWriter, r *http.Request, c *call) error {
	ins, err := s.svc.Initiatives(r.Context(), c.actor)
	if err != nil {
		return err
	}
	d := &pfTrackingPage{Today: s.pfToday(), CanEdit: c.actor.Role.CanEditPortfolio()}
	for i := range ins {
		in := &ins[i]
		if in.Status != domain.StatusApproved && in.Status != domain.StatusInProgress {
			continue
		}
		ms := pfMilestones(in.Milestones, d.Today)
		row := pfTrackingRow{ID: in.ID, Title: in.Title, Owner: in.Owner, Status: c.T("portfolio.status." + string(in.Status)),
			Active: in.Status == domain.StatusInProgress, RAG: c.pfRAGTag(in.RAG), Next: pfNextMilestone(ms), Total: len(ms)}
		for _, m := range ms {
			if m.Done {
				row.Done++
			}
			if m.Overdue {
				row.Overdue = append(row.Overdue, m)
			}
		}
		if len(row.Overdue) > 0 {
			d.Overdue++
		}
		d.Rows = append(d.Rows, row)
	}
	// In progress first, then approved; within each, the organisation's
	// order.
	slices.SortStableFunc(d.Rows, func(a, b pfTrackingRow) int {
		rank := func(r pfTrackingRow) int {
			if r.Active {
				return 0
			}
			return 1
		}
		return rank(a) - rank(b)
	})
	return s.render(w, c, http.StatusOK, "portfolio_tracking", c.T("portfolio.tracking.title"), d)
}
