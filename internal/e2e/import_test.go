package e2e

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/waymark/waymark/internal/apptest"
)

// validCSV is a small library in the flat CSV format of docs/formats.md:
// both languages, a multi-line description, paired indicators and
// questions, sources, driving forces by name, a horizon by name, tags.
const validCSV = "\ufeffkey,category,title_en,title_sv,summary_en,summary_sv,description_en,description_sv,driving_forces,horizon,indicators_en,indicators_sv,sources,questions_en,questions_sv,tags\n" +
	`home-care-robots,technology,Robots in home care,Robotar i hemtjänsten,Robots take on lifting and reminders.,Robotar tar över lyft och påminnelser.,"Pilots show robots can take on heavy lifting.

Staff time moves to contact with people.","Försök visar att robotar kan ta över tunga lyft.

Personalens tid går till kontakt med människor.",Technology shift; Demography,Within 3 years,"Number of robots in use
Hours of lifting saved","Antal robotar i drift
Sparade timmar med lyft","Care robotics review | https://example.org/robots | 2024-03",Which tasks would residents accept a robot for?,Vilka uppgifter skulle invånarna godta en robot för?,care; robotics` + "\n" +
	`village-hubs,societal,Village service hubs,Servicepunkter på landsbygden,Services share one local building.,Tjänster delar en lokal byggnad.,,,Demography,3–10 years,Share of residents within 10 km of a hub,Andel invånare inom 10 km från en servicepunkt,Rural services study | https://example.org/rural | 2023,,,rural` + "\n" +
	`open-data-portal,digital,Open data by default,Öppna data som standard,,,,,Technology shift,Now,,,,,,data` + "\n"

// Ensures an owner can upload a valid flat CSV on the import page and then
// sees the new library, named after the file, with all its trends listed
// in both languages, and finds it in the libraries list. The import page
// and the new library page pass axe at 320 px and 1280 px.
func TestImportValidCSV(t *testing.T) {
	t.Parallel()
	d := startDemo(t)
	p := d.NewPage()
	signIn(t, p, demoEmail, apptest.Password, "/o/demo/")
	path := filepath.Join(t.TempDir(), "Care and place.csv")
	if err := os.WriteFile(path, []byte(validCSV), 0o644); err != nil {
		t.Fatal(err)
	}

	p.Go("/o/demo/libraries")
	if status := p.ClickText("Import a library"); status != 200 {
		t.Fatalf("import page: status %d", status)
	}
	if got := p.Text("h1"); got != "Import a trend library" {
		t.Fatalf("import page h1 = %q", got)
	}
	p.Audit()

	p.Upload("#file", path)
	p.SetValue("#format", "csv")
	if status := p.ClickNav("main form button[type=submit]"); status != 200 {
		t.Fatalf("import: status %d; problems: %q", status, p.Texts(".wm-problem"))
	}
	if !strings.HasPrefix(p.Path(), "/o/demo/libraries/") {
		t.Fatalf("after import, on %s; want the new library's page", p.Path())
	}
	if got := p.Text("h1"); got != "Care and place" {
		t.Errorf("new library h1 = %q; want the file name, Care and place", got)
	}
	// The flash is announced.
	if got := p.Text(".govuk-notification-banner[role=alert] .govuk-notification-banner__heading"); got != "Care and place has been imported." {
		t.Errorf("flash %q", got)
	}
	want := []string{"Robots in home care", "Village service hubs", "Open data by default"}
	if got := allTrends(p); !slices.Equal(got, want) {
		t.Errorf("new library lists %q; want %q", got, want)
	}
	if got := p.Texts(".wm-dl__key"); !slices.Contains(got, "Technology shift") || !slices.Contains(got, "Demography") {
		t.Errorf("driving forces %q; want Technology shift and Demography", got)
	}
	p.Audit("new library")

	// Its trend page shows what the CSV said.
	p.ClickText("Robots in home care")
	if got := p.Texts("main h1 ~ div[lang] p.govuk-body"); !slices.Equal(got, []string{
		"Pilots show robots can take on heavy lifting.", "Staff time moves to contact with people."}) {
		t.Errorf("description paragraphs %q", got)
	}
	if got := p.Texts("main h2 + ul.govuk-list--bullet li"); !slices.Equal(got, []string{"Number of robots in use", "Hours of lifting saved"}) {
		t.Errorf("indicators %q", got)
	}
	if got := p.Texts("main li.wm-break"); len(got) != 1 || got[0] != "Care robotics review (2024-03)" {
		t.Errorf("sources %q", got)
	}
	p.Audit("imported trend")

	// In Swedish, the trends are listed by their Swedish titles.
	p.ClickNav(".wm-lang button[value=sv]")
	if got := p.Text("h1"); got != "Robotar i hemtjänsten" {
		t.Errorf("Swedish trend h1 = %q", got)
	}
	p.Audit("imported trend (sv)")

	// And the libraries list has it.
	if got := d.ownLibraries(t); len(got) != 4 || !slices.Contains(got, "Care and place") {
		t.Errorf("libraries after the import %q; want the 3 starters and Care and place", got)
	}
}

// brokenCSV has several problems at once: a duplicate key, an unknown
// category, an empty title, a row with too few cells, a bad source URL and
// a bad date, and an unknown column.
const brokenCSV = "key,category,title_en,title_sv,sources,colour\n" +
	"good,digital,A good trend,En bra trend,Report | https://example.org/r | 2024,\n" + // row 2
	"twice,digital,First,Första,,\n" + // row 3
	"twice,technology,Second,Andra,,\n" + // row 4: duplicate key
	"odd,economic,Odd category,Udda kategori,,\n" + // row 5: unknown category
	"blank,societal,,,,\n" + // row 6: no title
	"short,digital\n" + // row 7: too few cells
	"dated,digital,Dated,Daterad,Survey | ftp://example.org/s | May,\n" // row 8: bad url and date

// Ensures a broken file is refused as a whole: the error page lists every
// problem with its row and field (not only the first), the summary at the
// top is announced (role=alert) and says nothing was imported, and no
// library was added. The error page passes axe at 320 px and 1280 px.
func TestImportBrokenFile(t *testing.T) {
	t.Parallel()
	d := startDemo(t)
	before := d.ownLibraries(t)
	p := d.NewPage()
	signIn(t, p, demoEmail, apptest.Password, "/o/demo/")
	path := filepath.Join(t.TempDir(), "broken.csv")
	if err := os.WriteFile(path, []byte(brokenCSV), 0o644); err != nil {
		t.Fatal(err)
	}

	p.Go("/o/demo/libraries/import")
	p.Upload("#file", path)
	if status := p.ClickNav("main form button[type=submit]"); status != 422 {
		t.Errorf("broken import: status %d; want 422", status)
	}

	type problem struct{ Where, Field, Message string }
	want := []problem{
		{"broken.csv:1", "", `unknown column "colour"`},
		{"broken.csv:4", "key", `"twice" is used twice: also on row 3`},
		{"broken.csv:5", "category", `"economic" is not one of societal, digital, technology`},
		{"broken.csv:6", "title_en", "is empty; a trend needs a title in title_en or title_sv"},
		{"broken.csv:7", "", "has 2 cells; the header has 6"},
		{"broken.csv:8", "sources", `item 1: url "ftp://example.org/s" is not an http or https address`},
		{"broken.csv:8", "sources", `item 1: date "May" is not a date like 2024, 2024-05 or 2024-05-17`},
	}
	var got []problem
	p.Eval(`Array.from(document.querySelectorAll('ol.wm-problems > li'), li => ({
		Where: li.querySelector('.wm-problem__where').innerText.trim(),
		Field: (li.querySelector('.wm-problem__code') || {innerText: ''}).innerText.trim(),
		Message: li.querySelector('.wm-problem__message').innerText.trim(),
	}))`, &got)
	if !slices.Equal(got, want) {
		var b strings.Builder
		for _, g := range got {
			b.WriteString("\n  " + g.Where + " | " + g.Field + " | " + g.Message)
		}
		t.Errorf("problems listed:%s\nwant %d problems: %+v", b.String(), len(want), want)
	}
	if n := p.Count(".govuk-error-summary [role=alert]"); n != 1 {
		t.Errorf("%d error summaries with role=alert; want 1", n)
	}
	if got := p.Text(".govuk-error-summary__title"); got != "The file has 7 problems" {
		t.Errorf("error summary title %q", got)
	}
	if got := p.Text(".govuk-error-summary__body p"); got != "Nothing was imported. Correct the file and upload it again." {
		t.Errorf("error summary says %q", got)
	}
	if got := p.Text("#problems"); got != "Problems in broken.csv" {
		t.Errorf("problems heading %q", got)
	}
	p.Audit("/o/demo/libraries/import (problems)")

	// The summary's link leads to the list.
	p.Click(".govuk-error-summary__list a")
	p.WaitFor(`location.hash === '#problems'`)

	if after := d.ownLibraries(t); !slices.Equal(after, before) {
		t.Errorf("libraries after a refused import %q; want unchanged %q", after, before)
	}
	p.Go("/o/demo/libraries")
	if own := p.Texts("main h2 + ul.wm-cards .wm-card__title"); len(own) != 3 {
		t.Errorf("libraries page after a refused import lists %q; want only the 3 starters", own)
	}

	// No file at all: one problem, on the file field.
	p.Go("/o/demo/libraries/import")
	if status := p.ClickNav("main form button[type=submit]"); status != 422 {
		t.Errorf("import without a file: status %d; want 422", status)
	}
	if got := p.Texts(".wm-problem__message"); !slices.Equal(got, []string{"Choose a file to import"}) {
		t.Errorf("import without a file lists %q", got)
	}
	p.Audit("/o/demo/libraries/import (no file)")
}
