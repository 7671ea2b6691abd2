package analysis

import (
	"fmt"
	"math"
	"testing"

	"pgregory.net/rapid"
)

// checkRadar fails unless every entry is drawn once, lies with its whole
// circle inside its own sector and ring,
// keeps clear of every ring's label, and is at least r1 + r2 + gap from
// every other entry.
func checkRadar(t fataler, rd Radar, entries []RadarEntry) {
	t.Helper()
	if len(rd.Entries) != len(entries) {
		t.Fatalf("%d entries drawn of %d", len(rd.Entries), len(entries))
	}
	seen := map[string]bool{}
	for n, e := range rd.Entries {
		if seen[e.Key] {
			t.Fatalf("%s drawn twice", e.Key)
		}
		seen[e.Key] = true
		if e.Number != n+1 {
			t.Fatalf("entry %d numbered %d", n, e.Number)
		}
		s, r := rd.Sectors[e.Sector], rd.Rings[e.Ring]
		dx, dy := e.X-rd.Center.X, e.Y-rd.Center.Y
		rho := math.Hypot(dx, dy)
		const eps = 1e-6
		if rho-e.R < r.Inner-eps || rho+e.R > r.Outer+eps {
			t.Fatalf("%s at distance %v (r %v) is not inside ring %d (%v…%v)", e.Key, rho, e.R, e.Ring, r.Inner, r.Outer)
		}
		phi := math.Atan2(dx, -dy) // clockwise from 12 o'clock
		if phi < 0 {
			phi += 2 * math.Pi
		}
		if len(rd.Sectors) > 1 {
			if phi < s.Start-eps || phi > s.End+eps {
				t.Fatalf("%s at angle %v is not in sector %s (%v…%v)", e.Key, phi, s.Key, s.Start, s.End)
			}
			for _, edge := range []float64{s.Start, s.End} { // distance to each edge line ≥ r
				if d := rho * math.Sin(math.Abs(phi-edge)); d < e.R-eps {
					t.Fatalf("%s crosses an edge of sector %s: %v from it with r %v", e.Key, s.Key, d, e.R)
				}
			}
		}
		for _, ring := range rd.Rings {
			if d := ring.LabelBox.DistanceTo(Point{e.X, e.Y}); d < e.R {
				t.Fatalf("%s covers the label of ring %d", e.Key, ring.Index)
			}
		}
		for _, f := range rd.Entries[n+1:] {
			if d := math.Hypot(e.X-f.X, e.Y-f.Y); d < e.R+f.R+rd.Gap-eps {
				t.Fatalf("%s and %s overlap: %v apart, radii %v and %v, gap %v", e.Key, f.Key, d, e.R, f.R, rd.Gap)
			}
		}
		if e.X-e.R < 0 || e.Y-e.R < 0 || e.X+e.R > rd.Width || e.Y+e.R > rd.Height {
			t.Fatalf("%s is outside the chart", e.Key)
		}
	}
	for _, e := range entries {
		if !seen[e.Key] {
			t.Fatalf("%s dropped", e.Key)
		}
	}
	for _, s := range rd.Sectors {
		if s.LabelBox.X < 0 || s.LabelBox.Y < 0 || s.LabelBox.Right() > rd.Width || s.LabelBox.Bottom() > rd.Height {
			t.Fatalf("label of sector %s outside the chart", s.Key)
		}
	}
}

func eightSectors() []Sector {
	var s []Sector
	for i := range 8 {
		s = append(s, Sector{Key: fmt.Sprint("s", i), Label: fmt.Sprintf("Driving force %d", i)})
	}
	return s
}

// TestRadar60In8 ensures 60 entries in 8 sectors, a third of them crowded
// into one cell of the innermost ring, are all drawn without overlapping,
// each inside its own sector and ring.
func TestRadar60In8(t *testing.T) {
	var entries []RadarEntry
	dirs := []Direction{Threat, Opportunity, Both, DirectionUnknown}
	for i := range 60 {
		e := RadarEntry{Key: fmt.Sprint("t", i), Label: fmt.Sprint("Trend ", i),
			Sector: fmt.Sprint("s", (i*3)%8), Ring: (i / 8) % 4, Size: Num(float64(i%5) / 4), Direction: dirs[i%4]}
		if i < 20 { // crowd one cell
			e.Sector, e.Ring = "s2", 0
		}
		entries = append(entries, e)
	}
	rd := TrendRadar(eightSectors(), entries, RadarOptions{})
	checkRadar(t, rd, entries)
	if len(rd.Sectors) != 8 || len(rd.Rings) != 4 {
		t.Errorf("%d sectors and %d rings, want 8 and 4", len(rd.Sectors), len(rd.Rings))
	}
	t.Logf("radius %.0f (from 240), chart %.0f × %.0f; rings %.0f %.0f %.0f %.0f", rd.Radius, rd.Width, rd.Height,
		rd.Rings[0].Outer, rd.Rings[1].Outer, rd.Rings[2].Outer, rd.Rings[3].Outer)
}

// TestRadarSizesAndShapes ensures the size maps impact to area and the
// direction to a shape as well as a colour.
func TestRadarSizesAndShapes(t *testing.T) {
	rd := TrendRadar(nil, []RadarEntry{
		{Key: "small", Size: 0, Direction: Threat},
		{Key: "big", Size: 1, Direction: Opportunity},
		{Key: "half", Size: 0.5, Direction: Both},
		{Key: "unknown", Size: Absent},
	}, RadarOptions{})
	r := map[string]RadarPoint{}
	for _, e := range rd.Entries {
		r[e.Key] = e
	}
	// Area in proportion: r(0.5) = √(7² + 0.5·(14² − 7²)) = √(49 + 73.5) = √122.5 = 11.068
	if r["small"].R != 7 || r["big"].R != 14 || !near(r["half"].R, math.Sqrt(122.5)) || r["unknown"].R != 7 {
		t.Errorf("radii %v %v %v %v", r["small"].R, r["big"].R, r["half"].R, r["unknown"].R)
	}
	if r["small"].Shape != Triangle || r["big"].Shape != Circle || r["half"].Shape != Diamond || r["unknown"].Shape != Ring || r["unknown"].Direction != DirectionUnknown {
		t.Errorf("shapes %+v", r)
	}
}

// TestRadarOtherSectorAndUnknownRing ensures an entry with a sector the
// radar does not have, or with no known horizon, is drawn in an added
// sector or ring instead of being dropped.
func TestRadarOtherSectorAndUnknownRing(t *testing.T) {
	entries := []RadarEntry{
		{Key: "a", Sector: "s0", Ring: 0},
		{Key: "b", Sector: "nowhere", Ring: 1},
		{Key: "c", Sector: "s1", Ring: -1},
		{Key: "d", Sector: "", Ring: 9},
	}
	rd := TrendRadar([]Sector{{Key: "s0", Label: "Demography"}, {Key: "s1", Label: "Climate"}}, entries, RadarOptions{Lang: "sv"})
	checkRadar(t, rd, entries)
	if len(rd.Sectors) != 3 || rd.Sectors[2].Key != OtherSector || rd.Sectors[2].Label != "Övrigt" {
		t.Errorf("sectors %+v", rd.Sectors)
	}
	if len(rd.Rings) != 5 || rd.Rings[4].Index != -1 || rd.Rings[4].Label != "Okänd horisont" || rd.Rings[0].Label != "Nu" {
		t.Errorf("rings %+v", rd.Rings)
	}
	for _, e := range rd.Entries {
		if (e.Key == "c" || e.Key == "d") && e.Ring != 4 {
			t.Errorf("%s in ring %d", e.Key, e.Ring)
		}
	}
}

// TestRadarDirectionAndRing ensures the direction and ring come from the
// answers as documented: the mean direction rounded to the nearest answer,
// the median horizon, the sooner of two.
func TestRadarDirectionAndRing(t *testing.T) {
	for _, c := range []struct {
		values []*int
		want   Direction
	}{
		{vals(-2, -1), Threat},    // mean −1.5
		{vals(-1, 0), Threat},     // mean −0.5: on the boundary, counts as a threat
		{vals(-1, 0, 0), Both},    // mean −0.33
		{vals(1, 0), Opportunity}, // mean 0.5
		{vals(2, -2), Both},       // mean 0
		{[]*int{nil}, DirectionUnknown},
	} {
		if got := DirectionOf(Describe(FromValues(-2, 2, c.values))); got != c.want {
			t.Errorf("direction of %v: %s, want %s", Describe(FromValues(-2, 2, c.values)).Mean, got, c.want)
		}
	}
	for _, c := range []struct {
		values []*int
		want   int
	}{
		{vals(0, 0, 1), 0}, {vals(1, 2), 1}, {vals(2, 3, 3), 3}, {vals(0, 3), 1}, {[]*int{nil}, -1},
	} {
		if got := RingOf(Describe(FromValues(0, 3, c.values))); got != c.want {
			t.Errorf("ring of %v: %d, want %d", c.values, got, c.want)
		}
	}
}

// TestRadarProperty ensures, for any number of sectors and entries in any
// cells, that no entry is dropped, none overlaps another, and each lies in
// its own sector and ring.
func TestRadarProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ns := rapid.IntRange(0, 14).Draw(t, "sectors")
		var sectors []Sector
		for i := range ns {
			sectors = append(sectors, Sector{Key: fmt.Sprint("s", i), Label: rapid.StringMatching(`[A-Za-z ]{1,30}`).Draw(t, "label")})
		}
		n := rapid.IntRange(0, 120).Draw(t, "entries")
		var entries []RadarEntry
		for i := range n {
			entries = append(entries, RadarEntry{Key: fmt.Sprint("t", i),
				Sector:    fmt.Sprint("s", rapid.IntRange(-1, ns).Draw(t, "sector")),
				Ring:      rapid.IntRange(-1, 3).Draw(t, "ring"),
				Size:      Num(rapid.Float64Range(0, 1).Draw(t, "size")),
				Direction: rapid.SampledFrom([]Direction{Threat, Opportunity, Both, DirectionUnknown}).Draw(t, "dir")})
		}
		opt := RadarOptions{Radius: rapid.Float64Range(40, 400).Draw(t, "radius"), Gap: rapid.Float64Range(0.5, 8).Draw(t, "gap")}
		checkRadar(t, TrendRadar(sectors, entries, opt), entries)
	})
}
