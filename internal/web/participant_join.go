package web

import (
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/ratelimit"
	"github.com/waymark/waymark/internal/workshop"
)

// joinData is the join page: the code as typed and what is wrong with it.
type joinData struct {
	Code  string
	Error string
}

// joinWorkshopData is the page that joins one workshop.
type joinWorkshopData struct {
	Workshop    *domain.Workshop
	Code        string // formatted for reading: ABCD-EFGH
	Group       string
	DisplayName string
	Problems    map[string]string
	NotOpen     string // why the workshop cannot be joined now
}

func (p *participantPages) joinForm(w http.ResponseWriter, r *http.Request, c *call) error {
	return p.render(w, c, http.StatusOK, "join", c.T("join.title"), joinData{})
}

// joinCode takes the typed code and sends the browser to that workshop's
// join page, or shows the form again with what is wrong.
func (p *participantPages) joinCode(w http.ResponseWriter, r *http.Request, c *call) error {
	typed := strings.TrimSpace(r.PostFormValue("code"))
	if typed == "" {
		return p.render(w, c, http.StatusUnprocessableEntity, "join", c.T("join.title"), joinData{Error: c.T("join.error_empty")})
	}
	ws, done, err := p.lookUp(w, r, c, typed)
	if done || err != nil {
		return err
	}
	return redirect(w, r, "/join/"+ws.Code)
}

// lookUp finds the workshop of a join code, counting wrong codes against
// the client's address. When it has answered the request itself (too many
// wrong codes, or an unknown code) it returns done.
func (p *participantPages) lookUp(w http.ResponseWriter, r *http.Request, c *call, typed string) (*domain.Workshop, bool, error) {
	addr, now := ratelimit.ClientAddress(r), p.now()
	if blocked, wait := p.joins.Blocked(addr, now); blocked {
		secs := max(1, int(math.Ceil(wait.Seconds())))
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		return nil, true, p.render(w, c, http.StatusTooManyRequests, "join", c.T("join.title"),
			joinData{Code: typed, Error: c.T("join.error_too_many", "Count", secs)})
	}
	ws, err := p.s.svc.WorkshopByCode(r.Context(), typed)
	if domain.IsNotFound(err) {
		p.joins.Bad(addr, now)
		status := http.StatusUnprocessableEntity
		if r.Method == http.MethodGet {
			status = http.StatusNotFound
		}
		return nil, true, p.render(w, c, status, "join", c.T("join.title"), joinData{Code: typed, Error: c.T(codeProblem(typed))})
	}
	if err != nil {
		return nil, true, err
	}
	return ws, false, nil
}

// codeProblem says what is wrong with a code that opens nothing: the message
// id of the most helpful explanation.
func codeProblem(typed string) string {
	n := 0
	for _, r := range typed {
		switch {
		case strings.ContainsRune("0Oo1IiLl", r):
			return "join.error_lookalike"
		case r < 0x80 && (r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9'):
			n++
		}
	}
	if n != workshop.CodeLen {
		return "join.error_length"
	}
	return "join.error_unknown"
}

// joinWorkshopForm shows the workshop a code opens, to choose a group. A
// browser that has already joined it goes straight back to its screen.
func (p *participantPages) joinWorkshopForm(w http.ResponseWriter, r *http.Request, c *call) error {
	ws, done, err := p.lookUp(w, r, c, r.PathValue("code"))
	if done || err != nil {
		return err
	}
	if r.PathValue("code") != ws.Code {
		// Typed or pasted by hand ("abcd-efgh"): use the one address.
		return redirect(w, r, "/join/"+ws.Code)
	}
	c.lang = participantLang(r, ws)
	if p.resumes(r, ws) {
		return redirect(w, r, "/w/"+ws.ID)
	}
	d := joinWorkshopData{Workshop: ws, Code: workshop.FormatCode(ws.Code)}
	status := http.StatusOK
	if !ws.Phase.Joinable() {
		d.NotOpen, status = c.T("join.not_open"), http.StatusConflict
	}
	return p.render(w, c, status, "join_workshop", ws.Title, d)
}

// join adds the browser as a participant of the workshop and keeps its token
// in a cookie; a browser that already joined it resumes instead.
func (p *participantPages) join(w http.ResponseWriter, r *http.Request, c *call) error {
	ws, done, err := p.lookUp(w, r, c, r.PathValue("code"))
	if done || err != nil {
		return err
	}
	c.lang = participantLang(r, ws)
	if p.resumes(r, ws) {
		return redirect(w, r, "/w/"+ws.ID)
	}
	group, name := r.PostFormValue("group"), r.PostFormValue("display_name")
	secret, _, _, err := p.s.svc.Join(r.Context(), ws.Code, group, name)
	d := joinWorkshopData{Workshop: ws, Code: workshop.FormatCode(ws.Code), Group: group, DisplayName: name}
	if ps, ok := asProblems(err); ok {
		d.Problems = c.problemMap(ps)
		return p.render(w, c, http.StatusUnprocessableEntity, "join_workshop", ws.Title, d)
	}
	if domain.ErrorCode(err) == domain.ECONFLICT {
		d.NotOpen = c.errorMessage(err)
		return p.render(w, c, http.StatusConflict, "join_workshop", ws.Title, d)
	}
	if err != nil {
		return err
	}
	p.setParticipantCookies(w, ws, secret)
	return redirect(w, r, "/w/"+ws.ID)
}

// resumes reports whether the request carries a valid token of the
// workshop (set on the join path when the browser joined).
func (p *participantPages) resumes(r *http.Request, ws *domain.Workshop) bool {
	for _, ck := range r.CookiesNamed(participantCookie) {
		if !workshop.ValidToken(ck.Value) {
			continue
		}
		if _, _, err := p.s.svc.Participant(r.Context(), ws.ID, ck.Value); err == nil {
			return true
		}
	}
	return false
}
