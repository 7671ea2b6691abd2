package analysis

import (
	"fmt"
	"testing"

	"github.com/waymark/waymark/internal/domain"
)

// BenchmarkFullAnalysis measures the workshop: 2,000 participants
// × 30 trends × 5 questions = 300,000 answers in a Tally built before the
// timer starts. Each iteration copies the results for everyone and the five
// groups out of the Tally and computes every statistic, the priority
// ranking, the matrix with its labels, the radar and the five group
// comparisons. The target is 200 ms.
func BenchmarkFullAnalysis(b *testing.B) {
	c := sampleContent(30)
	w, tl := sampleTally(c, 2000)
	if n := tl.Progress().Participants; n != 2000 {
		b.Fatalf("%d participants", n)
	}
	b.ReportAllocs()
	for b.Loop() {
		a := Analyze(fullInput(c, w, tl), Options{})
		if len(a.Ranking.Trends) != 30 {
			b.Fatal("trends missing")
		}
	}
}

// BenchmarkAnalyzeOnly is BenchmarkFullAnalysis without the copies out
// of the Tally: the analysis itself.
func BenchmarkAnalyzeOnly(b *testing.B) {
	c := sampleContent(30)
	w, tl := sampleTally(c, 2000)
	in := fullInput(c, w, tl)
	b.ReportAllocs()
	for b.Loop() {
		Analyze(in, Options{})
	}
}

// BenchmarkApplyThenAnalyze measures one incremental update of the
// 300,000-answer Tally (Tally.Apply, a changed answer) on its own, and
// followed by a fresh analysis as a live results page would show.
func BenchmarkApplyThenAnalyze(b *testing.B) {
	c := sampleContent(30)
	w, tl := sampleTally(c, 2000)
	as, gs := changes(w, 2000)
	answer := func(i int) (domain.Answer, string) { return as[i%len(as)], gs[i%len(gs)] }
	b.Run("apply", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			tl.Apply(answer(i))
			i++
		}
	})
	b.Run("apply+analyze", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			tl.Apply(answer(i))
			Analyze(fullInput(c, w, tl), Options{})
			i++
		}
	})
}

// BenchmarkApplyBySize shows that an update's cost does not grow with the
// answers the Tally already holds: 3,000, 30,000 and 300,000.
func BenchmarkApplyBySize(b *testing.B) {
	for _, np := range []int{20, 200, 2000} {
		b.Run(fmt.Sprintf("answers=%d", np*150), func(b *testing.B) {
			w, tl := sampleTally(sampleContent(30), np)
			as, gs := changes(w, np)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				tl.Apply(as[i%len(as)], gs[i%len(gs)])
				i++
			}
		})
	}
}

// changes returns 4,096 answers to the impact question, spread over the
// np participants of sampleTally and the trends, whose values move every
// time so that each Apply changes the Tally, and their groups.
func changes(w *domain.Workshop, np int) ([]domain.Answer, []string) {
	values := []int{1, 2, 3, 4, 5}
	as, gs := make([]domain.Answer, 4096), make([]string, 4096)
	for i := range as {
		p := (i * 7919) % np
		as[i] = domain.Answer{ParticipantID: fmt.Sprintf("p%05d", p), TrendKey: w.TrendKeys[(i*31)%len(w.TrendKeys)],
			QuestionKey: domain.QImpact, Value: &values[i%5]}
		gs[i] = w.Groups[p%len(w.Groups)].Key
	}
	return as, gs
}
