package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/httperr"
	"github.com/waymark/waymark/internal/service"
)

// fetchHeader marks a request made by participant.js, which wants a short
// JSON answer instead of a redirect or a page.
const fetchHeader = "X-Waymark-Fetch"

// fetchResult is the JSON answer to participant.js.
type fetchResult struct {
	OK      bool              `json:"ok"`
	Message string            `json:"message"`
	Errors  map[string]string `json:"errors,omitempty"`
	// Reload says the screen is out of date (the phase moved on): fetch it
	// again.
	Reload bool `json:"reload,omitempty"`
}

func isFetch(r *http.Request) bool { return r.Header.Get(fetchHeader) == "1" }

func writeFetch(w http.ResponseWriter, status int, res fetchResult) error {
	b, err := json.Marshal(res)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err = w.Write(b)
	return err
}

// screenQuery is the query of the screen a form came from: its step (in
// asynchronous rounds), trend index and view.
func screenQuery(r *http.Request, step string) url.Values {
	q := url.Values{}
	if s := r.PostFormValue("step"); s != "" {
		q.Set("step", s)
	} else if step != "" {
		q.Set("step", step)
	}
	for _, k := range []string{"i", "view"} {
		if v := r.PostFormValue(k); v != "" {
			q.Set(k, v)
		}
	}
	return q
}

// screenURL is the address of a participant's screen with a query and an
// optional fragment. The step is kept only for asynchronous rounds, where
// it chooses the screen.
func screenURL(ws *domain.Workshop, q url.Values, fragment string) string {
	if ws.Mode != domain.Async {
		q.Del("step")
	}
	u := "/w/" + ws.ID
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	if fragment != "" {
		u += "#" + fragment
	}
	return u
}

// refused answers an action the service refused: with JavaScript a JSON
// message; without, the screen again with the problem on it, in the status
// that fits (422 for input problems, 409 when the phase has moved on).
func (p *participantPages) refused(w http.ResponseWriter, r *http.Request, c *call, ws *domain.Workshop, part *domain.Participant,
	q url.Values, in *screenInput, err error, fieldErrors map[string]string) error {
	status := httperr.StatusOf(err)
	msg := c.errorMessage(err)
	if ps, ok := asProblems(err); ok {
		status, msg = http.StatusUnprocessableEntity, c.T("participant.error.problems")
		if len(ps) == 1 {
			msg = c.s.cat.Message(c.lang, ps[0].Message)
		}
	}
	if status == http.StatusInternalServerError || status == http.StatusTooManyRequests {
		return err
	}
	conflict := status == http.StatusConflict
	if isFetch(r) {
		return writeFetch(w, status, fetchResult{Message: msg, Errors: fieldErrors, Reload: conflict})
	}
	if conflict {
		// The phase has moved on: show the screen as it is now.
		q, in = url.Values{"step": {q.Get("step")}}, nil
	}
	v, verr := p.screen(r, c, ws, part, q, in)
	if verr != nil {
		return verr
	}
	v.Error = msg
	return p.render(w, c, status, "participant_page", v.Title, v)
}

// saved answers a successful action: with JavaScript a JSON message;
// without, a redirect to the screen to show next.
func (p *participantPages) saved(w http.ResponseWriter, r *http.Request, c *call, msgID, to string) error {
	if isFetch(r) {
		return writeFetch(w, http.StatusOK, fetchResult{OK: true, Message: c.T(msgID)})
	}
	return redirect(w, r, to)
}

// ---------------------------------------------------------------------------
// Ratings
// ---------------------------------------------------------------------------

// parseAnswers reads the answers of a rating form: fields a:TREND:QUESTION
// with a value of the scale or "dk" for "don't know". Keys come back in
// the order of the answers, for matching problems to fields.
func parseAnswers(form url.Values) ([]service.AnswerInput, []string, map[string]string) {
	var names []string
	for name := range form {
		if strings.HasPrefix(name, "a:") {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	var in []service.AnswerInput
	var keys []string
	bad := map[string]string{}
	for _, name := range names {
		trend, question, _ := strings.Cut(strings.TrimPrefix(name, "a:"), ":")
		raw := strings.TrimSpace(form.Get(name))
		var val *int
		if raw != "dk" {
			n, err := strconv.Atoi(raw)
			if err != nil {
				bad[answerKey(trend, question)] = fmt.Sprintf("%q is not a value of this question", raw)
				continue
			}
			val = &n
		}
		in = append(in, service.AnswerInput{Trend: trend, Question: question, Value: val})
		keys = append(keys, answerKey(trend, question))
	}
	return in, keys, bad
}

// saveAnswers saves the answers of one trend (or of all, from the list
// view) and goes on to the next trend. participant.js posts each change as
// it is made.
func (p *participantPages) saveAnswers(w http.ResponseWriter, r *http.Request, c *call) error {
	ws, part, _, err := p.participant(r, c, r.PathValue("id"))
	if err != nil {
		return err
	}
	q := screenQuery(r, stepRating)
	in, keys, bad := parseAnswers(r.PostForm)
	if len(bad) > 0 {
		err = domain.Problems{{Field: "value", Message: firstValue(bad)}}
		return p.refused(w, r, c, ws, part, q, answerOverlay(in, c.problemsByKey(bad)), err, c.problemsByKey(bad))
	}
	if len(in) > 0 {
		if err = p.s.svc.SubmitAnswers(r.Context(), ws, part, in); err != nil {
			errs := map[string]string{}
			if ps, ok := asProblems(err); ok {
				for _, pr := range ps {
					var i int
					if _, scanErr := fmt.Sscanf(pr.Where, "answers[%d]", &i); scanErr == nil && i >= 0 && i < len(keys) {
						if _, dup := errs[keys[i]]; !dup {
							errs[keys[i]] = c.s.cat.Message(c.lang, pr.Message)
						}
					}
				}
			}
			return p.refused(w, r, c, ws, part, q, answerOverlay(in, errs), err, errs)
		}
	}
	next := url.Values{"saved": {"answers"}, "step": {q.Get("step")}}
	switch i, _ := strconv.Atoi(q.Get("i")); {
	case q.Get("view") == "list":
		next.Set("view", "list")
	case r.PostFormValue("go") == "prev" && i > 1:
		next.Set("i", strconv.Itoa(i-1))
	case i >= 1 && i < len(ws.TrendKeys):
		next.Set("i", strconv.Itoa(i+1))
	default:
		next.Set("view", "done")
	}
	return p.saved(w, r, c, "participant.saved.answers", screenURL(ws, next, ""))
}

// problemsByKey translates problems kept by answer key.
func (c *call) problemsByKey(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, msg := range m {
		out[k] = c.s.cat.Message(c.lang, msg)
	}
	return out
}

func firstValue(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return m[keys[0]]
}

func answerOverlay(in []service.AnswerInput, errs map[string]string) *screenInput {
	o := &screenInput{answers: map[string]*int{}, answerErrors: errs}
	for _, a := range in {
		o.answers[answerKey(a.Trend, a.Question)] = a.Value
	}
	return o
}

// ---------------------------------------------------------------------------
// Fields of tension
// ---------------------------------------------------------------------------

// saveTension saves where the participant places one field of tension.
func (p *participantPages) saveTension(w http.ResponseWriter, r *http.Request, c *call) error {
	ws, part, _, err := p.participant(r, c, r.PathValue("id"))
	if err != nil {
		return err
	}
	q := screenQuery(r, stepTensions)
	key := r.PostFormValue("tension")
	in := &screenInput{tension: key, tensionErrors: map[string]string{}}
	var ps domain.Problems
	for _, f := range []struct {
		name string
		dst  *int
	}{{"now", &in.tensionNow}, {"want", &in.tensionWant}} {
		raw := strings.TrimSpace(r.PostFormValue(f.name))
		n, convErr := strconv.Atoi(raw)
		if convErr != nil {
			ps = append(ps, domain.Problem{Field: f.name, Message: fmt.Sprintf("%q is not a whole number", raw)})
			continue
		}
		*f.dst = n
	}
	if len(ps) == 0 {
		err = p.s.svc.SaveTension(r.Context(), ws, part, key, in.tensionNow, in.tensionWant)
		if pp, ok := asProblems(err); ok {
			ps = pp
		}
	} else {
		err = ps
	}
	if err != nil {
		in.tensionErrors = c.problemMap(ps)
		return p.refused(w, r, c, ws, part, q, in, err, in.tensionErrors)
	}
	next := url.Values{"saved": {"tension"}, "t": {key}, "step": {q.Get("step")}}
	return p.saved(w, r, c, "participant.saved.tension", screenURL(ws, next, "tension-"+key))
}

// ---------------------------------------------------------------------------
// Consequences and ideas
// ---------------------------------------------------------------------------

// addIdea adds a consequence or idea to a trend.
func (p *participantPages) addIdea(w http.ResponseWriter, r *http.Request, c *call) error {
	ws, part, _, err := p.participant(r, c, r.PathValue("id"))
	if err != nil {
		return err
	}
	q := screenQuery(r, stepConsequences)
	trend, text := r.PostFormValue("trend"), r.PostFormValue("text")
	if _, err = p.s.svc.AddIdea(r.Context(), ws, part, trend, text); err != nil {
		in := &screenInput{ideaTrend: trend, ideaText: text}
		var errs map[string]string
		if ps, ok := asProblems(err); ok {
			errs = c.problemMap(ps)
			in.ideaError = errs["text"]
			if in.ideaError == "" {
				in.ideaError = firstValue(errs)
			}
		}
		return p.refused(w, r, c, ws, part, q, in, err, errs)
	}
	q.Set("saved", "idea")
	return p.saved(w, r, c, "participant.saved.idea", screenURL(ws, q, "ideas"))
}

// upvote adds or takes back the participant's upvote on an idea.
func (p *participantPages) upvote(w http.ResponseWriter, r *http.Request, c *call) error {
	ws, part, _, err := p.participant(r, c, r.PathValue("id"))
	if err != nil {
		return err
	}
	q := screenQuery(r, stepConsequences)
	idea := r.PostFormValue("idea")
	if err = p.s.svc.Upvote(r.Context(), ws, part, idea, r.PostFormValue("on") == "1"); err != nil {
		return p.refused(w, r, c, ws, part, q, nil, err, nil)
	}
	return p.saved(w, r, c, "participant.saved.upvote", screenURL(ws, q, "idea-"+idea))
}

// ---------------------------------------------------------------------------
// Voting
// ---------------------------------------------------------------------------

// saveDots replaces the participant's dots: fields dots:IDEA with a number.
func (p *participantPages) saveDots(w http.ResponseWriter, r *http.Request, c *call) error {
	ws, part, _, err := p.participant(r, c, r.PathValue("id"))
	if err != nil {
		return err
	}
	q := screenQuery(r, stepVoting)
	dots := map[string]int{}
	var ps domain.Problems
	for name, vals := range r.PostForm {
		id, ok := strings.CutPrefix(name, "dots:")
		if !ok || len(vals) == 0 {
			continue
		}
		raw := strings.TrimSpace(vals[0])
		if raw == "" {
			continue
		}
		n, convErr := strconv.Atoi(raw)
		if convErr != nil {
			ps = append(ps, domain.Problem{Field: "dots", Where: id, Message: fmt.Sprintf("%q is not a whole number", raw)})
			continue
		}
		dots[id] = n
	}
	shown := make(map[string]int, len(dots))
	for k, v := range dots {
		shown[k] = v
	}
	if len(ps) > 0 {
		err = ps
	} else {
		err = p.s.svc.SetDots(r.Context(), ws, part, dots)
	}
	if err != nil {
		in := &screenInput{dots: shown}
		if ps, ok := asProblems(err); ok {
			in.dotsError = c.problemMap(ps)["dots"]
		} else {
			in.dotsError = c.errorMessage(err)
		}
		return p.refused(w, r, c, ws, part, q, in, err, map[string]string{"dots": in.dotsError})
	}
	q.Set("saved", "dots")
	q.Del("i")
	return p.saved(w, r, c, "participant.saved.dots", screenURL(ws, q, ""))
}
