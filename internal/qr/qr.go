// Package qr draws QR codes as small, self-contained SVG images, for the
// join link on a workshop's presenter view and printed handouts.
//
// The encoding itself (data modes, Reed–Solomon error correction, module
// placement) is rsc.io/qr's coding package. This package picks the smallest
// version at error correction level M, chooses the mask with the lowest
// penalty score of ISO/IEC 18004 (rsc.io/qr's own Encode always uses mask
// 0, which can leave large blocks or finder-like patterns that make codes
// harder to scan), and writes the SVG.
package qr

import (
	"errors"
	"fmt"
	"html"
	"strconv"
	"strings"

	"rsc.io/qr/coding"
)

// QuietZone is the light margin around the code, in modules, that the
// standard requires so that scanners find its edges.
const QuietZone = 4

// level is the error correction level: M restores up to about 15% of the
// code, enough for a screen with glare or a slightly crumpled handout,
// while keeping a join URL at a small version.
const level = coding.M

type config struct {
	class string
	size  int
}

// An Option changes how SVG draws a code.
type Option func(*config)

// Class sets the class attribute of the svg element, so that the page's
// style sheet can size and place it. Only letters, digits, '-', '_' and
// spaces are allowed.
func Class(s string) Option { return func(c *config) { c.class = s } }

// Size sets the width and height attributes in CSS pixels. Without it the
// image has only a viewBox and scales to the width its container gives it.
func Size(px int) Option { return func(c *config) { c.size = px } }

// ErrEmpty is returned for an empty text.
var ErrEmpty = errors.New("qr: empty text")

// SVG returns text as a QR code at error correction level M in an SVG
// image: one <path> of the dark modules on a light background with a quiet
// zone of QuietZone modules, scaled by its viewBox (one unit per module),
// with role="img" and label as its accessible name (aria-label), for
// example "QR code to join the workshop" in the page's language; an empty
// label falls back to the text itself, so the image is never nameless. It
// uses fill attributes and no style
// attribute or element, so it is allowed under a Content-Security-Policy
// without 'unsafe-inline' styles, and it can be inlined in HTML or served
// as image/svg+xml. Text of any bytes is encoded in the smallest of the
// numeric, alphanumeric (0–9, A–Z, space and $%*+-./:) and byte modes that
// holds it whole; scanners read byte mode as UTF-8. It fails for an empty
// text, a text longer than a version 40 code holds (2,331 bytes at level M)
// and an invalid option.
func SVG(text, label string, opts ...Option) (string, error) {
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	for _, r := range cfg.class {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == ' ') {
			return "", fmt.Errorf("qr: class %q has a character other than letters, digits, '-', '_' and space", cfg.class)
		}
	}
	if cfg.size < 0 {
		return "", fmt.Errorf("qr: negative size %d", cfg.size)
	}
	code, err := encode(text)
	if err != nil {
		return "", err
	}
	if label == "" {
		label = text
	}
	return draw(code, label, cfg), nil
}

// encode returns text as a QR code with the mask of the lowest penalty.
func encode(text string) (*coding.Code, error) {
	enc, v, err := plan(text)
	if err != nil {
		return nil, err
	}
	var best *coding.Code
	bestScore := -1
	for m := range coding.Mask(8) {
		c, err := encodeMask(enc, v, m)
		if err != nil {
			return nil, err
		}
		if s := penalty(c); bestScore < 0 || s < bestScore {
			best, bestScore = c, s
		}
	}
	return best, nil
}

// plan picks the data encoding and the smallest version that holds text.
func plan(text string) (coding.Encoding, coding.Version, error) {
	if text == "" {
		return nil, 0, ErrEmpty
	}
	var enc coding.Encoding
	switch {
	case coding.Num(text).Check() == nil:
		enc = coding.Num(text)
	case coding.Alpha(text).Check() == nil:
		enc = coding.Alpha(text)
	default:
		enc = coding.String(text)
	}
	for v := coding.Version(coding.MinVersion); v <= coding.MaxVersion; v++ {
		if enc.Bits(v) <= v.DataBytes(level)*8 {
			return enc, v, nil
		}
	}
	return nil, 0, fmt.Errorf("qr: text of %d bytes is too long for a QR code", len(text))
}

func encodeMask(enc coding.Encoding, v coding.Version, m coding.Mask) (*coding.Code, error) {
	p, err := coding.NewPlan(v, level, m)
	if err != nil {
		return nil, fmt.Errorf("qr: plan version %d mask %d: %w", v, m, err)
	}
	c, err := p.Encode(enc)
	if err != nil {
		return nil, fmt.Errorf("qr: encode: %w", err)
	}
	return c, nil
}

// penalty scores a code by the four rules of ISO/IEC 18004:2015 §7.8.3.1;
// the mask with the lowest score is used. Modules outside the symbol count
// as light, as the quiet zone is.
func penalty(c *coding.Code) int {
	n := c.Size
	score := 0
	// Rule 1: a run of five or more modules of one colour in a row or a
	// column scores 3, plus 1 for each module beyond five.
	// Rule 3: the finder-like pattern 1:1:3:1:1 with four light modules
	// on either side scores 40.
	line := make([]bool, n+8)
	for dir := range 2 {
		for i := range n {
			for j := range n {
				if dir == 0 {
					line[j+4] = c.Black(j, i)
				} else {
					line[j+4] = c.Black(i, j)
				}
			}
			run := 1
			for j := 1; j < n; j++ {
				if line[j+4] == line[j+3] {
					run++
					continue
				}
				if run >= 5 {
					score += run - 2
				}
				run = 1
			}
			if run >= 5 {
				score += run - 2
			}
			for j := 0; j+11 <= len(line); j++ {
				if finderLike(line[j:j+11], false) || finderLike(line[j:j+11], true) {
					score += 40
				}
			}
		}
	}
	// Rule 2: each 2×2 block of one colour scores 3.
	dark := 0
	for y := range n {
		for x := range n {
			b := c.Black(x, y)
			if b {
				dark++
			}
			if x+1 < n && y+1 < n && c.Black(x+1, y) == b && c.Black(x, y+1) == b && c.Black(x+1, y+1) == b {
				score += 3
			}
		}
	}
	// Rule 4: 10 for each full 5% by which the share of dark modules
	// deviates from 50%.
	total := n * n
	dev := dark*20 - total*10
	if dev < 0 {
		dev = -dev
	}
	score += dev / total * 10
	return score
}

// finderPattern is dark-light-dark-dark-dark-light-dark then four light.
var finderPattern = [11]bool{true, false, true, true, true, false, true, false, false, false, false}

func finderLike(w []bool, reversed bool) bool {
	for i, want := range finderPattern {
		j := i
		if reversed {
			j = 10 - i
		}
		if w[j] != want {
			return false
		}
	}
	return true
}

// draw writes the SVG: one unit per module, the quiet zone included.
func draw(c *coding.Code, label string, cfg config) string {
	dim := c.Size + 2*QuietZone
	ds := strconv.Itoa(dim)
	var b strings.Builder
	b.Grow(c.Size * c.Size * 4)
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ` + ds + " " + ds + `"`)
	if cfg.size > 0 {
		px := strconv.Itoa(cfg.size)
		b.WriteString(` width="` + px + `" height="` + px + `"`)
	}
	if cfg.class != "" {
		b.WriteString(` class="` + cfg.class + `"`)
	}
	b.WriteString(` role="img" aria-label="` + html.EscapeString(label) + `" shape-rendering="crispEdges">`)
	b.WriteString(`<rect width="` + ds + `" height="` + ds + `" fill="#fff"/>`)
	b.WriteString(`<path fill="#000" d="`)
	// Each horizontal run of dark modules is a closed 1-high rectangle.
	// After "z" the current point is the run's start, so later runs in the
	// row move relative to it.
	for y := range c.Size {
		prev := -1
		for x := 0; x < c.Size; {
			if !c.Black(x, y) {
				x++
				continue
			}
			w := 1
			for x+w < c.Size && c.Black(x+w, y) {
				w++
			}
			ws := strconv.Itoa(w)
			if prev < 0 {
				b.WriteString("M" + strconv.Itoa(x+QuietZone) + " " + strconv.Itoa(y+QuietZone))
			} else {
				b.WriteString("m" + strconv.Itoa(x-prev) + " 0")
			}
			b.WriteString("h" + ws + "v1h-" + ws + "z")
			prev = x
			x += w
		}
	}
	b.WriteString(`"/></svg>`)
	return b.String()
}
