package e2e

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/waymark/waymark/internal/apptest"
	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/library"
	"github.com/waymark/waymark/internal/service"
	"github.com/waymark/waymark/internal/workshop"
)

// phoneWidth is the width of the participants' browser windows.
const phoneWidth = 360

// liveWorkshop imports the sample library (three trends, one field of
// tension) into the demo organisation and opens a workshop on it for
// joining, with three dots each.
func (d *demo) liveWorkshop(t *testing.T) (*domain.Workshop, domain.Actor) {
	t.Helper()
	ctx := context.Background()
	owner := domain.Actor{UserID: d.User.ID, OrgID: d.Org.ID, Role: domain.Owner}
	data, err := os.ReadFile("../library/testdata/sample.json")
	if err != nil {
		t.Fatal(err)
	}
	lib, vi, err := d.Svc.Import(ctx, owner, "sample.json", data, library.FormatJSON, library.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	v, err := d.Svc.Version(ctx, owner, vi.ID)
	if err != nil {
		t.Fatal(err)
	}
	ws := service.NewWorkshop(owner, lib, v, "en")
	ws.Title, ws.Purpose, ws.Dots = "Council trends workshop", "Which trends matter most to the council", 3
	if err := d.Svc.CreateWorkshop(ctx, owner, ws); err != nil {
		t.Fatal(err)
	}
	if ws, err = d.Svc.SetPhase(ctx, owner, ws.ID, domain.PhaseLobby); err != nil {
		t.Fatal(err)
	}
	return ws, owner
}

// phone opens a tab 360 px wide.
func (d *demo) phone() *apptest.Page {
	p := d.NewPage()
	p.SetViewport(phoneWidth, 780)
	return p
}

// audit checks the page at every width, then puts the phone width back.
func audit(p *apptest.Page, name string) {
	p.T.Helper()
	p.Audit(name)
	p.SetViewport(phoneWidth, 780)
}

// joinByCode types the code on /join as the participant would, chooses a
// group and joins.
func joinByCode(t *testing.T, p *apptest.Page, typed, groupID string, ws *domain.Workshop, auditIt bool) {
	t.Helper()
	if status := p.Go("/join"); status != 200 {
		t.Fatalf("GET /join: status %d", status)
	}
	if auditIt {
		audit(p, "join")
	}
	p.Fill("#code", typed)
	if status := p.ClickNav("form.wm-joinform button[type=submit]"); status != 200 || p.Path() != "/join/"+ws.Code {
		t.Fatalf("code %q: status %d on %s", typed, status, p.Path())
	}
	if got := p.Text("h1"); got != ws.Title {
		t.Errorf("join page h1 = %q; want %q", got, ws.Title)
	}
	if auditIt {
		audit(p, "join workshop")
	}
	p.Click("label[for=" + groupID + "]")
	if status := p.ClickNav("main form button[type=submit]"); status != 200 || p.Path() != "/w/"+ws.ID {
		t.Fatalf("join: status %d on %s", status, p.Path())
	}
	if got := p.Attr("#wm-screen", "data-wm-step"); got != "lobby" {
		t.Fatalf("after joining the screen is %q; want lobby", got)
	}
}

// mark sets a marker on the page's window object; a full page load would
// lose it.
func mark(p *apptest.Page, name string) {
	p.Eval(`window.wmMarker = `+jsonString(name)+`; true`, nil)
}

func marked(t *testing.T, p *apptest.Page, name string) {
	t.Helper()
	var got string
	p.Eval(`window.wmMarker || ''`, &got)
	if got != name {
		t.Errorf("window marker %q after the phase change; want %q: the page was reloaded", got, name)
	}
}

// follow moves the workshop to the phase and waits until every page shows
// its screen, without a reload; it returns how long the slowest took.
func follow(t *testing.T, ctx context.Context, d *demo, owner domain.Actor, ws *domain.Workshop, phase domain.Phase, pages map[string]*apptest.Page) time.Duration {
	t.Helper()
	for name, p := range pages {
		mark(p, name)
	}
	start := time.Now()
	if _, err := d.Svc.SetPhase(ctx, owner, ws.ID, phase); err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		p.WaitFor(`(document.getElementById('wm-screen') || {dataset: {}}).dataset.wmStep === ` + jsonString(string(phase)))
	}
	took := time.Since(start)
	for name, p := range pages {
		marked(t, p, name)
	}
	t.Logf("%s: both screens followed in %v", phase, took.Round(time.Millisecond))
	return took
}

// Ensures two participants join by code on 360 px wide phones (one typing it
// in lower case with a hyphen, one with spaces), answer with autosave and
// see "Saved", and that both screens follow the facilitator through
// rating, tensions, consequences, voting and closed without a reload,
// within a second; ideas added by one appear on the other's screen; every
// participant page passes axe at 320 px and 1280 px.
func TestParticipantsFollowTheFacilitator(t *testing.T) {
	t.Parallel()
	d := startDemo(t)
	ctx := context.Background()
	ws, owner := d.liveWorkshop(t)
	code := workshop.FormatCode(ws.Code)

	alice, bob := d.phone(), d.phone()
	joinByCode(t, alice, strings.ToLower(code), "group", ws, true)
	audit(alice, "lobby")
	joinByCode(t, bob, " "+code[:2]+" "+code[2:4]+" "+code[5:]+" ", "group-staff", ws, false)
	pages := map[string]*apptest.Page{"alice": alice, "bob": bob}

	// Rating: one trend per screen, saved as it is chosen.
	var slowest time.Duration
	slowest = max(slowest, follow(t, ctx, d, owner, ws, domain.PhaseRating, pages))
	if got := alice.Text(".govuk-caption-l"); got != "Trend 1 of 3" {
		t.Errorf("rating caption %q", got)
	}
	audit(alice, "answer")
	for _, id := range []string{"a-ai-at-work-impact-4", "a-ai-at-work-direction-1", "a-ai-at-work-horizon-dk"} {
		alice.Click("label[for=" + id + "]")
	}
	alice.WaitFor(`document.querySelector('[data-wm-status]').textContent.includes('Saved')`)
	// "Saved" also shows beside the questions answered, where the eye is.
	alice.WaitFor(`document.querySelectorAll('.wm-q-saved').length === 3`)
	if got := alice.Attr("[data-wm-status]", "aria-live"); got != "polite" {
		t.Errorf("the status is announced %q; want polite", got)
	}
	audit(alice, "saved")
	waitAnswers(t, d, ws, 3)
	// "Save and next" without waiting: the next trend, the answers kept.
	if status := alice.ClickNav("button[name=go][value=next]"); status != 200 || !strings.Contains(alice.Path(), "i=2") {
		t.Fatalf("save and next: status %d on %s", status, alice.Path())
	}
	if got := alice.Text(".govuk-caption-l"); got != "Trend 2 of 3" {
		t.Errorf("after save and next: caption %q", got)
	}
	bob.Click("label[for=a-ai-at-work-impact-2]")
	bob.WaitFor(`document.querySelector('[data-wm-status]').textContent.includes('Saved')`)
	waitAnswers(t, d, ws, 4)

	// Fields of tension: sliders saved when let go.
	slowest = max(slowest, follow(t, ctx, d, owner, ws, domain.PhaseTensions, pages))
	if got := alice.Path(); got != "/w/"+ws.ID {
		t.Errorf("after the phase change the address is %s; want the plain screen", got)
	}
	audit(alice, "tensions")
	alice.SetValue("#tension-national-local-now", "-40")
	alice.WaitFor(`document.querySelector('#tension-national-local [data-wm-status]').textContent.includes('Saved')`)
	if got := alice.Text("[data-wm-output=tension-national-local-now]"); got != "-40" {
		t.Errorf("slider value shown %q; want -40", got)
	}
	if got := alice.Attr("#tension-national-local-now", "aria-valuetext"); !strings.Contains(got, "National steering") {
		t.Errorf("slider aria-valuetext %q", got)
	}

	// Consequences: an idea from alice reaches bob's screen by itself.
	slowest = max(slowest, follow(t, ctx, d, owner, ws, domain.PhaseConsequences, pages))
	audit(alice, "consequences")
	mark(bob, "bob")
	alice.Fill("#idea-text", "Offer every team a short course on AI tools")
	alice.Click(".wm-idea-form button[type=submit]")
	alice.WaitFor(`document.querySelectorAll('.wm-idea-card').length === 1 && document.querySelector('#idea-text').value === ''`)
	bob.WaitFor(`(document.querySelector('.wm-idea-card__text') || {textContent: ''}).textContent.includes('short course on AI tools')`)
	bob.Click(".wm-upvote")
	bob.WaitFor(`document.querySelector('.wm-upvote').getAttribute('aria-pressed') === 'true'`)
	marked(t, bob, "bob")
	audit(bob, "consequences (upvoted)")

	// Voting: the total follows the inputs; saving posts the form.
	slowest = max(slowest, follow(t, ctx, d, owner, ws, domain.PhaseVoting, pages))
	audit(alice, "voting")
	alice.SetValue(".wm-dots__input", "2")
	if got := alice.Text("[data-wm-dots-total]"); got != "You have placed 2 of 3 dots." {
		t.Errorf("dots total %q", got)
	}
	if status := alice.ClickNav(".wm-dots button[type=submit]"); status != 200 {
		t.Fatalf("save dots: status %d", status)
	}
	if got := alice.Text("[data-wm-status]"); !strings.Contains(got, "Your dots are saved") {
		t.Errorf("after saving dots: status %q", got)
	}
	audit(alice, "voting (saved)")

	slowest = max(slowest, follow(t, ctx, d, owner, ws, domain.PhaseClosed, pages))
	if got := bob.Text("h1"); got != "Thank you" {
		t.Errorf("closed screen h1 %q", got)
	}
	audit(bob, "closed")
	if slowest > time.Second {
		t.Errorf("the slowest phase change took %v to reach both screens; want within a second", slowest)
	}
}

// waitAnswers waits until the workshop holds n answers.
func waitAnswers(t *testing.T, d *demo, ws *domain.Workshop, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		answers, err := d.DB.Answers(context.Background(), ws.OrgID, ws.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(answers) == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the workshop holds %d answers; want %d", len(answers), n)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// Ensures a participant without JavaScript can join, answer with the form,
// and sees the new phase on reload.
func TestParticipantWithoutJavaScript(t *testing.T) {
	t.Parallel()
	d := startDemo(t)
	ctx := context.Background()
	ws, owner := d.liveWorkshop(t)
	p := d.phone()
	p.DisableJavaScript()
	joinByCode(t, p, ws.Code, "group", ws, false)
	if _, err := d.Svc.SetPhase(ctx, owner, ws.ID, domain.PhaseRating); err != nil {
		t.Fatal(err)
	}
	if status := p.Go("/w/" + ws.ID); status != 200 || p.Attr("#wm-screen", "data-wm-step") != "rating" {
		t.Fatalf("after reload: status %d, step %q", status, p.Attr("#wm-screen", "data-wm-step"))
	}
	p.Click("label[for=a-ai-at-work-impact-5]")
	if status := p.ClickNav("button[name=go][value=next]"); status != 200 {
		t.Fatalf("save and next: status %d", status)
	}
	if got := p.Text("[data-wm-status]"); !strings.Contains(got, "Saved") {
		t.Errorf("status after saving without JavaScript: %q", got)
	}
	audit(p, "answer (no JavaScript)")
	waitAnswers(t, d, ws, 1)
}
