package report

import (
	"cmp"
	"errors"
	"fmt"
	"hash/maphash"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/waymark/waymark/internal/analysis"
	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/i18n"
)

// Translate returns an interface text by message id in the report's
// language; args are name/value pairs for the message's template, as
// i18n.Catalog.T takes them ("Count", 3).
type Translate func(id string, args ...any) string

// Source is what a report is built from: plain values from the service's
// results and the store. Workshop and Analysis are required; everything
// else may be left empty, and the report then says so or leaves the part
// out.
type Source struct {
	// Lang is the report's language, "en" or "sv"; default "en". The
	// analysis should have been made in the same language (its labels and
	// summaries are used as they are).
	Lang string
	// T translates the report's headings and labels (ids "report.…");
	// nil uses the embedded catalogue of internal/i18n.
	T Translate
	// Now is when the report is made; zero means time.Now().
	Now time.Time
	// Organisation is the name of the workshop's organisation.
	Organisation string

	Workshop *domain.Workshop
	// Version is the workshop's frozen library version: the library's
	// name and version number, and the fields of tension's names and poles.
	Version *domain.Version
	// Input is what the analysis was made from (service.Results.Input):
	// the fields of tension come from Input.Everyone.Tensions, how many
	// answered from Input.Everyone.Progress and the radar's sector names
	// in full from Input.Sectors.
	Input analysis.Input
	// Analysis is the workshop's analysis (service.Results.Analysis).
	Analysis *analysis.Analysis
	// Joined is how many participants joined, per group key
	// (service.Results.Joined).
	Joined map[string]int

	// Answers are every answer of the workshop (store Answers) and
	// ParticipantGroups each participant's group (store
	// ParticipantGroups). Participant ids never reach the output.
	Answers           []domain.Answer
	ParticipantGroups map[string]string
	// Ideas are the workshop's consequences and ideas with their upvotes
	// and dots (store Ideas); hidden ones are counted, never shown.
	Ideas []domain.Idea
}

// Report is a workshop's results, ready to write in any format. Build
// makes one; its fields are plain values so that a test or another caller
// can also fill it by hand.
type Report struct {
	Lang      string
	T         Translate
	Generated time.Time

	Organisation string
	Workshop     Workshop
	Library      Library
	Questions    []Question
	// Groups are the participant groups in the workshop's order, with how
	// many joined and answered.
	Groups []GroupParticipation
	// Joined and Answered are the totals over the groups.
	Joined, Answered int

	Analysis *analysis.Analysis
	// SectorNames are the radar's sector names in full by sector key (the
	// radar shortens long ones).
	SectorNames map[string]string
	// MinGroupAnswers is the fewest answers a group needs on a trend for
	// its figures to be shown (the anonymity threshold of the group
	// comparisons).
	MinGroupAnswers int64

	Tensions []Tension
	// Ideas are the visible consequences and ideas, oldest first;
	// HiddenIdeas counts the ones the facilitator hid.
	Ideas       []Idea
	HiddenIdeas int
	// Answers are the anonymised answers, by participant, then in the
	// workshop's order of trends and questions.
	Answers []Answer

	titles map[string]string // trend key → title
}

// Workshop is what the report says about the workshop.
type Workshop struct {
	ID        string
	Title     string
	Purpose   string
	Mode      string
	Phase     string
	CreatedAt time.Time
	OpensAt   *time.Time
	ClosesAt  *time.Time
}

// Library names the library version the workshop used.
type Library struct {
	Name        string
	Version     int // the version's number within the library; 0 when not known
	VersionID   string
	Attribution string
}

// Question is a rating question with its labels in the report's language.
type Question struct {
	Key         string
	Label       string
	Min, Max    int
	ValueLabels []string // one per value from Min to Max
}

// ValueLabel returns the label of value v, or v as text.
func (q Question) ValueLabel(v int) string {
	if i := v - q.Min; i >= 0 && i < len(q.ValueLabels) && q.ValueLabels[i] != "" {
		return q.ValueLabels[i]
	}
	return fmt.Sprint(v)
}

// GroupParticipation is one participant group: how many joined it and how
// many of them gave any answer.
type GroupParticipation struct {
	Key      string
	Name     string
	Joined   int
	Answered int
}

// Tension is a field of tension: where the participants place the
// organisation now and where they want it, from −100 (pole A) to +100
// (pole B).
type Tension struct {
	Key          string
	Name         string
	PoleA, PoleB string
	Count        int64 // participants who placed it
	MeanNow      analysis.Num
	MeanWant     analysis.Num
	Gap          analysis.Num // MeanWant − MeanNow
	SDNow        analysis.Num
	SDWant       analysis.Num
}

// Idea is a visible consequence or idea about a trend, without its author.
type Idea struct {
	Trend      string // key
	TrendTitle string
	Text       string
	Upvotes    int
	Dots       int
	CreatedAt  time.Time
}

// Answer is one anonymised answer.
type Answer struct {
	// Participant is an opaque sequence number, "P0001": the same for all
	// of one participant's answers in one report, unrelated to the
	// participant's id, token or order of joining.
	Participant string
	Group       string // key
	GroupName   string
	Trend       string // key
	TrendTitle  string
	Question    string // key
	// Value is the answer on the question's scale, unless DontKnow.
	Value    int
	DontKnow bool
}

var defaultCatalog = sync.OnceValues(i18n.New)

// Build makes a report from its source. It returns an error only when
// the source lacks the workshop or the analysis, or the embedded
// catalogue cannot load.
func Build(src Source) (*Report, error) {
	if src.Workshop == nil || src.Analysis == nil {
		return nil, errors.New("report: the source needs the workshop and its analysis")
	}
	r := &Report{Lang: src.Lang, T: src.T, Generated: src.Now, Organisation: src.Organisation, Analysis: src.Analysis,
		MinGroupAnswers: analysis.DefaultMinGroupAnswers}
	if err := r.ready(); err != nil {
		return nil, err
	}
	w := src.Workshop
	r.Workshop = Workshop{ID: w.ID, Title: w.Title, Purpose: w.Purpose, Mode: string(w.Mode), Phase: string(w.Phase),
		CreatedAt: w.CreatedAt, OpensAt: w.OpensAt, ClosesAt: w.ClosesAt}
	if v := src.Version; v != nil {
		r.Library = Library{Name: v.Name.String(r.Lang), Version: v.Number, VersionID: v.ID}
		at := v.Attribution
		r.Library.Attribution = cmp.Or(at.SourceOrganisation, at.URL)
	}
	for _, q := range w.Questions {
		rq := Question{Key: q.Key, Label: q.Label.String(r.Lang), Min: q.Min, Max: q.Max}
		for v := q.Min; v <= q.Max; v++ {
			rq.ValueLabels = append(rq.ValueLabels, q.ValueLabel(v, r.Lang))
		}
		r.Questions = append(r.Questions, rq)
	}

	answered := src.Input.Everyone.Progress.Groups
	for _, g := range w.Groups {
		gp := GroupParticipation{Key: g.Key, Name: g.Name.String(r.Lang), Joined: src.Joined[g.Key], Answered: answered[g.Key]}
		r.Groups = append(r.Groups, gp)
		r.Joined += gp.Joined
	}
	r.Answered = src.Input.Everyone.Progress.Participants
	if r.Answered == 0 {
		for _, g := range r.Groups {
			r.Answered += g.Answered
		}
	}

	r.SectorNames = map[string]string{}
	for _, s := range src.Input.Sectors {
		r.SectorNames[s.Key] = s.Label
	}
	r.titles = make(map[string]string, len(r.Analysis.Trends))
	for _, t := range r.Analysis.Trends {
		r.titles[t.Key] = t.Label
	}
	for _, t := range src.Input.Trends {
		if _, ok := r.titles[t.Key]; !ok && t.Label != "" {
			r.titles[t.Key] = t.Label
		}
	}

	r.Tensions = buildTensions(src, r.Lang)
	for _, i := range src.Ideas {
		if i.Hidden {
			r.HiddenIdeas++
			continue
		}
		r.Ideas = append(r.Ideas, Idea{Trend: i.TrendKey, TrendTitle: r.TrendTitle(i.TrendKey), Text: i.Text,
			Upvotes: i.Upvotes, Dots: i.Dots, CreatedAt: i.CreatedAt})
	}
	slices.SortStableFunc(r.Ideas, func(a, b Idea) int { return a.CreatedAt.Compare(b.CreatedAt) })
	r.Answers = anonymise(src, r)
	return r, nil
}

// Content types of the formats, for the Content-Type header.
const (
	ContentTypePDF  = "application/pdf"
	ContentTypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	ContentTypeCSV  = "text/csv; charset=utf-8"
	ContentTypeJSON = "application/json"
)

// FileName returns a name for a download of the report with the
// extension ext ("pdf", "xlsx", "csv", "json"): the workshop's title in
// plain ASCII letters and digits (å, ä, ö become a, a, o; at most 40
// characters), what the file holds and the date, e.g.
// "framtidsverkstad-results-2026-04-02.pdf" or
// "framtidsverkstad-answers-2026-04-02.csv". It needs no quoting in a
// Content-Disposition header.
func (r *Report) FileName(ext string) string {
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(r.Workshop.Title) {
		if f, ok := asciiFold[c]; ok {
			c = f
		}
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(c)
		default:
			dash = true
		}
	}
	name := b.String()
	if len(name) > 40 { // at a word's end
		name = name[:40]
		if i := strings.LastIndexByte(name, '-'); i >= 10 {
			name = name[:i]
		}
	}
	name = strings.Trim(name, "-")
	if name == "" {
		name = "workshop"
	}
	what := "results"
	if ext == "csv" {
		what = "answers"
	}
	return name + "-" + what + "-" + r.Generated.Format("2006-01-02") + "." + ext
}

var asciiFold = map[rune]rune{'å': 'a', 'ä': 'a', 'à': 'a', 'á': 'a', 'â': 'a', 'ö': 'o', 'ø': 'o', 'ó': 'o', 'ô': 'o', 'é': 'e',
	'è': 'e', 'ê': 'e', 'ë': 'e', 'ü': 'u', 'ú': 'u', 'í': 'i', 'ï': 'i', 'ç': 'c', 'ñ': 'n', 'æ': 'a'}

// ready checks a report before it is written and fills in what a report
// filled by hand may lack: the language, the translator and the date. A
// report from Build lacks nothing, so that writing it changes nothing and
// several formats may be written from it at once.
func (r *Report) ready() error {
	if r == nil || r.Analysis == nil {
		return errors.New("report: the report has no analysis")
	}
	if r.Lang != "sv" && r.Lang != "en" {
		r.Lang = "en"
	}
	if r.T == nil {
		cat, err := defaultCatalog()
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
		lang := r.Lang
		r.T = func(id string, args ...any) string { return cat.T(lang, id, args...) }
	}
	if r.Generated.IsZero() {
		r.Generated = time.Now()
	}
	if r.MinGroupAnswers == 0 {
		r.MinGroupAnswers = analysis.DefaultMinGroupAnswers
	}
	return nil
}

// TrendTitle returns a trend's title in the report's language, or its key.
func (r *Report) TrendTitle(key string) string {
	if t, ok := r.titles[key]; ok && t != "" {
		return t
	}
	if r.titles == nil && r.Analysis != nil {
		if t, ok := r.Analysis.Trend(key); ok && t.Label != "" {
			return t.Label
		}
	}
	return key
}

// Question returns the question with the key.
func (r *Report) Question(key string) (Question, bool) {
	for _, q := range r.Questions {
		if q.Key == key {
			return q, true
		}
	}
	return Question{}, false
}

// QuestionName returns a question's short name ("Impact") from the
// catalogue (report.q.KEY), or its label for a question of the workshop's
// own.
func (r *Report) QuestionName(key string) string {
	if s := r.T("report.q." + key); s != "" && s != "report.q."+key {
		return s
	}
	if q, ok := r.Question(key); ok && q.Label != "" {
		return q.Label
	}
	return key
}

// GroupName returns a group's name, or its key.
func (r *Report) GroupName(key string) string {
	for _, g := range r.Groups {
		if g.Key == key {
			return g.Name
		}
	}
	return key
}

func buildTensions(src Source, lang string) []Tension {
	byKey := map[string]domain.Tension{}
	if src.Version != nil {
		for _, t := range src.Version.Tensions {
			byKey[t.Key] = t
		}
	}
	var out []Tension
	for _, ts := range src.Input.Everyone.Tensions {
		t, ok := byKey[ts.Key]
		if !ok {
			t = domain.Tension{Key: ts.Key, Name: domain.T(ts.Key, ts.Key), PoleA: domain.T("−100", "−100"), PoleB: domain.T("+100", "+100")}
		}
		out = append(out, Tension{Key: ts.Key, Name: t.Name.String(lang), PoleA: t.PoleA.String(lang), PoleB: t.PoleB.String(lang),
			Count: ts.Count, MeanNow: num(ts.MeanNow()), MeanWant: num(ts.MeanWant()), Gap: num(ts.Gap()),
			SDNow: num(ts.StdDevNow()), SDWant: num(ts.StdDevWant())})
	}
	return out
}

func num(f float64) analysis.Num {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return analysis.Absent
	}
	return analysis.Num(f)
}

// anonymise returns the answers with each participant replaced by a
// sequence number. Participants are numbered group by group (in the
// workshop's order, participants without a known group last) and, within
// a group, in an order drawn at random for each report, so that a number
// says nothing about when or how someone joined.
func anonymise(src Source, r *Report) []Answer {
	w := src.Workshop
	groupIdx := make(map[string]int, len(w.Groups))
	for i, g := range w.Groups {
		groupIdx[g.Key] = i
	}
	trendIdx := make(map[string]int, len(w.TrendKeys))
	for i, k := range w.TrendKeys {
		trendIdx[k] = i
	}
	qIdx := make(map[string]int, len(w.Questions))
	for i, q := range w.Questions {
		qIdx[q.Key] = i
	}
	type person struct {
		id    string
		group int
		hash  uint64
	}
	seed := maphash.MakeSeed()
	seen := map[string]int{}
	var people []person
	for _, a := range src.Answers {
		if _, ok := seen[a.ParticipantID]; ok {
			continue
		}
		seen[a.ParticipantID] = len(people)
		g, ok := groupIdx[src.ParticipantGroups[a.ParticipantID]]
		if !ok {
			g = len(w.Groups)
		}
		people = append(people, person{id: a.ParticipantID, group: g, hash: maphash.String(seed, a.ParticipantID)})
	}
	order := make([]int, len(people))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(people[a].group, people[b].group), cmp.Compare(people[a].hash, people[b].hash),
			cmp.Compare(people[a].id, people[b].id))
	})
	number := make([]int, len(people)) // index into people → sequence number from 1
	labels := make([]string, len(people)+1)
	for n, i := range order {
		number[i] = n + 1
		labels[n+1] = fmt.Sprintf("P%04d", n+1)
	}

	// Each answer's place: participant, then the workshop's trend and
	// question order (unknown trends and questions after, by key).
	type place struct {
		key uint64
		i   int32
	}
	order2 := make([]place, len(src.Answers))
	other := len(w.TrendKeys)
	for i, a := range src.Answers {
		ti, ok := trendIdx[a.TrendKey]
		if !ok {
			ti = other
		}
		qi, ok := qIdx[a.QuestionKey]
		if !ok {
			qi = len(w.Questions)
		}
		n := number[seen[a.ParticipantID]]
		order2[i] = place{key: uint64(n)<<32 | uint64(ti)<<12 | uint64(qi), i: int32(i)}
	}
	slices.SortFunc(order2, func(a, b place) int {
		if c := cmp.Compare(a.key, b.key); c != 0 {
			return c
		}
		x, y := src.Answers[a.i], src.Answers[b.i]
		return cmp.Or(cmp.Compare(x.TrendKey, y.TrendKey), cmp.Compare(x.QuestionKey, y.QuestionKey), cmp.Compare(a.i, b.i))
	})
	// Per participant: the label, the group and its name. A group with
	// fewer answering participants than the anonymity threshold of the
	// group comparison is not named: with its name, a row of answers
	// could point to one of a handful of people.
	size := map[string]int{}
	for _, pp := range people {
		size[src.ParticipantGroups[pp.id]]++
	}
	groupKey := make([]string, len(people))
	groupName := make([]string, len(people))
	for i, pp := range people {
		g := src.ParticipantGroups[pp.id]
		switch {
		case g == "":
		case size[g] < analysis.DefaultMinGroupAnswers:
			groupName[i] = r.T("report.answers.small_group", "Min", analysis.DefaultMinGroupAnswers)
		default:
			groupKey[i], groupName[i] = g, r.GroupName(g)
		}
	}
	titles := make(map[string]string, len(w.TrendKeys))
	out := make([]Answer, len(order2))
	for k, pl := range order2 {
		a := src.Answers[pl.i]
		pi := seen[a.ParticipantID]
		title, ok := titles[a.TrendKey]
		if !ok {
			title = r.TrendTitle(a.TrendKey)
			titles[a.TrendKey] = title
		}
		row := Answer{Participant: labels[number[pi]], Group: groupKey[pi], GroupName: groupName[pi], Trend: a.TrendKey, TrendTitle: title,
			Question: a.QuestionKey, DontKnow: a.Value == nil}
		if a.Value != nil {
			row.Value = *a.Value
		}
		out[k] = row
	}
	return out
}
