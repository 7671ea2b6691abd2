package analysis

import (
	"fmt"
	"slices"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/workshop"
)

// Input is what a workshop's analysis is made from: the Tally's results
// for everyone and, for the group comparisons, for each group.
type Input struct {
	Everyone workshop.Results
	// Groups are the results per participant group, in the order to show
	// them; without them there are no group comparisons.
	Groups []GroupResults
	// Questions are the workshop's questions; their labels name the radar's
	// rings. Optional.
	Questions []domain.Question
	// Trends give each trend's label and radar sector; a trend not listed
	// is labelled with its key and goes to the radar's "Other" sector.
	Trends []TrendInfo
	// Sectors are the radar's sectors in order: driving forces or
	// categories (see DrivingForceSectors and CategorySectors).
	Sectors []Sector
}

// TrendInfo is a trend's label and radar sector.
type TrendInfo struct {
	Key    string
	Label  string
	Sector string
}

// QuestionKeys name the questions the analysis reads; the zero value is
// the default questions' keys.
type QuestionKeys struct {
	Impact    string `json:"impact"`
	Direction string `json:"direction"`
	Horizon   string `json:"horizon"`
	Certainty string `json:"certainty"`
	Readiness string `json:"readiness"`
}

func (k *QuestionKeys) defaults() {
	set := func(s *string, def string) {
		if *s == "" {
			*s = def
		}
	}
	set(&k.Impact, domain.QImpact)
	set(&k.Direction, domain.QDirection)
	set(&k.Horizon, domain.QHorizon)
	set(&k.Certainty, domain.QCertainty)
	set(&k.Readiness, domain.QReadiness)
}

// Options tune an analysis; the zero value is the documented default.
type Options struct {
	Lang      string // of the labels that are measured and the default ring names; default "en"
	Keys      QuestionKeys
	Priority  PriorityOptions
	Decisions []Decision // the facilitator's pins and exclusions
	Matrix    MatrixOptions
	Radar     RadarOptions
	Groups    GroupOptions
}

// Analysis is a workshop's whole analysis at one version of its Tally.
type Analysis struct {
	Version uint64 `json:"version"`
	// Trends are the statistics of every trend and question, in the
	// workshop's order.
	Trends  []TrendStats `json:"trends"`
	Ranking Ranking      `json:"ranking"`
	Matrix  Matrix       `json:"matrix"`
	Radar   Radar        `json:"radar"`
	// Groups compare the participant groups, one comparison per question,
	// in the workshop's order; empty without Input.Groups.
	Groups []GroupComparison `json:"groups"`
	// Keys are the questions the analysis read.
	Keys QuestionKeys `json:"keys"`
}

// TrendStats are one trend's statistics per question.
type TrendStats struct {
	Key       string          `json:"key"`
	Label     string          `json:"label"`
	Questions []QuestionStats `json:"questions"`
}

// QuestionStats are the statistics of one question.
type QuestionStats struct {
	Key   string `json:"key"`
	Stats Stats  `json:"stats"`
}

// Question returns the statistics of the question with the key; absent
// statistics (no answers, scale 0…0) when the trend has no such question.
func (t TrendStats) Question(key string) Stats {
	for _, q := range t.Questions {
		if q.Key == key {
			return q.Stats
		}
	}
	return Describe(workshop.Distribution{})
}

// Trend returns the statistics of the trend with the key.
func (a *Analysis) Trend(key string) (TrendStats, bool) {
	for _, t := range a.Trends {
		if t.Key == key {
			return t, true
		}
	}
	return TrendStats{}, false
}

// Analyze computes a workshop's analysis: every statistic, the priority
// ranking, the matrix, the radar and, with groups, the group comparisons.
// Its cost grows with the number of trends, questions, groups and scale
// values, not with the number of answers.
func Analyze(in Input, opt Options) *Analysis {
	if opt.Lang == "" {
		opt.Lang = "en"
	}
	opt.Keys.defaults()
	k := opt.Keys
	info := make(map[string]TrendInfo, len(in.Trends))
	labels := make(map[string]string, len(in.Trends))
	for _, t := range in.Trends {
		info[t.Key] = t
		labels[t.Key] = t.Label
	}
	a := &Analysis{Version: in.Everyone.Version, Keys: k, Trends: make([]TrendStats, len(in.Everyone.Trends))}
	prio := make([]PriorityInput, len(in.Everyone.Trends))
	for i, t := range in.Everyone.Trends {
		ts := TrendStats{Key: t.Key, Label: labelOr(labels, t.Key), Questions: make([]QuestionStats, len(t.Questions))}
		for j, q := range t.Questions {
			ts.Questions[j] = QuestionStats{Key: q.Key, Stats: Describe(q.Distribution)}
		}
		a.Trends[i] = ts
		prio[i] = PriorityInput{Key: t.Key, Label: ts.Label, Impact: ts.Question(k.Impact), Horizon: ts.Question(k.Horizon), Readiness: ts.Question(k.Readiness)}
	}
	a.Ranking = Rank(prio, opt.Decisions, opt.Priority)

	// The matrix places labels in ranking order, most important first.
	pos := make(map[string]int, len(a.Trends))
	for i, t := range a.Trends {
		pos[t.Key] = i
	}
	mt := make([]MatrixTrend, 0, len(a.Trends))
	for _, r := range a.Ranking.Trends {
		t := a.Trends[pos[r.Key]]
		mt = append(mt, MatrixTrend{Key: t.Key, Label: t.Label, Impact: t.Question(k.Impact), Certainty: t.Question(k.Certainty)})
	}
	mo := opt.Matrix
	if mo.Lang == "" {
		mo.Lang = opt.Lang
	}
	a.Matrix = ImpactCertaintyMatrix(mt, mo)

	ro := opt.Radar
	if ro.Lang == "" {
		ro.Lang = opt.Lang
	}
	if len(ro.Rings) == 0 && len(a.Trends) > 0 {
		ro.Rings = ringLabels(a.Trends[0].Question(k.Horizon), in.Questions, k.Horizon, opt.Lang)
	}
	entries := make([]RadarEntry, len(a.Trends))
	for i, t := range a.Trends {
		entries[i] = RadarEntry{Key: t.Key, Label: t.Label, Sector: info[t.Key].Sector,
			Ring: RingOf(t.Question(k.Horizon)), Size: scaled(t.Question(k.Impact), false),
			Direction: DirectionOf(t.Question(k.Direction))}
	}
	a.Radar = TrendRadar(in.Sectors, entries, ro)

	if len(in.Groups) > 0 && len(in.Everyone.Trends) > 0 {
		for _, q := range in.Everyone.Trends[0].Questions {
			a.Groups = append(a.Groups, CompareGroups(q.Key, in.Groups, labels, opt.Groups))
		}
	}
	return a
}

// ringLabels names the radar's rings after the horizon question's labels,
// the default horizons for the default scale, or the values.
func ringLabels(h Stats, questions []domain.Question, key, lang string) []string {
	n := h.Max - h.Min + 1
	if n <= 0 {
		return nil
	}
	if i := slices.IndexFunc(questions, func(q domain.Question) bool { return q.Key == key }); i >= 0 {
		q := questions[i]
		if q.Min == h.Min && q.Max == h.Max {
			out := make([]string, n)
			for v := range n {
				out[v] = q.ValueLabel(q.Min+v, lang)
			}
			return out
		}
	}
	if def := domain.DefaultHorizons(); h.Min == 0 && n == len(def) {
		out := make([]string, n)
		for v, d := range def {
			out[v] = d.Name.String(lang)
		}
		return out
	}
	out := make([]string, n)
	for v := range n {
		out[v] = fmt.Sprint(h.Min + v)
	}
	return out
}

// CategoryName returns a trend category's name in English and Swedish.
func CategoryName(c domain.Category) domain.Text {
	switch c {
	case domain.Societal:
		return domain.T("Societal", "Samhälle")
	case domain.Digital:
		return domain.T("Digital", "Digitalt")
	case domain.Technology:
		return domain.T("Technology", "Teknik")
	}
	return domain.T(string(c), string(c))
}

// CategorySectors returns the radar's sectors by trend category — every
// category, in domain.Categories' order — and each chosen trend's label
// (its title in lang) and sector.
func CategorySectors(v *domain.Content, trendKeys []string, lang string) ([]Sector, []TrendInfo) {
	var sectors []Sector
	for _, c := range domain.Categories {
		sectors = append(sectors, Sector{Key: string(c), Label: CategoryName(c).String(lang)})
	}
	infos := make([]TrendInfo, 0, len(trendKeys))
	for _, k := range trendKeys {
		t, ok := v.Trend(k)
		if !ok {
			infos = append(infos, TrendInfo{Key: k, Label: k})
			continue
		}
		infos = append(infos, TrendInfo{Key: k, Label: t.Title.String(lang), Sector: string(t.Category)})
	}
	return sectors, infos
}

// DrivingForceSectors returns the radar's sectors by driving force — every
// driving force of the library version, in its order — and each chosen
// trend's label and sector: the first of its driving forces (the one it is
// listed under first). A trend without one goes to the "Other" sector.
func DrivingForceSectors(v *domain.Content, trendKeys []string, lang string) ([]Sector, []TrendInfo) {
	var sectors []Sector
	for _, f := range v.DrivingForces {
		sectors = append(sectors, Sector{Key: f.Key, Label: f.Name.String(lang)})
	}
	infos := make([]TrendInfo, 0, len(trendKeys))
	for _, k := range trendKeys {
		t, ok := v.Trend(k)
		if !ok {
			infos = append(infos, TrendInfo{Key: k, Label: k})
			continue
		}
		ti := TrendInfo{Key: k, Label: t.Title.String(lang)}
		for _, f := range t.DrivingForces {
			if _, ok := v.DrivingForce(f); ok {
				ti.Sector = f
				break
			}
		}
		infos = append(infos, ti)
	}
	return sectors, infos
}
