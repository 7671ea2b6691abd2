package web

import (
	"html/template"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The results page's charts are written as SVG markup in Go rather than in
// templates: a workshop with 30 trends draws a few thousand elements, and
// building them with a strings.Builder keeps the page within its time
// budget. Every text is escaped. Charts scale with their viewBox and never
// grow past their natural width; colours and fonts come from classes in
// web-assets/scss/_results.scss (no style attributes: the CSP forbids them),
// and every chart has a visible one-line summary and a data table, which
// the chart names through aria-labelledby.

// svgBuf builds one SVG chart.
type svgBuf struct {
	strings.Builder
	id string // prefix for ids inside the chart (patterns, markers)
}

// fnum formats a coordinate with at most one decimal.
func fnum(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "0"
	}
	return strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64)
}

func esc(s string) string { return template.HTMLEscapeString(s) }

// shortText cuts s to at most n characters, ending in "…" when cut.
func shortText(s string, n int) string {
	if n <= 1 || utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimRight(string(r[:n-1]), " ,;:.–-") + "…"
}

// open starts a chart of the given size, named by the elements with the
// ids in labelledBy (the view's heading and summary).
func (b *svgBuf) open(id string, w, h float64, labelledBy string) {
	b.id = id
	b.WriteString(`<svg class="wm-svg" id="`)
	b.WriteString(esc(id))
	b.WriteString(`" viewBox="0 0 `)
	b.WriteString(fnum(w))
	b.WriteByte(' ')
	b.WriteString(fnum(h))
	b.WriteString(`" width="`)
	b.WriteString(fnum(w))
	b.WriteString(`" height="`)
	b.WriteString(fnum(h))
	b.WriteString(`" role="img" aria-labelledby="`)
	b.WriteString(esc(labelledBy))
	b.WriteString(`" focusable="false">`)
}

// html closes the chart and returns it.
func (b *svgBuf) html() template.HTML {
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func (b *svgBuf) attrs(kv ...string) {
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			continue
		}
		b.WriteByte(' ')
		b.WriteString(kv[i])
		b.WriteString(`="`)
		b.WriteString(esc(kv[i+1]))
		b.WriteByte('"')
	}
}

// text writes a one-line text with its baseline at y; anchor is start,
// middle or end.
func (b *svgBuf) text(x, y float64, class, anchor, s string) {
	b.WriteString(`<text x="`)
	b.WriteString(fnum(x))
	b.WriteString(`" y="`)
	b.WriteString(fnum(y))
	b.WriteByte('"')
	if anchor != "" && anchor != "start" {
		b.attrs("text-anchor", anchor)
	}
	b.attrs("class", class)
	b.WriteByte('>')
	b.WriteString(esc(s))
	b.WriteString(`</text>`)
}

func (b *svgBuf) line(x1, y1, x2, y2 float64, class string, extra ...string) {
	b.WriteString(`<line x1="`)
	b.WriteString(fnum(x1))
	b.WriteString(`" y1="`)
	b.WriteString(fnum(y1))
	b.WriteString(`" x2="`)
	b.WriteString(fnum(x2))
	b.WriteString(`" y2="`)
	b.WriteString(fnum(y2))
	b.WriteByte('"')
	b.attrs("class", class)
	b.attrs(extra...)
	b.WriteString(`/>`)
}

func (b *svgBuf) rect(x, y, w, h float64, class string, extra ...string) {
	b.WriteString(`<rect x="`)
	b.WriteString(fnum(x))
	b.WriteString(`" y="`)
	b.WriteString(fnum(y))
	b.WriteString(`" width="`)
	b.WriteString(fnum(max(w, 0)))
	b.WriteString(`" height="`)
	b.WriteString(fnum(max(h, 0)))
	b.WriteByte('"')
	b.attrs("class", class)
	b.attrs(extra...)
	b.WriteString(`/>`)
}

func (b *svgBuf) circle(x, y, r float64, class string) {
	b.WriteString(`<circle cx="`)
	b.WriteString(fnum(x))
	b.WriteString(`" cy="`)
	b.WriteString(fnum(y))
	b.WriteString(`" r="`)
	b.WriteString(fnum(r))
	b.WriteByte('"')
	b.attrs("class", class)
	b.WriteString(`/>`)
}

func (b *svgBuf) polygon(class string, pts ...float64) {
	b.WriteString(`<polygon points="`)
	for i := 0; i+1 < len(pts); i += 2 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(fnum(pts[i]))
		b.WriteByte(',')
		b.WriteString(fnum(pts[i+1]))
	}
	b.WriteByte('"')
	b.attrs("class", class)
	b.WriteString(`/>`)
}

// Marker shapes. Each fits inside the circle of radius r at its centre.
const (
	shapeCircle       = "circle"
	shapeTriangle     = "triangle"
	shapeDiamond      = "diamond"
	shapeRing         = "ring"
	shapeSquare       = "square"
	shapeTriangleDown = "triangle-down"
	shapeCross        = "cross"
)

// groupShapes tell participant groups apart without colour.
var groupShapes = []string{shapeCircle, shapeSquare, shapeTriangle, shapeDiamond, shapeTriangleDown, shapeCross}

// marker draws a shape centred at x, y inside radius r.
func (b *svgBuf) marker(shape string, x, y, r float64, class string) {
	const c30 = 0.8660254037844386 // cos 30°
	switch shape {
	case shapeTriangle:
		b.polygon(class, x, y-r, x+r*c30, y+r/2, x-r*c30, y+r/2)
	case shapeTriangleDown:
		b.polygon(class, x, y+r, x+r*c30, y-r/2, x-r*c30, y-r/2)
	case shapeDiamond:
		b.polygon(class, x, y-r, x+r, y, x, y+r, x-r, y)
	case shapeSquare:
		h := r * 0.75
		b.rect(x-h, y-h, 2*h, 2*h, class)
	case shapeCross:
		h := r * 0.75
		b.WriteString(`<path d="M`)
		b.WriteString(fnum(x - h))
		b.WriteByte(' ')
		b.WriteString(fnum(y - h))
		b.WriteString(`L`)
		b.WriteString(fnum(x + h))
		b.WriteByte(' ')
		b.WriteString(fnum(y + h))
		b.WriteString(`M`)
		b.WriteString(fnum(x - h))
		b.WriteByte(' ')
		b.WriteString(fnum(y + h))
		b.WriteString(`L`)
		b.WriteString(fnum(x + h))
		b.WriteByte(' ')
		b.WriteString(fnum(y - h))
		b.WriteByte('"')
		b.attrs("class", class)
		b.WriteString(`/>`)
	default: // circle and ring; the class makes a ring hollow
		b.circle(x, y, r, class)
	}
}

// title adds a tooltip to the element group it is the first child of.
func (b *svgBuf) title(s string) {
	b.WriteString(`<title>`)
	b.WriteString(esc(s))
	b.WriteString(`</title>`)
}

// hatch defines a diagonal hatching pattern and returns its fill reference.
func (b *svgBuf) hatch(name, class string) string {
	id := b.id + "-" + name
	b.WriteString(`<defs><pattern id="`)
	b.WriteString(esc(id))
	b.WriteString(`" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" class="wm-svg__hatch-bg"/><line x1="0" y1="0" x2="0" y2="6" class="`)
	b.WriteString(esc(class))
	b.WriteString(`"/></pattern></defs>`)
	return "url(#" + id + ")"
}

// arrowhead defines an arrowhead marker and returns its reference.
func (b *svgBuf) arrowhead(name string) string {
	id := b.id + "-" + name
	b.WriteString(`<defs><marker id="`)
	b.WriteString(esc(id))
	b.WriteString(`" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" class="wm-svg__arrowhead"/></marker></defs>`)
	return "url(#" + id + ")"
}

// legendIcon is a small SVG of a marker shape for a legend in HTML; the
// legend's text says what it means, so the icon is hidden from screen
// readers.
func legendIcon(shape, class string) template.HTML {
	var b svgBuf
	b.WriteString(`<svg class="wm-legend__icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">`)
	b.marker(shape, 8, 8, 6.5, class)
	return b.html()
}

// legendSwatch is a small square of a fill for a legend in HTML.
func legendSwatch(class string) template.HTML {
	return template.HTML(`<svg class="wm-legend__icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false"><rect x="1" y="1" width="14" height="14" class="` + esc(class) + `"/></svg>`)
}

// legendHatch is a hatched square for a legend in HTML.
func legendHatch(id, class string) template.HTML {
	var b svgBuf
	b.id = id
	b.WriteString(`<svg class="wm-legend__icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">`)
	fill := b.hatch("hatch", class)
	b.rect(1, 1, 14, 14, "wm-svg__outline", "fill", fill)
	return b.html()
}
