package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/waymark/waymark/internal/apptest"
	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/library"
	"github.com/waymark/waymark/internal/service"
	"github.com/waymark/waymark/internal/store"
	"github.com/waymark/waymark/internal/store/storetest"
	"github.com/waymark/waymark/internal/workshop"
)

// workshopFixture is organisation "alpha" with the sample library (three
// trends, one field of tension) and a workshop on it in the lobby.
type workshopFixture struct {
	env   *apptest.Env
	owner domain.Actor
	ws    *domain.Workshop
}

// sample library's trends and field of tension.
const (
	trendAI      = "ai-at-work"
	trendOlder   = "older-population"
	trendShared  = "shared-platforms"
	tensionSteer = "national-local"
)

func newWorkshopFixture(t *testing.T, db *store.DB, change func(*domain.Workshop)) *workshopFixture {
	t.Helper()
	env := apptest.Start(t, db)
	org := env.Org("alpha")
	u := env.User("owner@alpha.example", org, domain.Owner)
	owner := domain.Actor{UserID: u.ID, OrgID: org.ID, Role: domain.Owner}
	return &workshopFixture{env: env, owner: owner, ws: createWorkshop(t, env, owner, change)}
}

// createWorkshop imports the sample library into the actor's organisation
// and creates a workshop on it, opened for joining.
func createWorkshop(t *testing.T, env *apptest.Env, owner domain.Actor, change func(*domain.Workshop)) *domain.Workshop {
	t.Helper()
	ctx := context.Background()
	data, err := os.ReadFile("../library/testdata/sample.json")
	if err != nil {
		t.Fatal(err)
	}
	lib, vi, err := env.Svc.Import(ctx, owner, "sample.json", data, library.FormatJSON, library.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	v, err := env.Svc.Version(ctx, owner, vi.ID)
	if err != nil {
		t.Fatal(err)
	}
	ws := service.NewWorkshop(owner, lib, v, "en")
	ws.Title, ws.Purpose = "Spring assessment", "Which trends matter most to us"
	if change != nil {
		change(ws)
	}
	if err := env.Svc.CreateWorkshop(ctx, owner, ws); err != nil {
		t.Fatal(err)
	}
	if ws, err = env.Svc.SetPhase(ctx, owner, ws.ID, domain.PhaseLobby); err != nil {
		t.Fatal(err)
	}
	return ws
}

func (f *workshopFixture) phase(t *testing.T, p domain.Phase) {
	t.Helper()
	ws, err := f.env.Svc.SetPhase(context.Background(), f.owner, f.ws.ID, p)
	if err != nil {
		t.Fatalf("set phase %s: %v", p, err)
	}
	f.ws = ws
}

// join joins the workshop with client c in group and returns the token.
func (f *workshopFixture) join(t *testing.T, c *apptest.Client, group string) string {
	t.Helper()
	res := c.PostForm("/join/"+f.ws.Code, url.Values{"group": {group}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/w/"+f.ws.ID {
		t.Fatalf("join: status %d, location %q\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
	}
	return participantToken(t, res)
}

// participantToken reads the token from the join response's cookie.
func participantToken(t *testing.T, res *apptest.Response) string {
	t.Helper()
	for _, ck := range (&http.Response{Header: res.Header}).Cookies() {
		if ck.Name == "waymark_participant" {
			return ck.Value
		}
	}
	t.Fatalf("no participant cookie in %q", res.Header["Set-Cookie"])
	return ""
}

func (f *workshopFixture) participant(t *testing.T, token string) (*domain.Workshop, *domain.Participant) {
	t.Helper()
	ws, p, err := f.env.Svc.Participant(context.Background(), f.ws.ID, token)
	if err != nil {
		t.Fatal(err)
	}
	return ws, p
}

func (f *workshopFixture) state(t *testing.T, token string) *service.ParticipantState {
	t.Helper()
	ws, p := f.participant(t, token)
	st, err := f.env.Svc.State(context.Background(), ws, p)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func (f *workshopFixture) joined(t *testing.T) int {
	t.Helper()
	counts, err := f.env.DB.ParticipantCounts(context.Background(), f.ws.ID)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// answersForm is a whole trend answered: impact 4, direction −1, horizon
// "within 3 years", certainty "don't know", readiness 2.
func answersForm(trend string, i int) url.Values {
	return url.Values{"i": {fmt.Sprint(i)},
		"a:" + trend + ":impact": {"4"}, "a:" + trend + ":direction": {"-1"}, "a:" + trend + ":horizon": {"1"},
		"a:" + trend + ":certainty": {"dk"}, "a:" + trend + ":readiness": {"2"}}
}

func mustContain(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

// checked reports whether the radio with the id is checked in the page.
func checked(body, id string) bool {
	re := regexp.MustCompile(`<input[^>]*id="` + regexp.QuoteMeta(id) + `"[^>]*>`)
	return strings.Contains(re.FindString(body), " checked")
}

// Ensures a code typed in lower case with a hyphen finds the workshop, the
// join page shows its title, purpose and groups, joining sets an HttpOnly,
// SameSite cookie scoped to the workshop's pages and lands on the lobby
// screen, and the page header offers no organisation navigation.
func TestJoinByCode(t *testing.T) {
	f := newWorkshopFixture(t, storetest.Open(t, storetest.SQLite), nil)
	c := f.env.Client()
	if res := c.Get("/join"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `autocapitalize="characters"`) || !strings.Contains(res.Body, `autocomplete="off"`) {
		t.Fatalf("join form: status %d", res.StatusCode)
	}
	typed := strings.ToLower(workshop.FormatCode(f.ws.Code)) // "abcd-efgh"
	res := c.PostForm("/join", url.Values{"code": {" " + typed + " "}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/join/"+f.ws.Code {
		t.Fatalf("POST /join %q: status %d, location %q", typed, res.StatusCode, res.Header.Get("Location"))
	}
	// A link typed by hand goes to the one address.
	if res := c.Get("/join/" + typed); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/join/"+f.ws.Code {
		t.Fatalf("GET /join/%s: status %d, location %q", typed, res.StatusCode, res.Header.Get("Location"))
	}
	page := c.Get("/join/" + f.ws.Code)
	if page.StatusCode != http.StatusOK {
		t.Fatalf("join page: status %d", page.StatusCode)
	}
	mustContain(t, "join page", page.Body, "Spring assessment", "Which trends matter most to us", "Elected members", "Residents", workshop.FormatCode(f.ws.Code))
	if strings.Contains(page.Body, `name="display_name"`) {
		t.Error("an anonymous workshop asks for a name")
	}
	res = c.PostForm("/join/"+f.ws.Code, url.Values{"group": {"residents"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/w/"+f.ws.ID {
		t.Fatalf("join: status %d, location %q", res.StatusCode, res.Header.Get("Location"))
	}
	paths := map[string]bool{}
	for _, sc := range res.Header["Set-Cookie"] {
		if !strings.HasPrefix(sc, "waymark_participant=wmp_") {
			continue
		}
		for _, want := range []string{"HttpOnly", "SameSite=Lax", "Max-Age="} {
			if !strings.Contains(sc, want) {
				t.Errorf("cookie %q lacks %s", sc, want)
			}
		}
		for _, part := range strings.Split(sc, "; ") {
			if p, ok := strings.CutPrefix(part, "Path="); ok {
				paths[p] = true
			}
		}
	}
	if !paths["/w/"+f.ws.ID] || !paths["/join/"+f.ws.Code] || len(paths) != 2 {
		t.Errorf("cookie paths %v; want /w/%s and /join/%s", paths, f.ws.ID, f.ws.Code)
	}
	token := participantToken(t, res)
	_, p := f.participant(t, token)
	if p.Group != "residents" || p.DisplayName != "" {
		t.Errorf("participant %+v", p)
	}
	screen := c.Get("/w/" + f.ws.ID)
	if screen.StatusCode != http.StatusOK {
		t.Fatalf("lobby: status %d", screen.StatusCode)
	}
	mustContain(t, "lobby", screen.Body, "You have joined", "Spring assessment", `data-wm-step="lobby"`, "Residents")
	if strings.Contains(screen.Body, "wm-header__nav") || strings.Contains(screen.Body, "/signout") {
		t.Error("the participant's header shows member navigation")
	}
	// Even a member's browser gets the plain header on a participant page.
	member := f.env.SignedIn("owner@alpha.example")
	f.join(t, member, "staff")
	if body := member.Get("/w/" + f.ws.ID).Body; strings.Contains(body, "wm-header__nav") {
		t.Error("a member joining as a participant sees member navigation")
	}
}

// Ensures an unknown or mistyped code shows the form again with a clear
// message (naming the look-alike characters when there are any), in the
// participant's language, and joins nothing.
func TestJoinBadCode(t *testing.T) {
	f := newWorkshopFixture(t, storetest.Open(t, storetest.SQLite), nil)
	c := f.env.Client()
	cases := []struct {
		code   string
		status int
		want   string
	}{
		{"", http.StatusUnprocessableEntity, "Enter the workshop code"},
		{"ZZZZ-ZZZZ", http.StatusUnprocessableEntity, "There is no open workshop with that code"},
		{"ABCD-EFG0", http.StatusUnprocessableEntity, "never contain 0, O, 1, I or L"},
		{"ABC", http.StatusUnprocessableEntity, "A code has 8 letters and digits"},
	}
	for _, tc := range cases {
		res := c.PostForm("/join", url.Values{"code": {tc.code}})
		if res.StatusCode != tc.status || !strings.Contains(res.Body, tc.want) || !strings.Contains(res.Body, `id="code"`) {
			t.Errorf("code %q: status %d, want %d with %q", tc.code, res.StatusCode, tc.status, tc.want)
		}
		if tc.code != "" && !strings.Contains(res.Body, `value="`+tc.code+`"`) {
			t.Errorf("code %q is not kept in the form", tc.code)
		}
	}
	if res := c.Get("/join/ZZZZZZZZ"); res.StatusCode != http.StatusNotFound || !strings.Contains(res.Body, "There is no open workshop with that code") {
		t.Errorf("GET /join/ZZZZZZZZ: status %d", res.StatusCode)
	}
	sv := f.env.Client()
	sv.SetCookie("lang", "sv")
	if res := sv.PostForm("/join", url.Values{"code": {"ZZZZ-ZZZZ"}}); !strings.Contains(res.Body, "Det finns ingen öppen workshop med den koden") {
		t.Error("the message is not in Swedish")
	}
	if n := f.joined(t); n != 0 {
		t.Fatalf("%d participants joined", n)
	}
	// A workshop still in draft is found, but cannot be joined yet.
	draft := createWorkshop(t, f.env, f.owner, nil)
	if _, err := f.env.Svc.SetPhase(context.Background(), f.owner, draft.ID, domain.PhaseDraft); err != nil {
		t.Fatal(err)
	}
	if res := c.Get("/join/" + draft.Code); res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, "has not opened yet") || strings.Contains(res.Body, `name="group"`) {
		t.Errorf("draft workshop: status %d", res.StatusCode)
	}
	if res := c.PostForm("/join/"+draft.Code, url.Values{"group": {"staff"}}); res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, "not open for joining") {
		t.Errorf("joining a draft: status %d", res.StatusCode)
	}
}

// Ensures a client address that tries 20 wrong codes within a minute gets
// 429 with Retry-After on the 21st attempt, even with a right code, on
// every join route, and nobody joins meanwhile.
func TestJoinRateLimit(t *testing.T) {
	f := newWorkshopFixture(t, storetest.Open(t, storetest.SQLite), nil)
	c := f.env.Client()
	for i := range 20 {
		code := fmt.Sprintf("ZZZZZZ%c%c", workshop.CodeAlphabet[i%31], workshop.CodeAlphabet[(i/31)%31])
		var res *apptest.Response
		if i%2 == 0 {
			res = c.PostForm("/join", url.Values{"code": {code}})
		} else {
			res = c.Get("/join/" + code)
		}
		if res.StatusCode == http.StatusTooManyRequests {
			t.Fatalf("attempt %d refused already", i+1)
		}
	}
	for _, res := range []*apptest.Response{
		c.PostForm("/join", url.Values{"code": {"ZZZZ-ZZZZ"}}),
		c.PostForm("/join", url.Values{"code": {f.ws.Code}}),
		c.Get("/join/" + f.ws.Code),
		c.PostForm("/join/"+f.ws.Code, url.Values{"group": {"staff"}}),
	} {
		if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(res.Body, "Too many wrong codes") || res.Header.Get("Retry-After") == "" {
			t.Fatalf("21st attempt: status %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
		}
	}
	if n := f.joined(t); n != 0 {
		t.Fatalf("%d participants joined while refused", n)
	}
	// The form itself still shows, and the limiter's own test covers that
	// other addresses are not affected (all test clients share 127.0.0.1).
	if res := c.Get("/join"); res.StatusCode != http.StatusOK {
		t.Fatalf("join form: status %d", res.StatusCode)
	}
}

// Ensures a group must be chosen (and one of the workshop's), the form shows
// the problem, and nobody joins.
func TestJoinGroupRequired(t *testing.T) {
	f := newWorkshopFixture(t, storetest.Open(t, storetest.SQLite), nil)
	c := f.env.Client()
	for _, group := range []string{"", "aliens"} {
		res := c.PostForm("/join/"+f.ws.Code, url.Values{"group": {group}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "choose your group") || !strings.Contains(res.Body, `href="#group"`) {
			t.Errorf("group %q: status %d", group, res.StatusCode)
		}
		if len(res.Header["Set-Cookie"]) != 0 {
			t.Errorf("group %q: a cookie was set: %q", group, res.Header["Set-Cookie"])
		}
	}
	if n := f.joined(t); n != 0 {
		t.Fatalf("%d participants joined", n)
	}
}

// Ensures a named workshop asks for a display name, requires it, and keeps
// it with the participant; an anonymous workshop drops a name sent anyway.
func TestJoinNamedWorkshop(t *testing.T) {
	f := newWorkshopFixture(t, storetest.Open(t, storetest.SQLite), func(w *domain.Workshop) { w.Anonymous = false })
	c := f.env.Client()
	mustContain(t, "named join page", c.Get("/join/"+f.ws.Code).Body, `name="display_name"`, `autocomplete="nickname"`)
	res := c.PostForm("/join/"+f.ws.Code, url.Values{"group": {"staff"}, "display_name": {"  "}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "is required in this workshop") {
		t.Fatalf("no name: status %d", res.StatusCode)
	}
	res = c.PostForm("/join/"+f.ws.Code, url.Values{"group": {"staff"}, "display_name": {strings.Repeat("x", 61)}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "longer than 60 characters") {
		t.Fatalf("long name: status %d", res.StatusCode)
	}
	res = c.PostForm("/join/"+f.ws.Code, url.Values{"group": {"staff"}, "display_name": {"Kim Lindqvist"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("named join: status %d", res.StatusCode)
	}
	_, p := f.participant(t, participantToken(t, res))
	if p.DisplayName != "Kim Lindqvist" {
		t.Errorf("display name %q", p.DisplayName)
	}
	if body := c.Get("/w/" + f.ws.ID).Body; !strings.Contains(body, "Kim Lindqvist") {
		t.Error("the screen does not show the name the participant gave")
	}
}

// Ensures a browser that has joined resumes on joining again (by the join
// page or by posting the form): no second participant, the same token.
func TestRejoinResumes(t *testing.T) {
	f := newWorkshopFixture(t, storetest.Open(t, storetest.SQLite), nil)
	c := f.env.Client()
	token := f.join(t, c, "staff")
	if res := c.Get("/join/" + f.ws.Code); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/w/"+f.ws.ID {
		t.Fatalf("join page again: status %d, location %q", res.StatusCode, res.Header.Get("Location"))
	}
	res := c.PostForm("/join/"+f.ws.Code, url.Values{"group": {"managers"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/w/"+f.ws.ID || len(res.Header["Set-Cookie"]) != 0 {
		t.Fatalf("join again: status %d, location %q, cookies %q", res.StatusCode, res.Header.Get("Location"), res.Header["Set-Cookie"])
	}
	if n := f.joined(t); n != 1 {
		t.Fatalf("%d participants after rejoining; want 1", n)
	}
	if _, p := f.participant(t, token); p.Group != "staff" {
		t.Errorf("group changed to %q", p.Group)
	}
	// Another browser is another participant.
	f.join(t, f.env.Client(), "staff")
	if n := f.joined(t); n != 2 {
		t.Fatalf("%d participants; want 2", n)
	}
}

// Ensures answers given through the one-trend form are saved, shown chosen
// when the participant returns, moved on from trend to trend, and can be
// changed (still one answer per question); with JavaScript's header the
// answer is JSON. On both engines.
func TestAnswerThroughTheForm(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newWorkshopFixture(t, db, nil)
		c := f.env.Client()
		token := f.join(t, c, "staff")
		f.phase(t, domain.PhaseRating)
		page := c.Get("/w/" + f.ws.ID)
		mustContain(t, "first trend", page.Body, "Trend 1 of 3", "AI changes working life", `name="a:ai-at-work:impact"`, "Don&#39;t know", "Save and next", `aria-live="polite"`)
		res := c.PostForm("/w/"+f.ws.ID+"/answers", answersForm(trendAI, 1))
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/w/"+f.ws.ID+"?i=2&saved=answers" {
			t.Fatalf("save: status %d, location %q\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
		}
		next := c.Get(res.Header.Get("Location"))
		mustContain(t, "second trend", next.Body, "Trend 2 of 3", "Saved")
		// Coming back: the answers are chosen, "don't know" included.
		back := c.Get("/w/" + f.ws.ID + "?i=1")
		for id, want := range map[string]bool{"a-ai-at-work-impact-4": true, "a-ai-at-work-impact-3": false,
			"a-ai-at-work-direction--1": true, "a-ai-at-work-certainty-dk": true, "a-ai-at-work-readiness-2": true} {
			if checked(back.Body, id) != want {
				t.Errorf("%s checked = %v, want %v", id, !want, want)
			}
		}
		// Without ?i the screen resumes at the first trend not finished.
		mustContain(t, "resume", c.Get("/w/"+f.ws.ID).Body, "Trend 2 of 3")
		// Change one answer with JavaScript's request.
		res = c.Request(http.MethodPost, "/w/"+f.ws.ID+"/answers", strings.NewReader(url.Values{"i": {"1"}, "a:ai-at-work:impact": {"5"}}.Encode()),
			http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "X-Waymark-Fetch": {"1"}})
		var out struct {
			OK      bool
			Message string
		}
		if err := json.Unmarshal([]byte(res.Body), &out); err != nil || res.StatusCode != http.StatusOK || !out.OK || out.Message != "Saved" {
			t.Fatalf("fetch save: status %d %s (%v)", res.StatusCode, res.Body, err)
		}
		st := f.state(t, token)
		if len(st.Answers) != 5 {
			t.Fatalf("%d answers stored; want 5", len(st.Answers))
		}
		for _, a := range st.Answers {
			switch a.QuestionKey {
			case "impact":
				if a.Value == nil || *a.Value != 5 {
					t.Errorf("impact %v; want 5", a.Value)
				}
			case "certainty":
				if a.Value != nil {
					t.Errorf("certainty %v; want don't know", *a.Value)
				}
			}
		}
		// The last trend finishes on the summary.
		c.PostForm("/w/"+f.ws.ID+"/answers", answersForm(trendOlder, 2))
		res = c.PostForm("/w/"+f.ws.ID+"/answers", answersForm(trendShared, 3))
		if loc := res.Header.Get("Location"); loc != "/w/"+f.ws.ID+"?saved=answers&view=done" {
			t.Fatalf("after the last trend: %q", loc)
		}
		mustContain(t, "summary", c.Get("/w/"+f.ws.ID).Body, "You have rated every trend", "3 of 3")
		// The list view shows every trend in one form, answers chosen.
		list := c.Get("/w/" + f.ws.ID + "?view=list")
		mustContain(t, "list view", list.Body, "AI changes working life", "More older residents", `name="view" value="list"`)
		if !checked(list.Body, "a-older-population-impact-4") {
			t.Error("the list view does not show a saved answer")
		}
		// Saving nothing moves on without an error.
		if res := c.PostForm("/w/"+f.ws.ID+"/answers", url.Values{"i": {"1"}}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("empty save: status %d", res.StatusCode)
		}
	})
}

// Ensures out-of-range values, values that are not numbers, unknown
// questions and unknown trends get 422 with the problem shown on the page
// (at the question when it is on the screen), in the participant's
// language, and nothing of the batch is stored.
func TestAnswerProblems(t *testing.T) {
	f := newWorkshopFixture(t, storetest.Open(t, storetest.SQLite), nil)
	c := f.env.Client()
	token := f.join(t, c, "staff")
	f.phase(t, domain.PhaseRating)
	cases := []struct {
		form url.Values
		want string
	}{
		{url.Values{"i": {"1"}, "a:ai-at-work:impact": {"9"}, "a:ai-at-work:readiness": {"3"}}, "9 is outside the scale 1 to 5"},
		{url.Values{"i": {"1"}, "a:ai-at-work:impact": {"lots"}}, "&#34;lots&#34; is not a value of this question"},
		{url.Values{"i": {"1"}, "a:ai-at-work:mood": {"3"}}, "&#34;mood&#34; is not a question of this workshop"},
		{url.Values{"i": {"1"}, "a:weather:impact": {"3"}, "a:ai-at-work:impact": {"3"}}, "&#34;weather&#34; is not a trend of this workshop"},
	}
	for _, tc := range cases {
		res := c.PostForm("/w/"+f.ws.ID+"/answers", tc.form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, tc.want) {
			t.Errorf("%v: status %d, want 422 with %q\n%s", tc.form, res.StatusCode, tc.want, res.Body)
		}
	}
	// The error sits at its question, and the values sent are kept.
	res := c.PostForm("/w/"+f.ws.ID+"/answers", cases[0].form)
	mustContain(t, "refused form", res.Body, `id="a-ai-at-work-impact-error"`, "govuk-form-group--error")
	if !checked(res.Body, "a-ai-at-work-readiness-3") {
		t.Error("the refused form lost the other answer")
	}
	if st := f.state(t, token); len(st.Answers) != 0 {
		t.Fatalf("%d answers stored from refused batches", len(st.Answers))
	}
	// JavaScript gets the problem by answer.
	res = c.Request(http.MethodPost, "/w/"+f.ws.ID+"/answers", strings.NewReader(cases[0].form.Encode()),
		http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "X-Waymark-Fetch": {"1"}})
	var out struct {
		OK     bool
		Errors map[string]string
	}
	if json.Unmarshal([]byte(res.Body), &out); res.StatusCode != http.StatusUnprocessableEntity || out.OK || out.Errors["ai-at-work:impact"] == "" {
		t.Errorf("fetch: status %d %s", res.StatusCode, res.Body)
	}
	// In Swedish.
	c.SetCookie("lang", "sv")
	if res := c.PostForm("/w/"+f.ws.ID+"/answers", cases[0].form); !strings.Contains(res.Body, "9 ligger utanför skalan 1 till 5") {
		t.Error("the problem is not in Swedish")
	}
}

// Ensures answers outside the rating phase get 409 with a clear message, in
// the participant's language, on the screen of the current phase; and that
// answers can be changed until the phase closes.
func TestAnswerOutsideRating(t *testing.T) {
	f := newWorkshopFixture(t, storetest.Open(t, storetest.SQLite), func(w *domain.Workshop) { w.Language = "sv" })
	c := f.env.Client()
	token := f.join(t, c, "staff")
	res := c.PostForm("/w/"+f.ws.ID+"/answers", answersForm(trendAI, 1))
	if res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, "Workshoppen tar inte emot bedömningar nu") || !strings.Contains(res.Body, `data-wm-step="lobby"`) {
		t.Fatalf("lobby: status %d\n%s", res.StatusCode, res.Body)
	}
	f.phase(t, domain.PhaseRating)
	if res := c.PostForm("/w/"+f.ws.ID+"/answers", answersForm(trendAI, 1)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("rating: status %d", res.StatusCode)
	}
	f.phase(t, domain.PhaseTensions)
	res = c.Request(http.MethodPost, "/w/"+f.ws.ID+"/answers", strings.NewReader(url.Values{"a:ai-at-work:impact": {"1"}}.Encode()),
		http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "X-Waymark-Fetch": {"1"}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, `"reload":true`) {
		t.Fatalf("fetch after the phase: status %d %s", res.StatusCode, res.Body)
	}
	for _, a := range f.state(t, token).Answers {
		if a.QuestionKey == "impact" && (a.Value == nil || *a.Value != 4) {
			t.Errorf("impact changed after the phase closed: %v", a.Value)
		}
	}
}

// Ensures the tensions screen shows two sliders per field with the poles,
// a position is saved and shown again, and out-of-range values or unknown
// fields get 422 without being stored.
func TestTensionsFlow(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newWorkshopFixture(t, db, nil)
		c := f.env.Client()
		token := f.join(t, c, "staff")
		f.phase(t, domain.PhaseTensions)
		page := c.Get("/w/" + f.ws.ID)
		mustContain(t, "tensions", page.Body, "Steering", "National steering", "Local autonomy", `type="range"`,
			`id="tension-national-local-now"`, `id="tension-national-local-want"`, `min="-100"`, `max="100"`, "Not placed yet")
		res := c.PostForm("/w/"+f.ws.ID+"/tensions", url.Values{"tension": {tensionSteer}, "now": {"-40"}, "want": {"60"}})
		if res.StatusCode != http.StatusSeeOther || !strings.HasSuffix(res.Header.Get("Location"), "#tension-national-local") {
			t.Fatalf("save: status %d, location %q", res.StatusCode, res.Header.Get("Location"))
		}
		page = c.Get(res.Header.Get("Location"))
		mustContain(t, "saved tension", page.Body, `value="-40"`, `value="60"`, "Saved", "-40, towards “National steering”", "60, towards “Local autonomy”")
		st := f.state(t, token)
		if len(st.Tensions) != 1 || st.Tensions[0].Now != -40 || st.Tensions[0].Want != 60 {
			t.Fatalf("stored %+v", st.Tensions)
		}
		for _, form := range []url.Values{
			{"tension": {tensionSteer}, "now": {"150"}, "want": {"0"}},
			{"tension": {tensionSteer}, "now": {"x"}, "want": {"0"}},
			{"tension": {"no-such-field"}, "now": {"0"}, "want": {"0"}},
		} {
			if res := c.PostForm("/w/"+f.ws.ID+"/tensions", form); res.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("%v: status %d, want 422", form, res.StatusCode)
			}
		}
		if st := f.state(t, token); len(st.Tensions) != 1 || st.Tensions[0].Now != -40 {
			t.Fatalf("refused positions changed what is stored: %+v", st.Tensions)
		}
	})
}

// Ensures ideas can be added to a trend and are seen by others, one upvote
// per participant toggles on and off, an empty idea is refused, and upvotes
// are refused outside the consequences phase.
func TestIdeasAndUpvotes(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newWorkshopFixture(t, db, nil)
		alice, bob := f.env.Client(), f.env.Client()
		f.join(t, alice, "staff")
		f.join(t, bob, "managers")
		f.phase(t, domain.PhaseConsequences)
		page := alice.Get("/w/" + f.ws.ID)
		mustContain(t, "consequences", page.Body, "AI changes working life", "No ideas yet", `name="text"`, "Trend 1 of 3")
		res := alice.PostForm("/w/"+f.ws.ID+"/ideas", url.Values{"trend": {trendAI}, "i": {"1"}, "text": {"Train every team in AI tools"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("add idea: status %d\n%s", res.StatusCode, res.Body)
		}
		mustContain(t, "own idea", alice.Get(res.Header.Get("Location")).Body, "Train every team in AI tools", "Your idea", "Your idea has been added")
		if res := alice.PostForm("/w/"+f.ws.ID+"/ideas", url.Values{"trend": {trendAI}, "i": {"1"}, "text": {"   "}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "is required") {
			t.Errorf("empty idea: status %d", res.StatusCode)
		}
		ideas, _ := f.env.Svc.VisibleIdeas(context.Background(), f.ws.ID)
		if len(ideas) != 1 {
			t.Fatalf("%d ideas", len(ideas))
		}
		id := ideas[0].ID
		bobPage := bob.Get("/w/" + f.ws.ID + "?i=1")
		mustContain(t, "bob's screen", bobPage.Body, "Train every team in AI tools", `aria-pressed="false"`, "0 upvotes")
		if strings.Contains(bobPage.Body, "Your idea") {
			t.Error("another participant's idea is marked as bob's own")
		}
		upvote := func(c *apptest.Client, on string) *apptest.Response {
			return c.PostForm("/w/"+f.ws.ID+"/upvote", url.Values{"idea": {id}, "on": {on}, "i": {"1"}})
		}
		for range 2 { // twice: still one upvote
			if res := upvote(bob, "1"); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("upvote: status %d", res.StatusCode)
			}
		}
		mustContain(t, "upvoted", bob.Get("/w/"+f.ws.ID+"?i=1").Body, `aria-pressed="true"`, "1 upvote<")
		upvote(alice, "1")
		mustContain(t, "two upvotes", alice.Get("/w/"+f.ws.ID+"?i=1").Body, "2 upvotes")
		upvote(bob, "0")
		mustContain(t, "taken back", bob.Get("/w/"+f.ws.ID+"?i=1").Body, `aria-pressed="false"`, "1 upvote<")
		// An idea that does not exist, and an upvote after the phase.
		if res := bob.PostForm("/w/"+f.ws.ID+"/upvote", url.Values{"idea": {"nope"}, "on": {"1"}}); res.StatusCode < 400 {
			t.Errorf("upvote on an unknown idea: status %d", res.StatusCode)
		}
		f.phase(t, domain.PhaseVoting)
		if res := upvote(bob, "1"); res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, "not taking upvotes now") {
			t.Errorf("upvote while voting: status %d", res.StatusCode)
		}
	})
}

// Ensures dots can be placed on ideas up to the workshop's number, are shown
// again, and too many or negative dots get 422 without changing what is
// stored.
func TestDotsFlow(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := newWorkshopFixture(t, db, func(w *domain.Workshop) { w.Dots = 3 })
		c := f.env.Client()
		token := f.join(t, c, "staff")
		f.phase(t, domain.PhaseConsequences)
		for _, text := range []string{"Shared AI guidance", "A digital skills programme"} {
			c.PostForm("/w/"+f.ws.ID+"/ideas", url.Values{"trend": {trendAI}, "text": {text}})
		}
		ideas, _ := f.env.Svc.VisibleIdeas(context.Background(), f.ws.ID)
		if len(ideas) != 2 {
			t.Fatalf("%d ideas", len(ideas))
		}
		a, b := ideas[0].ID, ideas[1].ID
		f.phase(t, domain.PhaseVoting)
		page := c.Get("/w/" + f.ws.ID)
		mustContain(t, "voting", page.Body, "You have 3 dots", "Shared AI guidance", `name="dots:`+a+`"`, "You have placed 0 of 3 dots")
		res := c.PostForm("/w/"+f.ws.ID+"/dots", url.Values{"dots:" + a: {"2"}, "dots:" + b: {"1"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("dots: status %d\n%s", res.StatusCode, res.Body)
		}
		page = c.Get(res.Header.Get("Location"))
		mustContain(t, "saved dots", page.Body, "You have placed 3 of 3 dots", "Your dots are saved")
		for _, form := range []url.Values{
			{"dots:" + a: {"2"}, "dots:" + b: {"2"}},
			{"dots:" + a: {"-1"}},
			{"dots:" + a: {"one"}},
		} {
			res := c.PostForm("/w/"+f.ws.ID+"/dots", form)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="dots-error"`) {
				t.Errorf("%v: status %d, want 422 with the problem", form, res.StatusCode)
			}
		}
		if st := f.state(t, token); st.Dots[a] != 2 || st.Dots[b] != 1 {
			t.Fatalf("stored dots %v", st.Dots)
		}
	})
}

// Ensures a participant token opens only its own workshop: a token of
// workshop A on workshop B's pages, actions and stream gets 404 and changes
// nothing, as does no token or a malformed one.
func TestParticipantTokenOfAnotherWorkshop(t *testing.T) {
	f := newWorkshopFixture(t, storetest.Open(t, storetest.SQLite), nil)
	other := createWorkshop(t, f.env, f.owner, nil)
	aToken := f.join(t, f.env.Client(), "staff")
	bClient := f.env.Client()
	if res := bClient.PostForm("/join/"+other.Code, url.Values{"group": {"staff"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatal(res.StatusCode)
	}
	if _, err := f.env.Svc.SetPhase(context.Background(), f.owner, other.ID, domain.PhaseRating); err != nil {
		t.Fatal(err)
	}
	for _, token := range []string{aToken, "", "wmp_short", "garbage"} {
		c := f.env.Client()
		if token != "" {
			c.SetCookie("waymark_participant", token) // Path=/: sent to B's pages too
		}
		base := "/w/" + other.ID
		for _, res := range []*apptest.Response{
			c.Get(base), c.Get(base + "?fragment=1"), c.Get(base + "/events"),
			c.PostForm(base+"/answers", answersForm(trendAI, 1)),
			c.PostForm(base+"/tensions", url.Values{"tension": {tensionSteer}, "now": {"0"}, "want": {"0"}}),
			c.PostForm(base+"/ideas", url.Values{"trend": {trendAI}, "text": {"x"}}),
			c.PostForm(base+"/upvote", url.Values{"idea": {"x"}, "on": {"1"}}),
			c.PostForm(base+"/dots", url.Values{}),
		} {
			if res.StatusCode != http.StatusNotFound || strings.Contains(res.Body, "Spring assessment") {
				t.Errorf("token %q: status %d, want 404 without the workshop's title", token, res.StatusCode)
			}
		}
	}
	answers, err := f.env.DB.Answers(context.Background(), f.owner.OrgID, other.ID)
	if err != nil || len(answers) != 0 {
		t.Fatalf("workshop B has %d answers (%v)", len(answers), err)
	}
}

// Ensures the participant's pages are in the workshop's language until the
// participant chooses another with the switcher.
func TestParticipantLanguage(t *testing.T) {
	f := newWorkshopFixture(t, storetest.Open(t, storetest.SQLite), func(w *domain.Workshop) { w.Language = "sv" })
	c := f.env.Client()
	mustContain(t, "Swedish join page", c.Get("/join/"+f.ws.Code).Body, `<html lang="sv"`, "Vilken grupp tillhör du?", "Förtroendevalda")
	f.join(t, c, "staff")
	mustContain(t, "Swedish lobby", c.Get("/w/"+f.ws.ID).Body, `<html lang="sv"`, "Du är med")
	res := c.PostForm("/lang", url.Values{"lang": {"en"}, "return_to": {"/w/" + f.ws.ID}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/w/"+f.ws.ID {
		t.Fatalf("switch: status %d, location %q", res.StatusCode, res.Header.Get("Location"))
	}
	mustContain(t, "English lobby", c.Get("/w/"+f.ws.ID).Body, `<html lang="en"`, "You have joined")
}

// Ensures no participant screen carries inline script or style, which the
// Content-Security-Policy would block, and the fragment that JavaScript
// swaps in is the screen alone.
func TestParticipantPagesUnderCSP(t *testing.T) {
	f := newWorkshopFixture(t, storetest.Open(t, storetest.SQLite), nil)
	c := f.env.Client()
	f.join(t, c, "staff")
	inline := regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]|\sstyle=|<style`)
	bodies := map[string]string{"/join": c.Get("/join").Body}
	for _, p := range []domain.Phase{domain.PhaseLobby, domain.PhaseRating, domain.PhaseTensions, domain.PhaseConsequences, domain.PhaseVoting, domain.PhaseClosed} {
		if p != domain.PhaseLobby {
			f.phase(t, p)
		}
		bodies[string(p)] = c.Get("/w/" + f.ws.ID).Body
		if p == domain.PhaseRating {
			bodies["list"] = c.Get("/w/" + f.ws.ID + "?view=list").Body
		}
	}
	for name, body := range bodies {
		if inline.MatchString(body) {
			t.Errorf("%s has inline script or style", name)
		}
		if name != "/join" && !strings.Contains(body, "js/participant.js") {
			t.Errorf("%s does not load participant.js", name)
		}
	}
	frag := c.Get("/w/" + f.ws.ID + "?fragment=1")
	if frag.StatusCode != http.StatusOK || strings.Contains(frag.Body, "<html") || !strings.HasPrefix(strings.TrimSpace(frag.Body), `<div id="wm-screen"`) ||
		!strings.Contains(frag.Body, `data-wm-step="closed"`) {
		t.Fatalf("fragment: status %d\n%s", frag.StatusCode, frag.Body)
	}
}

// Ensures results the facilitator shows reach participants' screens as
// aggregates only, and a question with fewer than five answers is left out.
func TestParticipantResults(t *testing.T) {
	f := newWorkshopFixture(t, storetest.Open(t, storetest.SQLite), nil)
	var clients []*apptest.Client
	for range 5 {
		c := f.env.Client()
		f.join(t, c, "staff")
		clients = append(clients, c)
	}
	f.phase(t, domain.PhaseRating)
	for i, c := range clients {
		form := url.Values{"a:ai-at-work:impact": {fmt.Sprint(1 + i%2)}}
		if i < 2 {
			form.Set("a:older-population:impact", "3")
		}
		c.PostForm("/w/"+f.ws.ID+"/answers", form)
	}
	f.phase(t, domain.PhaseClosed)
	if body := clients[0].Get("/w/" + f.ws.ID).Body; strings.Contains(body, `id="results"`) || !strings.Contains(body, "Thank you") {
		t.Fatal("results shown before the facilitator showed them")
	}
	if _, err := f.env.Svc.SetShowResults(context.Background(), f.owner, f.ws.ID, true); err != nil {
		t.Fatal(err)
	}
	body := clients[0].Get("/w/" + f.ws.ID).Body
	mustContain(t, "results", body, `id="results"`, "AI changes working life", "5 answers", "1 – hardly")
	if strings.Contains(body, "More older residents") {
		t.Error("a trend with two answers is shown")
	}
}

// Ensures an asynchronous round offers its parts to move between while it
// is open, and says when it opens before that.
func TestParticipantAsyncRound(t *testing.T) {
	f := newWorkshopFixture(t, storetest.Open(t, storetest.SQLite), func(w *domain.Workshop) {
		opens, closes := time.Now().Add(time.Hour), time.Now().Add(48*time.Hour)
		w.Mode, w.OpensAt, w.ClosesAt = domain.Async, &opens, &closes
	})
	c := f.env.Client()
	token := f.join(t, c, "staff")
	mustContain(t, "before it opens", c.Get("/w/"+f.ws.ID).Body, "Not open yet", "This round opens")
	f.env.Clock.Advance(2 * time.Hour)
	page := c.Get("/w/" + f.ws.ID)
	mustContain(t, "open round", page.Body, `aria-current="page">Rate the trends`, "?step=tensions", "?step=consequences", "?step=voting")
	res := c.PostForm("/w/"+f.ws.ID+"/tensions", url.Values{"tension": {tensionSteer}, "now": {"10"}, "want": {"20"}, "step": {"tensions"}})
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "step=tensions") {
		t.Fatalf("async tension: status %d, location %q", res.StatusCode, res.Header.Get("Location"))
	}
	if st := f.state(t, token); len(st.Tensions) != 1 {
		t.Fatal("the position was not stored")
	}
	f.env.Clock.Advance(72 * time.Hour)
	mustContain(t, "after it closes", c.Get("/w/"+f.ws.ID).Body, "This round has closed")
}

// sseEvent is one event read from a stream.
type sseEvent struct {
	ID, Type, Data string
}

// readEvents reads Server-Sent Events from the stream into a channel.
func readEvents(t *testing.T, ctx context.Context, url, token string) <-chan sseEvent {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	req.AddCookie(&http.Cookie{Name: "waymark_participant", Value: token})
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("stream: status %d, type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	ch := make(chan sseEvent, 16)
	go func() {
		defer res.Body.Close()
		defer close(ch)
		sc := bufio.NewScanner(res.Body)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.Type != "" || ev.Data != "" {
					ch <- ev
				}
				ev = sseEvent{}
			case strings.HasPrefix(line, "id: "):
				ev.ID = line[4:]
			case strings.HasPrefix(line, "event: "):
				ev.Type = line[7:]
			case strings.HasPrefix(line, "data: "):
				ev.Data += line[6:]
			}
		}
	}()
	return ch
}

// Ensures the participant's stream starts with the current state and
// delivers a state event within a second when the facilitator moves the
// phase, and ideas events without anyone's content; it never carries
// another participant's answers.
func TestParticipantStreamFollowsPhase(t *testing.T) {
	f := newWorkshopFixture(t, storetest.Open(t, storetest.SQLite), nil)
	c := f.env.Client()
	token := f.join(t, c, "staff")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	events := readEvents(t, ctx, f.env.Server.URL+"/w/"+f.ws.ID+"/events", token)
	next := func(d time.Duration) sseEvent {
		t.Helper()
		select {
		case ev, ok := <-events:
			if !ok {
				t.Fatal("the stream ended")
			}
			return ev
		case <-time.After(d):
			t.Fatalf("no event within %v", d)
		}
		return sseEvent{}
	}
	first := next(2 * time.Second)
	var st service.LiveState
	if first.Type != "state" || json.Unmarshal([]byte(first.Data), &st) != nil || st.Phase != domain.PhaseLobby || st.Revision != f.ws.Revision {
		t.Fatalf("first event %+v; want the lobby state at revision %d", first, f.ws.Revision)
	}
	start := time.Now()
	f.phase(t, domain.PhaseRating)
	ev := next(time.Second)
	if ev.Type != "state" || json.Unmarshal([]byte(ev.Data), &st) != nil || st.Phase != domain.PhaseRating || st.Revision != f.ws.Revision {
		t.Fatalf("after the move: %+v", ev)
	}
	t.Logf("state event after %v", time.Since(start))
	// Another participant's answer does not reach this stream.
	other := f.env.Client()
	f.join(t, other, "managers")
	other.PostForm("/w/"+f.ws.ID+"/answers", answersForm(trendAI, 1))
	f.phase(t, domain.PhaseConsequences)
	for {
		ev := next(2 * time.Second)
		if strings.Contains(ev.Data, "impact") || strings.Contains(ev.Data, "managers") {
			t.Fatalf("the stream carries answers: %+v", ev)
		}
		if ev.Type == "state" {
			break
		}
	}
	other.PostForm("/w/"+f.ws.ID+"/ideas", url.Values{"trend": {trendAI}, "text": {"Secret plan"}})
	ev = next(2 * time.Second)
	if ev.Type != "ideas" || strings.Contains(ev.Data, "Secret plan") {
		t.Fatalf("after an idea: %+v", ev)
	}
	// The screen the script fetches on that event is the new phase's.
	mustContain(t, "fragment", c.Get("/w/"+f.ws.ID+"?fragment=1").Body, `data-wm-step="consequences"`, "Secret plan")
}

// participantIsolation readies, for the tenant-isolation test, organisation
// A's workshop as the target of the participant routes, and gives B's
// client a valid participant token of a workshop of B's own (on Path /, so
// that it is sent to A's workshop pages too). Returns A's workshop id in a
// route's path values.
func participantIsolation(t *testing.T, f *tenantFixture) map[string]string {
	t.Helper()
	ctx := context.Background()
	bOwner := mustUser(t, f.env, "owner@beta.example")
	bws := createWorkshop(t, f.env, domain.Actor{UserID: bOwner.ID, OrgID: f.b.ID, Role: domain.Owner}, nil)
	token, _, _, err := f.env.Svc.Join(ctx, bws.Code, "staff", "")
	if err != nil {
		t.Fatal(err)
	}
	f.bClient.SetCookie("waymark_participant", token)
	t.Cleanup(func() {
		if answers, _ := f.env.DB.Answers(context.Background(), f.a.ID, f.aWorkshop.ID); len(answers) != 0 {
			t.Errorf("A's workshop got %d answers from B", len(answers))
		}
		if ideas, _ := f.env.Svc.VisibleIdeas(context.Background(), f.aWorkshop.ID); len(ideas) != 0 {
			t.Errorf("A's workshop got %d ideas from B", len(ideas))
		}
	})
	return map[string]string{"id": f.aWorkshop.ID}
}

// Ensures the web pages and the API share one allowance of wrong join
// codes per client address: 20 wrong codes on the join page, and the API
// refuses the next one with 429.
func TestJoinLimitSharedWithAPI(t *testing.T) {
	env, _, _ := start(t)
	c := env.Client()
	for i := 0; i < 20; i++ {
		c.PostForm("/join", url.Values{"code": {"ZZZZ-ZZZZ"}})
	}
	res := c.Request(http.MethodPost, "/api/v1/join", strings.NewReader(`{"code":"ZZZZZZZZ","group":"staff"}`),
		http.Header{"Content-Type": {"application/json"}})
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("API join after 20 wrong codes on the web: status %d, want 429", res.StatusCode)
	}
}
