package qr

import (
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	"image/color"
	"strconv"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"
	"rsc.io/qr/coding"
)

// parsed is what the tests read back from an SVG.
type parsed struct {
	XMLName   xml.Name `xml:"svg"`
	ViewBox   string   `xml:"viewBox,attr"`
	Role      string   `xml:"role,attr"`
	AriaLabel string   `xml:"aria-label,attr"`
	Class     string   `xml:"class,attr"`
	Width     string   `xml:"width,attr"`
	Height    string   `xml:"height,attr"`
	Style     string   `xml:"style,attr"`
	Rects     []struct {
		Width  string `xml:"width,attr"`
		Height string `xml:"height,attr"`
		Fill   string `xml:"fill,attr"`
	} `xml:"rect"`
	Paths []struct {
		D     string `xml:"d,attr"`
		Fill  string `xml:"fill,attr"`
		Style string `xml:"style,attr"`
	} `xml:"path"`

	dim  int      // modules on a side, quiet zone included
	dark [][]bool // [y][x], from the path
}

// parseSVG reads an SVG made by SVG and fills the modules its path covers.
// The path must be made of closed axis-aligned rectangles drawn with
// M/m, h and v, as SVG writes them.
func parseSVG(t *testing.T, svg string) *parsed {
	t.Helper()
	var p parsed
	if err := xml.Unmarshal([]byte(svg), &p); err != nil {
		t.Fatalf("SVG is not well-formed XML: %v\n%s", err, svg)
	}
	f := strings.Fields(p.ViewBox)
	if len(f) != 4 || f[0] != "0" || f[1] != "0" || f[2] != f[3] {
		t.Fatalf("viewBox %q", p.ViewBox)
	}
	p.dim, _ = strconv.Atoi(f[2])
	if len(p.Paths) != 1 {
		t.Fatalf("%d paths, want 1", len(p.Paths))
	}
	p.dark = make([][]bool, p.dim)
	for y := range p.dark {
		p.dark[y] = make([]bool, p.dim)
	}
	d := p.Paths[0].D
	var x, y, sx, sy int // current point and subpath start
	var pts [][2]int     // the current subpath's vertices
	num := func() int {
		i := 0
		if i < len(d) && d[i] == '-' {
			i++
		}
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
		n, err := strconv.Atoi(d[:i])
		if err != nil {
			t.Fatalf("bad number at %q", d)
		}
		d = strings.TrimPrefix(d[i:], " ")
		return n
	}
	for d != "" {
		cmd := d[0]
		d = d[1:]
		switch cmd {
		case 'M', 'm':
			nx, ny := num(), num()
			if cmd == 'm' {
				nx, ny = x+nx, y+ny
			}
			x, y, sx, sy = nx, ny, nx, ny
			pts = [][2]int{{x, y}}
		case 'h':
			x += num()
			pts = append(pts, [2]int{x, y})
		case 'v':
			y += num()
			pts = append(pts, [2]int{x, y})
		case 'z':
			minX, minY, maxX, maxY := sx, sy, sx, sy
			for _, q := range pts {
				minX, minY, maxX, maxY = min(minX, q[0]), min(minY, q[1]), max(maxX, q[0]), max(maxY, q[1])
			}
			if len(pts) != 4 || maxX <= minX || maxY <= minY {
				t.Fatalf("subpath %v is not a rectangle", pts)
			}
			for yy := minY; yy < maxY; yy++ {
				for xx := minX; xx < maxX; xx++ {
					if p.dark[yy][xx] {
						t.Fatalf("module %d,%d drawn twice", xx, yy)
					}
					p.dark[yy][xx] = true
				}
			}
			x, y = sx, sy
		default:
			t.Fatalf("unexpected path command %q", cmd)
		}
	}
	return &p
}

// image renders the modules at scale pixels each, black on white.
func (p *parsed) image(scale int) image.Image {
	img := image.NewGray(image.Rect(0, 0, p.dim*scale, p.dim*scale))
	for y := range img.Bounds().Dy() {
		for x := range img.Bounds().Dx() {
			c := color.Gray{Y: 255}
			if p.dark[y/scale][x/scale] {
				c.Y = 0
			}
			img.SetGray(x, y, c)
		}
	}
	return img
}

// decode reads an image with ZXing's QR reader (gozxing), locating the code
// by its finder patterns as a phone would.
func decode(t *testing.T, img image.Image) (text, ecLevel string) {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gozxingqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	ec, _ := res.GetResultMetadata()[gozxing.ResultMetadataType_ERROR_CORRECTION_LEVEL].(string)
	return res.GetText(), ec
}

// Ensures SVGs of URLs and other texts (numeric, alphanumeric, UTF-8, long)
// decode back to the same text at error correction level M when read by an
// independent decoder.
func TestSVGDecodes(t *testing.T) {
	for _, text := range []string{
		"https://waymark.example/join/ABCDEFGH",
		"http://127.0.0.1:8080/join?code=ABCD-EFGH",
		"HTTPS://WAYMARK.EXAMPLE/J/ABCDEFGH",
		"20260815",
		"Välkommen till workshopen – å ä ö",
		"https://waymark.example/join/ABCDEFGH?" + strings.Repeat("x", 300),
	} {
		svg, err := SVG(text, "QR code")
		if err != nil {
			t.Fatalf("SVG(%q): %v", text, err)
		}
		got, ec := decode(t, parseSVG(t, svg).image(4))
		if got != text || ec != "M" {
			t.Errorf("decoded %q at level %q, want %q at M", got, ec, text)
		}
	}
}

// Ensures every one of the eight masks produces a code that decodes, so
// whichever the penalty picks is readable.
func TestEveryMaskDecodes(t *testing.T) {
	const text = "https://waymark.example/join/ABCDEFGH"
	enc, v, err := plan(text)
	if err != nil {
		t.Fatal(err)
	}
	for m := range coding.Mask(8) {
		c, err := encodeMask(enc, v, m)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := decode(t, parseSVG(t, draw(c, "x", config{})).image(3)); got != text {
			t.Errorf("mask %d decoded as %q", m, got)
		}
	}
}

// Ensures the chosen mask has the lowest penalty of the eight.
func TestMaskHasLowestPenalty(t *testing.T) {
	for _, text := range []string{"https://waymark.example/join/ABCDEFGH", "ABCD-EFGH", "1234567890"} {
		best, err := encode(text)
		if err != nil {
			t.Fatal(err)
		}
		enc, v, _ := plan(text)
		for m := range coding.Mask(8) {
			c, _ := encodeMask(enc, v, m)
			if penalty(c) < penalty(best) {
				t.Errorf("%q: mask %d scores %d, below the chosen %d", text, m, penalty(c), penalty(best))
			}
		}
	}
}

// Ensures the penalty rules on hand-made patterns: a finder-like row, a
// long run, 2×2 blocks and an unbalanced share of dark modules.
func TestPenaltyRules(t *testing.T) {
	mk := func(rows ...string) *coding.Code {
		n := len(rows)
		c := &coding.Code{Size: n, Stride: (n + 7) / 8}
		c.Bitmap = make([]byte, c.Stride*n)
		for y, r := range rows {
			for x, ch := range r {
				if ch == '#' {
					c.Bitmap[y*c.Stride+x/8] |= 1 << uint(7-x&7)
				}
			}
		}
		return c
	}
	// A checkerboard: no runs, no blocks, no finder patterns, 50% dark.
	check := mk("#.#.", ".#.#", "#.#.", ".#.#")
	if s := penalty(check); s != 0 {
		t.Errorf("checkerboard scores %d, want 0", s)
	}
	// All light 5×5: 10 runs of 5 (3 each), 16 blocks (3 each), 0% dark
	// (10 × 10).
	if s := penalty(mk(".....", ".....", ".....", ".....", ".....")); s != 30+48+100 {
		t.Errorf("blank 5×5 scores %d, want 178", s)
	}
}

// Ensures the structure of the SVG for a known URL: version 3 (29 modules)
// plus a quiet zone of 4 on each side, finder patterns in three corners and
// not the fourth, nothing dark in the quiet zone, one path, a light
// background, and the accessibility attributes without any style attribute.
func TestSVGStructure(t *testing.T) {
	const text = "https://waymark.example/join/ABCDEFGH" // 37 bytes: version 3-M holds 42
	svg, err := SVG(text, `Join "Trends 2035" & vote`, Class("qr presenter-qr"), Size(240))
	if err != nil {
		t.Fatal(err)
	}
	p := parseSVG(t, svg)
	if p.ViewBox != "0 0 37 37" || p.dim != 29+2*QuietZone {
		t.Fatalf("viewBox %q, want 0 0 37 37", p.ViewBox)
	}
	if p.Role != "img" || p.AriaLabel != `Join "Trends 2035" & vote` || p.Class != "qr presenter-qr" || p.Width != "240" || p.Height != "240" {
		t.Errorf("attributes role=%q aria-label=%q class=%q width=%q height=%q", p.Role, p.AriaLabel, p.Class, p.Width, p.Height)
	}
	if strings.Contains(svg, "style") || p.Style != "" || p.Paths[0].Style != "" {
		t.Error("SVG has a style attribute or element, which the Content-Security-Policy forbids")
	}
	if len(p.Rects) != 1 || p.Rects[0].Fill != "#fff" || p.Rects[0].Width != "37" || p.Paths[0].Fill != "#000" {
		t.Errorf("background %+v, path fill %q", p.Rects, p.Paths[0].Fill)
	}
	if strings.Count(svg, "<path") != 1 {
		t.Error("more than one path")
	}
	// Quiet zone: no dark module within 4 of an edge.
	for y := range p.dim {
		for x := range p.dim {
			inner := x >= QuietZone && y >= QuietZone && x < p.dim-QuietZone && y < p.dim-QuietZone
			if p.dark[y][x] && !inner {
				t.Fatalf("dark module at %d,%d in the quiet zone", x, y)
			}
		}
	}
	// Finder patterns: a 7×7 dark ring, a light ring, a 3×3 dark centre,
	// and a light separator around it.
	finder := func(x0, y0 int) bool {
		for y := -1; y <= 7; y++ {
			for x := -1; x <= 7; x++ {
				want := false
				switch {
				case x < 0 || y < 0 || x > 6 || y > 6:
					want = false // separator
				case x == 0 || y == 0 || x == 6 || y == 6:
					want = true
				case x >= 2 && x <= 4 && y >= 2 && y <= 4:
					want = true
				}
				if p.dark[y0+y][x0+x] != want {
					return false
				}
			}
		}
		return true
	}
	q, far := QuietZone, p.dim-QuietZone-7
	if !finder(q, q) || !finder(far, q) || !finder(q, far) {
		t.Error("a finder pattern is missing from a corner")
	}
	if finder(far, far) {
		t.Error("a finder pattern in the bottom-right corner")
	}
	// Timing pattern: row 6 alternates between the finders.
	for x := 8; x < 29-8; x++ {
		if p.dark[q+6][q+x] != (x%2 == 0) {
			t.Fatalf("timing pattern broken at column %d", x)
		}
	}
}

// Ensures the version grows with the text as the standard's capacity table
// for level M says: 14 bytes fit version 1, 15 need version 2; 2,331 bytes
// fit version 40 and 2,332 fail.
func TestVersions(t *testing.T) {
	for _, tc := range []struct {
		n, dim int
	}{{14, 21}, {15, 25}, {26, 25}, {27, 29}, {2331, 177}} {
		svg, err := SVG(strings.Repeat("a", tc.n), "QR code")
		if err != nil {
			t.Fatalf("%d bytes: %v", tc.n, err)
		}
		if want := fmt.Sprintf(`viewBox="0 0 %d %d"`, tc.dim+8, tc.dim+8); !strings.Contains(svg, want) {
			t.Errorf("%d bytes: want %s in %.120s", tc.n, want, svg)
		}
	}
	if _, err := SVG(strings.Repeat("a", 2332), "QR code"); err == nil {
		t.Error("2,332 bytes encoded")
	}
}

// Ensures bad input fails with an error and no SVG: empty text, a class
// that could break out of its attribute, a negative size; and that an empty
// label falls back to the text, escaped.
func TestSVGErrors(t *testing.T) {
	if _, err := SVG("", "QR code"); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty text: %v", err)
	}
	if s, err := SVG("x", "QR code", Class(`a" onload="alert(1)`)); err == nil || s != "" {
		t.Errorf("bad class accepted: %q", s)
	}
	if _, err := SVG("x", "QR code", Size(-1)); err == nil {
		t.Error("negative size accepted")
	}
	// Without a label, the text is the accessible name, escaped.
	s, err := SVG(`a<b>"c"`, "")
	if err != nil || !strings.Contains(s, `aria-label="a&lt;b&gt;&#34;c&#34;"`) {
		t.Errorf("default label: %v %s", err, s[:200])
	}
}

// BenchmarkSVG measures drawing the join URL of a workshop (eight masks
// tried).
func BenchmarkSVG(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := SVG("https://waymark.example/join/ABCDEFGH", "QR code"); err != nil {
			b.Fatal(err)
		}
	}
}
