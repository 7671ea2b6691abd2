package workshop

import (
	"fmt"
	"testing"

	"github.com/waymark/waymark/internal/domain"
)

// benchWorkshop has 30 trends and the five default questions: 150 answers
// per participant, as in the analysis issue's 2,000 × 30 × 5 workshop.
func benchWorkshop() *domain.Workshop {
	w := &domain.Workshop{ID: "w", Questions: domain.DefaultQuestions(), Groups: domain.DefaultGroups(), Tensions: []string{"t1", "t2", "t3"}}
	for i := range 30 {
		w.TrendKeys = append(w.TrendKeys, fmt.Sprintf("trend-%02d", i))
	}
	return w
}

var benchValues = func() (v [11]int) {
	for i := range v {
		v[i] = i - 5
	}
	return v
}()

// benchTally returns a Tally holding n answers (n/150 participants who each
// answered everything) and the participants' ids and groups.
func benchTally(b *testing.B, n int) (*Tally, []string, []string) {
	w := benchWorkshop()
	tl := NewTally(w)
	np := max(1, n/150)
	ids, groups := make([]string, np), make([]string, np)
	for p := range np {
		ids[p] = fmt.Sprintf("participant-%06d", p)
		groups[p] = w.Groups[p%len(w.Groups)].Key
		for ti, tk := range w.TrendKeys {
			for qi, q := range w.Questions {
				v := q.Min + (p+ti+qi)%(q.Max-q.Min+1)
				a := domain.Answer{ParticipantID: ids[p], TrendKey: tk, QuestionKey: q.Key, Value: &benchValues[v+5]}
				if (p+ti+qi)%9 == 0 {
					a.Value = nil
				}
				tl.Apply(a, groups[p])
			}
		}
	}
	if got := tl.Results("").Trends[0].Questions[0].Distribution.Total(); got != int64(np) {
		b.Fatalf("tally holds %d answers per cell, want %d", got, np)
	}
	return tl, ids, groups
}

// BenchmarkApply measures one changed answer applied to a Tally that holds
// 1,000 to 3,000,000 answers already: the work per answer does not depend
// on the number; what grows a little is cache misses, as the state of more
// participants no longer fits in the CPU caches.
func BenchmarkApply(b *testing.B) {
	for _, n := range []int{1_000, 30_000, 300_000, 3_000_000} {
		b.Run(fmt.Sprintf("existing=%d", n), func(b *testing.B) {
			tl, ids, groups := benchTally(b, n)
			w := benchWorkshop()
			// Precomputed answers that each change a cell (the value moves
			// every time), spread over participants, trends and questions.
			const m = 4096
			as := make([]domain.Answer, m)
			gs := make([]string, m)
			for i := range as {
				p := (i * 7919) % len(ids)
				q := w.Questions[i%len(w.Questions)]
				v := q.Min + (i/len(w.Questions))%(q.Max-q.Min+1)
				as[i] = domain.Answer{ParticipantID: ids[p], TrendKey: w.TrendKeys[(i*31)%len(w.TrendKeys)], QuestionKey: q.Key, Value: &benchValues[v+5]}
				gs[i] = groups[p]
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				tl.Apply(as[i%m], gs[i%m])
				i++
			}
		})
	}
}

// BenchmarkApplyNewParticipant measures the first answer of a participant,
// which also sets up the participant's state (150 cells).
func BenchmarkApplyNewParticipant(b *testing.B) {
	tl, _, _ := benchTally(b, 1_000)
	w := benchWorkshop()
	ids := make([]string, 1<<16)
	for i := range ids {
		ids[i] = fmt.Sprintf("new-%06d", i)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i == len(ids) {
			b.StopTimer()
			tl = NewTally(w)
			i = 0
			b.StartTimer()
		}
		tl.Apply(domain.Answer{ParticipantID: ids[i], TrendKey: "trend-00", QuestionKey: domain.QImpact, Value: &benchValues[8]}, "staff")
		i++
	}
}

// BenchmarkSnapshot measures reading one trend's question, and Results
// reading everything (30 trends × 5 questions, 3 tensions, progress), of a
// Tally holding 300,000 answers.
func BenchmarkSnapshot(b *testing.B) {
	tl, _, _ := benchTally(b, 300_000)
	b.Run("one", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			d := tl.Snapshot("trend-07", domain.QReadiness, "staff")
			_ = d.Median()
		}
	})
	b.Run("results", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = tl.Results("")
		}
	})
}

// BenchmarkLoad300k measures rebuilding a Tally from 300,000 stored answers,
// as after a restart.
func BenchmarkLoad300k(b *testing.B) {
	w := benchWorkshop()
	var answers []domain.Answer
	group := map[string]string{}
	for p := range 2000 {
		id := fmt.Sprintf("participant-%06d", p)
		group[id] = w.Groups[p%len(w.Groups)].Key
		for ti, tk := range w.TrendKeys {
			for qi, q := range w.Questions {
				v := q.Min + (p+ti+qi)%(q.Max-q.Min+1)
				answers = append(answers, domain.Answer{ParticipantID: id, TrendKey: tk, QuestionKey: q.Key, Value: &benchValues[v+5]})
			}
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		tl := NewTally(w)
		tl.Load(answers, nil, func(p string) string { return group[p] })
	}
}
