package domain

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Limits on library content, checked by Validate.
const (
	MaxKeyLen       = 64
	MaxNameLen      = 200
	MaxTextLen      = 20000
	MaxListItems    = 100
	MaxTrends       = 5000
	MaxItemsPerKind = 500
)

var keyPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// ValidKey reports whether s can be a key: lower-case letters, digits and
// hyphens, starting with a letter or digit, at most MaxKeyLen long.
func ValidKey(s string) bool { return len(s) <= MaxKeyLen && keyPattern.MatchString(s) }

// Slugify turns a name into a key: lower case, a-z0-9 and hyphens, with
// Swedish letters folded (å→a, ä→a, ö→o). It returns "" when nothing is left.
func Slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch r {
		case 'å', 'ä', 'á', 'à', 'â':
			r = 'a'
		case 'ö', 'ó', 'ò', 'ô', 'ø':
			r = 'o'
		case 'é', 'è', 'ê', 'ë':
			r = 'e'
		case 'ü', 'ú', 'ù':
			r = 'u'
		case 'í', 'ì', 'ï':
			r = 'i'
		}
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.TrimSuffix(b.String(), "-")
	if len(out) > MaxKeyLen {
		out = strings.TrimSuffix(out[:MaxKeyLen], "-")
	}
	return out
}

// ItemRef names one field of one item of a library's content, for problem
// reports. Kind is "library", "horizon", "driving_force", "tension", "trend"
// or "capability_area"; Index is the item's position in its list; Field is a
// path inside the item such as "title.en" or "sources[2].url".
type ItemRef struct {
	Kind  string
	Index int
	Field string
}

// JSONPath returns the canonical JSON path of the reference, e.g.
// "$.trends[3]" (the field is reported separately).
func (r ItemRef) JSONPath() string {
	switch r.Kind {
	case "library":
		return "$"
	case "horizon":
		return fmt.Sprintf("$.horizons[%d]", r.Index)
	case "driving_force":
		return fmt.Sprintf("$.driving_forces[%d]", r.Index)
	case "tension":
		return fmt.Sprintf("$.fields_of_tension[%d]", r.Index)
	case "trend":
		return fmt.Sprintf("$.trends[%d]", r.Index)
	case "capability_area":
		return fmt.Sprintf("$.capability_areas[%d]", r.Index)
	}
	return "$"
}

// ContentProblem is one rule that content breaks.
type ContentProblem struct {
	Ref     ItemRef
	Message string
}

// Validate checks every rule for library content and returns every broken
// rule, in order. It never stops at the first.
func (c *Content) Validate() []ContentProblem {
	var ps []ContentProblem
	add := func(kind string, i int, field, format string, args ...any) {
		ps = append(ps, ContentProblem{Ref: ItemRef{kind, i, field}, Message: fmt.Sprintf(format, args...)})
	}
	text := func(kind string, i int, field string, t Text, required bool, max int) {
		if required && t.IsZero() {
			add(kind, i, field, "is required in English or Swedish")
		}
		for _, lt := range [2][2]string{{"en", t.EN}, {"sv", t.SV}} {
			lang, s := lt[0], lt[1]
			if !utf8.ValidString(s) {
				add(kind, i, field+"."+lang, "is not valid UTF-8")
			} else if utf8.RuneCountInString(s) > max {
				add(kind, i, field+"."+lang, "is longer than %d characters", max)
			}
		}
	}
	keys := func(kind string, n int, key func(int) string) map[string]bool {
		seen := make(map[string]bool, n)
		for i := 0; i < n; i++ {
			k := key(i)
			switch {
			case k == "":
				add(kind, i, "key", "is required")
			case !ValidKey(k):
				add(kind, i, "key", "%q must be lower-case letters, digits and hyphens, at most %d characters", k, MaxKeyLen)
			case seen[k]:
				add(kind, i, "key", "%q is used twice", k)
			}
			seen[k] = true
		}
		return seen
	}

	text("library", 0, "name", c.Name, true, MaxNameLen)
	text("library", 0, "description", c.Description, false, MaxTextLen)
	if c.Attribution.URL != "" && !validURL(c.Attribution.URL) {
		add("library", 0, "attribution.url", "%q is not an http or https address", c.Attribution.URL)
	}

	horizons := keys("horizon", len(c.Horizons), func(i int) string { return c.Horizons[i].Key })
	for i, h := range c.Horizons {
		text("horizon", i, "name", h.Name, true, MaxNameLen)
	}
	forces := keys("driving_force", len(c.DrivingForces), func(i int) string { return c.DrivingForces[i].Key })
	for i, f := range c.DrivingForces {
		text("driving_force", i, "name", f.Name, true, MaxNameLen)
		text("driving_force", i, "description", f.Description, false, MaxTextLen)
	}
	keys("tension", len(c.Tensions), func(i int) string { return c.Tensions[i].Key })
	for i, t := range c.Tensions {
		text("tension", i, "name", t.Name, true, MaxNameLen)
		text("tension", i, "pole_a", t.PoleA, true, MaxNameLen)
		text("tension", i, "pole_b", t.PoleB, true, MaxNameLen)
		text("tension", i, "description", t.Description, false, MaxTextLen)
	}
	keys("trend", len(c.Trends), func(i int) string { return c.Trends[i].Key })
	areas := make(map[string]bool, len(c.CapabilityAreas))
	for _, a := range c.CapabilityAreas {
		areas[a.Key] = true
	}
	for i, t := range c.Trends {
		text("trend", i, "title", t.Title, true, MaxNameLen)
		text("trend", i, "summary", t.Summary, false, MaxTextLen)
		text("trend", i, "description", t.Description, false, MaxTextLen)
		if !ValidCategory(t.Category) {
			if t.Category == "" {
				add("trend", i, "category", "is required: societal, digital or technology")
			} else {
				add("trend", i, "category", "%q is not one of societal, digital, technology", t.Category)
			}
		}
		seenForce := map[string]bool{}
		for j, k := range t.DrivingForces {
			if !forces[k] {
				add("trend", i, fmt.Sprintf("driving_forces[%d]", j), "%q is not a driving force of this library", k)
			} else if seenForce[k] {
				add("trend", i, fmt.Sprintf("driving_forces[%d]", j), "%q is listed twice", k)
			}
			seenForce[k] = true
		}
		if t.Horizon != "" && !horizons[t.Horizon] {
			add("trend", i, "horizon", "%q is not a time horizon of this library", t.Horizon)
		}
		if len(t.Indicators) > MaxListItems {
			add("trend", i, "indicators", "has more than %d items", MaxListItems)
		}
		for j, ind := range t.Indicators {
			text("trend", i, fmt.Sprintf("indicators[%d]", j), ind, true, MaxTextLen)
		}
		if len(t.Sources) > MaxListItems {
			add("trend", i, "sources", "has more than %d items", MaxListItems)
		}
		for j, s := range t.Sources {
			f := fmt.Sprintf("sources[%d]", j)
			if strings.TrimSpace(s.Title) == "" {
				add("trend", i, f+".title", "is required")
			}
			if s.URL != "" && !validURL(s.URL) {
				add("trend", i, f+".url", "%q is not an http or https address", s.URL)
			}
			if s.Date != "" && !validDate(s.Date) {
				add("trend", i, f+".date", "%q is not a date like 2024, 2024-05 or 2024-05-17", s.Date)
			}
		}
		for j, q := range t.Questions {
			text("trend", i, fmt.Sprintf("questions[%d]", j), q, true, MaxTextLen)
		}
		for j, tag := range t.Tags {
			if strings.TrimSpace(tag) == "" {
				add("trend", i, fmt.Sprintf("tags[%d]", j), "is empty")
			} else if utf8.RuneCountInString(tag) > MaxKeyLen {
				add("trend", i, fmt.Sprintf("tags[%d]", j), "is longer than %d characters", MaxKeyLen)
			}
		}
		switch t.Movement {
		case "", "new", "moved in", "moved out", "no change":
		default:
			add("trend", i, "status", "%q is not one of new, moved in, moved out, no change", t.Movement)
		}
		seenArea := map[string]bool{}
		for _, d := range t.Demands {
			f := DemandField(d.Area)
			switch {
			case !areas[d.Area]:
				add("trend", i, f, "%q is not a capability area of this library", d.Area)
			case seenArea[d.Area]:
				add("trend", i, f, "%q is listed twice", d.Area)
			}
			seenArea[d.Area] = true
			if d.Level < 1 || d.Level > DemandMax {
				add("trend", i, f, "must be 1 (a little), 2 (clearly) or 3 (strongly); leave the area out for no link")
			}
		}
	}
	keys("capability_area", len(c.CapabilityAreas), func(i int) string { return c.CapabilityAreas[i].Key })
	for i, a := range c.CapabilityAreas {
		text("capability_area", i, "name", a.Name, true, MaxNameLen)
		text("capability_area", i, "description", a.Description, false, MaxTextLen)
		for l, d := range a.Levels {
			text("capability_area", i, fmt.Sprintf("levels[%d]", l), d, false, MaxTextLen)
		}
	}
	if len(c.Trends) > MaxTrends {
		add("library", 0, "trends", "has %d trends; at most %d are allowed", len(c.Trends), MaxTrends)
	}
	for _, kn := range []struct {
		kind string
		n    int
	}{{"horizons", len(c.Horizons)}, {"driving_forces", len(c.DrivingForces)},
		{"fields_of_tension", len(c.Tensions)}, {"capability_areas", len(c.CapabilityAreas)}} {
		if kn.n > MaxItemsPerKind {
			add("library", 0, kn.kind, "has %d items; at most %d are allowed", kn.n, MaxItemsPerKind)
		}
	}
	return ps
}

// DemandField is where a problem with a trend's demand on the area is
// reported: "demands.data-sharing", or demands["A B"] for an area that is
// not a valid key.
func DemandField(area string) string {
	if ValidKey(area) {
		return "demands." + area
	}
	return fmt.Sprintf("demands[%q]", area)
}

func validURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

var datePattern = regexp.MustCompile(`^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$`)

func validDate(s string) bool { return datePattern.MatchString(s) }
