package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/waymark/waymark/internal/api"
	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/store"
	"github.com/waymark/waymark/internal/store/storetest"
)

const streamWait = 5 * time.Second

// countAnswers counts the answer rows of a workshop straight from the
// database.
func (e *env) countAnswers(workshopID string) int {
	e.t.Helper()
	var n int
	must(e.t, e.db.ReadSQL().QueryRowContext(e.t.Context(), "SELECT COUNT(*) FROM answers WHERE workshop_id = $1", workshopID).Scan(&n))
	return n
}

// locations returns the locations of a problem's errors, in order.
func locations(p problem) []string {
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Location)
	}
	return out
}

// wantProblems fails the test unless r is a problem document with the
// status and exactly the error locations, in order.
func wantProblems(t *testing.T, r response, status int, what string, locs ...string) problem {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s: status %d, want %d\n%s", what, r.status, status, r.body)
	}
	p := r.problem(t)
	if got := locations(p); !slices.Equal(got, locs) {
		t.Errorf("%s: locations %q, want %q\n%s", what, got, locs, r.body)
	}
	for _, e := range p.Errors {
		if e.Message == "" {
			t.Errorf("%s: %s has no message", what, e.Location)
		}
	}
	return p
}

// TestParticipantFlow ensures a participant can take part in a whole
// workshop over HTTP alone, with no account: join with the code as typed
// (201 with the token and the workshop's questions, trends and fields of
// tension in both languages from the frozen version), follow the events
// stream, read their state, rate trends (a later answer replaces an
// earlier one; "don't know" is null), place a field of tension, write,
// list and upvote ideas without learning who wrote them, place dots — and
// that the stream gets a state event each time the facilitator moves the
// phase through the API, an ideas event when ideas change, and resumes
// after Last-Event-ID.
func TestParticipantFlow(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := t.Context()
		w := e.createWorkshop(map[string]any{"purpose": "Rate the trends together."})
		e.phase(w.ID, "lobby")
		base := "/api/v1/workshops/" + w.ID
		v, err := e.svc.Store().Version(ctx, e.orgA.ID, w.VersionID)
		must(t, err)

		// Join with the code as a person types it: lower case, with a hyphen.
		r := e.member(http.MethodPost, "/api/v1/join", "", map[string]string{
			"code": strings.ToLower(w.CodeDisplay), "group": "staff", "display_name": "Not asked for"})
		want(t, r, http.StatusCreated, "join")
		var j api.Joined
		r.json(t, &j)
		if !strings.HasPrefix(j.ParticipantToken, "wmp_") || len(j.ParticipantToken) < 26 || j.Group != "staff" || j.DisplayName != "" {
			t.Errorf("joined = %+v", j)
		}
		if loc := r.header.Get("Location"); loc != base+"/state" {
			t.Errorf("Location = %q", loc)
		}
		ws := j.Workshop
		if ws.ID != w.ID || ws.Title != "Trends 2035" || ws.Purpose != "Rate the trends together." || ws.Phase != "lobby" ||
			ws.Language != "en" || !ws.Anonymous || ws.Dots != 3 || ws.Mode != "live" || len(ws.Groups) != 5 {
			t.Errorf("workshop = %+v", ws)
		}
		if len(ws.Questions) != 5 {
			t.Fatalf("%d questions", len(ws.Questions))
		}
		for _, q := range ws.Questions {
			if q.Label.EN == "" || q.Label.SV == "" || q.Max <= q.Min || len(q.Labels) != q.Max-q.Min+1 {
				t.Errorf("question %+v", q)
			}
			for _, l := range q.Labels {
				if l.EN == "" || l.SV == "" {
					t.Errorf("question %s: value label %+v is not in both languages", q.Key, l)
				}
			}
		}
		if q := ws.Questions[1]; q.Key != "direction" || q.Min != -2 || q.Max != 2 || q.Labels[0].EN != "Clear threat" || q.Labels[0].SV != "Tydligt hot" {
			t.Errorf("direction = %+v", q)
		}
		if len(ws.Trends) != len(v.Trends) || len(ws.Tensions) != len(v.Tensions) || len(ws.Tensions) == 0 {
			t.Fatalf("%d trends and %d tensions, the version has %d and %d", len(ws.Trends), len(ws.Tensions), len(v.Trends), len(v.Tensions))
		}
		for i, tr := range ws.Trends {
			want := v.Trends[i]
			if tr.Key != want.Key || tr.Title.EN != want.Title.EN || tr.Title.SV != want.Title.SV || tr.Summary.EN != want.Summary.EN ||
				tr.Summary.SV != want.Summary.SV || tr.Title.EN == "" || tr.Title.SV == "" {
				t.Errorf("trend %d = %+v, want %s %+v", i, tr, want.Key, want.Title)
			}
		}
		for i, tn := range ws.Tensions {
			want := v.Tensions[i]
			if tn.Key != want.Key || tn.Name.EN != want.Name.EN || tn.PoleA.SV != want.PoleA.SV || tn.PoleB.EN != want.PoleB.EN ||
				tn.PoleA.EN == "" || tn.PoleB.SV == "" {
				t.Errorf("tension %d = %+v", i, tn)
			}
		}
		pt := j.ParticipantToken
		t0, t1 := ws.Trends[0].Key, ws.Trends[1].Key

		// The stream starts with the state as it is now.
		stream := e.openStream(base+"/events", "Participant "+pt, 0)
		if _, st := stream.nextState(streamWait); st.Phase != "lobby" || st.ShowResults {
			t.Errorf("first state = %+v", st)
		}

		// Nothing given yet.
		r = e.as(pt, http.MethodGet, base+"/state", nil)
		want(t, r, http.StatusOK, "state")
		for _, empty := range []string{`"answers":[]`, `"tensions":[]`, `"upvotes":[]`, `"dots":{}`} {
			if !bytes.Contains(r.body, []byte(empty)) {
				t.Errorf("state lacks %s: %s", empty, r.body)
			}
		}
		var st api.ParticipantState
		r.json(t, &st)
		if st.Phase != "lobby" || st.Group != "staff" || st.Workshop.ID != w.ID || len(st.Workshop.Trends) != len(ws.Trends) {
			t.Errorf("state = %+v", st)
		}

		// Rating: the stream follows the facilitator.
		e.phase(w.ID, "rating")
		rating, s := stream.nextState(streamWait)
		if s.Phase != "rating" {
			t.Errorf("state after the move = %+v", s)
		}
		r = e.as(pt, http.MethodPut, base+"/answers", `{"answers": [
			{"trend": "`+t0+`", "question": "impact", "value": 4},
			{"trend": "`+t0+`", "question": "direction", "value": -2},
			{"trend": "`+t0+`", "question": "horizon", "value": null},
			{"trend": "`+t1+`", "question": "impact", "value": 5}]}`)
		want(t, r, http.StatusOK, "answers")
		if !bytes.Equal(bytes.TrimSpace(r.body), []byte(`{"saved":4}`)) {
			t.Errorf("answers: %s", r.body)
		}
		if n := e.countAnswers(w.ID); n != 4 {
			t.Errorf("%d answers stored, want 4", n)
		}
		// A changed answer replaces the earlier one.
		r = e.as(pt, http.MethodPut, base+"/answers", map[string]any{"answers": []map[string]any{{"trend": t0, "question": "impact", "value": 2}}})
		want(t, r, http.StatusOK, "changed answer")
		r = e.as(pt, http.MethodGet, base+"/state", nil)
		r.json(t, &st)
		got := map[string]string{}
		for _, a := range st.Answers {
			got[a.Trend+"/"+a.Question] = "null"
			if a.Value != nil {
				got[a.Trend+"/"+a.Question] = strconv.Itoa(*a.Value)
			}
			if a.AnsweredAt.IsZero() {
				t.Errorf("answer %+v has no time", a)
			}
		}
		if len(got) != 4 || got[t0+"/impact"] != "2" || got[t0+"/direction"] != "-2" || got[t0+"/horizon"] != "null" || got[t1+"/impact"] != "5" {
			t.Errorf("answers in the state = %v", got)
		}

		// Fields of tension.
		e.phase(w.ID, "tensions")
		if _, s := stream.nextState(streamWait); s.Phase != "tensions" {
			t.Errorf("state = %+v", s)
		}
		key := ws.Tensions[0].Key
		want(t, e.as(pt, http.MethodPut, base+"/tensions/"+key, map[string]int{"now": -40, "want": 30}), http.StatusOK, "tension")
		r = e.as(pt, http.MethodPut, base+"/tensions/"+key, map[string]int{"now": -20, "want": 50})
		want(t, r, http.StatusOK, "tension again")
		var pos api.TensionPosition
		r.json(t, &pos)
		if pos.Key != key || pos.Now != -20 || pos.Want != 50 || pos.PlacedAt.IsZero() {
			t.Errorf("position = %+v", pos)
		}
		r = e.as(pt, http.MethodGet, base+"/state", nil)
		r.json(t, &st)
		if len(st.Tensions) != 1 || st.Tensions[0].Key != key || st.Tensions[0].Now != -20 || st.Tensions[0].Want != 50 {
			t.Errorf("tensions in the state = %+v", st.Tensions)
		}

		// Consequences and ideas, with a second participant.
		e.phase(w.ID, "consequences")
		stream.nextState(streamWait)
		r = e.as(pt, http.MethodPost, base+"/ideas", map[string]string{"trend": t0, "text": "  Train caseworkers first.  "})
		want(t, r, http.StatusCreated, "idea")
		var idea1 api.Idea
		r.json(t, &idea1)
		if idea1.ID == "" || idea1.Text != "Train caseworkers first." || idea1.Trend != t0 || !idea1.Mine || idea1.Upvotes != 0 {
			t.Errorf("idea = %+v", idea1)
		}
		stream.next("ideas", streamWait)
		j2 := e.join(w.Code, "members")
		p2 := j2.ParticipantToken
		r = e.as(p2, http.MethodPost, base+"/ideas", map[string]string{"trend": t1, "text": "Share data with partners."})
		want(t, r, http.StatusCreated, "second idea")
		var idea2 api.Idea
		r.json(t, &idea2)

		want(t, e.as(pt, http.MethodPut, base+"/ideas/"+idea2.ID+"/upvote", nil), http.StatusNoContent, "upvote")
		want(t, e.as(pt, http.MethodPut, base+"/ideas/"+idea2.ID+"/upvote", nil), http.StatusNoContent, "upvote twice")
		want(t, e.as(p2, http.MethodPut, base+"/ideas/"+idea1.ID+"/upvote", nil), http.StatusNoContent, "upvote by the second")
		want(t, e.as(p2, http.MethodDelete, base+"/ideas/"+idea1.ID+"/upvote", nil), http.StatusNoContent, "take back")
		want(t, e.as(p2, http.MethodDelete, base+"/ideas/"+idea1.ID+"/upvote", nil), http.StatusNoContent, "take back twice")
		r = e.as(p2, http.MethodGet, base+"/ideas", nil)
		want(t, r, http.StatusOK, "ideas")
		var list struct{ Ideas []api.Idea }
		r.json(t, &list)
		if len(list.Ideas) != 2 || list.Ideas[0].ID != idea1.ID || list.Ideas[0].Mine || list.Ideas[0].Upvotes != 0 ||
			list.Ideas[1].ID != idea2.ID || !list.Ideas[1].Mine || list.Ideas[1].Upvotes != 1 {
			t.Errorf("ideas as the second participant = %+v", list.Ideas)
		}
		for _, leak := range []string{"participant", "staff", "members"} {
			if bytes.Contains(r.body, []byte(leak)) {
				t.Errorf("the list of ideas says %q: %s", leak, r.body)
			}
		}
		r = e.as(pt, http.MethodGet, base+"/state", nil)
		r.json(t, &st)
		if !slices.Equal(st.Upvotes, []string{idea2.ID}) {
			t.Errorf("upvotes = %v", st.Upvotes)
		}

		// Voting with dots.
		e.phase(w.ID, "voting")
		stream.nextState(streamWait)
		r = e.as(pt, http.MethodPut, base+"/dots", map[string]any{"dots": map[string]int{idea1.ID: 1, idea2.ID: 2}})
		want(t, r, http.StatusOK, "dots")
		var dots api.DotsPlaced
		r.json(t, &dots)
		if dots.Used != 3 || dots.Available != 3 || dots.Dots[idea2.ID] != 2 {
			t.Errorf("dots = %+v", dots)
		}
		r = e.as(pt, http.MethodPut, base+"/dots", map[string]any{"dots": map[string]int{idea2.ID: 1, idea1.ID: 0}})
		want(t, r, http.StatusOK, "dots again")
		dots = api.DotsPlaced{}
		r.json(t, &dots)
		if dots.Used != 1 || len(dots.Dots) != 1 || dots.Dots[idea2.ID] != 1 {
			t.Errorf("dots replaced = %+v", dots)
		}
		r = e.as(pt, http.MethodGet, base+"/state", nil)
		r.json(t, &st)
		if len(st.Dots) != 1 || st.Dots[idea2.ID] != 1 || st.Phase != "voting" {
			t.Errorf("state = %+v", st)
		}
		r = e.as(p2, http.MethodGet, base+"/ideas", nil)
		r.json(t, &list)
		if list.Ideas[1].Dots != 1 || list.Ideas[0].Dots != 0 {
			t.Errorf("dots on the ideas = %+v", list.Ideas)
		}

		// The facilitator sees the aggregates.
		r = e.get(base, e.aViewer)
		want(t, r, http.StatusOK, "workshop")
		var d api.WorkshopDetail
		r.json(t, &d)
		if d.Progress.Total != 2 || d.Progress.Joined["staff"] != 1 || d.Progress.Joined["members"] != 1 ||
			d.Progress.Trends[0].Key != t0 || d.Progress.Trends[0].Questions["impact"].Count != 1 ||
			d.Progress.Trends[0].Questions["horizon"].DontKnow != 1 || len(d.Progress.Tensions) != len(ws.Tensions) ||
			d.Progress.Tensions[0].Count != 1 {
			t.Errorf("progress = %+v", d.Progress)
		}

		// Closed: the stream follows, answers are refused.
		e.phase(w.ID, "closed")
		if _, s := stream.nextState(streamWait); s.Phase != "closed" {
			t.Errorf("state = %+v", s)
		}
		r = e.as(pt, http.MethodPut, base+"/answers", map[string]any{"answers": []map[string]any{{"trend": t0, "question": "impact", "value": 1}}})
		wantProblems(t, r, http.StatusConflict, "answer when closed")

		// A stream that reconnects after the rating state gets what followed.
		again := e.openStream(base+"/events", "Participant "+pt, rating.ID)
		if _, s := again.nextState(streamWait); s.Phase != "tensions" {
			t.Errorf("the resumed stream starts with %+v, want the tensions state", s)
		}
	})
}

// TestJoinProblems ensures joining answers 404 for unknown and malformed
// codes, 409 for a workshop that is not open, and 422 naming body.group and
// body.display_name for a wrong group and a missing name in a named
// workshop — and that nobody joins in any of these cases.
func TestJoinProblems(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		draft := e.createWorkshop(nil)
		named := e.createWorkshop(map[string]any{"anonymous": false})
		e.phase(named.ID, "lobby")
		join := func(body any) response { return e.member(http.MethodPost, "/api/v1/join", "", body) }

		for _, code := range []string{"ZZZZ-ZZZZ", "0OIL1234", "short", strings.Repeat("A", 65)} {
			r := join(map[string]string{"code": code, "group": "staff"})
			if code == strings.Repeat("A", 65) {
				wantProblems(t, r, http.StatusUnprocessableEntity, "too long a code", "body.code")
				continue
			}
			p := wantProblems(t, r, http.StatusNotFound, "code "+code)
			if !strings.Contains(p.Detail, "no open workshop with that code") {
				t.Errorf("code %s: detail %q", code, p.Detail)
			}
		}
		p := wantProblems(t, join(map[string]string{"code": draft.Code, "group": "staff"}), http.StatusConflict, "draft")
		if !strings.Contains(p.Detail, "not open") {
			t.Errorf("draft: %q", p.Detail)
		}
		wantProblems(t, join(map[string]string{"code": named.Code, "group": "nobody", "display_name": "Ann"}), http.StatusUnprocessableEntity,
			"unknown group", "body.group")
		p = wantProblems(t, join(map[string]string{"code": named.Code, "group": "nobody"}), http.StatusUnprocessableEntity,
			"unknown group and no name", "body.group", "body.display_name")
		if p.Detail != "There are 2 problems; you have not joined." {
			t.Errorf("detail %q", p.Detail)
		}
		wantProblems(t, join(map[string]string{"code": named.Code, "group": "staff", "display_name": strings.Repeat("n", 61)}),
			http.StatusUnprocessableEntity, "long name", "body.display_name")
		r := join(map[string]string{"group": "staff"})
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("no code: %d", r.status)
		}
		for _, id := range []string{draft.ID, named.ID} {
			if n, err := e.svc.Store().ParticipantCounts(t.Context(), id); err != nil || len(n) != 0 {
				t.Errorf("someone joined: %v %v", n, err)
			}
		}
		// In a named workshop the name is kept.
		r = join(map[string]string{"code": named.Code, "group": "staff", "display_name": "  Ann  "})
		want(t, r, http.StatusCreated, "named join")
		var j api.Joined
		r.json(t, &j)
		if j.DisplayName != "Ann" || j.Workshop.Anonymous {
			t.Errorf("named join = %+v", j)
		}
	})
}

// TestJoinRateLimit ensures a client address that sent 20 wrong codes
// within a minute gets 429 with Retry-After from POST /join — even with a
// right code — while other addresses still join, and that a wrong group
// with a right code does not count as a wrong code.
func TestJoinRateLimit(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		w := e.createWorkshop(nil)
		e.phase(w.ID, "lobby")
		good, _ := json.Marshal(map[string]string{"code": w.Code, "group": "staff"})
		for range 5 {
			r := e.member(http.MethodPost, "/api/v1/join", "", map[string]string{"code": w.Code, "group": "nobody"})
			want(t, r, http.StatusUnprocessableEntity, "wrong group")
		}
		for i := range 20 {
			r := e.member(http.MethodPost, "/api/v1/join", "", map[string]string{"code": fmt.Sprintf("ZZZZZZ%c%c", 'A'+i%20, 'B'), "group": "staff"})
			want(t, r, http.StatusNotFound, fmt.Sprintf("wrong code %d", i+1))
		}
		r := e.do(http.MethodPost, "/api/v1/join", "", good, "application/json")
		p := wantProblems(t, r, http.StatusTooManyRequests, "21st attempt")
		if s, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || s < 1 || s > 60 {
			t.Errorf("Retry-After = %q", r.header.Get("Retry-After"))
		}
		if !strings.Contains(p.Detail, "Too many wrong codes") {
			t.Errorf("detail %q", p.Detail)
		}
		if n, _ := e.svc.Store().ParticipantCounts(t.Context(), w.ID); n["staff"] != 0 {
			t.Errorf("a blocked address joined")
		}
		// Another address is not blocked.
		req := httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/api/v1/join", bytes.NewReader(good))
		req.RemoteAddr = "192.0.2.7:40000"
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		e.api.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusCreated {
			t.Errorf("another address: %d %s", rec.Code, rec.Body)
		}
	})
}

// TestParticipantProblems ensures every participant operation refuses bad
// input with 422 naming each problem's place (body.answers[3].value,
// path.key, body.dots.{idea} …) and stores nothing, answers 409 outside
// its phase, 404 for a token of another workshop (with the same body as
// for a workshop that does not exist) and for ideas of another workshop,
// and 413 for an answer body over 256 KiB.
func TestParticipantProblems(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		v, err := e.svc.Store().Version(t.Context(), e.orgA.ID, e.starterVersion(tensionStarter))
		must(t, err)
		var chosen []string
		for _, tr := range v.Trends[:len(v.Trends)-1] {
			chosen = append(chosen, tr.Key)
		}
		outside := v.Trends[len(v.Trends)-1].Key
		w := e.createWorkshop(map[string]any{"trends": chosen})
		e.phase(w.ID, "lobby")
		base := "/api/v1/workshops/" + w.ID
		pt := e.join(w.Code, "staff").ParticipantToken
		t0 := chosen[0]
		answer := func(body any) response { return e.as(pt, http.MethodPut, base+"/answers", body) }
		one := map[string]any{"answers": []map[string]any{{"trend": t0, "question": "impact", "value": 3}}}

		// Ratings outside the rating phase: 409.
		wantProblems(t, answer(one), http.StatusConflict, "answers in the lobby")
		e.phase(w.ID, "rating")

		r := answer(`{"answers": [
			{"trend": "no-such-trend", "question": "impact", "value": 3},
			{"trend": "` + t0 + `", "question": "impact", "value": 6},
			{"trend": "` + t0 + `", "question": "no-such-question", "value": 1},
			{"trend": "` + outside + `", "question": "direction", "value": 0},
			{"trend": "` + t0 + `", "question": "direction", "value": -3},
			{"trend": "` + t0 + `", "question": "horizon", "value": null}]}`)
		p := wantProblems(t, r, http.StatusUnprocessableEntity, "bad answers",
			"body.answers[0].trend", "body.answers[1].value", "body.answers[2].question", "body.answers[3].trend", "body.answers[4].value")
		if p.Detail != "There are 5 problems; nothing was saved." {
			t.Errorf("detail %q", p.Detail)
		}
		if !strings.Contains(p.Errors[1].Message, "outside the scale 1 to 5") || !strings.Contains(p.Errors[3].Message, outside) {
			t.Errorf("messages: %+v", p.Errors)
		}
		wantProblems(t, answer(`{"answers": [{"trend": "`+t0+`", "question": "impact"}]}`), http.StatusUnprocessableEntity,
			"no value", "body.answers[0].value")
		wantProblems(t, answer(`{"answers": [{"trend": "`+t0+`", "question": "impact", "value": "4"}]}`), http.StatusUnprocessableEntity,
			"a string value", "body.answers[0].value")
		wantProblems(t, answer(`{"answers": [{"trend": "`+t0+`", "question": "impact", "value": 2.5}]}`), http.StatusUnprocessableEntity,
			"a fraction", "body.answers[0].value")
		wantProblems(t, answer(`{"answers": []}`), http.StatusUnprocessableEntity, "no answers", "body.answers")
		many := make([]map[string]any, 1001)
		for i := range many {
			many[i] = map[string]any{"trend": t0, "question": "impact", "value": 1}
		}
		wantProblems(t, answer(map[string]any{"answers": many}), http.StatusUnprocessableEntity, "1,001 answers", "body.answers")
		big := `{"answers": [{"trend": "` + t0 + `", "question": "impact", "value": 1, "pad": "` + strings.Repeat("x", 300<<10) + `"}]}`
		wantProblems(t, answer(big), http.StatusRequestEntityTooLarge, "too large")
		if n := e.countAnswers(w.ID); n != 0 {
			t.Errorf("%d answers stored by refused requests", n)
		}
		want(t, answer(one), http.StatusOK, "a good answer")

		// A token of another workshop opens nothing here: 404, as for a
		// workshop that does not exist.
		other := e.createWorkshop(nil)
		e.phase(other.ID, "lobby")
		e.phase(other.ID, "rating")
		po := e.join(other.Code, "staff").ParticipantToken
		missing := "/api/v1/workshops/0190f0c4-4b4e-7d2a-9a31-6f0e3c2d1b10"
		for _, c := range []struct{ method, path string }{
			{http.MethodGet, "/state"}, {http.MethodPut, "/answers"}, {http.MethodPut, "/tensions/x"}, {http.MethodGet, "/ideas"},
			{http.MethodPost, "/ideas"}, {http.MethodPut, "/ideas/x/upvote"}, {http.MethodDelete, "/ideas/x/upvote"},
			{http.MethodPut, "/dots"}, {http.MethodGet, "/events"},
		} {
			body := any(nil)
			if c.method != http.MethodGet && c.method != http.MethodDelete && !strings.HasSuffix(c.path, "upvote") {
				body = one
			}
			r := e.as(po, c.method, base+c.path, body)
			ref := e.as(po, c.method, missing+c.path, body)
			wantProblems(t, r, http.StatusNotFound, c.method+" "+c.path+" with another workshop's token")
			if ref.status != http.StatusNotFound || !bytes.Equal(r.body, ref.body) {
				t.Errorf("%s %s: another workshop's token answers\n%s\nand a missing workshop\n%s", c.method, c.path, r.body, ref.body)
			}
		}
		if n := e.countAnswers(w.ID); n != 1 {
			t.Errorf("%d answers, want 1", n)
		}

		// Fields of tension.
		key := w.Tensions[0]
		tension := func(k string, body any) response { return e.as(pt, http.MethodPut, base+"/tensions/"+k, body) }
		wantProblems(t, tension(key, map[string]int{"now": 0, "want": 0}), http.StatusConflict, "tension while rating")
		e.phase(w.ID, "tensions")
		wantProblems(t, tension("no-such-tension", map[string]int{"now": 0, "want": 0}), http.StatusUnprocessableEntity,
			"unknown tension", "path.key")
		wantProblems(t, tension(key, map[string]int{"now": 101, "want": -101}), http.StatusUnprocessableEntity,
			"out of range", "body.now", "body.want")
		wantProblems(t, tension(key, map[string]int{"now": 5}), http.StatusUnprocessableEntity, "no want", "body.want")
		want(t, answer(one), http.StatusConflict, "answers in the tensions phase")

		// Ideas and upvotes.
		idea := func(body any) response { return e.as(pt, http.MethodPost, base+"/ideas", body) }
		wantProblems(t, idea(map[string]string{"trend": t0, "text": "Early"}), http.StatusConflict, "idea in the tensions phase")
		e.phase(w.ID, "consequences")
		wantProblems(t, idea(map[string]string{"trend": outside, "text": "   "}), http.StatusUnprocessableEntity,
			"bad idea", "body.trend", "body.text")
		wantProblems(t, idea(map[string]string{"trend": t0, "text": strings.Repeat("é", 1001)}), http.StatusUnprocessableEntity,
			"long idea", "body.text")
		r = idea(map[string]string{"trend": t0, "text": "Mine"})
		want(t, r, http.StatusCreated, "idea")
		var mine, hidden api.Idea
		r.json(t, &mine)
		r = idea(map[string]string{"trend": t0, "text": "Abusive"})
		r.json(t, &hidden)
		want(t, e.member(http.MethodPut, base+"/moderation/ideas/"+hidden.ID, e.aFacilitator, map[string]bool{"hidden": true}), http.StatusOK, "hide")
		wantProblems(t, e.as(pt, http.MethodPut, base+"/ideas/0190f0c4-4b4e-7d2a-9a31-6f0e3c2d1b10/upvote", nil), http.StatusNotFound, "unknown idea")
		wantProblems(t, e.as(pt, http.MethodPut, base+"/ideas/"+hidden.ID+"/upvote", nil), http.StatusUnprocessableEntity, "hidden idea")
		// An idea of another workshop.
		e.phase(other.ID, "consequences")
		r = e.as(po, http.MethodPost, "/api/v1/workshops/"+other.ID+"/ideas", map[string]string{"trend": other.Trends[0], "text": "Elsewhere"})
		var elsewhere api.Idea
		r.json(t, &elsewhere)
		wantProblems(t, e.as(pt, http.MethodPut, base+"/ideas/"+elsewhere.ID+"/upvote", nil), http.StatusNotFound, "another workshop's idea")
		if ideas := e.moderatedIdeas(other.ID); ideas[0].Upvotes != 0 {
			t.Errorf("an upvote reached another workshop's idea")
		}

		// Dots.
		dots := func(d map[string]int) response {
			return e.as(pt, http.MethodPut, base+"/dots", map[string]any{"dots": d})
		}
		wantProblems(t, dots(map[string]int{mine.ID: 1}), http.StatusConflict, "dots before voting")
		e.phase(w.ID, "voting")
		wantProblems(t, dots(map[string]int{mine.ID: -1}), http.StatusUnprocessableEntity, "negative", "body.dots."+mine.ID)
		p = wantProblems(t, dots(map[string]int{mine.ID: 4}), http.StatusUnprocessableEntity, "too many", "body.dots")
		if !strings.Contains(p.Errors[0].Message, "you have 3 dots") {
			t.Errorf("too many: %+v", p.Errors)
		}
		wantProblems(t, dots(map[string]int{hidden.ID: 1}), http.StatusUnprocessableEntity, "on a hidden idea")
		wantProblems(t, dots(map[string]int{elsewhere.ID: 1}), http.StatusUnprocessableEntity, "on another workshop's idea")
		wantProblems(t, e.as(pt, http.MethodPut, base+"/dots", `{"dots": {"x": "one"}}`), http.StatusUnprocessableEntity, "not a number", "body.dots.x")
		r = e.as(pt, http.MethodGet, base+"/state", nil)
		var st api.ParticipantState
		r.json(t, &st)
		if len(st.Dots) != 0 {
			t.Errorf("refused dots were stored: %v", st.Dots)
		}
	})
}

// TestParallelAnswers ensures that 50 parallel identical and 50 parallel
// different answers of one participant to one trend and question through
// PUT /answers leave exactly one row, whether each batch is written in its
// own transaction or through the group committer, and that the row holds
// one of the values sent.
func TestParallelAnswers(t *testing.T) {
	for _, sink := range []string{"direct", "group commit"} {
		t.Run(strings.ReplaceAll(sink, " ", "-"), func(t *testing.T) {
			storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
				e := newEnv(t, db)
				if sink == "group commit" {
					c := store.NewAnswerCommitter(db, store.CommitterOptions{})
					t.Cleanup(c.Close)
					e.svc.UseLive(nil, c)
				}
				w := e.createWorkshop(nil)
				e.phase(w.ID, "lobby")
				e.phase(w.ID, "rating")
				pt := e.join(w.Code, "staff").ParticipantToken
				_, part, err := e.svc.Participant(t.Context(), w.ID, pt)
				must(t, err)
				trend := w.Trends[0]

				sent := map[string]bool{"3": true}
				bodies := make([][]byte, 100)
				for i := range bodies {
					v := "3" // identical
					if i >= 50 {
						v = strconv.Itoa(i%5 + 1) // different
						if i%6 == 0 {
							v = "null"
						}
						sent[v] = true
					}
					bodies[i] = []byte(`{"answers": [{"trend": "` + trend + `", "question": "impact", "value": ` + v + `}]}`)
				}
				var wg sync.WaitGroup
				statuses := make([]int, len(bodies))
				for i, b := range bodies {
					wg.Go(func() {
						req, err := http.NewRequestWithContext(t.Context(), http.MethodPut, e.srv.URL+"/api/v1/workshops/"+w.ID+"/answers", bytes.NewReader(b))
						if err != nil {
							t.Error(err)
							return
						}
						req.Header.Set("Authorization", "Participant "+pt)
						req.Header.Set("Content-Type", "application/json")
						res, err := e.srv.Client().Do(req)
						if err != nil {
							t.Error(err)
							return
						}
						res.Body.Close()
						statuses[i] = res.StatusCode
					})
				}
				wg.Wait()
				for i, st := range statuses {
					if st != http.StatusOK {
						t.Errorf("request %d: status %d", i, st)
					}
				}
				var rows int
				must(t, db.ReadSQL().QueryRowContext(t.Context(),
					"SELECT COUNT(*) FROM answers WHERE participant_id = $1 AND trend_key = $2 AND question_key = $3",
					part.ID, trend, domain.QImpact).Scan(&rows))
				if rows != 1 {
					t.Errorf("%d rows, want exactly 1", rows)
				}
				got, err := e.svc.Store().ParticipantAnswers(t.Context(), w.ID, part.ID)
				must(t, err)
				if len(got) != 1 {
					t.Fatalf("%d answers", len(got))
				}
				v := "null"
				if got[0].Value != nil {
					v = strconv.Itoa(*got[0].Value)
				}
				if !sent[v] {
					t.Errorf("the row holds %s, which was never sent", v)
				}
			})
		})
	}
}
