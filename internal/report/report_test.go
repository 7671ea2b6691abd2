package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/waymark/waymark/internal/i18n"
)

// Ensures every dangerous first character is neutralised with a quote,
// and nothing else is touched.
func TestNeutralise(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1":          "'=1+1",
		"+41 70":        "'+41 70",
		"-2":            "'-2",
		"@SUM(A1)":      "'@SUM(A1)",
		"\tx":           "'\tx",
		"\rx":           "'\rx",
		"＝1+1":          "'＝1+1",
		"＋1":            "'＋1",
		"－1":            "'－1",
		"＠x":            "'＠x",
		"":              "",
		"plain":         "plain",
		"Åldrande":      "Åldrande",
		" =1":           " =1",
		"'=1":           "'=1",
		"a=1":           "a=1",
		"−2 true minus": "−2 true minus",
	} {
		if got := Neutralise(in); got != want {
			t.Errorf("Neutralise(%q) = %q, want %q", in, got, want)
		}
		if Neutralise(Neutralise(in)) != Neutralise(in) {
			t.Errorf("Neutralise(%q) is not idempotent", in)
		}
	}
	for _, h := range hostile[:7] {
		if !Dangerous(h) || Dangerous(Neutralise(h)) {
			t.Errorf("%q: dangerous %v, neutralised dangerous %v", h, Dangerous(h), Dangerous(Neutralise(h)))
		}
	}
}

// Ensures Build anonymises: participants become P0001… grouped by group,
// no participant id survives, hidden ideas are counted and left out, and
// every answer is kept.
func TestBuildAnonymises(t *testing.T) {
	r, src := fixture(t, fixtureOptions{Trends: 6, Participants: 40, Ideas: 2})
	if len(r.Answers) != len(src.Answers) {
		t.Fatalf("%d answers, want %d", len(r.Answers), len(src.Answers))
	}
	re := regexp.MustCompile(`^P\d{4}$`)
	groupOf := map[string]string{}
	lastGroup := -1
	for _, a := range r.Answers {
		if !re.MatchString(a.Participant) {
			t.Fatalf("participant %q", a.Participant)
		}
		if g, ok := groupOf[a.Participant]; ok && g != a.Group {
			t.Fatalf("%s in two groups", a.Participant)
		}
		groupOf[a.Participant] = a.Group
		gi := slices.IndexFunc(r.Groups, func(g GroupParticipation) bool { return g.Key == a.Group })
		if gi < lastGroup {
			t.Fatalf("participants are not numbered group by group")
		}
		lastGroup = gi
	}
	if len(groupOf) != 40 {
		t.Errorf("%d participants", len(groupOf))
	}
	if r.HiddenIdeas != 1 || len(r.Ideas) != 12 {
		t.Errorf("%d ideas, %d hidden", len(r.Ideas), r.HiddenIdeas)
	}
	if r.Joined != 41 || r.Answered != 40 || r.Groups[4].Joined != 9 {
		t.Errorf("joined %d, answered %d, groups %+v", r.Joined, r.Answered, r.Groups)
	}
	if len(r.Tensions) != 2 || r.Tensions[0].Count != 40 || !r.Tensions[0].Gap.Valid() {
		t.Errorf("tensions %+v", r.Tensions)
	}
	if r.Library.Version != 3 || r.Library.Name != "Public services 2035" {
		t.Errorf("library %+v", r.Library)
	}
}

// Ensures the CSV of answers reads back with the documented header, a
// row per answer, numbers as numbers (−2 stays -2) and every hostile text
// neutralised.
func TestAnswersCSV(t *testing.T) {
	r, _ := fixture(t, fixtureOptions{Trends: 4, Participants: 12, Hostile: true})
	var buf bytes.Buffer
	if err := AnswersCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "secret-participant") {
		t.Fatal("a participant id leaked into the CSV")
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\xef\xbb\xbf")) {
		t.Error("no byte order mark")
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\xef\xbb\xbf")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], AnswerColumns) {
		t.Fatalf("header %q", rows[0])
	}
	if len(rows)-1 != len(r.Answers) {
		t.Fatalf("%d rows, want %d", len(rows)-1, len(r.Answers))
	}
	sawNegative, sawDK, sawHostile := false, false, false
	for i, row := range rows[1:] {
		a := r.Answers[i]
		if row[0] != a.Participant || row[3] != a.Trend || row[5] != a.Question {
			t.Fatalf("row %d = %q for %+v", i+1, row, a)
		}
		for _, c := range row {
			if Dangerous(c) && c != row[6] {
				t.Fatalf("row %d: cell %q not neutralised", i+1, c)
			}
		}
		switch row[7] {
		case "1":
			sawDK = true
			if row[6] != "" {
				t.Fatalf("row %d: don't know with value %q", i+1, row[6])
			}
		case "0":
			v, err := strconv.Atoi(row[6])
			if err != nil || v != a.Value {
				t.Fatalf("row %d: value %q", i+1, row[6])
			}
			if v < 0 {
				sawNegative = true
			}
		default:
			t.Fatalf("row %d: dont_know %q", i+1, row[7])
		}
		if a.Trend == "trend-00" {
			sawHostile = true
			if row[4] != "'=1+1 hostile trend" {
				t.Fatalf("hostile title written as %q", row[4])
			}
		}
	}
	if !sawNegative || !sawDK || !sawHostile {
		t.Errorf("negative %v, don't know %v, hostile %v", sawNegative, sawDK, sawHostile)
	}
}

// Ensures the aggregates JSON carries its format tag, survives a round
// trip through Aggregates unchanged, writes absent figures as null and
// holds neither participant ids nor hidden ideas.
func TestAggregatesJSON(t *testing.T) {
	r, _ := fixture(t, fixtureOptions{Trends: 8, Participants: 30, Ideas: 3, Hostile: true})
	var buf bytes.Buffer
	if err := AggregatesJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, bad := range []string{"secret-participant", "HIDDEN-IDEA", "NaN"} {
		if strings.Contains(out, bad) {
			t.Errorf("the JSON holds %q", bad)
		}
	}
	var head struct {
		Format string `json:"format"`
	}
	if err := json.Unmarshal(buf.Bytes(), &head); err != nil || head.Format != "waymark.results/v1" {
		t.Fatalf("format %q, %v", head.Format, err)
	}
	var a Aggregates
	dec := json.NewDecoder(bytes.NewReader(buf.Bytes()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	enc := json.NewEncoder(&again)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&a); err != nil {
		t.Fatal(err)
	}
	if again.String() != out {
		t.Error("the JSON changed in a round trip")
	}
	if len(a.Trends) != 8 || len(a.Ranking) != 8 || len(a.Radar.Entries) != 8 || len(a.Groups) != 5 || len(a.Tensions) != 2 {
		t.Errorf("trends %d, ranking %d, radar %d, groups %d, tensions %d", len(a.Trends), len(a.Ranking), len(a.Radar.Entries), len(a.Groups), len(a.Tensions))
	}
	if a.Ranking[0].Key != "trend-03" || a.Ranking[0].Standing != "pinned" || a.Ranking[0].Decision == nil {
		t.Errorf("first in the ranking %+v", a.Ranking[0])
	}
	if st := a.Trends[0].Statistics["impact"]; st.Count == 0 || !st.Mean.Valid() || len(st.Counts) != 5 {
		t.Errorf("impact statistics %+v", st)
	}
	if len(a.Ideas) != 24 || a.HiddenIdeas != 1 || a.Ideas[0].Text != hostile[0] {
		t.Errorf("%d ideas, %d hidden, first %q", len(a.Ideas), a.HiddenIdeas, a.Ideas[0].Text)
	}
	if a.Participation.Joined != 31 || len(a.Participation.Groups) != 5 {
		t.Errorf("participation %+v", a.Participation)
	}
	// Too few answers give null, not 0.
	small, _ := fixture(t, fixtureOptions{Trends: 2, Participants: 3})
	buf.Reset()
	if err := AggregatesJSON(&buf, small); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"mean": null`) {
		t.Error("suppressed group means are not null")
	}
}

// Ensures every message id the report uses exists in English and
// Swedish, by writing every format in both languages with a translator
// that records ids the catalogue lacks.
func TestEveryMessageExists(t *testing.T) {
	cat := i18n.MustNew()
	for _, lang := range []string{"en", "sv"} {
		missing := map[string]bool{}
		src := fixtureSource(fixtureOptions{Lang: lang, Trends: 7, Participants: 10, Ideas: 2})
		src.T = func(id string, args ...any) string {
			if !cat.Has(lang, id) {
				missing[id] = true
			}
			return cat.T(lang, id, args...)
		}
		r, err := Build(src)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		for _, write := range []func(*bytes.Buffer, *Report) error{
			func(b *bytes.Buffer, r *Report) error { return PDF(b, r) },
			func(b *bytes.Buffer, r *Report) error { return XLSX(b, r) },
		} {
			buf.Reset()
			if err := write(&buf, r); err != nil {
				t.Fatal(err)
			}
		}
		for id := range missing {
			t.Errorf("%s: %q is not in the catalogue", lang, id)
		}
	}
}

// Ensures download names are plain ASCII and say what the file holds.
func TestFileName(t *testing.T) {
	r, _ := fixture(t, fixtureOptions{Trends: 1, Participants: 1})
	if got := r.FileName("pdf"); got != "framtidsverkstad-i-ostra-goinge-var-och-results-2026-04-02.pdf" {
		t.Errorf("pdf: %q", got)
	}
	if got := r.FileName("csv"); !strings.HasSuffix(got, "-answers-2026-04-02.csv") {
		t.Errorf("csv: %q", got)
	}
	r.Workshop.Title = "«»"
	if got := r.FileName("json"); got != "workshop-results-2026-04-02.json" {
		t.Errorf("json: %q", got)
	}
}

// Ensures one report can be written in every format at once (a web
// server may serve several downloads of it): writing changes nothing in
// it. Run with -race to check.
func TestWriteConcurrently(t *testing.T) {
	r, _ := fixture(t, fixtureOptions{Trends: 3, Participants: 6, Ideas: 1})
	var wg sync.WaitGroup
	for _, write := range []func(io.Writer, *Report) error{PDF, PDF, XLSX, AnswersCSV, AggregatesJSON} {
		wg.Go(func() {
			if err := write(io.Discard, r); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}

// Ensures the anonymised answers do not name a group that fewer than five
// participants answered in: with 22 participants in five groups, the two
// groups of five keep their names and the three groups of four do not.
func TestSmallGroupsAreNotNamed(t *testing.T) {
	r, _ := fixture(t, fixtureOptions{Trends: 2, Participants: 22})
	byName := map[string]map[string]bool{}
	for _, a := range r.Answers {
		if byName[a.GroupName] == nil {
			byName[a.GroupName] = map[string]bool{}
		}
		byName[a.GroupName][a.Participant] = true
		if a.Group == "" && a.GroupName != "A group of fewer than 5" {
			t.Fatalf("unnamed group has the name %q", a.GroupName)
		}
	}
	if len(byName["Elected members"]) != 5 || len(byName["Managers"]) != 5 || len(byName["A group of fewer than 5"]) != 12 {
		t.Errorf("participants per group name: %v", map[string]int{"members": len(byName["Elected members"]), "managers": len(byName["Managers"]), "small": len(byName["A group of fewer than 5"])})
	}
	for _, name := range []string{"Staff", "Residents", "Partners"} {
		if len(byName[name]) > 0 {
			t.Errorf("the group %s of four is named", name)
		}
	}
}
