package report

import (
	_ "embed"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/go-pdf/fpdf"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/waymark/waymark/internal/analysis"
)

// The embedded font: DejaVu Sans Condensed, regular and bold (see
// fonts/LICENSE). Condensed, so that tables hold more text per line.
var (
	//go:embed fonts/DejaVuSansCondensed.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSansCondensed-Bold.ttf
	fontBold []byte
)

// Page geometry, in points on A4.
const (
	pageW    = 595.28
	pageH    = 841.89
	margin   = 48.0
	contentW = pageW - 2*margin
	bottom   = pageH - 60 // lowest y of content; the footer is below
	family   = "dejavu"

	bodySize  = 9.5
	tableSize = 8.5
	smallSize = 7.5
)

// rgb is a colour.
type rgb struct{ r, g, b int }

// The palette. Colour is never the only signal: quadrants are named,
// directions have shapes, standings are written out.
var (
	inkC       = rgb{11, 12, 12}
	mutedC     = rgb{80, 90, 100}
	ruleC      = rgb{177, 180, 182}
	headFillC  = rgb{221, 228, 238}
	zebraC     = rgb{244, 246, 249}
	accentC    = rgb{29, 112, 184}
	pinnedC    = rgb{0, 48, 120}
	excludedC  = rgb{177, 180, 182}
	whiteC     = rgb{255, 255, 255}
	quadrantCs = map[analysis.Quadrant]rgb{
		analysis.ActNow:           {246, 214, 210},
		analysis.PrepareScenarios: {253, 236, 200},
		analysis.Watch:            {216, 232, 246},
		analysis.Routine:          {228, 232, 234},
	}
	directionCs = map[analysis.Direction]rgb{
		analysis.Threat:           {180, 40, 20},
		analysis.Opportunity:      {0, 112, 60},
		analysis.Both:             {110, 50, 140},
		analysis.DirectionUnknown: {80, 90, 100},
	}
	ringCs = []rgb{{238, 242, 247}, {225, 232, 241}}
)

// PDF writes the report as a PDF (A4): a cover with the headline
// figures, the method in brief, participation by group, the priority
// ranking, the impact × certainty matrix, the trend radar, the fields of
// tension, the largest disagreements between groups, the consequences and
// ideas with their upvotes and the dot-vote results. Charts are drawn as
// vector graphics, each with its table; the text is in the report's
// language in an embedded font.
func PDF(w io.Writer, r *Report) error {
	if err := r.ready(); err != nil {
		return err
	}
	f := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "pt", SizeStr: "A4"})
	p := &pdfWriter{f: f, r: r}
	f.SetMargins(margin, margin, margin)
	f.SetAutoPageBreak(false, 0)
	f.SetCellMargin(0)
	f.AddUTF8FontFromBytes(family, "", fontRegular)
	f.AddUTF8FontFromBytes(family, "B", fontBold)
	f.SetTitle(r.T("report.title")+": "+r.Workshop.Title, true)
	if r.Organisation != "" {
		f.SetAuthor(r.Organisation, true)
	}
	f.SetSubject(r.T("report.title"), true)
	f.SetCreator("Waymark", true)
	f.SetProducer("Waymark", true)
	f.SetLang(r.Lang)
	f.SetCreationDate(r.Generated)
	f.SetModificationDate(r.Generated)
	f.AliasNbPages("{nb}")
	f.SetFooterFunc(p.footer)

	p.cover()
	p.method()
	p.participation()
	p.priorities()
	p.matrix()
	p.radar()
	p.tensions()
	p.disagreements()
	p.ideas()
	p.dots()
	if err := f.Error(); err != nil {
		return fmt.Errorf("report: pdf: %w", err)
	}
	if err := f.Output(w); err != nil {
		return fmt.Errorf("report: pdf: %w", err)
	}
	return nil
}

type pdfWriter struct {
	f *fpdf.Fpdf
	r *Report
}

// --- text and drawing helpers ---

// clean makes a text printable in the embedded font: characters beyond
// the font's plane (emoji and the like) become U+FFFD, control characters
// spaces; line breaks are kept when keepLines.
func clean(s string, keepLines bool) string {
	ok := true
	for _, c := range s {
		if c > 0xFFFF || (c < 0x20 && c != '\n') || c == 0x7F || (c == '\n' && !keepLines) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	return strings.Map(func(c rune) rune {
		switch {
		case c == '\n' && keepLines:
			return c
		case c > 0xFFFF:
			return '\uFFFD'
		case c < 0x20 || c == 0x7F || unicode.Is(unicode.Cc, c):
			return ' '
		}
		return c
	}, s)
}

func (p *pdfWriter) font(style string, size float64) { p.f.SetFont(family, style, size) }
func (p *pdfWriter) textColor(c rgb)                 { p.f.SetTextColor(c.r, c.g, c.b) }
func (p *pdfWriter) fill(c rgb)                      { p.f.SetFillColor(c.r, c.g, c.b) }
func (p *pdfWriter) draw(c rgb)                      { p.f.SetDrawColor(c.r, c.g, c.b) }

// width returns the width of a text in the current font.
func (p *pdfWriter) width(s string) float64 { return p.f.GetStringWidth(clean(s, false)) }

// measure is the analysis's MeasureFunc in the regular font: the text's
// width plus 2 points of padding each side, and 1.3 em high.
func (p *pdfWriter) measure(s string, size float64) (float64, float64) {
	return float64(p.f.GetStringSymbolWidth(clean(s, false)))*size/1000 + 4, 1.3 * size
}

// text writes a line with its baseline at y; align is "L", "C" or "R"
// about x.
func (p *pdfWriter) text(x, y float64, s, align string) {
	s = clean(s, false)
	switch align {
	case "C":
		x -= p.f.GetStringWidth(s) / 2
	case "R":
		x -= p.f.GetStringWidth(s)
	}
	p.f.Text(x, y, s)
}

// fit shortens a text with "…" to fit a width in the current font.
func (p *pdfWriter) fit(s string, w float64) string {
	s = clean(s, false)
	if p.f.GetStringWidth(s) <= w {
		return s
	}
	rs := []rune(s)
	for n := len(rs) - 1; n > 0; n-- {
		t := strings.TrimRight(string(rs[:n]), " ") + "…"
		if p.f.GetStringWidth(t) <= w {
			return t
		}
	}
	return "…"
}

// need starts a new page unless h points fit below the current position.
func (p *pdfWriter) need(h float64) {
	if p.f.PageNo() == 0 || p.f.GetY()+h > bottom {
		p.f.AddPage()
		p.f.SetY(margin)
	}
}

// newPage starts a new page.
func (p *pdfWriter) newPage() {
	p.f.AddPage()
	p.f.SetY(margin)
}

func (p *pdfWriter) gap(h float64) { p.f.SetY(p.f.GetY() + h) }

// heading writes a section heading, kept with at least keep points of
// what follows, and adds it to the document outline.
func (p *pdfWriter) heading(s string, keep float64) {
	p.need(40 + keep)
	p.f.Bookmark(clean(s, false), 0, -1)
	p.font("B", 15)
	p.textColor(inkC)
	y := p.f.GetY()
	p.text(margin, y+15, s, "L")
	p.draw(accentC)
	p.f.SetLineWidth(1.2)
	p.f.Line(margin, y+21, margin+36, y+21)
	p.f.SetY(y + 30)
}

// subheading writes a smaller heading.
func (p *pdfWriter) subheading(s string, keep float64) {
	p.need(22 + keep)
	p.font("B", 11)
	p.textColor(inkC)
	lines := p.f.SplitText(clean(s, false), contentW)
	for _, l := range lines {
		y := p.f.GetY()
		p.text(margin, y+11, l, "L")
		p.f.SetY(y + 14)
	}
	p.gap(3)
}

// para writes a paragraph in the given style and size, wrapped to the
// content width, breaking pages between lines.
func (p *pdfWriter) para(s, style string, size float64, c rgb) {
	p.paraAt(margin, contentW, s, style, size, c)
}

func (p *pdfWriter) paraAt(x, w float64, s, style string, size float64, c rgb) {
	if strings.TrimSpace(s) == "" {
		return
	}
	p.font(style, size)
	p.textColor(c)
	lh := size * 1.38
	for _, l := range p.f.SplitText(clean(s, true), w) {
		p.need(lh)
		y := p.f.GetY()
		p.text(x, y+size, l, "L")
		p.f.SetY(y + lh)
	}
	p.gap(size * 0.6)
}

// --- tables ---

type column struct {
	title string
	w     float64 // share of the content width
	align string  // "L", "R" or "C"
	bar   bool    // cells have a bar (tcell.bar, 0…1) before the number
}

type tcell struct {
	text string
	bar  float64 // 0…1, or negative for none
	bold bool
	fill *rgb // the bar's colour; default the accent
}

func tc(s string) tcell { return tcell{text: s, bar: -1} }

// table writes a table that breaks across pages, repeating its header;
// cells wrap.
func (p *pdfWriter) table(cols []column, rows [][]tcell) {
	const pad = 3.0
	lh := tableSize * 1.3
	widths := make([]float64, len(cols))
	var total float64
	for _, c := range cols {
		total += c.w
	}
	for i, c := range cols {
		widths[i] = contentW * c.w / total
	}
	// No header breaks inside a word: a column narrower than its longest
	// word takes the room from the widest column.
	p.font("B", tableSize)
	widest := 0
	for i := range widths {
		if widths[i] > widths[widest] {
			widest = i
		}
	}
	for i, c := range cols {
		need := 2*pad + 1.0
		for _, word := range strings.Fields(c.title) {
			need = max(need, p.width(word)+2*pad+1)
		}
		if i != widest && widths[i] < need {
			widths[widest] -= need - widths[i]
			widths[i] = need
		}
	}
	split := func(s string, w float64) []string {
		ls := p.f.SplitText(clean(s, true), w)
		if len(ls) == 0 {
			ls = []string{""}
		}
		return ls
	}
	header := func() {
		p.font("B", tableSize)
		lines := make([][]string, len(cols))
		n := 1
		for i, c := range cols {
			lines[i] = split(c.title, widths[i]-2*pad)
			n = max(n, len(lines[i]))
		}
		h := float64(n)*lh + 2*pad
		y := p.f.GetY()
		p.fill(headFillC)
		p.f.Rect(margin, y, contentW, h, "F")
		p.draw(mutedC)
		p.f.SetLineWidth(0.6)
		p.f.Line(margin, y+h, margin+contentW, y+h)
		p.textColor(inkC)
		x := margin
		for i, c := range cols {
			for k, l := range lines[i] {
				p.cellText(x, y+pad+float64(k)*lh+tableSize, widths[i], pad, l, c.align)
			}
			x += widths[i]
		}
		p.f.SetY(y + h)
	}
	p.need(3*lh + 4*pad)
	header()
	for ri, row := range rows {
		p.font("", tableSize)
		lines := make([][]string, len(cols))
		n := 1
		for i := range cols {
			if i >= len(row) {
				continue
			}
			cw := widths[i] - 2*pad
			if cols[i].bar {
				cw = 30
			}
			if row[i].bold {
				p.font("B", tableSize)
			}
			lines[i] = split(row[i].text, cw)
			p.font("", tableSize)
			n = max(n, len(lines[i]))
		}
		h := float64(n)*lh + 2*pad
		if p.f.GetY()+h > bottom {
			p.newPage()
			header()
		}
		y := p.f.GetY()
		if ri%2 == 1 {
			p.fill(zebraC)
			p.f.Rect(margin, y, contentW, h, "F")
		}
		x := margin
		for i, c := range cols {
			if i >= len(row) {
				break
			}
			cell := row[i]
			if c.bar && cell.bar >= 0 {
				bw := (widths[i] - 2*pad - 34) * math.Min(1, cell.bar)
				col := accentC
				if cell.fill != nil {
					col = *cell.fill
				}
				p.fill(col)
				if bw > 0.5 {
					p.f.Rect(x+pad, y+pad+1, bw, lh-2, "F")
				}
			}
			style := ""
			if cell.bold {
				style = "B"
			}
			p.font(style, tableSize)
			p.textColor(inkC)
			for k, l := range lines[i] {
				p.cellText(x, y+pad+float64(k)*lh+tableSize, widths[i], pad, l, c.align)
			}
			x += widths[i]
		}
		p.draw(ruleC)
		p.f.SetLineWidth(0.3)
		p.f.Line(margin, y+h, margin+contentW, y+h)
		p.f.SetY(y + h)
	}
	p.gap(10)
}

func (p *pdfWriter) cellText(x, baseline, w, pad float64, s, align string) {
	switch align {
	case "R":
		p.text(x+w-pad, baseline, s, "R")
	case "C":
		p.text(x+w/2, baseline, s, "C")
	default:
		p.text(x+pad, baseline, s, "L")
	}
}

// --- formatting ---

func (p *pdfWriter) num(n analysis.Num, decimals int) string { return n.Format(decimals, p.r.Lang) }

func (p *pdfWriter) signed(n analysis.Num, decimals int) string {
	if !n.Valid() {
		return "–"
	}
	s := n.Format(decimals, p.r.Lang)
	if strings.Trim(s, "0.,") != "" && !strings.HasPrefix(s, "−") && !strings.HasPrefix(s, "-") {
		s = "+" + s
	}
	return s
}

func (p *pdfWriter) pct(share analysis.Num) string {
	if !share.Valid() {
		return "–"
	}
	n := strconv.Itoa(int(math.Round(100 * float64(share))))
	if p.r.Lang == "sv" {
		return n + "\u00a0%"
	}
	return n + "%"
}

// count formats a whole number with the language's thousands separator:
// 30,000 in English, 30 000 in Swedish (and − for minus).
func (p *pdfWriter) count(n int) string {
	return message.NewPrinter(language.Make(p.r.Lang)).Sprintf("%d", n)
}

func (p *pdfWriter) date() string {
	if p.r.Lang == "sv" {
		return p.r.Generated.Format("2006-01-02")
	}
	return p.r.Generated.Format("2 January 2006")
}

// --- page furniture ---

func (p *pdfWriter) footer() {
	f := p.f
	if f.PageNo() == 1 {
		return
	}
	y := pageH - 36
	p.draw(ruleC)
	f.SetLineWidth(0.4)
	f.Line(margin, y-10, pageW-margin, y-10)
	p.font("", smallSize)
	p.textColor(mutedC)
	right := p.r.T("report.page", "Page", f.PageNo(), "Pages", "{nb}")
	rw := p.width(strings.ReplaceAll(right, "{nb}", "999"))
	p.text(margin, y, p.fit(p.r.Workshop.Title+" · "+p.r.T("report.title"), contentW-rw-20), "L")
	p.text(pageW-margin-rw, y, right, "L")
}
