package portfolio

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/waymark/waymark/internal/domain"
)

// Parse reads a portfolio file. It checks everything and returns every
// problem at once as domain.Problems, each located by its JSON path (such
// as "$.initiatives[3].duration") or, for JSON syntax, by LINE:COLUMN.
func Parse(data []byte) (*Portfolio, error) {
	root, ps := parseTree(data)
	if ps != nil {
		return nil, ps
	}
	r := &reader{bad: map[string]bool{}}
	p := r.portfolio(root)
	if p == nil {
		return nil, r.ps
	}
	for _, q := range p.validate(r.horizonBad) {
		if !r.covered(q.Where) {
			r.ps = append(r.ps, q)
		}
	}
	if len(r.ps) > 0 {
		sortProblems(r.ps)
		return nil, r.ps
	}
	return p, nil
}

type reader struct {
	ps         domain.Problems
	bad        map[string]bool // paths already reported by the reader
	horizonBad bool
}

func (r *reader) add(path, format string, args ...any) {
	r.ps = append(r.ps, domain.Problem{Where: path, Message: fmt.Sprintf(format, args...)})
	r.bad[path] = true
}

// covered reports whether path is, or is inside, a path the reader
// already reported, so validation does not repeat it.
func (r *reader) covered(path string) bool {
	for p := path; ; {
		if r.bad[p] {
			return true
		}
		k := max(strings.LastIndexByte(p, '.'), strings.LastIndexByte(p, '['))
		if k <= 0 {
			return false
		}
		p = p[:k]
	}
}

func (r *reader) typeErr(n *jnode, path, want string) {
	r.add(path, "must be %s, not %s", want, n.describe())
}

// object reads the fields of an object in file order with the handler of
// each known field; others are unknown. It reports missing required ones.
func (r *reader) object(n *jnode, path string, fields map[string]func(v *jnode, p string), required ...string) bool {
	if n.kind != 'o' {
		r.typeErr(n, path, "an object")
		return false
	}
	seen := map[string]bool{}
	for _, f := range n.fields {
		p := member(path, f.name)
		if seen[f.name] {
			r.add(p, "appears twice in the same object; give each field once")
			continue
		}
		seen[f.name] = true
		h := fields[f.name]
		if h == nil {
			r.add(p, "unknown field")
			continue
		}
		h(f.val, p)
	}
	for _, k := range required {
		if !seen[k] {
			r.add(member(path, k), "is required")
		}
	}
	return true
}

// mapObject reads an object whose field names are data (years, criteria,
// trends).
func (r *reader) mapObject(n *jnode, path string, each func(name string, v *jnode, p string)) {
	if n.kind != 'o' {
		r.typeErr(n, path, "an object")
		return
	}
	seen := map[string]bool{}
	for _, f := range n.fields {
		p := member(path, f.name)
		if seen[f.name] {
			r.add(p, "appears twice in the same object; give each field once")
			continue
		}
		seen[f.name] = true
		each(f.name, f.val, p)
	}
}

func (r *reader) array(n *jnode, path, what string, limit int, each func(i int, v *jnode, p string)) {
	if n.kind != 'a' {
		r.typeErr(n, path, "an array of "+what)
		return
	}
	if len(n.elems) > limit {
		r.add(path, "has %d %s; at most %d are allowed", len(n.elems), what, limit)
		return
	}
	for i, v := range n.elems {
		each(i, v, elem(path, i))
	}
}

func (r *reader) str(n *jnode, path string) string {
	if n.kind != 's' {
		r.typeErr(n, path, "a string")
		return ""
	}
	return n.str
}

// integer reads a whole number (1e6 is accepted, 1.5 is not).
func (r *reader) integer(n *jnode, path string) int64 {
	if n.kind != 'n' {
		r.typeErr(n, path, "a whole number")
		return 0
	}
	if v, err := strconv.ParseInt(n.str, 10, 64); err == nil {
		return v
	}
	f, err := strconv.ParseFloat(n.str, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<62 {
		r.add(path, "must be a whole number, not %s", n.str)
		return 0
	}
	return int64(f)
}

func (r *reader) number(n *jnode, path string) float64 {
	if n.kind != 'n' {
		r.typeErr(n, path, "a number")
		return 0
	}
	f, err := strconv.ParseFloat(n.str, 64)
	if err != nil || math.IsInf(f, 0) {
		r.add(path, "%s is out of range", n.str)
		return 0
	}
	return f
}

// fte reads an FTE amount with at most two decimals.
func (r *reader) fte(n *jnode, path string) FTE {
	f := r.number(n, path)
	if r.bad[path] {
		return 0
	}
	h := f * float64(FTEUnit)
	if math.Abs(h-math.Round(h)) > 1e-6 || math.Abs(h) > 1e15 {
		r.add(path, "%s has more than two decimals; FTE are counted in hundredths", n.str)
		return 0
	}
	return FTE(math.Round(h))
}

func (r *reader) year(n *jnode, path string) int {
	return int(r.integer(n, path))
}

// yearKey reads a year given as an object key, such as "2027".
func (r *reader) yearKey(name, path string) (int, bool) {
	y, err := strconv.Atoi(name)
	if err != nil || len(name) != 4 {
		r.add(path, "%q is not a year; use the year as the key, such as \"2027\"", name)
		return 0, false
	}
	return y, true
}

func (r *reader) keys(n *jnode, path string) []string {
	var out []string
	r.array(n, path, "keys", MaxInitiatives, func(i int, v *jnode, p string) {
		out = append(out, r.str(v, p))
	})
	return out
}

func (r *reader) portfolio(root *jnode) *Portfolio {
	if root.kind != 'o' {
		r.add("$", "must be a JSON object with \"format\": %q, not %s", Format, root.describe())
		return nil
	}
	p := &Portfolio{TrendWeight: 1}
	var earliest, latest []bool // given in the file
	ok := r.object(root, "$", map[string]func(*jnode, string){
		"format": func(v *jnode, path string) {
			if f := r.str(v, path); f != Format && !r.bad[path] {
				r.add(path, "unknown format tag %q; expected %q", f, Format)
			}
		},
		"kind": func(v *jnode, path string) {
			switch k := r.str(v, path); {
			case r.bad[path], k == "portfolio":
			case k == "result":
				r.add(path, "this is a result file; give the portfolio file that was optimised")
			default:
				r.add(path, "%q is not a kind of file; use \"portfolio\" or leave it out", k)
			}
		},
		"name":     func(v *jnode, path string) { p.Name = r.str(v, path) },
		"currency": func(v *jnode, path string) { p.Currency = r.str(v, path) },
		"horizon": func(v *jnode, path string) {
			before := len(r.ps)
			r.object(v, path, map[string]func(*jnode, string){
				"start": func(v *jnode, path string) { p.Horizon.Start = r.year(v, path) },
				"end":   func(v *jnode, path string) { p.Horizon.End = r.year(v, path) },
			}, "start", "end")
			r.horizonBad = r.horizonBad || len(r.ps) > before
		},
		"budget": func(v *jnode, path string) {
			r.object(v, path, map[string]func(*jnode, string){
				"default": func(v *jnode, path string) { p.Budget.Default = r.integer(v, path) },
				"years": func(v *jnode, path string) {
					p.Budget.Years = map[int]int64{}
					r.mapObject(v, path, func(name string, v *jnode, fp string) {
						if y, ok := r.yearKey(name, fp); ok {
							p.Budget.Years[y] = r.integer(v, fp)
						}
					})
				},
			}, "default")
		},
		"fte": func(v *jnode, path string) {
			p.FTE = &FTECaps{}
			r.object(v, path, map[string]func(*jnode, string){
				"default": func(v *jnode, path string) { p.FTE.Default = r.fte(v, path) },
				"years": func(v *jnode, path string) {
					p.FTE.Years = map[int]FTE{}
					r.mapObject(v, path, func(name string, v *jnode, fp string) {
						if y, ok := r.yearKey(name, fp); ok {
							p.FTE.Years[y] = r.fte(v, fp)
						}
					})
				},
			}, "default")
		},
		"marginal_steps": func(v *jnode, path string) {
			r.object(v, path, map[string]func(*jnode, string){
				"budget": func(v *jnode, path string) { p.Steps.Budget = r.integer(v, path) },
				"fte":    func(v *jnode, path string) { p.Steps.FTE = r.fte(v, path) },
			})
		},
		"criteria": func(v *jnode, path string) {
			r.array(v, path, "criteria", MaxCriteria, func(i int, v *jnode, path string) {
				var c Criterion
				r.object(v, path, map[string]func(*jnode, string){
					"key":    func(v *jnode, path string) { c.Key = r.str(v, path) },
					"title":  func(v *jnode, path string) { c.Title = r.str(v, path) },
					"weight": func(v *jnode, path string) { c.Weight = r.number(v, path) },
				}, "key", "weight")
				p.Criteria = append(p.Criteria, c)
			})
		},
		"trends": func(v *jnode, path string) {
			r.array(v, path, "trends", MaxTrends, func(i int, v *jnode, path string) {
				var t Trend
				r.object(v, path, map[string]func(*jnode, string){
					"key":      func(v *jnode, path string) { t.Key = r.str(v, path) },
					"title":    func(v *jnode, path string) { t.Title = r.str(v, path) },
					"priority": func(v *jnode, path string) { t.Priority = r.number(v, path) },
				}, "key", "priority")
				p.Trends = append(p.Trends, t)
			})
		},
		"trend_weight": func(v *jnode, path string) { p.TrendWeight = r.number(v, path) },
		"initiatives": func(v *jnode, path string) {
			r.array(v, path, "initiatives", MaxInitiatives, func(i int, v *jnode, path string) {
				var in Initiative
				var e, l bool
				r.object(v, path, map[string]func(*jnode, string){
					"key":            func(v *jnode, path string) { in.Key = r.str(v, path) },
					"title":          func(v *jnode, path string) { in.Title = r.str(v, path) },
					"one_off_cost":   func(v *jnode, path string) { in.OneOffCost = r.integer(v, path) },
					"recurring_cost": func(v *jnode, path string) { in.RecurringCost = r.integer(v, path) },
					"fte":            func(v *jnode, path string) { in.FTE = r.fte(v, path) },
					"duration":       func(v *jnode, path string) { in.Duration = int(r.integer(v, path)) },
					"earliest_start": func(v *jnode, path string) { in.EarliestStart, e = r.year(v, path), true },
					"latest_start":   func(v *jnode, path string) { in.LatestStart, l = r.year(v, path), true },
					"depends_on":     func(v *jnode, path string) { in.DependsOn = r.keys(v, path) },
					"benefits": func(v *jnode, path string) {
						in.Benefits = map[string]float64{}
						r.mapObject(v, path, func(name string, v *jnode, fp string) {
							in.Benefits[name] = r.number(v, fp)
						})
					},
					"trends": func(v *jnode, path string) {
						in.Trends = map[string]int{}
						r.mapObject(v, path, func(name string, v *jnode, fp string) {
							in.Trends[name] = int(r.integer(v, fp))
						})
					},
					"force": func(v *jnode, path string) {
						switch f := r.str(v, path); {
						case r.bad[path]:
						case f == "in" || f == "out":
							in.Force = Force(f)
						case f == "" || f == "none":
						default:
							r.add(path, "%q is not a choice; use \"in\", \"out\" or leave it out", f)
						}
					},
				}, "key", "duration")
				p.Initiatives = append(p.Initiatives, in)
				earliest, latest = append(earliest, e), append(latest, l)
			})
		},
		"exclusive_groups": func(v *jnode, path string) {
			r.array(v, path, "groups", MaxGroups, func(i int, v *jnode, path string) {
				var g Group
				r.object(v, path, map[string]func(*jnode, string){
					"key":         func(v *jnode, path string) { g.Key = r.str(v, path) },
					"initiatives": func(v *jnode, path string) { g.Initiatives = r.keys(v, path) },
				}, "key", "initiatives")
				p.Groups = append(p.Groups, g)
			})
		},
	}, "format", "horizon", "budget", "criteria", "initiatives")
	if !ok {
		return nil
	}
	if r.bad["$.horizon"] {
		r.horizonBad = true
	}
	// Start windows default to the whole horizon.
	for i := range p.Initiatives {
		if !earliest[i] {
			p.Initiatives[i].EarliestStart = p.Horizon.Start
		}
		if !latest[i] {
			p.Initiatives[i].LatestStart = p.Horizon.End
		}
	}
	return p
}

// Validate checks a portfolio built in code by the rules Parse applies to
// files; problems carry the JSON path the field would have in a file.
func (p *Portfolio) Validate() domain.Problems {
	ps := p.validate(false)
	sortProblems(ps)
	return ps
}

func (p *Portfolio) validate(horizonBad bool) domain.Problems {
	var ps domain.Problems
	add := func(path, format string, args ...any) {
		ps = append(ps, domain.Problem{Where: path, Message: fmt.Sprintf(format, args...)})
	}
	text := func(path, s string, limit int) {
		if utf8.RuneCountInString(s) > limit {
			add(path, "is longer than %d characters", limit)
		}
	}
	// key checks a key; seen maps keys to their list's paths.
	key := func(path, k string, seen map[string]string, itemPath string) {
		switch {
		case k == "":
			add(path, "is required")
		case !domain.ValidKey(k):
			add(path, "%q must be lower-case letters, digits and hyphens, at most %d characters", k, domain.MaxKeyLen)
		case seen[k] != "":
			add(path, "%q is used twice: also at %s", k, seen[k])
		default:
			seen[k] = itemPath
		}
	}
	money := func(path string, v int64, least int64) {
		if v < least {
			add(path, "must be at least %d", least)
		} else if v > MaxMoney {
			add(path, "must be at most %d", int64(MaxMoney))
		}
	}
	staff := func(path string, v FTE, least FTE) {
		if v < least {
			add(path, "must be at least %s", least)
		} else if v > MaxFTE {
			add(path, "must be at most %s", FTE(MaxFTE))
		}
	}
	nonNeg := func(path string, v float64) {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			add(path, "must be zero or more")
		}
	}
	text("$.name", p.Name, 200)
	text("$.currency", p.Currency, 16)
	h := p.Horizon
	okH := !horizonBad
	if okH {
		switch {
		case h.Start < 1900 || h.Start > 2200:
			add("$.horizon.start", "must be a year between 1900 and 2200")
			okH = false
		case h.End < h.Start:
			add("$.horizon.end", "must not be before the start year %d", h.Start)
			okH = false
		case h.Years() > MaxYears:
			add("$.horizon", "covers %d years; at most %d are allowed", h.Years(), MaxYears)
			okH = false
		}
	}
	inHorizon := func(path string, y int) bool {
		if okH && (y < h.Start || y > h.End) {
			add(path, "%d is outside the horizon %d–%d", y, h.Start, h.End)
			return false
		}
		return true
	}
	money("$.budget.default", p.Budget.Default, 0)
	for _, y := range sortedKeys(p.Budget.Years) {
		path := member("$.budget.years", strconv.Itoa(y))
		if inHorizon(path, y) {
			money(path, p.Budget.Years[y], 0)
		}
	}
	if p.FTE != nil {
		staff("$.fte.default", p.FTE.Default, 0)
		for _, y := range sortedKeys(p.FTE.Years) {
			path := member("$.fte.years", strconv.Itoa(y))
			if inHorizon(path, y) {
				staff(path, p.FTE.Years[y], 0)
			}
		}
	}
	if p.Steps.Budget != 0 {
		money("$.marginal_steps.budget", p.Steps.Budget, 1)
	}
	if p.Steps.FTE != 0 {
		staff("$.marginal_steps.fte", p.Steps.FTE, 1)
	}
	nonNeg("$.trend_weight", p.TrendWeight)

	if len(p.Criteria) == 0 {
		add("$.criteria", "give at least one criterion, such as {\"key\": \"outcomes\", \"weight\": 1}")
	}
	if len(p.Criteria) > MaxCriteria {
		add("$.criteria", "has %d criteria; at most %d are allowed", len(p.Criteria), MaxCriteria)
	}
	criteria := map[string]string{}
	for i, c := range p.Criteria {
		path := elem("$.criteria", i)
		key(path+".key", c.Key, criteria, path)
		text(path+".title", c.Title, 200)
		nonNeg(path+".weight", c.Weight)
	}
	if len(p.Trends) > MaxTrends {
		add("$.trends", "has %d trends; at most %d are allowed", len(p.Trends), MaxTrends)
	}
	trends := map[string]string{}
	for i, t := range p.Trends {
		path := elem("$.trends", i)
		key(path+".key", t.Key, trends, path)
		text(path+".title", t.Title, 200)
		nonNeg(path+".priority", t.Priority)
	}

	if len(p.Initiatives) > MaxInitiatives {
		add("$.initiatives", "has %d initiatives; at most %d are allowed", len(p.Initiatives), MaxInitiatives)
	}
	inits := map[string]string{}
	for i := range p.Initiatives {
		in := &p.Initiatives[i]
		path := elem("$.initiatives", i)
		key(path+".key", in.Key, inits, path)
		text(path+".title", in.Title, 200)
		money(path+".one_off_cost", in.OneOffCost, 0)
		money(path+".recurring_cost", in.RecurringCost, 0)
		staff(path+".fte", in.FTE, 0)
		switch {
		case in.Duration < 1:
			add(path+".duration", "must be at least 1")
		case okH && in.Duration > h.Years():
			add(path+".duration", "is %d years, longer than the horizon (%d years)", in.Duration, h.Years())
		}
		e := inHorizon(path+".earliest_start", in.EarliestStart)
		if inHorizon(path+".latest_start", in.LatestStart) && e && in.LatestStart < in.EarliestStart {
			add(path+".latest_start", "%d is before the earliest start %d", in.LatestStart, in.EarliestStart)
		}
		for _, c := range sortedKeys(in.Benefits) {
			bp := member(path+".benefits", c)
			if criteria[c] == "" {
				add(bp, "%q is not a criterion of this portfolio", c)
			} else if v := in.Benefits[c]; math.IsNaN(v) || v < 0 || v > MaxBenefitScore {
				add(bp, "must be a score from 0 to %d", MaxBenefitScore)
			}
		}
		for _, t := range sortedKeys(in.Trends) {
			tp := member(path+".trends", t)
			if trends[t] == "" {
				add(tp, "%q is not a trend of this portfolio; list it under \"trends\" with its priority", t)
			} else if v := in.Trends[t]; v < 0 || v > MaxStrength {
				add(tp, "must be a strength from 0 to %d", MaxStrength)
			}
		}
		switch in.Force {
		case Free, ForcedIn, ForcedOut:
		default:
			add(path+".force", "%q is not a choice; use \"in\", \"out\" or leave it out", in.Force)
		}
	}
	for i := range p.Initiatives {
		in := &p.Initiatives[i]
		path := elem("$.initiatives", i)
		seen := map[string]bool{}
		for k, d := range in.DependsOn {
			dp := elem(path+".depends_on", k)
			switch {
			case inits[d] == "":
				add(dp, "%q is not an initiative of this portfolio", d)
			case d == in.Key:
				add(dp, "an initiative cannot depend on itself")
			case seen[d]:
				add(dp, "%q is listed twice", d)
			}
			seen[d] = true
		}
	}
	if cycle := p.dependencyCycle(); cycle != nil {
		add(elem("$.initiatives", p.Index(cycle[0]))+".depends_on", "forms a cycle: %s", strings.Join(cycle, " → "))
	}
	if len(p.Groups) > MaxGroups {
		add("$.exclusive_groups", "has %d groups; at most %d are allowed", len(p.Groups), MaxGroups)
	}
	groups := map[string]string{}
	for g, grp := range p.Groups {
		path := elem("$.exclusive_groups", g)
		key(path+".key", grp.Key, groups, path)
		if len(grp.Initiatives) < 2 {
			add(path+".initiatives", "give at least two initiatives that exclude each other")
		}
		seen := map[string]bool{}
		for k, m := range grp.Initiatives {
			mp := elem(path+".initiatives", k)
			switch {
			case inits[m] == "":
				add(mp, "%q is not an initiative of this portfolio", m)
			case seen[m]:
				add(mp, "%q is listed twice", m)
			}
			seen[m] = true
		}
	}
	return ps
}

// dependencyCycle returns a cycle of keys (first repeated at the end), or
// nil. Unknown keys are ignored.
func (p *Portfolio) dependencyCycle() []string {
	state := map[string]int{} // 1 visiting, 2 done
	deps := map[string][]string{}
	for i := range p.Initiatives {
		deps[p.Initiatives[i].Key] = p.Initiatives[i].DependsOn
	}
	var stack []string
	var found []string
	var visit func(k string) bool
	visit = func(k string) bool {
		state[k] = 1
		stack = append(stack, k)
		for _, d := range deps[k] {
			if _, known := deps[d]; !known || d == k {
				continue
			}
			if state[d] == 1 {
				at := slices.Index(stack, d)
				found = append(slices.Clone(stack[at:]), d)
				return true
			}
			if state[d] == 0 && visit(d) {
				return true
			}
		}
		stack = stack[:len(stack)-1]
		state[k] = 2
		return false
	}
	for i := range p.Initiatives {
		if k := p.Initiatives[i].Key; state[k] == 0 && visit(k) {
			return found
		}
	}
	return nil
}

func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	ks := make([]K, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// fieldRank orders fields as the format lists them.
var fieldRank = map[string]int{}

func init() {
	for i, f := range []string{"format", "kind", "name", "currency", "horizon", "start", "end", "budget", "fte", "default", "years",
		"marginal_steps", "criteria", "trends", "trend_weight", "initiatives", "exclusive_groups",
		"key", "title", "weight", "priority", "one_off_cost", "recurring_cost", "duration", "earliest_start", "latest_start",
		"depends_on", "benefits", "force"} {
		if _, ok := fieldRank[f]; !ok {
			fieldRank[f] = i + 1
		}
	}
}

// sortProblems puts problems in the order of the file: syntax first, then
// by path, array indices numerically and fields in the format's order.
func sortProblems(ps domain.Problems) {
	slices.SortStableFunc(ps, func(a, b domain.Problem) int {
		sa, sb := pathSegments(a.Where), pathSegments(b.Where)
		for k := 0; k < len(sa) && k < len(sb); k++ {
			if c := compareSegment(sa[k], sb[k]); c != 0 {
				return c
			}
		}
		return cmp.Compare(len(sa), len(sb))
	})
}

func pathSegments(p string) []string {
	if !strings.HasPrefix(p, "$") {
		return nil
	}
	var out []string
	p = p[1:]
	for p != "" {
		var end int
		switch p[0] {
		case '.':
			end = 1 + strings.IndexAny(p[1:]+".", ".[")
		case '[':
			if strings.HasPrefix(p, `["`) {
				end = strings.Index(p, `"]`) + 2
			} else {
				end = strings.IndexByte(p, ']') + 1
			}
		}
		if end <= 0 || end > len(p) {
			end = len(p)
		}
		out = append(out, p[:end])
		p = p[end:]
	}
	return out
}

func compareSegment(a, b string) int {
	na, ea := strconv.Atoi(strings.Trim(a, "[]"))
	nb, eb := strconv.Atoi(strings.Trim(b, "[]"))
	if ea == nil && eb == nil && strings.HasPrefix(a, "[") && strings.HasPrefix(b, "[") {
		return cmp.Compare(na, nb)
	}
	name := func(s string) string { return strings.Trim(strings.TrimPrefix(s, "."), `[]"`) }
	ra, rb := fieldRank[name(a)], fieldRank[name(b)]
	if ra == 0 {
		ra = 1000
	}
	if rb == 0 {
		rb = 1000
	}
	return cmp.Or(cmp.Compare(ra, rb), cmp.Compare(a, b))
}
