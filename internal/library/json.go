package library

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/waymark/waymark/internal/domain"
)

// parseJSON reads the canonical JSON format. It reports, in this order of
// precedence: invalid UTF-8 (every line that has some), broken JSON syntax
// (the first place), a wrong format tag, and then every wrong type, unknown
// or repeated field and broken content rule.
func parseJSON(data []byte, ps *problems) *domain.Content {
	if !utf8.Valid(data) {
		reportInvalidUTF8Lines(data, ps)
		return nil
	}
	if !json.Valid(data) {
		var raw json.RawMessage
		err := json.Unmarshal(data, &raw) // for the error and its offset
		var se *json.SyntaxError
		if errors.As(err, &se) && se.Error() == "unexpected end of JSON input" {
			l, c := lineCol(data, len(data))
			ps.add(len(data), 0, fmt.Sprintf("%d:%d", l, c), "",
				fmt.Sprintf("unexpected end of file after byte %d: the JSON is truncated", len(data)))
		} else if se != nil {
			off := int(se.Offset) - 1
			l, c := lineCol(data, off)
			ps.add(off, 0, fmt.Sprintf("%d:%d", l, c), "", "invalid JSON: "+se.Error())
		} else {
			ps.add(0, 0, "", "", "invalid JSON: "+err.Error())
		}
		return nil
	}
	root := parseTree(data)
	if root == nil {
		ps.add(0, 0, "", "", fmt.Sprintf("the JSON has more than %d values; no library is that large", maxValues))
		return nil
	}
	r := &jreader{ps: ps, root: root, bad: map[string]bool{}, badUnder: map[string]bool{}}
	if root.kind != jObject {
		r.add("$", root.off, fmt.Sprintf("must be a JSON object with \"format\": %q, not %s", FormatTag, root.describe()))
		return nil
	}
	switch f := root.field("format"); {
	case f == nil:
		r.add("$.format", root.off, fmt.Sprintf("is missing; it must be %q", FormatTag))
	case f.kind != jString:
		r.typeErr(f, "$.format", fmt.Sprintf("the string %q", FormatTag))
	case f.str != FormatTag:
		r.add("$.format", f.off, fmt.Sprintf("unknown format tag %q; expected %q", f.str, FormatTag))
		return nil // another format: its other fields would only give noise
	}
	c := r.library(root)
	dups := &duplicates{c: c}
	for _, cp := range c.Validate() {
		path := cp.Ref.JSONPath()
		if cp.Ref.Field != "" {
			path += "." + cp.Ref.Field
		}
		if r.overlapsBad(path) {
			continue // already reported as a wrong type
		}
		msg := cp.Message
		if cp.Ref.Field == "key" {
			if j, k := dups.of(cp.Ref.Kind, cp.Ref.Index); j >= 0 {
				other := domain.ItemRef{Kind: cp.Ref.Kind, Index: j}
				msg = fmt.Sprintf("%q is used twice: also at %s", k, other.JSONPath())
			}
		}
		r.add(path, lookup(root, path), msg)
	}
	if ps.any() {
		return nil
	}
	return c
}

// reportInvalidUTF8Lines adds one problem for each line with bytes that are
// not UTF-8, at the first bad byte.
func reportInvalidUTF8Lines(data []byte, ps *problems) {
	line, lineStart := 1, 0
	reported := 0
	for i := 0; i < len(data); {
		if data[i] == '\n' {
			line++
			i++
			lineStart = i
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 && reported != line {
			reported = line
			col := 1 + utf8.RuneCount(data[lineStart:i])
			ps.add(i, 0, fmt.Sprintf("%d:%d", line, col), "", "is not valid UTF-8; save the file as UTF-8")
		}
		i += size
	}
}

// jsonSections are the top-level lists whose items are reported with their
// own path, like "$.trends[3]".
var jsonSections = []string{"horizons", "driving_forces", "fields_of_tension", "trends", "capability_areas"}

// splitPath turns a full JSON path into Problem.Where and Problem.Field:
// "$.trends[3].title.en" gives "$.trends[3]" and "title.en"; paths outside
// the lists give "$" and the rest, "$.attribution.url" gives "$" and
// "attribution.url".
func splitPath(path string) (where, field string) {
	for _, s := range jsonSections {
		prefix := "$." + s + "["
		if strings.HasPrefix(path, prefix) {
			if end := strings.IndexByte(path[len(prefix):], ']'); end >= 0 {
				end += len(prefix) + 1
				return path[:end], strings.TrimPrefix(path[end:], ".")
			}
		}
	}
	if path == "$" {
		return "$", ""
	}
	return "$", strings.TrimPrefix(path, "$.")
}

// parentPath returns the path one step up, or "" above "$".
func parentPath(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

// lookup returns the byte offset of the deepest node on path that exists.
func lookup(root *jnode, path string) int {
	n := root
	rest := strings.TrimPrefix(path, "$")
	for rest != "" && n != nil {
		var next *jnode
		switch rest[0] {
		case '.':
			rest = rest[1:]
			end := strings.IndexAny(rest, ".[")
			if end < 0 {
				end = len(rest)
			}
			next = n.field(rest[:end])
			rest = rest[end:]
		case '[':
			if q, err := strconv.QuotedPrefix(rest[1:]); err == nil && strings.HasPrefix(rest[1+len(q):], "]") {
				// a field whose name is no key: demands["A B"]
				name, _ := strconv.Unquote(q)
				next = n.field(name)
				rest = rest[len(q)+2:]
				break
			}
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return n.off
			}
			i, err := strconv.Atoi(rest[1:end])
			rest = rest[end+1:]
			if err == nil && n.kind == jArray && i >= 0 && i < len(n.items) {
				next = n.items[i]
			}
		default:
			return n.off
		}
		if next == nil {
			return n.off
		}
		n = next
	}
	return n.off
}

// jreader maps the tree onto domain.Content, reporting every wrong type and
// unknown field. Items of the wrong type still take their place in lists (as
// zero values) so that the indices Validate reports match the file.
type jreader struct {
	ps       *problems
	root     *jnode
	bad      map[string]bool // paths reported as a wrong type
	badUnder map[string]bool // every path above one in bad
}

func (r *jreader) add(path string, off int, msg string) {
	where, field := splitPath(path)
	r.ps.add(off, 0, where, field, msg)
}

func (r *jreader) typeErr(n *jnode, path, want string) {
	r.add(path, n.off, fmt.Sprintf("must be %s, not %s", want, n.describe()))
	r.bad[path] = true
	for p := parentPath(path); p != ""; p = parentPath(p) {
		r.badUnder[p] = true
	}
}

// overlapsBad reports whether path is, contains or lies inside a path
// already reported as a wrong type.
func (r *jreader) overlapsBad(path string) bool {
	if r.bad[path] || r.badUnder[path] {
		return true
	}
	for p := parentPath(path); p != ""; p = parentPath(p) {
		if r.bad[p] {
			return true
		}
	}
	return false
}

// object calls each for every field of the object n, reporting repeated
// fields and the fields for which each returns false.
func (r *jreader) object(n *jnode, path, want, unknown string, each func(name string, v *jnode, p string) bool) {
	if n.kind != jObject {
		r.typeErr(n, path, want)
		return
	}
	var seen map[string]bool
	if len(n.fields) > 8 {
		seen = make(map[string]bool, len(n.fields))
	}
	for i, f := range n.fields {
		p := path + "." + f.name
		dup := false
		if seen != nil {
			dup = seen[f.name]
			seen[f.name] = true
		} else {
			for _, g := range n.fields[:i] {
				if g.name == f.name {
					dup = true
					break
				}
			}
		}
		if dup {
			r.add(p, f.val.off, "appears twice in the same object; give each field once")
			continue
		}
		if !each(f.name, f.val, p) {
			r.add(p, f.val.off, unknown)
		}
	}
}

const unknownField = "unknown field"

func (r *jreader) array(n *jnode, path, want string, each func(i int, v *jnode, p string)) {
	if n.kind != jArray {
		r.typeErr(n, path, want)
		return
	}
	for i, v := range n.items {
		each(i, v, path+"["+strconv.Itoa(i)+"]")
	}
}

// section reads one of the library's lists, reporting one that is longer
// than the domain allows and reading only the items allowed.
func (r *jreader) section(n *jnode, path, what string, limit int, each func(v *jnode, p string)) {
	if n.kind == jArray && len(n.items) > limit {
		r.add(path, n.off, fmt.Sprintf("has %d %s; at most %d are allowed", len(n.items), what, limit))
		n = &jnode{kind: jArray, off: n.off, items: n.items[:limit]}
	}
	r.array(n, path, "an array of "+what, func(_ int, v *jnode, p string) { each(v, p) })
}

func (r *jreader) str(n *jnode, path string) string {
	if n.kind != jString {
		r.typeErr(n, path, "a string")
		return ""
	}
	return n.str
}

func (r *jreader) boolean(n *jnode, path string) bool {
	if n.kind != jBool {
		r.typeErr(n, path, "true or false")
		return false
	}
	return n.b
}

const textWant = `an object of texts like {"en": "…", "sv": "…"}`

func (r *jreader) text(n *jnode, path string) domain.Text {
	var t domain.Text
	r.object(n, path, textWant, `unknown language; a text has "en" and "sv"`, func(name string, v *jnode, p string) bool {
		switch name {
		case "en":
			t.EN = r.str(v, p)
		case "sv":
			t.SV = r.str(v, p)
		default:
			return false
		}
		return true
	})
	return t
}

func (r *jreader) strings(n *jnode, path string) []string {
	var out []string
	r.array(n, path, "an array of strings", func(_ int, v *jnode, p string) {
		out = append(out, r.str(v, p))
	})
	return out
}

func (r *jreader) texts(n *jnode, path string) []domain.Text {
	var out []domain.Text
	r.array(n, path, "an array of texts", func(_ int, v *jnode, p string) {
		out = append(out, r.text(v, p))
	})
	return out
}

func (r *jreader) library(root *jnode) *domain.Content {
	c := &domain.Content{}
	r.object(root, "$", "an object", unknownField, func(name string, v *jnode, p string) bool {
		switch name {
		case "format":
			// checked by parseJSON
		case "name":
			c.Name = r.text(v, p)
		case "description":
			c.Description = r.text(v, p)
		case "attribution":
			r.object(v, p, "an object", unknownField, func(name string, v *jnode, p string) bool {
				switch name {
				case "source_organisation":
					c.Attribution.SourceOrganisation = r.str(v, p)
				case "url":
					c.Attribution.URL = r.str(v, p)
				case "licence":
					c.Attribution.Licence = r.str(v, p)
				default:
					return false
				}
				return true
			})
		case "horizons":
			r.section(v, p, "horizons", domain.MaxItemsPerKind, func(v *jnode, p string) {
				c.Horizons = append(c.Horizons, r.horizon(v, p))
			})
		case "driving_forces":
			r.section(v, p, "driving forces", domain.MaxItemsPerKind, func(v *jnode, p string) {
				c.DrivingForces = append(c.DrivingForces, r.drivingForce(v, p))
			})
		case "fields_of_tension":
			r.section(v, p, "fields of tension", domain.MaxItemsPerKind, func(v *jnode, p string) {
				c.Tensions = append(c.Tensions, r.tension(v, p))
			})
		case "trends":
			r.section(v, p, "trends", domain.MaxTrends, func(v *jnode, p string) {
				c.Trends = append(c.Trends, r.trend(v, p))
			})
		case "capability_areas":
			r.section(v, p, "capability areas", domain.MaxItemsPerKind, func(v *jnode, p string) {
				c.CapabilityAreas = append(c.CapabilityAreas, r.capabilityArea(v, p))
			})
		default:
			return false
		}
		return true
	})
	return c
}

func (r *jreader) horizon(n *jnode, path string) (h domain.Horizon) {
	r.object(n, path, "an object", unknownField, func(name string, v *jnode, p string) bool {
		switch name {
		case "key":
			h.Key = r.str(v, p)
		case "name":
			h.Name = r.text(v, p)
		default:
			return false
		}
		return true
	})
	return h
}

func (r *jreader) drivingForce(n *jnode, path string) (f domain.DrivingForce) {
	r.object(n, path, "an object", unknownField, func(name string, v *jnode, p string) bool {
		switch name {
		case "key":
			f.Key = r.str(v, p)
		case "name":
			f.Name = r.text(v, p)
		case "description":
			f.Description = r.text(v, p)
		default:
			return false
		}
		return true
	})
	return f
}

func (r *jreader) tension(n *jnode, path string) (t domain.Tension) {
	r.object(n, path, "an object", unknownField, func(name string, v *jnode, p string) bool {
		switch name {
		case "key":
			t.Key = r.str(v, p)
		case "name":
			t.Name = r.text(v, p)
		case "pole_a":
			t.PoleA = r.text(v, p)
		case "pole_b":
			t.PoleB = r.text(v, p)
		case "description":
			t.Description = r.text(v, p)
		default:
			return false
		}
		return true
	})
	return t
}

func (r *jreader) trend(n *jnode, path string) (t domain.Trend) {
	r.object(n, path, "an object", unknownField, func(name string, v *jnode, p string) bool {
		switch name {
		case "key":
			t.Key = r.str(v, p)
		case "title":
			t.Title = r.text(v, p)
		case "summary":
			t.Summary = r.text(v, p)
		case "description":
			t.Description = r.text(v, p)
		case "category":
			t.Category = domain.Category(r.str(v, p))
		case "driving_forces":
			t.DrivingForces = r.strings(v, p)
		case "horizon":
			t.Horizon = r.str(v, p)
		case "indicators":
			t.Indicators = r.texts(v, p)
		case "sources":
			r.array(v, p, "an array of sources", func(_ int, v *jnode, p string) {
				t.Sources = append(t.Sources, r.source(v, p))
			})
		case "questions":
			t.Questions = r.texts(v, p)
		case "tags":
			t.Tags = r.strings(v, p)
		case "is_new":
			t.IsNew = r.boolean(v, p)
		case "status":
			t.Movement = r.str(v, p)
		case "demands":
			t.Demands = r.demands(v, path)
		default:
			return false
		}
		return true
	})
	return t
}

// demandWant is what a trend's demands must be, for type problems.
const demandWant = `an object of capability areas and levels like {"data-sharing": 3}`

// demands reads a trend's demand links, an object of capability area keys
// and levels, sorted by area key. A level that is not a whole number from
// the file is read as 0, which Validate reports with the allowed levels.
// Problems are at demands.AREA (domain.DemandField).
func (r *jreader) demands(n *jnode, trendPath string) []domain.Demand {
	path := trendPath + ".demands"
	if n.kind != jObject {
		r.typeErr(n, path, demandWant)
		return nil
	}
	var out []domain.Demand
	seen := make(map[string]bool, len(n.fields))
	for _, f := range n.fields {
		p := trendPath + "." + domain.DemandField(f.name)
		if seen[f.name] {
			r.add(p, f.val.off, "appears twice in the same object; give each field once")
			continue
		}
		seen[f.name] = true
		d := domain.Demand{Area: f.name}
		if f.val.kind != jNumber {
			r.typeErr(f.val, p, "a level 1, 2 or 3")
		} else if l, err := strconv.Atoi(f.val.str); err == nil {
			d.Level = l
		}
		out = append(out, d)
	}
	domain.SortDemands(out)
	return out
}

func (r *jreader) source(n *jnode, path string) (s domain.Source) {
	r.object(n, path, `an object like {"title": "…", "url": "…", "date": "2024-05"}`, unknownField, func(name string, v *jnode, p string) bool {
		switch name {
		case "title":
			s.Title = r.str(v, p)
		case "url":
			s.URL = r.str(v, p)
		case "date":
			s.Date = r.str(v, p)
		default:
			return false
		}
		return true
	})
	return s
}

func (r *jreader) capabilityArea(n *jnode, path string) (a domain.CapabilityArea) {
	hasLevels := false
	r.object(n, path, "an object", unknownField, func(name string, v *jnode, p string) bool {
		switch name {
		case "key":
			a.Key = r.str(v, p)
		case "name":
			a.Name = r.text(v, p)
		case "description":
			a.Description = r.text(v, p)
		case "levels":
			hasLevels = true
			r.array(v, p, "an array of 5 texts, level 1 first", func(i int, v *jnode, p string) {
				if i < len(a.Levels) {
					a.Levels[i] = r.text(v, p)
				}
			})
			if v.kind == jArray && len(v.items) != len(a.Levels) {
				r.add(p, v.off, fmt.Sprintf("must have exactly 5 levels, level 1 first; it has %d", len(v.items)))
			}
		default:
			return false
		}
		return true
	})
	if n.kind == jObject && !hasLevels {
		r.add(path+".levels", n.off, "is missing; give 5 level descriptors, level 1 first")
	}
	return a
}

// The export shape: fields in the documented order, empty optional fields
// left out.
type (
	jsonLibrary struct {
		Format          string               `json:"format"`
		Name            domain.Text          `json:"name,omitzero"`
		Description     domain.Text          `json:"description,omitzero"`
		Attribution     domain.Attribution   `json:"attribution,omitzero"`
		Horizons        []jsonHorizon        `json:"horizons,omitempty"`
		DrivingForces   []jsonDrivingForce   `json:"driving_forces,omitempty"`
		Tensions        []jsonTension        `json:"fields_of_tension,omitempty"`
		Trends          []jsonTrend          `json:"trends,omitempty"`
		CapabilityAreas []jsonCapabilityArea `json:"capability_areas,omitempty"`
	}
	jsonHorizon struct {
		Key  string      `json:"key"`
		Name domain.Text `json:"name,omitzero"`
	}
	jsonDrivingForce struct {
		Key         string      `json:"key"`
		Name        domain.Text `json:"name,omitzero"`
		Description domain.Text `json:"description,omitzero"`
	}
	jsonTension struct {
		Key         string      `json:"key"`
		Name        domain.Text `json:"name,omitzero"`
		PoleA       domain.Text `json:"pole_a,omitzero"`
		PoleB       domain.Text `json:"pole_b,omitzero"`
		Description domain.Text `json:"description,omitzero"`
	}
	jsonTrend struct {
		Key           string        `json:"key"`
		Title         domain.Text   `json:"title,omitzero"`
		Summary       domain.Text   `json:"summary,omitzero"`
		Description   domain.Text   `json:"description,omitzero"`
		Category      string        `json:"category"`
		DrivingForces []string      `json:"driving_forces,omitempty"`
		Horizon       string        `json:"horizon,omitempty"`
		Indicators    []domain.Text `json:"indicators,omitempty"`
		Sources       []jsonSource  `json:"sources,omitempty"`
		Questions     []domain.Text `json:"questions,omitempty"`
		Tags          []string      `json:"tags,omitempty"`
		IsNew         bool          `json:"is_new,omitempty"`
		Status        string        `json:"status,omitempty"`
		// Demands is a map so that encoding/json writes it sorted by area.
		Demands map[string]int `json:"demands,omitempty"`
	}
	jsonSource struct {
		Title string `json:"title"`
		URL   string `json:"url,omitempty"`
		Date  string `json:"date,omitempty"`
	}
	jsonCapabilityArea struct {
		Key         string         `json:"key"`
		Name        domain.Text    `json:"name,omitzero"`
		Description domain.Text    `json:"description,omitzero"`
		Levels      [5]domain.Text `json:"levels"`
	}
)

func writeJSON(w io.Writer, c *domain.Content) error {
	l := jsonLibrary{Format: FormatTag, Name: c.Name, Description: c.Description, Attribution: c.Attribution}
	for _, h := range c.Horizons {
		l.Horizons = append(l.Horizons, jsonHorizon(h))
	}
	for _, f := range c.DrivingForces {
		l.DrivingForces = append(l.DrivingForces, jsonDrivingForce(f))
	}
	for _, t := range c.Tensions {
		l.Tensions = append(l.Tensions, jsonTension(t))
	}
	for _, t := range c.Trends {
		jt := jsonTrend{
			Key: t.Key, Title: t.Title, Summary: t.Summary, Description: t.Description,
			Category: string(t.Category), DrivingForces: t.DrivingForces, Horizon: t.Horizon,
			Indicators: t.Indicators, Questions: t.Questions, Tags: t.Tags,
			IsNew: t.IsNew, Status: t.Movement,
		}
		for _, s := range t.Sources {
			jt.Sources = append(jt.Sources, jsonSource(s))
		}
		if len(t.Demands) > 0 {
			jt.Demands = make(map[string]int, len(t.Demands))
			for _, d := range t.Demands {
				jt.Demands[d.Area] = d.Level
			}
		}
		l.Trends = append(l.Trends, jt)
	}
	for _, a := range c.CapabilityAreas {
		l.CapabilityAreas = append(l.CapabilityAreas, jsonCapabilityArea(a))
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(l); err != nil {
		return fmt.Errorf("library: write json: %w", err)
	}
	return nil
}
