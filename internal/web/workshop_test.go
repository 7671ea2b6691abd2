package web_test

import (
	"bufio"
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/service"
)

var versionRadio = regexp.MustCompile(`name="version" type="radio" value="([0-9a-f-]{36})"`)

// Ensures a facilitator can create a workshop from a starter library in the
// browser: choose the library, get a form with its trends, questions and
// groups filled in, see field errors for bad input, and land on the
// workshop's page with a join code and QR code.
func TestCreateWorkshop(t *testing.T) {
	_, _, owner := start(t)
	owner.PostForm("/o/alpha/starters/local-services-2035", nil)
	step1 := owner.Get("/o/alpha/workshops/new")
	m := versionRadio.FindStringSubmatch(step1.Body)
	if step1.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("step 1: status %d, no library to choose", step1.StatusCode)
	}
	form := owner.Get("/o/alpha/workshops/new?version=" + m[1])
	for _, want := range []string{`name="trends"`, `value="impact"`, "Elected members | Förtroendevalda", `name="tensions"`} {
		if !strings.Contains(form.Body, want) {
			t.Errorf("form lacks %s", want)
		}
	}
	bad := owner.PostForm("/o/alpha/workshops", url.Values{"version": {m[1]}, "title": {""}, "groups": {""}, "mode": {"live"}, "language": {"sv"}, "dots": {"99"}})
	if bad.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad form: status %d", bad.StatusCode)
	}
	for _, want := range []string{`href="#title"`, `href="#trends"`, `href="#questions"`, `href="#groups"`, `href="#dots"`} {
		if !strings.Contains(bad.Body, want) {
			t.Errorf("error summary lacks %s", want)
		}
	}
	res := owner.PostForm("/o/alpha/workshops", url.Values{"version": {m[1]}, "title": {"Budget day 2027"},
		"trends": {"democracy-under-pressure", "ai-changes-working-life"}, "questions": {"impact", "direction", "horizon"},
		"groups": {"Elected members | Förtroendevalda\nStaff | Medarbetare"}, "mode": {"live"}, "language": {"sv"}, "dots": {"3"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: status %d\n%s", res.StatusCode, res.Body)
	}
	run := owner.Get(res.Header.Get("Location"))
	for _, want := range []string{"Budget day 2027", `class="wm-code"`, "<svg", "/join/", "Open the lobby"} {
		if !strings.Contains(run.Body, want) {
			t.Errorf("workshop page lacks %s", want)
		}
	}
	if list := owner.Get("/o/alpha/workshops"); !strings.Contains(list.Body, "Budget day 2027") {
		t.Error("the list does not show the workshop")
	}
}

// Ensures the facilitator moves the phases forward and one back, the
// presenter view and its live fragment render, and the facilitator's event
// stream carries the phase change.
func TestRunWorkshop(t *testing.T) {
	env, org, owner := start(t)
	ctx := context.Background()
	u := mustUser(t, env, "owner@alpha.example")
	a := domain.Actor{UserID: u.ID, OrgID: org.ID, Role: domain.Owner}
	lib, err := env.Svc.InstallStarter(ctx, a, "local-services-2035")
	if err != nil {
		t.Fatal(err)
	}
	_, versions, _ := env.Svc.Library(ctx, a, lib.ID)
	v, _ := env.Svc.Version(ctx, a, versions[0].ID)
	ws := service.NewWorkshop(a, lib, v, "en")
	ws.Title = "Spring session"
	if err := env.Svc.CreateWorkshop(ctx, a, ws); err != nil {
		t.Fatal(err)
	}
	base := "/o/alpha/workshops/" + ws.ID

	// Listen to the facilitator's stream.
	req, _ := http.NewRequest(http.MethodGet, env.Server.URL+base+"/events", nil)
	req.AddCookie(&http.Cookie{Name: "waymark_session", Value: owner.Cookie("waymark_session")})
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	stream, err := http.DefaultClient.Do(req.WithContext(sctx))
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Body.Close()
	if ct := stream.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("stream content type %q", ct)
	}

	for _, to := range []domain.Phase{domain.PhaseLobby, domain.PhaseRating} {
		if res := owner.PostForm(base+"/phase", url.Values{"phase": {string(to)}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("phase %s: %d", to, res.StatusCode)
		}
	}
	got := map[string]bool{}
	sc := bufio.NewScanner(stream.Body)
	for sc.Scan() && !got[`"phase":"rating"`] {
		line := sc.Text()
		if strings.HasPrefix(line, "data:") && strings.Contains(line, `"phase":"rating"`) {
			got[`"phase":"rating"`] = true
		}
	}
	if !got[`"phase":"rating"`] {
		t.Fatal("the stream did not carry the move to rating")
	}
	if res := owner.PostForm(base+"/phase", url.Values{"phase": {"draft"}}); res.StatusCode != http.StatusConflict {
		t.Fatalf("back two phases: status %d, want 409", res.StatusCode)
	}
	if res := owner.PostForm(base+"/phase", url.Values{"phase": {"lobby"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("back one phase: %d", res.StatusCode)
	}
	present := owner.Get(base + "/present")
	if present.StatusCode != http.StatusOK || !strings.Contains(present.Body, "wm-present__code") {
		t.Fatalf("presenter: %d", present.StatusCode)
	}
	frag := owner.Get(base + "/present?fragment=1")
	if frag.StatusCode != http.StatusOK || strings.Contains(frag.Body, "<html") || !strings.Contains(frag.Body, "wm-present__phase") {
		t.Fatalf("presenter fragment: %d", frag.StatusCode)
	}
	if res := owner.PostForm(base+"/duplicate", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("duplicate: %d", res.StatusCode)
	}
	if ws2, _ := env.Svc.Workshops(ctx, a); len(ws2) != 2 {
		t.Fatalf("%d workshops after duplicate", len(ws2))
	}
}
