package e2e

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/waymark/waymark/internal/apptest"
)

var starterNames = []string{"Public sector digital trends", "Municipal trends to 2030", "Local public services 2035"}

// Ensures a member can browse a starter library: the libraries page lists
// the three starter libraries; the library page filters its trends by
// category and by free text in English and Swedish at once as one types
// (JavaScript on), and the same filter form works when submitted to the
// server, also with JavaScript off, giving the same trends; a trend page
// shows its description, indicators, questions and sources. Every page
// passes axe at 320 px and 1280 px.
func TestBrowseStarterLibrary(t *testing.T) {
	t.Parallel()
	d := startDemo(t)
	p := d.NewPage()
	signIn(t, p, demoEmail, apptest.Password, "/o/demo/")

	// The libraries list, reached from the main navigation.
	if status := p.ClickText("Trend libraries"); status != 200 {
		t.Fatalf("libraries page: status %d", status)
	}
	if got := p.Path(); got != "/o/demo/libraries" {
		t.Fatalf("navigation led to %s", got)
	}
	own := p.Texts("main h2 + ul.wm-cards .wm-card__title")
	for _, name := range starterNames {
		if !slices.Contains(own, name) {
			t.Errorf("the organisation's libraries %q lack %q", own, name)
		}
	}
	if len(own) != 3 {
		t.Errorf("the organisation has %d libraries listed %q; want the 3 starters", len(own), own)
	}
	p.Audit()

	// One starter library.
	p.ClickText("Public sector digital trends")
	libPath := p.Path()
	if got := p.Text("h1"); got != "Public sector digital trends" {
		t.Fatalf("library h1 = %q", got)
	}
	all := visibleTrends(p)
	if len(all) != 10 {
		t.Fatalf("library lists %d trends %q; want 10", len(all), all)
	}
	p.Audit()

	// Instant filter by category: the technology checkbox.
	p.Click("label[for=filter-category-technology]")
	waitTrends(t, p, []string{"Artificial intelligence", "Harnessing data", "Cyber protection", "Geospatial technologies", "Infrastructure and cloud"})
	p.WaitFor(`document.querySelector('[data-wm-filter-status]').textContent.trim() === '5 of 10 trends shown'`)
	// The address follows, so reload and sharing keep the filter.
	p.WaitFor(`location.search.includes('category=technology')`)
	p.Audit("library filtered by category (instant)")

	// Instant filter by a Swedish word, together with the category.
	p.Fill("#filter-q", "cyberskydd")
	// It matches the titles, summaries, descriptions and indicators in both
	// languages, as the server does.
	waitTrends(t, p, []string{"Cyber protection", "Infrastructure and cloud"})
	p.WaitFor(`document.querySelector('[data-wm-filter-status]').textContent.trim() === '2 of 10 trends shown'`)

	// An English word, without the category.
	p.Click("label[for=filter-category-technology]")
	p.Fill("#filter-q", "resilience")
	instant := waitSettled(p)
	if !slices.Contains(instant, "Community resilience") {
		t.Errorf("instant filter for resilience shows %q; want Community resilience among them", instant)
	}

	// Nothing matches: the empty message shows.
	p.Fill("#filter-q", "zzzz-no-such-word")
	waitTrends(t, p, nil)
	p.WaitVisible("[data-wm-filter-empty]")
	p.Audit("library filter with no match (instant)")

	// The same words as a server-side search: submit the form. The server
	// must agree with what the instant filter showed.
	for _, word := range []string{"intelligens", "geodata", "angrepp"} {
		instant, server := instantAndServer(t, p, libPath, word)
		if !slices.Equal(server, instant) || len(server) == 0 {
			t.Errorf("filter %q: the server shows %q and the instant filter %q; want the same, not empty", word, server, instant)
		}
	}
	p.Audit("library filtered by text (server)")

	// Without JavaScript: tick a category and a Swedish word, submit.
	nojs := d.NewPage()
	signIn(t, nojs, demoEmail, apptest.Password, "/o/demo/")
	nojs.DisableJavaScript()
	nojs.Go(libPath)
	if got := nojs.Attr("body", "class"); strings.Contains(got, "govuk-frontend-supported") {
		t.Fatalf("JavaScript still runs: body class %q", got)
	}
	nojs.Click("label[for=filter-category-technology]")
	nojs.Fill("#filter-q", "säkerhet")
	if status := nojs.ClickNav("form.wm-filter button[type=submit]"); status != 200 {
		t.Fatalf("submit filter without JavaScript: status %d", status)
	}
	if got := allTrends(nojs); !slices.Equal(got, []string{"Cyber protection"}) {
		t.Errorf("server filter technology + säkerhet shows %q; want [Cyber protection]", got)
	}
	if got := nojs.Text("[data-wm-filter-status]"); got != "1 of 10 trends shown" {
		t.Errorf("server filter status %q", got)
	}
	if got := nojs.Value("#filter-q"); got != "säkerhet" {
		t.Errorf("the search box after submitting holds %q", got)
	}
	nojs.Audit("library filtered (server, no JavaScript)")
	// Clear filters.
	nojs.ClickText("Clear filters")
	if got := allTrends(nojs); len(got) != 10 {
		t.Errorf("after clearing filters %d trends shown; want 10", len(got))
	}
	nojs.Audit("library (no JavaScript)")

	// A trend page.
	p.Go(libPath)
	p.ClickText("Artificial intelligence")
	if got := p.Text("h1"); got != "Artificial intelligence" {
		t.Fatalf("trend h1 = %q", got)
	}
	desc := p.Texts("main h1 ~ div[lang] p.govuk-body")
	if len(desc) == 0 || len(strings.Join(desc, " ")) < 200 {
		t.Errorf("trend description %q; want several sentences", desc)
	}
	headings := p.Texts("main h2")
	for _, h := range []string{"Indicators to watch", "Questions for discussion", "Sources"} {
		if !slices.Contains(headings, h) {
			t.Errorf("trend page headings %q lack %q", headings, h)
		}
	}
	if n := p.Count("main h2 + ul.govuk-list--bullet li"); n < 2 {
		t.Errorf("trend page lists %d indicators", n)
	}
	if n := p.Count("main h2 + ol.govuk-list--number li"); n < 1 {
		t.Errorf("trend page lists %d questions", n)
	}
	if n := p.Count("main li.wm-break a[href^='http']"); n < 1 {
		t.Errorf("trend page links %d sources", n)
	}
	p.Audit()
	// The next trend, through the pagination.
	p.ClickText("Next trend")
	if got := p.Text("h1"); got != "Harnessing data" {
		t.Errorf("next trend h1 = %q; want Harnessing data", got)
	}
	p.Audit()
}

// visibleTrends returns the titles of the trends shown on a library page.
func visibleTrends(p *apptest.Page) []string {
	return p.VisibleTexts("#trend-list .wm-card__title")
}

// allTrends returns the titles of every trend in the page's list, shown or
// not: after a server-side filter the page holds only the matches.
func allTrends(p *apptest.Page) []string {
	return p.Texts("#trend-list .wm-card__title")
}

// waitTrends waits until the library page shows exactly these trends.
func waitTrends(t *testing.T, p *apptest.Page, want []string) {
	t.Helper()
	if want == nil {
		want = []string{}
	}
	p.WaitFor(`JSON.stringify(Array.from(document.querySelectorAll('#trend-list .wm-card__title')).filter(el => el.getClientRects().length > 0).map(el => el.innerText.trim())) === JSON.stringify(` + jsonString(want) + `)`)
}

// waitSettled waits until the instant filter has announced its count, and
// returns the trends it shows.
func waitSettled(p *apptest.Page) []string {
	p.WaitFor(`(() => {
		const shown = Array.from(document.querySelectorAll('#trend-list [data-wm-filter-item]')).filter(el => !el.hidden).length;
		return document.querySelector('[data-wm-filter-status]').textContent.trim().startsWith(shown + ' ');
	})()`)
	return visibleTrends(p)
}

// instantAndServer types word into the library page's search box, reads
// what the instant filter shows, then submits the form and reads what the
// server shows.
func instantAndServer(t *testing.T, p *apptest.Page, libPath, word string) (instant, server []string) {
	t.Helper()
	p.Go(libPath)
	p.Fill("#filter-q", word)
	instant = waitSettled(p)
	if status := p.ClickNav("form.wm-filter button[type=submit]"); status != 200 {
		t.Fatalf("submit filter %q: status %d", word, status)
	}
	if !strings.Contains(p.Path(), "q="+url.QueryEscape(word)) {
		t.Errorf("submitted filter went to %s; want q=%s in the address", p.Path(), word)
	}
	return instant, allTrends(p)
}

// Ensures the instant filter finds the same trends as the server-side
// search, also for words that appear only in a trend's description or
// indicators (which the server searches).
func TestInstantFilterMatchesServer(t *testing.T) {
	t.Parallel()
	d := startDemo(t)
	p := d.NewPage()
	signIn(t, p, demoEmail, apptest.Password, "/o/demo/")
	libPath := "/o/demo/libraries/" + d.libraryID(t, "Public sector digital trends")
	var diffs []string
	for _, word := range []string{"moln", "kompetens", "resilience"} {
		instant, server := instantAndServer(t, p, libPath, word)
		if !slices.Equal(server, instant) {
			diffs = append(diffs, fmt.Sprintf("%q: server %q, instant %q", word, server, instant))
		}
	}
	if len(diffs) > 0 {
		t.Errorf("the instant filter and the server disagree:\n  %s", strings.Join(diffs, "\n  "))
	}
}
