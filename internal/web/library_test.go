package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// Ensures a valid CSV upload becomes a library whose page lists its trends,
// and a broken upload lists every problem with its row and field and
// stores nothing.
func TestImportThroughTheWeb(t *testing.T) {
	env, org, owner := start(t)
	ctx := context.Background()
	good := "key,category,title_en,title_sv,summary_en\n" +
		"ai-at-work,technology,AI at work,AI i arbetslivet,Assistants change daily work.\n" +
		"older-population,societal,An older population,En äldre befolkning,More people over 80.\n"
	res := owner.Upload("/o/alpha/libraries/import", "file", "pilot-trends.csv", []byte(good), nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("valid upload: status %d\n%s", res.StatusCode, res.Body)
	}
	page := owner.Get(res.Header.Get("Location"))
	for _, want := range []string{"pilot-trends", "AI at work", "An older population", "2 trends"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("library page lacks %q", want)
		}
	}
	libs, _ := env.DB.Libraries(ctx, org.ID)
	before := len(libs)

	bad := "key,category,title_en,title_sv\n" +
		"ai,technology,AI,AI\n" +
		"ai,digital,Again,Igen\n" +
		"climate,weather,Climate,Klimat\n" +
		"empty,societal,,\n" +
		"short,societal\n"
	res = owner.Upload("/o/alpha/libraries/import", "file", "broken.csv", []byte(bad), nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("broken upload: status %d", res.StatusCode)
	}
	problems := regexp.MustCompile(`(?s)<li class="wm-problem[^"]*">(.*?)</li>`).FindAllStringSubmatch(res.Body, -1)
	if len(problems) < 4 {
		t.Fatalf("%d problems listed, want at least 4:\n%s", len(problems), res.Body)
	}
	for _, want := range []string{"broken.csv:3", "broken.csv:4", "broken.csv:5", "broken.csv:6", "category", "weather"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("problem list lacks %q", want)
		}
	}
	if libs, _ := env.DB.Libraries(ctx, org.ID); len(libs) != before {
		t.Fatalf("a broken upload stored a library: %d → %d", before, len(libs))
	}
	// No file at all.
	res = owner.Upload("/o/alpha/libraries/import", "other", "x.csv", []byte("x"), nil)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Choose a file") {
		t.Fatalf("missing file: status %d", res.StatusCode)
	}
}

var versionParam = regexp.MustCompile(`\?v=([0-9a-f-]{36})`)

// Ensures the draft life cycle in the web: start a draft, add and edit
// items (with field-level errors for bad input), reorder, publish, and read
// the difference between the versions.
func TestDraftEditing(t *testing.T) {
	_, _, owner := start(t)
	res := owner.PostForm("/o/alpha/starters/municipal-2030", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("install: %d", res.StatusCode)
	}
	base := res.Header.Get("Location")
	if res := owner.PostForm(base+"/edit/trend/lifelong-learning", url.Values{"title_en": {"x"}}); res.StatusCode != http.StatusConflict {
		t.Fatalf("editing a published version: status %d, want 409", res.StatusCode)
	}
	if res := owner.PostForm(base+"/draft", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("start draft: %d", res.StatusCode)
	}
	// A bad edit names the field and changes nothing.
	res = owner.PostForm(base+"/edit/trend/new", url.Values{"key": {"Bad Key"}, "title_en": {""}, "category": {"weather"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad trend: status %d", res.StatusCode)
	}
	for _, want := range []string{`href="#key"`, `href="#title_en"`, `href="#category"`, "govuk-error-message"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("error page lacks %s", want)
		}
	}
	res = owner.PostForm(base+"/edit/driving_force/new", url.Values{"name_en": {"Security"}, "name_sv": {"Säkerhet"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add force: %d\n%s", res.StatusCode, res.Body)
	}
	res = owner.PostForm(base+"/edit/trend/new", url.Values{"title_en": {"Drones in care"}, "category": {"technology"},
		"driving_forces": {"security", "technology"}, "horizon": {"3-10-years"}, "indicators_en": {"Flights per month\nIncidents"},
		"indicators_sv": {"Flygningar per månad\nIncidenter"}, "sources": {"A report | https://example.org/r | 2025-03"}, "tags": {"drones, care"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add trend: %d\n%s", res.StatusCode, res.Body)
	}
	res = owner.PostForm(base+"/edit/trend/drones-in-care/move", url.Values{"direction": {"up"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("move: %d", res.StatusCode)
	}
	if res := owner.PostForm(base+"/edit/trend/lifelong-learning/move", url.Values{"direction": {"down"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("move: %d", res.StatusCode)
	}
	page := owner.Get(base)
	if !strings.Contains(page.Body, "Drones in care") || !strings.Contains(page.Body, "Security") {
		t.Fatal("draft page lacks the new items")
	}
	edit := owner.Get(base + "/edit/trend/drones-in-care")
	if !strings.Contains(edit.Body, "Flygningar per månad") || !strings.Contains(edit.Body, "A report | https://example.org/r | 2025-03") {
		t.Fatal("edit form does not show the saved values")
	}
	if res := owner.PostForm(base+"/publish", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d", res.StatusCode)
	}
	versions := owner.Get(base + "/versions")
	ids := versionParam.FindAllStringSubmatch(versions.Body, -1)
	if len(ids) < 2 {
		t.Fatalf("versions page lists %d versions", len(ids))
	}
	diff := owner.Get(base + "/diff?from=" + ids[1][1] + "&to=" + ids[0][1])
	if diff.StatusCode != http.StatusOK {
		t.Fatalf("diff: %d", diff.StatusCode)
	}
	for _, want := range []string{"Added", "Drones in care", "Security", "Moved"} {
		if !strings.Contains(diff.Body, want) {
			t.Errorf("diff lacks %q", want)
		}
	}
}

// Ensures people reading in Swedish get the import problems in Swedish,
// with the values and positions unchanged.
func TestImportProblemsInSwedish(t *testing.T) {
	_, _, owner := start(t)
	owner.PostForm("/lang", url.Values{"lang": {"sv"}})
	res := owner.Upload("/o/alpha/libraries/import", "file", "trasig.csv", []byte("key,category,title_en\nai,digital,AI\nai,weather,Igen\n"), nil)
	for _, want := range []string{`&#34;ai&#34; används två gånger: även på rad 2`, `&#34;weather&#34; är inte någon av societal, digital, technology`, "trasig.csv:3", "Filen har 2 problem"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("Swedish problem page lacks %q", want)
		}
	}
}

// Ensures a library made public can be read and copied by another
// organisation, which sees its published versions only, never its draft.
func TestPublicLibraryCopy(t *testing.T) {
	env, _, ownerA := start(t)
	res := ownerA.PostForm("/o/alpha/starters/local-services-2035", nil)
	base := res.Header.Get("Location")
	id := base[strings.LastIndex(base, "/")+1:]
	if res := ownerA.PostForm(base+"/visibility", url.Values{"visibility": {"public"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("make public: %d", res.StatusCode)
	}
	ownerA.PostForm(base+"/draft", nil)
	ownerA.PostForm(base+"/edit/trend/new", url.Values{"title_en": {"Secret draft trend"}, "category": {"digital"}})

	beta := env.Org("beta")
	env.User("owner@beta.example", beta, "owner")
	ownerB := env.SignedIn("owner@beta.example")
	list := ownerB.Get("/o/beta/libraries")
	if !strings.Contains(list.Body, "/o/beta/libraries/"+id) {
		t.Fatal("the public library is not listed for another organisation")
	}
	page := ownerB.Get("/o/beta/libraries/" + id)
	if page.StatusCode != http.StatusOK || strings.Contains(page.Body, "Secret draft trend") || strings.Contains(page.Body, "/edit/") {
		t.Fatalf("public library page for another organisation: status %d, shows the draft or edit links", page.StatusCode)
	}
	versions := ownerB.Get("/o/beta/libraries/" + id + "/versions")
	if strings.Contains(versions.Body, "draft") && strings.Contains(versions.Body, "version 2") {
		t.Fatal("the versions page shows the other organisation's draft")
	}
	res = ownerB.PostForm("/o/beta/libraries/"+id+"/copy", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("copy: %d", res.StatusCode)
	}
	copied := ownerB.Get(res.Header.Get("Location"))
	if !strings.Contains(copied.Body, "Local public services 2035") || strings.Contains(copied.Body, "Secret draft trend") {
		t.Fatal("the copy is not the published version")
	}
	// Changing the copy does not touch the original.
	if res := ownerB.PostForm("/o/beta/libraries/"+id+"/draft", nil); res.StatusCode != http.StatusForbidden {
		t.Fatalf("editing another organisation's public library: status %d, want 403", res.StatusCode)
	}
}

// Ensures a trend's demand links show on its page, are edited on the trend
// form with one labelled control per capability area inside a fieldset
// (a bad level is refused at the fieldset and changes nothing), go away
// with a removed capability area, and show in the diff between versions.
func TestDraftDemandLinks(t *testing.T) {
	_, _, owner := start(t)
	res := owner.PostForm("/o/alpha/starters/public-sector-digital", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("install: %d", res.StatusCode)
	}
	base := res.Header.Get("Location")
	page := owner.Get(base + "/trends/artificial-intelligence")
	for _, want := range []string{"Capability areas it demands", "Standards for data sharing: 3 – strongly"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("trend page lacks %q", want)
		}
	}
	if res := owner.PostForm(base+"/draft", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("start draft: %d", res.StatusCode)
	}
	edit := owner.Get(base + "/edit/trend/artificial-intelligence")
	for _, want := range []string{`<fieldset class="govuk-fieldset" id="demands" aria-describedby="demands-hint">`,
		`<label class="govuk-label" for="demand-data-sharing-standards">`,
		`<select class="govuk-select" id="demand-data-sharing-standards" name="demands_data-sharing-standards">`,
		`<option value="3" selected>3 – strongly</option>`, `<option value="0" selected>0 – not at all</option>`} {
		if !strings.Contains(edit.Body, want) {
			t.Errorf("edit form lacks %s", want)
		}
	}
	form := url.Values{"title_en": {"Artificial intelligence"}, "category": {"technology"},
		"demands_data-sharing-standards": {"3"}, "demands_innovation": {"0"}, "demands_community-resilience": {"1"},
		"demands_digital-skills-and-capability": {"2"}, "demands_place-based-leadership": {""}}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("demands_innovation", "7")
	res = owner.PostForm(base+"/edit/trend/artificial-intelligence", bad)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `href="#demands"`) ||
		!strings.Contains(res.Body, `id="demands-error"`) || !strings.Contains(res.Body, "leave the area out for no link") {
		t.Fatalf("bad level: status %d\n%s", res.StatusCode, res.Body)
	}
	if res := owner.PostForm(base+"/edit/trend/artificial-intelligence", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", res.StatusCode, res.Body)
	}
	page = owner.Get(base + "/trends/artificial-intelligence")
	for _, want := range []string{"Community resilience: 1 – a little", "Standards for data sharing: 3 – strongly", "Digital skills and capability: 2 – clearly"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("trend page lacks %q after saving", want)
		}
	}
	if strings.Contains(page.Body, "Innovation: ") {
		t.Error("trend page still shows the removed link to innovation")
	}
	if res := owner.PostForm(base+"/edit/capability_area/community-resilience/remove", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove area: %d", res.StatusCode)
	}
	if page := owner.Get(base + "/trends/artificial-intelligence"); strings.Contains(page.Body, "Community resilience") {
		t.Error("the link to a removed capability area stays")
	}
	if res := owner.PostForm(base+"/publish", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d", res.StatusCode)
	}
	ids := versionParam.FindAllStringSubmatch(owner.Get(base+"/versions").Body, -1)
	if len(ids) < 2 {
		t.Fatalf("versions page lists %d versions", len(ids))
	}
	diff := owner.Get(base + "/diff?from=" + ids[1][1] + "&to=" + ids[0][1])
	want := "data-sharing-standards: 3, digital-skills-and-capability: 2"
	if !strings.Contains(diff.Body, "<code>demands</code>") || !strings.Contains(diff.Body, want) {
		t.Errorf("diff does not show the changed demand links (%s)", want)
	}
}
