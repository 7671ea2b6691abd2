package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/service"
)

// Steps of a participant's screen: the live phases, and two for
// asynchronous rounds outside their dates.
const (
	stepLobby        = "lobby"
	stepRating       = "rating"
	stepTensions     = "tensions"
	stepConsequences = "consequences"
	stepVoting       = "voting"
	stepClosed       = "closed"
	stepWaiting      = "waiting" // async, before it opens
	stepEnded        = "ended"   // async, after it closes
)

// participantView is a participant's screen. The page template renders it
// inside the layout; with ?fragment=1 only the screen is sent, for
// participant.js to swap in when the phase changes.
type participantView struct {
	Workshop    *domain.Workshop
	Base        string // /w/{id}
	Title       string // the page's title
	Step        string
	Steps       []stepLink // async rounds: the parts to move between
	Async       bool
	Open        bool // input is taken now
	Group       domain.Text
	DisplayName string
	OpensAt     string // async rounds before they open: when they do
	Error       string // a problem from the last action, in the page's language
	Saved       string // what the last action saved (without JavaScript)

	Rating   *ratingScreen
	Tensions []tensionItem
	Ideas    *ideasScreen
	Voting   *votingScreen
	Results  *resultsView
}

// stepLink is one part of an asynchronous round in its navigation.
type stepLink struct {
	Step    string
	Href    string
	Current bool
}

// screenInput is what the participant sent in a form that was refused: it
// is shown again, with the problems, instead of what is saved.
type screenInput struct {
	answers       map[string]*int   // "trend:question" → value (nil: don't know)
	answerErrors  map[string]string // "trend:question" → message
	tension       string
	tensionNow    int
	tensionWant   int
	tensionErrors map[string]string // now, want, tension → message
	ideaTrend     string
	ideaText      string
	ideaError     string
	dots          map[string]int
	dotsError     string
}

// participantStep decides the screen: in a live workshop the facilitator's
// phase; in an asynchronous round the part asked for while it is open.
func participantStep(ws *domain.Workshop, now time.Time, asked string) (step string, steps []string, open bool) {
	if ws.Mode == domain.Async {
		switch {
		case ws.Phase == domain.PhaseClosed:
			return stepClosed, nil, false
		case ws.Phase == domain.PhaseDraft || ws.OpensAt == nil || now.Before(*ws.OpensAt):
			return stepWaiting, nil, false
		case ws.ClosesAt == nil || !now.Before(*ws.ClosesAt):
			return stepEnded, nil, false
		}
		steps = []string{stepRating}
		if len(ws.Tensions) > 0 {
			steps = append(steps, stepTensions)
		}
		steps = append(steps, stepConsequences, stepVoting)
		if !slices.Contains(steps, asked) {
			asked = stepRating
		}
		return asked, steps, true
	}
	switch ws.Phase {
	case domain.PhaseDraft, domain.PhaseLobby:
		return stepLobby, nil, false
	case domain.PhaseClosed:
		return stepClosed, nil, false
	}
	return string(ws.Phase), nil, true
}

// screen builds the participant's screen for the request's query: step
// (async rounds), i (which trend, from 1), view (list, done), saved.
func (p *participantPages) screen(r *http.Request, c *call, ws *domain.Workshop, part *domain.Participant, q url.Values, in *screenInput) (*participantView, error) {
	ctx := r.Context()
	if in == nil {
		in = &screenInput{}
	}
	v := &participantView{Workshop: ws, Base: "/w/" + ws.ID, Title: ws.Title, Async: ws.Mode == domain.Async,
		DisplayName: part.DisplayName}
	for _, g := range ws.Groups {
		if g.Key == part.Group {
			v.Group = g.Name
		}
	}
	var steps []string
	v.Step, steps, v.Open = participantStep(ws, p.s.svc.Now(), q.Get("step"))
	if v.Step == stepWaiting && ws.OpensAt != nil {
		v.OpensAt = ws.OpensAt.UTC().Format("2006-01-02 15:04") + " UTC"
	}
	for _, s := range steps {
		v.Steps = append(v.Steps, stepLink{Step: s, Href: v.Base + "?step=" + s, Current: s == v.Step})
	}
	if saved := q.Get("saved"); saved != "" && slices.Contains([]string{"answers", "tension", "idea", "dots"}, saved) {
		v.Saved = c.T("participant.saved." + saved)
	}
	var content *domain.Version
	var st *service.ParticipantState
	if v.Open {
		var err error
		if content, err = p.s.svc.WorkshopContent(ctx, ws); err != nil {
			return nil, err
		}
		if st, err = p.s.svc.State(ctx, ws, part); err != nil {
			return nil, err
		}
	}
	switch v.Step {
	case stepRating:
		v.Rating = p.ratingScreen(c, ws, content, st, q, in)
		v.Title = c.T("participant.rating.title") + " – " + ws.Title
	case stepTensions:
		v.Tensions = p.tensionItems(c, ws, content, st, q, in)
		v.Title = c.T("participant.tensions.title") + " – " + ws.Title
	case stepConsequences:
		ideas, err := p.s.svc.VisibleIdeas(ctx, ws.ID)
		if err != nil {
			return nil, err
		}
		v.Ideas = p.ideasScreen(ws, part, content, st, ideas, q, in)
		v.Title = c.T("participant.ideas.title") + " – " + ws.Title
	case stepVoting:
		ideas, err := p.s.svc.VisibleIdeas(ctx, ws.ID)
		if err != nil {
			return nil, err
		}
		v.Voting = p.votingScreen(ws, content, st, ideas, in)
		v.Title = c.T("participant.voting.title") + " – " + ws.Title
	}
	if ws.ShowResults {
		res, err := p.results(r, c, ws)
		if err != nil {
			return nil, err
		}
		v.Results = res
	}
	return v, nil
}

// show is a participant's screen for the workshop's current phase.
func (p *participantPages) show(w http.ResponseWriter, r *http.Request, c *call) error {
	ws, part, _, err := p.participant(r, c, r.PathValue("id"))
	if err != nil {
		return err
	}
	v, err := p.screen(r, c, ws, part, r.URL.Query(), nil)
	if err != nil {
		return err
	}
	return p.renderScreen(w, r, c, http.StatusOK, v)
}

// renderScreen writes the participant's page, or with ?fragment=1 only the
// screen inside it, for participant.js to swap in.
func (p *participantPages) renderScreen(w http.ResponseWriter, r *http.Request, c *call, status int, v *participantView) error {
	if r.URL.Query().Get("fragment") != "1" {
		return p.render(w, c, status, "participant_page", v.Title, v)
	}
	t, ok := p.s.pages.byLang[c.lang]["participant_page"]
	if !ok {
		return fmt.Errorf("web: no participant page")
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "participant_screen", v); err != nil {
		return fmt.Errorf("web: render participant screen: %w", err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Language", c.lang)
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// ---------------------------------------------------------------------------
// Rating: one trend per screen, or all in a list
// ---------------------------------------------------------------------------

type ratingScreen struct {
	List     bool
	Done     bool // the summary after the last trend
	Index    int  // the trend shown, from 1
	Total    int
	Answered int           // trends with every question answered
	Trends   []ratingTrend // the one shown, or all in the list view
	All      []ratingTrend // every trend, without questions: for the summary
	Prev     int           // 0: none
	Next     int           // 0: none
	Errors   []string      // problems that belong to no question on the screen
}

type ratingTrend struct {
	Index     int
	Trend     domain.Trend
	Complete  bool
	Questions []ratingQuestion
}

type ratingQuestion struct {
	Name     string // the form field: a:TREND:QUESTION
	ID       string // the prefix of the inputs' ids
	Label    domain.Text
	Help     domain.Text
	Options  []ratingOption
	DontKnow bool // "don't know" is chosen
	Error    string
}

type ratingOption struct {
	Value   int
	Label   string
	Checked bool
}

// answerKey names one answer in forms and in problem maps.
func answerKey(trend, question string) string { return trend + ":" + question }

func (p *participantPages) ratingScreen(c *call, ws *domain.Workshop, content *domain.Version, st *service.ParticipantState, q url.Values, in *screenInput) *ratingScreen {
	given := map[string]*int{}
	answered := map[string]bool{}
	for _, a := range st.Answers {
		k := answerKey(a.TrendKey, a.QuestionKey)
		given[k], answered[k] = a.Value, true
	}
	for k, val := range in.answers {
		given[k], answered[k] = val, true
	}
	rs := &ratingScreen{Total: len(ws.TrendKeys), List: q.Get("view") == "list"}
	complete := func(trend string) bool {
		for _, qu := range ws.Questions {
			if !answered[answerKey(trend, qu.Key)] {
				return false
			}
		}
		return true
	}
	firstOpen := 0
	for i, key := range ws.TrendKeys {
		t, _ := content.Trend(key)
		rt := ratingTrend{Index: i + 1, Trend: t, Complete: complete(key)}
		if rt.Complete {
			rs.Answered++
		} else if firstOpen == 0 {
			firstOpen = i + 1
		}
		rs.All = append(rs.All, rt)
	}
	used := map[string]bool{}
	build := func(rt ratingTrend) ratingTrend {
		for _, qu := range ws.Questions {
			k := answerKey(rt.Trend.Key, qu.Key)
			used[k] = true
			rq := ratingQuestion{Name: "a:" + k, ID: "a-" + rt.Trend.Key + "-" + qu.Key, Label: qu.Label, Help: qu.Help,
				Error: in.answerErrors[k]}
			val, ok := given[k], answered[k]
			rq.DontKnow = ok && val == nil
			for n := qu.Min; n <= qu.Max; n++ {
				rq.Options = append(rq.Options, ratingOption{Value: n, Label: qu.ValueLabel(n, c.lang), Checked: ok && val != nil && *val == n})
			}
			rt.Questions = append(rt.Questions, rq)
		}
		return rt
	}
	switch {
	case rs.List:
		for _, rt := range rs.All {
			rs.Trends = append(rs.Trends, build(rt))
		}
	case q.Get("view") == "done" || (q.Get("i") == "" && firstOpen == 0 && rs.Total > 0):
		rs.Done = true
	default:
		i, err := strconv.Atoi(q.Get("i"))
		if err != nil {
			i = max(firstOpen, 1)
		}
		i = min(max(i, 1), rs.Total)
		rs.Index = i
		if rs.Total > 0 {
			rs.Trends = []ratingTrend{build(rs.All[i-1])}
		}
		if i > 1 {
			rs.Prev = i - 1
		}
		if i < rs.Total {
			rs.Next = i + 1
		}
	}
	for k, msg := range in.answerErrors {
		if !used[k] {
			rs.Errors = append(rs.Errors, msg)
		}
	}
	slices.Sort(rs.Errors)
	return rs
}

// ---------------------------------------------------------------------------
// Fields of tension: two sliders each
// ---------------------------------------------------------------------------

type tensionItem struct {
	Key         string
	Name        domain.Text
	Description domain.Text
	PoleA       domain.Text
	PoleB       domain.Text
	Now         int
	Want        int
	NowText     string // the positions in words, for screen readers
	WantText    string
	Placed      bool // saved before
	JustSaved   bool
	Errors      map[string]string
}

func (p *participantPages) tensionItems(c *call, ws *domain.Workshop, content *domain.Version, st *service.ParticipantState, q url.Values, in *screenInput) []tensionItem {
	saved := map[string]domain.TensionPosition{}
	for _, pos := range st.Tensions {
		saved[pos.TensionKey] = pos
	}
	byKey := map[string]domain.Tension{}
	for _, t := range content.Tensions {
		byKey[t.Key] = t
	}
	var out []tensionItem
	for _, key := range ws.Tensions {
		t := byKey[key]
		it := tensionItem{Key: key, Name: t.Name, Description: t.Description, PoleA: t.PoleA, PoleB: t.PoleB}
		if pos, ok := saved[key]; ok {
			it.Now, it.Want, it.Placed = pos.Now, pos.Want, true
		}
		if in.tension == key {
			it.Now, it.Want, it.Errors = in.tensionNow, in.tensionWant, in.tensionErrors
		}
		it.JustSaved = q.Get("saved") == "tension" && q.Get("t") == key
		it.NowText, it.WantText = sliderText(c, it.Now, t), sliderText(c, it.Want, t)
		out = append(out, it)
	}
	return out
}

// ---------------------------------------------------------------------------
// Consequences and ideas: one trend per screen
// ---------------------------------------------------------------------------

type ideasScreen struct {
	Index  int
	Total  int
	Trend  domain.Trend
	Ideas  []ideaItem
	Prev   int
	Next   int
	Text   string // an idea that was refused, to correct
	Error  string
	Trends []ideaTrendLink
}

type ideaItem struct {
	ID      string
	Text    string
	Upvotes int
	Upvoted bool
	Own     bool
}

type ideaTrendLink struct {
	Index   int
	Trend   domain.Trend
	Ideas   int
	Current bool
}

func (p *participantPages) ideasScreen(ws *domain.Workshop, part *domain.Participant, content *domain.Version, st *service.ParticipantState, ideas []domain.Idea, q url.Values, in *screenInput) *ideasScreen {
	is := &ideasScreen{Total: len(ws.TrendKeys)}
	i, err := strconv.Atoi(q.Get("i"))
	if err != nil {
		i = 1
	}
	if in.ideaTrend != "" {
		if n := slices.Index(ws.TrendKeys, in.ideaTrend); n >= 0 {
			i = n + 1
		}
		is.Text, is.Error = in.ideaText, in.ideaError
	}
	if is.Total == 0 {
		return is
	}
	i = min(max(i, 1), is.Total)
	is.Index = i
	if i > 1 {
		is.Prev = i - 1
	}
	if i < is.Total {
		is.Next = i + 1
	}
	is.Trend, _ = content.Trend(ws.TrendKeys[i-1])
	upvoted := map[string]bool{}
	for _, id := range st.Upvotes {
		upvoted[id] = true
	}
	counts := map[string]int{}
	for _, idea := range ideas {
		counts[idea.TrendKey]++
		if idea.TrendKey == is.Trend.Key {
			is.Ideas = append(is.Ideas, ideaItem{ID: idea.ID, Text: idea.Text, Upvotes: idea.Upvotes,
				Upvoted: upvoted[idea.ID], Own: idea.ParticipantID == part.ID})
		}
	}
	for n, key := range ws.TrendKeys {
		t, _ := content.Trend(key)
		is.Trends = append(is.Trends, ideaTrendLink{Index: n + 1, Trend: t, Ideas: counts[key], Current: n+1 == i})
	}
	return is
}

// ---------------------------------------------------------------------------
// Voting: dots on ideas
// ---------------------------------------------------------------------------

type votingScreen struct {
	Dots   int // to place in all
	Used   int // placed now
	Groups []votingGroup
	Error  string
}

type votingGroup struct {
	Trend domain.Trend
	Ideas []votingIdea
}

type votingIdea struct {
	ID   string
	Text string
	Dots int
}

func (p *participantPages) votingScreen(ws *domain.Workshop, content *domain.Version, st *service.ParticipantState, ideas []domain.Idea, in *screenInput) *votingScreen {
	vs := &votingScreen{Dots: ws.Dots, Error: in.dotsError}
	placed := st.Dots
	if in.dots != nil {
		placed = in.dots
	}
	byTrend := map[string][]votingIdea{}
	for _, idea := range ideas {
		n := placed[idea.ID]
		vs.Used += n
		byTrend[idea.TrendKey] = append(byTrend[idea.TrendKey], votingIdea{ID: idea.ID, Text: idea.Text, Dots: n})
	}
	for _, key := range ws.TrendKeys {
		if len(byTrend[key]) == 0 {
			continue
		}
		t, _ := content.Trend(key)
		vs.Groups = append(vs.Groups, votingGroup{Trend: t, Ideas: byTrend[key]})
	}
	return vs
}

// sliderText says a position on a field of tension in words: "−40, towards
// Local autonomy". participant.js keeps it up to date as the slider moves.
func sliderText(c *call, v int, t domain.Tension) string {
	switch {
	case v < 0:
		return c.T("participant.tensions.towards", "Value", v, "Pole", t.PoleA.String(c.lang))
	case v > 0:
		return c.T("participant.tensions.towards", "Value", v, "Pole", t.PoleB.String(c.lang))
	}
	return c.T("participant.tensions.middle")
}
