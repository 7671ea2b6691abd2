package library

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/waymark/waymark/internal/domain"
)

// radarRequired are the columns every "build your own radar" file has.
var radarRequired = []string{"name", "ring", "quadrant", "isNew", "description"}

// isRadarHeader reports whether a header row has the radar columns name, ring
// and quadrant, in any case.
func isRadarHeader(rec []string) bool {
	n := 0
	for _, h := range rec {
		switch strings.ToLower(strings.TrimSpace(h)) {
		case "name", "ring", "quadrant":
			n++
		}
	}
	return n >= 3
}

func radarColumn(h string) string {
	switch h {
	case "name", "ring", "quadrant", "description", "status":
		return h
	case "isnew":
		return "isNew"
	}
	return ""
}

// parseRadar reads a "build your own radar" CSV: each distinct quadrant
// becomes a driving force, each distinct ring a time horizon (in order of
// first appearance, names kept), each row a trend.
func parseRadar(data []byte, opt ParseOptions, ps *problems) *domain.Content {
	t := readTable(data, ps, radarColumn)
	if t == nil {
		return nil
	}
	complete := true
	for _, name := range radarRequired {
		if _, ok := t.col[name]; !ok {
			ps.add(t.line, -1, fmt.Sprint(t.line), "", fmt.Sprintf("missing column %q", name))
			complete = false
		}
	}
	if len(t.rows) == 0 && !ps.any() {
		ps.add(t.line, -1, fmt.Sprint(t.line), "", "the file has a header but no rows")
	}
	checkRowCount(t, ps)
	if !complete || len(t.rows) == 0 {
		return nil
	}

	c := &domain.Content{Name: textIn(opt.Lang, opt.Name)}
	forces := newNamed("driving-force")
	rings := newNamed("horizon")
	keys := newKeys("trend")
	firstRow := map[string]int{} // trend name → its row
	for _, r := range t.rows {
		name := t.get(r, "name")
		tr := domain.Trend{
			Key:         keys.take(domain.Slugify(name)),
			Title:       textIn(opt.Lang, name),
			Description: textIn(opt.Lang, t.get(r, "description")),
			Category:    opt.DefaultCategory,
		}
		switch prev, dup := firstRow[name]; {
		case name == "":
			addRowProblem(ps, t, r, "name", "is required")
		case dup:
			addRowProblem(ps, t, r, "name", fmt.Sprintf("%q is used twice: also on row %d", name, prev))
		default:
			firstRow[name] = r.line
		}
		if q := t.get(r, "quadrant"); q != "" {
			tr.DrivingForces = []string{forces.key(q, r)}
		} else {
			addRowProblem(ps, t, r, "quadrant", "is required")
		}
		if ring := t.get(r, "ring"); ring != "" {
			tr.Horizon = rings.key(ring, r)
		}
		if v := t.get(r, "isNew"); !parseBool(v, &tr.IsNew) {
			addRowProblem(ps, t, r, "isNew", fmt.Sprintf("%q is not a boolean; use true or false", v))
		}
		if v := t.get(r, "status"); !parseStatus(v, &tr.Movement) {
			addRowProblem(ps, t, r, "status", fmt.Sprintf("%q is not one of New, Moved In, Moved Out, No Change", v))
		}
		c.Trends = append(c.Trends, tr)
	}
	for _, f := range forces.items {
		c.DrivingForces = append(c.DrivingForces, domain.DrivingForce{Key: f.key, Name: textIn(opt.Lang, f.name)})
	}
	for _, h := range rings.items {
		c.Horizons = append(c.Horizons, domain.Horizon{Key: h.key, Name: textIn(opt.Lang, h.name)})
	}
	if len(c.Horizons) == 0 {
		c.Horizons = domain.DefaultHorizons()
	}

	for _, cp := range c.Validate() {
		i := cp.Ref.Index
		switch cp.Ref.Kind {
		case "trend":
			f := splitField(cp.Ref.Field)
			column := f.base
			switch f.base {
			case "title":
				if f.lang == "" {
					continue // an empty name, reported above
				}
				column = "name"
			case "key":
				column = "name"
			case "driving_forces":
				column = "quadrant"
			case "horizon":
				column = "ring"
			}
			addRowProblem(ps, t, t.rows[i], column, cp.Message)
		case "driving_force":
			it := forces.items[i]
			addRowProblem(ps, t, it.row, "quadrant", fmt.Sprintf("%q %s", short(it.name), cp.Message))
		case "horizon":
			if i < len(rings.items) {
				it := rings.items[i]
				addRowProblem(ps, t, it.row, "ring", fmt.Sprintf("%q %s", short(it.name), cp.Message))
			}
		default: // the library itself: its name comes from ParseOptions.Name
			ps.add(0, 0, "", splitField(cp.Ref.Field).base, cp.Message)
		}
	}
	if ps.any() {
		return nil
	}
	return c
}

// parseBool reads TRUE, FALSE, yes or no in any case; an empty cell is false.
func parseBool(s string, b *bool) bool {
	switch strings.ToLower(s) {
	case "true", "yes":
		*b = true
	case "false", "no", "":
		*b = false
	default:
		return false
	}
	return true
}

var movements = []struct{ key, name string }{
	{"new", "New"}, {"moved in", "Moved In"}, {"moved out", "Moved Out"}, {"no change", "No Change"},
}

// parseStatus reads a radar status in any case; an empty cell is no status.
func parseStatus(s string, m *string) bool {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	if s == "" {
		*m = ""
		return true
	}
	for _, mv := range movements {
		if s == mv.key {
			*m = mv.key
			return true
		}
	}
	return false
}

// writeRadar writes the "build your own radar" CSV: one row per trend, the
// ring is the horizon's name, the quadrant the first driving force's name (or
// the category's when the trend has none), the description the summary or
// else the description, texts in English where there is English. The status
// column is written only when some trend has a radar status.
func writeRadar(w io.Writer, c *domain.Content) error {
	status := false
	for _, t := range c.Trends {
		status = status || t.Movement != ""
	}
	cw := csvWriter{csv.NewWriter(w)}
	if status {
		cw.row("name", "ring", "quadrant", "isNew", "status", "description")
	} else {
		cw.row("name", "ring", "quadrant", "isNew", "description")
	}
	for _, t := range c.Trends {
		quadrant := categoryName(t.Category)
		if len(t.DrivingForces) > 0 {
			quadrant = forceName(c, t.DrivingForces[0])
		}
		isNew := "FALSE"
		if t.IsNew {
			isNew = "TRUE"
		}
		desc := t.Summary.String("en")
		if desc == "" {
			desc = t.Description.String("en")
		}
		row := []string{t.Title.String("en"), horizonName(c, t.Horizon), quadrant, isNew}
		if status {
			mv := t.Movement
			for _, m := range movements {
				if m.key == t.Movement {
					mv = m.name
				}
			}
			row = append(row, mv)
		}
		cw.row(append(row, desc)...)
	}
	if err := cw.flush(); err != nil {
		return fmt.Errorf("library: write radar: %w", err)
	}
	return nil
}

// categoryName is the English name of a category: "Societal" ….
func categoryName(c domain.Category) string {
	switch c {
	case domain.Societal:
		return "Societal"
	case domain.Digital:
		return "Digital"
	case domain.Technology:
		return "Technology"
	}
	return string(c)
}
