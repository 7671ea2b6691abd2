package domain

import (
	"fmt"
	"slices"
	"strings"
)

// ChangeOp says how an item differs between two versions.
type ChangeOp string

const (
	Added   ChangeOp = "added"
	Removed ChangeOp = "removed"
	Changed ChangeOp = "changed"
	Moved   ChangeOp = "moved"
)

// Change is one difference between two versions of a library: an item added,
// removed or moved, or one field of an item changed.
type Change struct {
	Op    ChangeOp
	Kind  string // "library" or one of the Kind constants
	Key   string // the item's key; "" for the library itself
	Name  Text   // the item's name or title, for display
	Field string // for Changed: the field, e.g. "title.sv" or "indicators"
	Old   string // for Changed: old value, as text
	New   string // for Changed: new value, as text
}

// Diff lists what changed from old to new, kind by kind in display order,
// items in the new version's order, then removed items.
func Diff(old, new *Content) []Change {
	var cs []Change
	cs = append(cs, fieldChanges("library", "", new.Name, libraryFields(old), libraryFields(new))...)
	for _, k := range []string{KindHorizon, KindDrivingForce, KindTension, KindTrend, KindCapabilityArea} {
		oldKeys, oldItems := items(old, k)
		newKeys, newItems := items(new, k)
		stayed := unmoved(oldKeys, newKeys)
		for _, key := range newKeys {
			n := newItems[key]
			o, ok := oldItems[key]
			if !ok {
				cs = append(cs, Change{Op: Added, Kind: k, Key: key, Name: n.name})
				continue
			}
			if !stayed[key] {
				cs = append(cs, Change{Op: Moved, Kind: k, Key: key, Name: n.name})
			}
			cs = append(cs, fieldChanges(k, key, n.name, o.fields, n.fields)...)
		}
		for _, key := range oldKeys {
			if _, ok := newItems[key]; !ok {
				cs = append(cs, Change{Op: Removed, Kind: k, Key: key, Name: oldItems[key].name})
			}
		}
	}
	return cs
}

type diffItem struct {
	name   Text
	fields [][2]string
}

func fieldChanges(kind, key string, name Text, old, new [][2]string) []Change {
	var cs []Change
	for i := range new {
		if old[i][1] != new[i][1] {
			cs = append(cs, Change{Op: Changed, Kind: kind, Key: key, Name: name, Field: new[i][0], Old: old[i][1], New: new[i][1]})
		}
	}
	return cs
}

func textFields(prefix string, t Text) [][2]string {
	return [][2]string{{prefix + ".en", t.EN}, {prefix + ".sv", t.SV}}
}

func textList(ts []Text, lang string) string {
	var b []string
	for _, t := range ts {
		if lang == "sv" {
			b = append(b, t.SV)
		} else {
			b = append(b, t.EN)
		}
	}
	return strings.Join(b, ", ")
}

func libraryFields(c *Content) [][2]string {
	f := textFields("name", c.Name)
	f = append(f, textFields("description", c.Description)...)
	return append(f,
		[2]string{"attribution.source_organisation", c.Attribution.SourceOrganisation},
		[2]string{"attribution.url", c.Attribution.URL},
		[2]string{"attribution.licence", c.Attribution.Licence})
}

func items(c *Content, kind string) ([]string, map[string]diffItem) {
	keys := c.Keys(kind)
	m := make(map[string]diffItem, len(keys))
	switch kind {
	case KindHorizon:
		for _, h := range c.Horizons {
			m[h.Key] = diffItem{h.Name, textFields("name", h.Name)}
		}
	case KindDrivingForce:
		for _, d := range c.DrivingForces {
			m[d.Key] = diffItem{d.Name, append(textFields("name", d.Name), textFields("description", d.Description)...)}
		}
	case KindTension:
		for _, t := range c.Tensions {
			f := textFields("name", t.Name)
			f = append(f, textFields("pole_a", t.PoleA)...)
			f = append(f, textFields("pole_b", t.PoleB)...)
			m[t.Key] = diffItem{t.Name, append(f, textFields("description", t.Description)...)}
		}
	case KindTrend:
		for _, t := range c.Trends {
			f := textFields("title", t.Title)
			f = append(f, textFields("summary", t.Summary)...)
			f = append(f, textFields("description", t.Description)...)
			var sources []string
			for _, s := range t.Sources {
				sources = append(sources, strings.Join([]string{s.Title, s.URL, s.Date}, " | "))
			}
			f = append(f,
				[2]string{"category", string(t.Category)},
				[2]string{"driving_forces", strings.Join(t.DrivingForces, ", ")},
				[2]string{"horizon", t.Horizon},
				[2]string{"indicators.en", textList(t.Indicators, "en")},
				[2]string{"indicators.sv", textList(t.Indicators, "sv")},
				[2]string{"sources", strings.Join(sources, "\n")},
				[2]string{"questions.en", textList(t.Questions, "en")},
				[2]string{"questions.sv", textList(t.Questions, "sv")},
				[2]string{"tags", strings.Join(t.Tags, ", ")},
				[2]string{"is_new", fmt.Sprint(t.IsNew)},
				[2]string{"status", t.Movement},
				[2]string{"demands", demandsText(t.Demands)},
			)
			m[t.Key] = diffItem{t.Title, f}
		}
	case KindCapabilityArea:
		for _, a := range c.CapabilityAreas {
			f := append(textFields("name", a.Name), textFields("description", a.Description)...)
			for l, d := range a.Levels {
				f = append(f, textFields(fmt.Sprintf("levels[%d]", l+1), d)...)
			}
			m[a.Key] = diffItem{a.Name, f}
		}
	}
	return keys, m
}

// unmoved returns the keys of a longest common subsequence of old and new:
// the items whose relative order did not change. The others moved.
func unmoved(old, new []string) map[string]bool {
	n, m := len(old), len(new)
	l := make([][]int, n+1)
	for i := range l {
		l[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if old[i] == new[j] {
				l[i][j] = l[i+1][j+1] + 1
			} else {
				l[i][j] = max(l[i+1][j], l[i][j+1])
			}
		}
	}
	out := make(map[string]bool, l[0][0])
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case old[i] == new[j]:
			out[old[i]] = true
			i++
			j++
		case l[i+1][j] >= l[i][j+1]:
			i++
		default:
			j++
		}
	}
	return out
}

// demandsText writes a trend's demand links for the diff in area key
// order, like its driving forces: "data-sharing: 3, skills: 1".
func demandsText(ds []Demand) string {
	ds = slices.Clone(ds)
	SortDemands(ds)
	var b []string
	for _, d := range ds {
		b = append(b, fmt.Sprintf("%s: %d", d.Area, d.Level))
	}
	return strings.Join(b, ", ")
}
