package analysis

import (
	"math"
	"unicode/utf8"
)

// Point is a position in SVG user units: x to the right, y down.
type Point struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// Rect is an axis-aligned box: its top-left corner and its size.
type Rect struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
	W float64 `json:"w"`
	H float64 `json:"h"`
}

// Right and Bottom return the far edges.
func (r Rect) Right() float64  { return r.X + r.W }
func (r Rect) Bottom() float64 { return r.Y + r.H }

// Overlaps reports whether r and s share more than an edge.
func (r Rect) Overlaps(s Rect) bool {
	return r.X < s.Right() && s.X < r.Right() && r.Y < s.Bottom() && s.Y < r.Bottom()
}

// Inside reports whether r lies within b.
func (r Rect) Inside(b Rect) bool {
	const eps = 1e-9
	return r.X >= b.X-eps && r.Y >= b.Y-eps && r.Right() <= b.Right()+eps && r.Bottom() <= b.Bottom()+eps
}

func (r Rect) grow(d float64) Rect { return Rect{r.X - d, r.Y - d, r.W + 2*d, r.H + 2*d} }

// DistanceTo returns the distance from p to the nearest point of r (0
// inside).
func (r Rect) DistanceTo(p Point) float64 {
	q := r.nearest(p)
	return math.Hypot(p.X-q.X, p.Y-q.Y)
}

func (r Rect) nearest(p Point) Point {
	return Point{clamp(p.X, r.X, r.Right()), clamp(p.Y, r.Y, r.Bottom())}
}

// Line is a straight line from (X1, Y1) to (X2, Y2).
type Line struct {
	X1 float64 `json:"x1"`
	Y1 float64 `json:"y1"`
	X2 float64 `json:"x2"`
	Y2 float64 `json:"y2"`
}

// MeasureFunc returns the size of a one-line label in a font size. The web
// layer may pass one that knows its font; the default estimates.
type MeasureFunc func(text string, fontSize float64) (w, h float64)

// EstimateText is the default MeasureFunc: 0.6 em per character (a
// generous average for proportional sans-serif fonts, so that real text
// fits inside the box) plus 2 units of padding each side, and 1.3 em high.
func EstimateText(text string, fontSize float64) (w, h float64) {
	return 0.6*fontSize*float64(utf8.RuneCountInString(text)) + 4, 1.3 * fontSize
}

// shorten cuts s to at most n characters, ending in "…" when cut.
func shorten(s string, n int) string {
	if n <= 0 || utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	for n > 1 && r[n-2] == ' ' {
		n--
	}
	return string(r[:n-1]) + "…"
}

// LabelItem is a point marker (a circle at X, Y of radius R) that needs a
// label W × H.
type LabelItem struct {
	X, Y, R float64
	W, H    float64
}

// PlacedLabel is where a label went. Leader, when set, is the line to draw
// from the marker's edge to the label, for labels that could not sit next
// to their point.
type PlacedLabel struct {
	Box      Rect  `json:"box"`
	Leader   *Line `json:"leader,omitempty"`
	InGutter bool  `json:"in_gutter"`
}

// LabelLayout is the result of PlaceLabels.
type LabelLayout struct {
	Labels []PlacedLabel
	// GutterUsed is how many labels went to the gutter, and GutterBottom
	// the bottom of the last one (the gutter's top when none did).
	GutterUsed   int
	GutterBottom float64
}

// labelGap is the least space between a label and any other label or marker.
const labelGap = 2

// PlaceLabels places a label for each item without overlapping another
// label, any marker or the fixed boxes, inside bounds; it is deterministic
// and greedy, in the order of items (put the most important first):
//
//  1. eight positions touching the marker, tried in the order right, left,
//     upper right, upper left, lower right, lower left, above, below;
//  2. otherwise positions further away, on up to 12 rings around the point
//     one label height apart (8·(k+1) directions on ring k, nearest ring
//     first), with a leader line;
//  3. otherwise a column (the gutter) starting at gutter, one label under
//     the other, with a leader line; the gutter grows downward as far as
//     needed, so every label is placed.
//
// The gutter must lie outside bounds, clear of the markers and fixed boxes.
// Labels are at least labelGap apart from each other and from markers;
// leader lines may cross other labels.
func PlaceLabels(items []LabelItem, bounds Rect, fixed []Rect, gutter Point) LabelLayout {
	out := LabelLayout{Labels: make([]PlacedLabel, len(items)), GutterBottom: gutter.Y}
	placed := make([]Rect, 0, len(items))
	free := func(c Rect) bool {
		if !c.Inside(bounds) {
			return false
		}
		g := c.grow(labelGap)
		for _, p := range placed {
			if g.Overlaps(p) {
				return false
			}
		}
		for _, f := range fixed {
			if g.Overlaps(f) {
				return false
			}
		}
		for _, it := range items {
			if c.DistanceTo(Point{it.X, it.Y}) < it.R+labelGap {
				return false
			}
		}
		return true
	}
	const maxRing = 12
	for i, it := range items {
		o := it.R + labelGap + 1
		d := o * math.Sqrt2 / 2
		near := []Rect{
			{it.X + o, it.Y - it.H/2, it.W, it.H},        // right
			{it.X - o - it.W, it.Y - it.H/2, it.W, it.H}, // left
			{it.X + d, it.Y - d - it.H, it.W, it.H},      // upper right
			{it.X - d - it.W, it.Y - d - it.H, it.W, it.H},
			{it.X + d, it.Y + d, it.W, it.H}, // lower right
			{it.X - d - it.W, it.Y + d, it.W, it.H},
			{it.X - it.W/2, it.Y - o - it.H, it.W, it.H}, // above
			{it.X - it.W/2, it.Y + o, it.W, it.H},        // below
		}
		done := false
		for _, c := range near {
			if free(c) {
				out.Labels[i] = PlacedLabel{Box: c}
				placed = append(placed, c)
				done = true
				break
			}
		}
		step := max(it.H, 8)
		for k := 1; !done && k <= maxRing; k++ {
			dist := o + float64(k)*step
			na := 8 * (k + 1) // more directions on wider rings: about one per label height of arc
			for a := range na {
				th := float64(a) * 2 * math.Pi / float64(na)
				cx, cy := it.X+dist*math.Cos(th), it.Y+dist*math.Sin(th)
				c := Rect{cx - it.W/2, cy - it.H/2, it.W, it.H}
				switch {
				case math.Cos(th) > 0.3:
					c.X = cx
				case math.Cos(th) < -0.3:
					c.X = cx - it.W
				}
				switch {
				case math.Sin(th) > 0.3:
					c.Y = cy
				case math.Sin(th) < -0.3:
					c.Y = cy - it.H
				}
				if free(c) {
					out.Labels[i] = PlacedLabel{Box: c, Leader: leader(it, c)}
					placed = append(placed, c)
					done = true
					break
				}
			}
		}
		if !done {
			c := Rect{gutter.X, out.GutterBottom, it.W, it.H}
			if out.GutterUsed > 0 {
				c.Y += labelGap * 2
			}
			out.GutterBottom = c.Bottom()
			out.GutterUsed++
			out.Labels[i] = PlacedLabel{Box: c, Leader: leader(it, c), InGutter: true}
			placed = append(placed, c)
		}
	}
	return out
}

// leader returns the line from the edge of the item's marker to the
// nearest point of the label's box.
func leader(it LabelItem, box Rect) *Line {
	q := box.nearest(Point{it.X, it.Y})
	dx, dy := q.X-it.X, q.Y-it.Y
	d := math.Hypot(dx, dy)
	if d == 0 {
		return nil
	}
	return &Line{X1: it.X + dx/d*it.R, Y1: it.Y + dy/d*it.R, X2: q.X, Y2: q.Y}
}
