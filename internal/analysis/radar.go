package analysis

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/waymark/waymark/internal/domain"
)

// Direction is whether a trend is, on balance, a threat or an opportunity.
type Direction string

const (
	Threat           Direction = "threat"
	Opportunity      Direction = "opportunity"
	Both             Direction = "both"    // neither clearly
	DirectionUnknown Direction = "unknown" // no answers with a value
)

// Name returns the direction's name in English and Swedish.
func (d Direction) Name() domain.Text {
	switch d {
	case Threat:
		return domain.T("Threat", "Hot")
	case Opportunity:
		return domain.T("Opportunity", "Möjlighet")
	case Both:
		return domain.T("Both", "Både och")
	}
	return domain.T("Not known", "Okänt")
}

// Shape is the marker shape of a direction, so that the radar does not
// rely on colour alone. Each shape fits inside the entry's circle.
func (d Direction) Shape() Shape {
	switch d {
	case Threat:
		return Triangle
	case Opportunity:
		return Circle
	case Both:
		return Diamond
	}
	return Ring
}

// Shape is a radar marker's shape.
type Shape string

const (
	Triangle Shape = "triangle" // threat: an equilateral triangle, point up, inscribed in the circle
	Circle   Shape = "circle"   // opportunity: the filled circle
	Diamond  Shape = "diamond"  // both: a square on its corner, inscribed in the circle
	Ring     Shape = "ring"     // not known: the circle's outline only
)

// DirectionOf classifies the mean answer to the direction question: with
// c the middle of the scale and t an eighth of its length (0 and 0.5 on
// −2…+2), a mean within t of c is Both, below it Threat and above it
// Opportunity — the mean rounded to the nearest answer, with "mostly" and
// "clear" together. No values give DirectionUnknown.
func DirectionOf(s Stats) Direction {
	if !s.Mean.Valid() {
		return DirectionUnknown
	}
	c := float64(s.Min+s.Max) / 2
	t := float64(s.Max-s.Min) / 8
	switch m := float64(s.Mean); {
	case math.Abs(m-c) < t:
		return Both
	case m < c:
		return Threat
	}
	return Opportunity
}

// RingOf returns the radar ring of a trend from its time horizon answers:
// the median's position on the scale (0 for the first value, "now"), the
// sooner of two values when the median falls between them; −1 when there
// are no values.
func RingOf(horizon Stats) int {
	if !horizon.Median.Valid() {
		return -1
	}
	return int(math.Floor(float64(horizon.Median))) - horizon.Min
}

// Sector is a sector of the radar: a driving force or a category.
type Sector struct {
	Key   string `json:"key"`
	Label string `json:"label"`
}

// OtherSector is the key of the sector added for entries whose sector is
// not among the radar's sectors.
const OtherSector = "_other"

// RadarEntry is one trend on the radar.
type RadarEntry struct {
	Key    string
	Label  string
	Sector string // a Sector's key; any other goes to an added "Other" sector
	// Ring is the time horizon: 0 … len(RadarOptions.Rings)−1, inner
	// (soonest) first; anything else, such as −1, puts the entry in an
	// added outer ring for a horizon not known.
	Ring int
	// Size is 0…1 (the scaled mean impact); absent draws the smallest.
	Size      Num
	Direction Direction
}

// RadarOptions set the radar's rings and sizes. Zero values take defaults.
type RadarOptions struct {
	// Rings are the ring labels, inner first: the time horizons. Default
	// the four default horizons in Lang.
	Rings []string
	// UnknownRing labels the ring added for entries with no known horizon.
	UnknownRing string
	// OtherSector labels the sector added for entries with no known sector.
	OtherSector string
	Radius      float64 // outer radius of the time rings before any grows to fit; default 240
	MinR, MaxR  float64 // entry radius for Size 0 and 1; default 7 and 14
	Gap         float64 // least space between two entries; default 3
	FontSize    float64 // of sector and ring labels; default 12
	// MaxLabelRunes shortens sector labels with "…"; default 32.
	MaxLabelRunes int
	Measure       MeasureFunc // default EstimateText
	Lang          string      // of the default labels; default "en"
}

func (o *RadarOptions) defaults() {
	if o.Lang == "" {
		o.Lang = "en"
	}
	if len(o.Rings) == 0 {
		for _, h := range domain.DefaultHorizons() {
			o.Rings = append(o.Rings, h.Name.String(o.Lang))
		}
	}
	if o.UnknownRing == "" {
		o.UnknownRing = domain.T("Horizon not known", "Okänd horisont").String(o.Lang)
	}
	if o.OtherSector == "" {
		o.OtherSector = domain.T("Other", "Övrigt").String(o.Lang)
	}
	if o.Radius <= 0 {
		o.Radius = 240
	}
	if o.MinR <= 0 {
		o.MinR = 7
	}
	if o.MaxR < o.MinR {
		o.MaxR = max(14, o.MinR)
	}
	if o.Gap <= 0 {
		o.Gap = 3
	}
	if o.FontSize <= 0 {
		o.FontSize = 12
	}
	if o.MaxLabelRunes <= 0 {
		o.MaxLabelRunes = 32
	}
	if o.Measure == nil {
		o.Measure = EstimateText
	}
}

// Radar is the geometry of a trend radar. Angles are in radians clockwise
// from 12 o'clock: a point at angle φ and distance ρ from the centre is at
// (Center.X + ρ·sin φ, Center.Y − ρ·cos φ).
type Radar struct {
	Width   float64       `json:"width"`
	Height  float64       `json:"height"`
	Center  Point         `json:"center"`
	Radius  float64       `json:"radius"` // outer edge of the outermost ring
	Sectors []RadarSector `json:"sectors"`
	Rings   []RadarRing   `json:"rings"`
	// Entries are in sector, ring and input order; Number is their place
	// in that order, from 1, for the marker and the table.
	Entries  []RadarPoint `json:"entries"`
	Gap      float64      `json:"gap"`
	FontSize float64      `json:"font_size"`
	Summary  domain.Text  `json:"summary"`
}

// RadarSector is one sector: from angle Start to End, with its boundary
// line (from the centre at Start) and its label outside the rings.
type RadarSector struct {
	Key      string  `json:"key"`
	Label    string  `json:"label"` // shortened to fit; the table has the whole
	Start    float64 `json:"start"`
	End      float64 `json:"end"`
	Edge     Line    `json:"edge"`
	LabelBox Rect    `json:"label_box"`
	TextX    float64 `json:"text_x"`
	TextY    float64 `json:"text_y"`
	Anchor   string  `json:"anchor"` // SVG text-anchor: start, middle or end
	Count    int     `json:"count"`
}

// RadarRing is one ring, between the distances Inner and Outer from the
// centre, with its label centred at Text on the 12 o'clock line (entries
// keep clear of LabelBox).
type RadarRing struct {
	Index    int     `json:"index"` // −1 for the ring of a horizon not known
	Label    string  `json:"label"`
	Inner    float64 `json:"inner"`
	Outer    float64 `json:"outer"`
	LabelBox Rect    `json:"label_box"`
	Text     Point   `json:"text"` // baseline centre
	Count    int     `json:"count"`
}

// RadarPoint is one entry placed: a marker of Shape inside the circle at
// X, Y of radius R.
type RadarPoint struct {
	Key       string    `json:"key"`
	Label     string    `json:"label"`
	Number    int       `json:"number"`
	Sector    int       `json:"sector"` // index into Radar.Sectors
	Ring      int       `json:"ring"`   // index into Radar.Rings
	X         float64   `json:"x"`
	Y         float64   `json:"y"`
	R         float64   `json:"r"`
	Size      Num       `json:"size"`
	Direction Direction `json:"direction"`
	Shape     Shape     `json:"shape"`
}

// TrendRadar lays out a radar: equal sectors clockwise from 12 o'clock in
// the order given, rings from the centre outward. Every entry is drawn,
// inside its own sector and ring (the whole circle, not only its centre),
// and no two entries are closer than their radii plus Gap. Entries sit on
// a grid of arcs inside their cell; a ring that cannot hold its most
// crowded cell grows outward, and the chart with it. An entry with an
// unknown sector goes to an added "Other" sector, one with no known horizon
// to an added outer ring.
func TrendRadar(sectors []Sector, entries []RadarEntry, opt RadarOptions) Radar {
	opt.defaults()
	rd := Radar{Gap: opt.Gap, FontSize: opt.FontSize}

	// Sectors, with Other when needed.
	sIdx := make(map[string]int, len(sectors)+1)
	for _, s := range sectors {
		if _, dup := sIdx[s.Key]; !dup {
			sIdx[s.Key] = len(rd.Sectors)
			rd.Sectors = append(rd.Sectors, RadarSector{Key: s.Key, Label: s.Label})
		}
	}
	other := -1
	for _, e := range entries {
		if _, ok := sIdx[e.Sector]; !ok && other < 0 {
			other = len(rd.Sectors)
			rd.Sectors = append(rd.Sectors, RadarSector{Key: OtherSector, Label: opt.OtherSector})
		}
	}
	if len(rd.Sectors) == 0 {
		rd.Sectors = append(rd.Sectors, RadarSector{Key: OtherSector, Label: opt.OtherSector})
		other = 0
	}
	ns := len(rd.Sectors)
	span := 2 * math.Pi / float64(ns)
	for i := range rd.Sectors {
		rd.Sectors[i].Start, rd.Sectors[i].End = float64(i)*span, float64(i+1)*span
	}

	// Rings, with the unknown ring when needed.
	nr := len(opt.Rings)
	unknown := false
	for _, e := range entries {
		if e.Ring < 0 || e.Ring >= nr {
			unknown = true
		}
	}
	for i, l := range opt.Rings {
		rd.Rings = append(rd.Rings, RadarRing{Index: i, Label: l})
	}
	if unknown {
		rd.Rings = append(rd.Rings, RadarRing{Index: -1, Label: opt.UnknownRing})
	}

	// Points, grouped by cell.
	pts := make([]RadarPoint, len(entries))
	order := make([]int, len(entries))
	for i, e := range entries {
		s, ok := sIdx[e.Sector]
		if !ok {
			s = other
		}
		r := e.Ring
		if r < 0 || r >= nr {
			r = len(rd.Rings) - 1
		}
		size := e.Size
		rad := opt.MinR
		if size.Valid() {
			size = Num(clamp(float64(size), 0, 1))
			// Area grows in proportion to size, from the smallest marker.
			rad = math.Sqrt(opt.MinR*opt.MinR + float64(size)*(opt.MaxR*opt.MaxR-opt.MinR*opt.MinR))
		}
		dir := e.Direction
		if dir != Threat && dir != Opportunity && dir != Both {
			dir = DirectionUnknown
		}
		pts[i] = RadarPoint{Key: e.Key, Label: e.Label, Sector: s, Ring: r, R: rad, Size: size, Direction: dir, Shape: dir.Shape()}
		order[i] = i
		rd.Sectors[s].Count++
		rd.Rings[r].Count++
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if c := cmp.Compare(pts[a].Sector, pts[b].Sector); c != 0 {
			return c
		}
		return cmp.Compare(pts[a].Ring, pts[b].Ring)
	})
	cells := make([][]int, ns*len(rd.Rings)) // ring·ns + sector → indexes into pts, in order
	for _, i := range order {
		c := pts[i].Ring*ns + pts[i].Sector
		cells[c] = append(cells[c], i)
	}

	// Ring by ring from the centre: the base width, grown until every cell
	// of the ring has a slot for each of its entries.
	// Every ring is at least as wide as one entry of the largest size and
	// its label, so that the label stays inside its ring.
	base := max(opt.Radius/float64(max(nr, 1)), 2*opt.MaxR+opt.Gap)
	for _, r := range rd.Rings {
		_, lh := opt.Measure(r.Label, opt.FontSize)
		base = max(base, lh+4)
	}
	inner := 0.0
	var labels []Rect // of the rings placed so far: a wide label's corners reach into the next ring
	for r := range rd.Rings {
		ring := &rd.Rings[r]
		lw, lh := opt.Measure(ring.Label, opt.FontSize)
		w := base
		for {
			outer := inner + w
			label := Rect{-lw / 2, -(inner+outer)/2 - lh/2, lw, lh}
			avoid := append(slices.Clip(labels), label)
			ok, need := true, 0.0
			for s := range ns {
				idx := cells[r*ns+s]
				if len(idx) == 0 {
					continue
				}
				rm := cellRadius(pts, idx)
				slots := cellSlots(inner, outer, rd.Sectors[s].Start, rd.Sectors[s].End, rm, opt.Gap, avoid)
				if len(slots) < len(idx) {
					ok, need = false, max(need, 2*rm+opt.Gap)
					continue
				}
				for k, i := range idx { // spread the entries over the slots
					p := slots[(2*k+1)*len(slots)/(2*len(idx))]
					pts[i].X, pts[i].Y = p.X, p.Y
				}
			}
			if ok {
				ring.Inner, ring.Outer, ring.LabelBox = inner, outer, label
				ring.Text = Point{0, label.Y + lh*0.75}
				labels = append(labels, label)
				break
			}
			w += need / 2
		}
		inner = ring.Outer
	}
	rd.Radius = inner

	// Sector edges and labels, around the centre at the origin.
	var bbox = Rect{-rd.Radius, -rd.Radius, 2 * rd.Radius, 2 * rd.Radius}
	for i := range rd.Sectors {
		s := &rd.Sectors[i]
		sin, cos := math.Sincos(s.Start)
		s.Edge = Line{0, 0, rd.Radius * sin, -rd.Radius * cos}
		s.Label = shorten(s.Label, opt.MaxLabelRunes)
		mid := (s.Start + s.End) / 2
		sin, cos = math.Sincos(mid)
		lw, lh := opt.Measure(s.Label, opt.FontSize)
		ax, ay := (rd.Radius+10)*sin, -(rd.Radius+10)*cos
		box := Rect{ax - lw/2, ay - lh/2, lw, lh}
		s.Anchor = "middle"
		switch {
		case sin > 0.2:
			box.X, s.Anchor = ax, "start"
		case sin < -0.2:
			box.X, s.Anchor = ax-lw, "end"
		}
		switch {
		case cos > 0.2:
			box.Y = ay - lh
		case cos < -0.2:
			box.Y = ay
		}
		s.LabelBox = box
		s.TextX = ax
		s.TextY = box.Y + lh*0.75
		bbox = union(bbox, box)
	}
	if ns == 1 {
		rd.Sectors[0].Edge = Line{}
	}

	// Move everything so that the bounding box starts at the margin.
	const margin = 8
	dx, dy := margin-bbox.X, margin-bbox.Y
	rd.Center = Point{dx, dy}
	rd.Width, rd.Height = bbox.W+2*margin, bbox.H+2*margin
	for i := range rd.Sectors {
		s := &rd.Sectors[i]
		s.Edge = Line{s.Edge.X1 + dx, s.Edge.Y1 + dy, s.Edge.X2 + dx, s.Edge.Y2 + dy}
		s.LabelBox.X += dx
		s.LabelBox.Y += dy
		s.TextX += dx
		s.TextY += dy
	}
	for i := range rd.Rings {
		r := &rd.Rings[i]
		r.LabelBox.X += dx
		r.LabelBox.Y += dy
		r.Text = Point{r.Text.X + dx, r.Text.Y + dy}
	}
	rd.Entries = make([]RadarPoint, len(order))
	for n, i := range order {
		p := pts[i]
		p.X += dx
		p.Y += dy
		p.Number = n + 1
		rd.Entries[n] = p
	}
	rd.Summary = rd.summary()
	return rd
}

func union(a, b Rect) Rect {
	x0, y0 := math.Min(a.X, b.X), math.Min(a.Y, b.Y)
	x1, y1 := math.Max(a.Right(), b.Right()), math.Max(a.Bottom(), b.Bottom())
	return Rect{x0, y0, x1 - x0, y1 - y0}
}

// cellRadius is the largest entry radius in a cell: the cell's grid is
// spaced for it.
func cellRadius(pts []RadarPoint, idx []int) float64 {
	rm := 0.0
	for _, i := range idx {
		rm = max(rm, pts[i].R)
	}
	return rm
}

// cellSlots returns the centres (around the origin) where entries of
// radius at most rm fit in the cell between the distances r0 and r1 and
// the angles a0 and a1, in order from the inner arc outward and clockwise.
//
// The slots lie on arcs r0+m, r0+m+s, … ≤ r1−m, with m = rm + gap/2 and
// s = 2·rm + gap, so two slots on different arcs are at least s apart; on
// one arc they are a chord of at least s apart; and each is at least m
// from the sector's two edge lines (an angle of asin(m/ρ) from the edge)
// and from the ring's edges, so entries in neighbouring cells are also at
// least s apart. Slots whose circle would touch a box to avoid (the ring
// labels) are left out.
func cellSlots(r0, r1, a0, a1, rm, gap float64, avoid []Rect) []Point {
	m := rm + gap/2
	s := 2*rm + gap
	var out []Point
	for rho := r0 + m; rho <= r1-m+1e-9; rho += s {
		if rho <= m {
			continue
		}
		alpha := math.Asin(m / rho)
		usable := (a1 - a0) - 2*alpha
		if usable < 0 {
			continue
		}
		n := 1
		if c := s / (2 * rho); c < 1 {
			n = int(math.Floor(usable/(2*math.Asin(c))+1e-9)) + 1
		}
		step := 0.0
		if n > 1 {
			step = usable / float64(n-1)
		}
		start := a0 + alpha
		if n == 1 {
			start = a0 + alpha + usable/2
		}
		for k := range n {
			sin, cos := math.Sincos(start + float64(k)*step)
			p := Point{rho * sin, -rho * cos}
			if !clearOf(p, m, avoid) {
				continue
			}
			out = append(out, p)
		}
	}
	return out
}

// clearOf reports whether the circle at p of radius r keeps clear of the
// boxes.
func clearOf(p Point, r float64, boxes []Rect) bool {
	for _, b := range boxes {
		if b.DistanceTo(p) < r {
			return false
		}
	}
	return true
}

func (rd Radar) summary() domain.Text {
	var threats, opps, both, unknown int
	for _, e := range rd.Entries {
		switch e.Direction {
		case Threat:
			threats++
		case Opportunity:
			opps++
		case Both:
			both++
		default:
			unknown++
		}
	}
	busiest := -1
	for i, s := range rd.Sectors {
		if s.Count > 0 && (busiest < 0 || s.Count > rd.Sectors[busiest].Count) {
			busiest = i
		}
	}
	text := func(lang string) string {
		var b strings.Builder
		n := len(rd.Entries)
		if lang == "sv" {
			fmt.Fprintf(&b, "%d %s i %d %s: %d hot, %d %s, %d både och", n, plural(n, "trend", "trender"),
				len(rd.Sectors), plural(len(rd.Sectors), "sektor", "sektorer"), threats, opps, plural(opps, "möjlighet", "möjligheter"), both)
			if unknown > 0 {
				fmt.Fprintf(&b, ", %d okänd riktning", unknown)
			}
			if busiest >= 0 {
				fmt.Fprintf(&b, "; flest i %s (%d)", rd.Sectors[busiest].Label, rd.Sectors[busiest].Count)
			}
		} else {
			fmt.Fprintf(&b, "%d %s in %d %s: %d %s, %d %s, %d both", n, plural(n, "trend", "trends"),
				len(rd.Sectors), plural(len(rd.Sectors), "sector", "sectors"), threats, plural(threats, "threat", "threats"),
				opps, plural(opps, "opportunity", "opportunities"), both)
			if unknown > 0 {
				fmt.Fprintf(&b, ", %d direction not known", unknown)
			}
			if busiest >= 0 {
				fmt.Fprintf(&b, "; most in %s (%d)", rd.Sectors[busiest].Label, rd.Sectors[busiest].Count)
			}
		}
		b.WriteString(".")
		return b.String()
	}
	return domain.T(text("en"), text("sv"))
}
