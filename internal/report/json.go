package report

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/waymark/waymark/internal/analysis"
)

// ResultsFormat is the format tag of the aggregates JSON.
const ResultsFormat = "waymark.results/v1"

// Aggregates is the JSON document of a workshop's aggregates
// (ResultsFormat), described field by field in docs/formats.md. Absent
// statistics are null. It holds no answer of any one participant and no
// chart geometry; fields are only ever added within v1.
type Aggregates struct {
	Format        string            `json:"format"`
	GeneratedAt   time.Time         `json:"generated_at"`
	Language      string            `json:"language"`
	Workshop      AggWorkshop       `json:"workshop"`
	Library       AggLibrary        `json:"library"`
	Questions     []AggQuestion     `json:"questions"`
	Participation AggParticipation  `json:"participation"`
	Trends        []AggTrend        `json:"trends"`
	Ranking       []AggRanked       `json:"ranking"`
	Matrix        AggMatrix         `json:"matrix"`
	Radar         AggRadar          `json:"radar"`
	Groups        []AggGroupCompare `json:"group_comparisons"`
	Tensions      []AggTension      `json:"tensions"`
	Ideas         []AggIdea         `json:"ideas"`
	HiddenIdeas   int               `json:"hidden_ideas"`
}

// AggWorkshop identifies the workshop.
type AggWorkshop struct {
	ID           string    `json:"id"`
	Title        string    `json:"title"`
	Purpose      string    `json:"purpose"`
	Organisation string    `json:"organisation"`
	Mode         string    `json:"mode"`
	Phase        string    `json:"phase"`
	CreatedAt    time.Time `json:"created_at"`
}

// AggLibrary names the library version.
type AggLibrary struct {
	Name      string `json:"name"`
	Version   int    `json:"version"`
	VersionID string `json:"version_id"`
}

// AggQuestion is a rating question and its scale.
type AggQuestion struct {
	Key         string   `json:"key"`
	Label       string   `json:"label"`
	Min         int      `json:"min"`
	Max         int      `json:"max"`
	ValueLabels []string `json:"value_labels"`
}

// AggParticipation is how many joined and answered, in all and per group.
type AggParticipation struct {
	Joined   int        `json:"joined"`
	Answered int        `json:"answered"`
	Groups   []AggGroup `json:"groups"`
}

// AggGroup is one participant group.
type AggGroup struct {
	Key      string `json:"key"`
	Name     string `json:"name"`
	Joined   int    `json:"joined"`
	Answered int    `json:"answered"`
}

// AggTrend is one trend's statistics per question.
type AggTrend struct {
	Key        string                  `json:"key"`
	Title      string                  `json:"title"`
	Statistics map[string]AggQuestStat `json:"statistics"` // by question key
}

// AggQuestStat are the statistics of one question about one trend, for
// everyone.
type AggQuestStat struct {
	Min           int          `json:"min"`
	Max           int          `json:"max"`
	Counts        []int64      `json:"counts"` // answers per value, from min to max
	Count         int64        `json:"count"`  // answers with a value
	DontKnow      int64        `json:"dont_know"`
	DontKnowShare analysis.Num `json:"dont_know_share"`
	Mean          analysis.Num `json:"mean"`
	Median        analysis.Num `json:"median"`
	SD            analysis.Num `json:"sd"`
	Q1            analysis.Num `json:"q1"`
	Q3            analysis.Num `json:"q3"`
	IQR           analysis.Num `json:"iqr"`
	Consensus     analysis.Num `json:"consensus"`
}

// AggRanked is one row of the priority ranking.
type AggRanked struct {
	Rank      int          `json:"rank"` // 0 when unrated or excluded
	Key       string       `json:"key"`
	Title     string       `json:"title"`
	Standing  string       `json:"standing"` // pinned, ranked, unrated, excluded
	Index     analysis.Num `json:"index"`    // 0…100
	Impact    analysis.Num `json:"impact"`   // 0…1
	Urgency   analysis.Num `json:"urgency"`  // 0…1
	Gap       analysis.Num `json:"gap"`      // 0…1
	GapSource string       `json:"gap_source"`
	Missing   []string     `json:"missing,omitempty"`
	Decision  *AggDecision `json:"decision,omitempty"`
}

// AggDecision is a facilitator's pin or exclusion.
type AggDecision struct {
	Kind   string    `json:"kind"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at,omitzero"`
}

// AggMatrix is the impact × certainty matrix without its geometry.
type AggMatrix struct {
	ImpactThreshold    float64          `json:"impact_threshold"`
	CertaintyThreshold float64          `json:"certainty_threshold"`
	Trends             []AggMatrixTrend `json:"trends"`
	Unplaced           []AggUnplaced    `json:"unplaced"`
}

// AggMatrixTrend is a trend placed in the matrix.
type AggMatrixTrend struct {
	Key       string  `json:"key"`
	Impact    float64 `json:"impact"`    // mean
	Certainty float64 `json:"certainty"` // mean
	Quadrant  string  `json:"quadrant"`  // act-now, prepare-scenarios, watch, routine
}

// AggUnplaced is a trend the matrix cannot place.
type AggUnplaced struct {
	Key     string   `json:"key"`
	Missing []string `json:"missing"`
}

// AggRadar is the trend radar without its geometry.
type AggRadar struct {
	Sectors []AggSector     `json:"sectors"`
	Rings   []AggRing       `json:"rings"`
	Entries []AggRadarEntry `json:"entries"`
}

// AggSector is a radar sector.
type AggSector struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// AggRing is a radar ring: a time horizon, inner first; index −1 is the
// ring of trends whose horizon is not known.
type AggRing struct {
	Index int    `json:"index"`
	Name  string `json:"name"`
}

// AggRadarEntry is one trend on the radar.
type AggRadarEntry struct {
	Key       string       `json:"key"`
	Sector    string       `json:"sector"`    // a sector's key
	Ring      int          `json:"ring"`      // a ring's index
	Size      analysis.Num `json:"size"`      // scaled mean impact, 0…1
	Direction string       `json:"direction"` // threat, opportunity, both, unknown
}

// AggGroupCompare compares the groups on one question.
type AggGroupCompare struct {
	Question   string        `json:"question"`
	MinAnswers int64         `json:"min_answers"`
	Rows       []AggGroupRow `json:"rows"` // largest disagreement first
}

// AggGroupRow is one trend of a group comparison.
type AggGroupRow struct {
	Trend      string         `json:"trend"`
	Range      analysis.Num   `json:"range"`
	EtaSquared analysis.Num   `json:"eta_squared"`
	Lowest     string         `json:"lowest,omitempty"`
	Highest    string         `json:"highest,omitempty"`
	Cells      []AggGroupCell `json:"cells"`
}

// AggGroupCell is one group's answers; a suppressed cell has fewer
// answers than min_answers and shows only its counts.
type AggGroupCell struct {
	Group      string       `json:"group"`
	Count      int64        `json:"count"`
	DontKnow   int64        `json:"dont_know"`
	Mean       analysis.Num `json:"mean"`
	SD         analysis.Num `json:"sd"`
	Suppressed bool         `json:"suppressed"`
}

// AggTension is a field of tension, −100 (pole A) … +100 (pole B).
type AggTension struct {
	Key      string       `json:"key"`
	Name     string       `json:"name"`
	PoleA    string       `json:"pole_a"`
	PoleB    string       `json:"pole_b"`
	Count    int64        `json:"count"`
	MeanNow  analysis.Num `json:"mean_now"`
	MeanWant analysis.Num `json:"mean_want"`
	Gap      analysis.Num `json:"gap"`
	SDNow    analysis.Num `json:"sd_now"`
	SDWant   analysis.Num `json:"sd_want"`
}

// AggIdea is a visible consequence or idea, without its author.
type AggIdea struct {
	Trend   string `json:"trend"`
	Text    string `json:"text"`
	Upvotes int    `json:"upvotes"`
	Dots    int    `json:"dots"`
}

// BuildAggregates returns the report's aggregates document.
func BuildAggregates(r *Report) *Aggregates {
	a := r.Analysis
	g := &Aggregates{Format: ResultsFormat, GeneratedAt: r.Generated.UTC().Truncate(time.Second), Language: r.Lang,
		Workshop: AggWorkshop{ID: r.Workshop.ID, Title: r.Workshop.Title, Purpose: r.Workshop.Purpose, Organisation: r.Organisation,
			Mode: r.Workshop.Mode, Phase: r.Workshop.Phase, CreatedAt: r.Workshop.CreatedAt.UTC()},
		Library:       AggLibrary{Name: r.Library.Name, Version: r.Library.Version, VersionID: r.Library.VersionID},
		Participation: AggParticipation{Joined: r.Joined, Answered: r.Answered, Groups: []AggGroup{}},
		Questions:     []AggQuestion{}, Trends: []AggTrend{}, Ranking: []AggRanked{}, Groups: []AggGroupCompare{},
		Tensions: []AggTension{}, Ideas: []AggIdea{}, HiddenIdeas: r.HiddenIdeas}
	for _, q := range r.Questions {
		g.Questions = append(g.Questions, AggQuestion{Key: q.Key, Label: q.Label, Min: q.Min, Max: q.Max, ValueLabels: q.ValueLabels})
	}
	for _, gp := range r.Groups {
		g.Participation.Groups = append(g.Participation.Groups, AggGroup(gp))
	}
	for _, t := range a.Trends {
		at := AggTrend{Key: t.Key, Title: t.Label, Statistics: map[string]AggQuestStat{}}
		for _, q := range t.Questions {
			s := q.Stats
			at.Statistics[q.Key] = AggQuestStat{Min: s.Min, Max: s.Max, Counts: s.Counts, Count: s.Count, DontKnow: s.DontKnow,
				DontKnowShare: s.DontKnowShare, Mean: s.Mean, Median: s.Median, SD: s.SD, Q1: s.Q1, Q3: s.Q3, IQR: s.IQR, Consensus: s.Consensus}
		}
		g.Trends = append(g.Trends, at)
	}
	for _, rt := range a.Ranking.Trends {
		row := AggRanked{Rank: rt.Rank, Key: rt.Key, Title: rt.Label, Standing: string(rt.Standing), Index: rt.Index,
			Impact: rt.Impact, Urgency: rt.Urgency, Gap: rt.Gap, GapSource: rt.GapSource, Missing: rt.Missing}
		if d := rt.Decision; d != nil {
			row.Decision = &AggDecision{Kind: string(d.Kind), Reason: d.Reason, At: d.At.UTC()}
		}
		g.Ranking = append(g.Ranking, row)
	}
	g.Matrix = AggMatrix{ImpactThreshold: a.Matrix.ImpactThreshold, CertaintyThreshold: a.Matrix.CertaintyThreshold,
		Trends: []AggMatrixTrend{}, Unplaced: []AggUnplaced{}}
	for _, p := range a.Matrix.Points {
		g.Matrix.Trends = append(g.Matrix.Trends, AggMatrixTrend{Key: p.Key, Impact: p.Impact, Certainty: p.Certainty, Quadrant: string(p.Quadrant)})
	}
	for _, u := range a.Matrix.Unplaced {
		g.Matrix.Unplaced = append(g.Matrix.Unplaced, AggUnplaced{Key: u.Key, Missing: u.Missing})
	}
	g.Radar = AggRadar{Sectors: []AggSector{}, Rings: []AggRing{}, Entries: []AggRadarEntry{}}
	for _, s := range a.Radar.Sectors {
		g.Radar.Sectors = append(g.Radar.Sectors, AggSector{Key: s.Key, Name: r.sectorName(s)})
	}
	for _, ring := range a.Radar.Rings {
		g.Radar.Rings = append(g.Radar.Rings, AggRing{Index: ring.Index, Name: ring.Label})
	}
	for _, e := range a.Radar.Entries {
		g.Radar.Entries = append(g.Radar.Entries, AggRadarEntry{Key: e.Key, Sector: a.Radar.Sectors[e.Sector].Key,
			Ring: a.Radar.Rings[e.Ring].Index, Size: e.Size, Direction: string(e.Direction)})
	}
	for _, gc := range a.Groups {
		c := AggGroupCompare{Question: gc.Question, MinAnswers: r.MinGroupAnswers, Rows: []AggGroupRow{}}
		for _, row := range gc.Rows {
			ar := AggGroupRow{Trend: row.Trend, Range: row.Range, EtaSquared: row.EtaSquared, Lowest: row.Lowest, Highest: row.Highest, Cells: []AggGroupCell{}}
			for _, cell := range row.Cells {
				ar.Cells = append(ar.Cells, AggGroupCell{Group: cell.Group, Count: cell.Stats.Count, DontKnow: cell.Stats.DontKnow,
					Mean: cell.Stats.Mean, SD: cell.Stats.SD, Suppressed: cell.Suppressed})
			}
			c.Rows = append(c.Rows, ar)
		}
		g.Groups = append(g.Groups, c)
	}
	for _, t := range r.Tensions {
		g.Tensions = append(g.Tensions, AggTension{Key: t.Key, Name: t.Name, PoleA: t.PoleA, PoleB: t.PoleB, Count: t.Count,
			MeanNow: t.MeanNow, MeanWant: t.MeanWant, Gap: t.Gap, SDNow: t.SDNow, SDWant: t.SDWant})
	}
	for _, i := range r.Ideas {
		g.Ideas = append(g.Ideas, AggIdea{Trend: i.Trend, Text: i.Text, Upvotes: i.Upvotes, Dots: i.Dots})
	}
	return g
}

// AggregatesJSON writes the report's aggregates as indented JSON
// (ResultsFormat).
func AggregatesJSON(w io.Writer, r *Report) error {
	if err := r.ready(); err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(BuildAggregates(r)); err != nil {
		return fmt.Errorf("report: aggregates json: %w", err)
	}
	return nil
}

// sectorName returns a radar sector's name in full.
func (r *Report) sectorName(s analysis.RadarSector) string {
	if n, ok := r.SectorNames[s.Key]; ok && n != "" {
		return n
	}
	return s.Label
}
