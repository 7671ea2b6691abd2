package web

import (
	"math"
	"net/http"

	"github.com/waymark/waymark/internal/domain"
)

// resultsMinAnswers is the fewest answers a question needs before its
// distribution shows on participants' screens: with fewer, people in the
// room could tell who answered what. It matches the product's default
// anonymity threshold.
const resultsMinAnswers = 5

// resultsView is the aggregates the facilitator chose to show on
// participants' screens: per trend and question, how many gave each value.
// Never anyone's own answers.
type resultsView struct {
	Min    int
	Trends []resultTrend
	Hidden int // trends left out for too few answers
}

type resultTrend struct {
	Trend     domain.Trend
	Questions []resultQuestion
}

type resultQuestion struct {
	Label    domain.Text
	Total    int64 // answers, "don't know" included
	DontKnow int64
	Rows     []resultRow
}

type resultRow struct {
	Label   string
	Count   int64
	Percent int // of the answers with a value
}

func (p *participantPages) results(r *http.Request, c *call, ws *domain.Workshop) (*resultsView, error) {
	ctx := r.Context()
	prog, err := p.s.svc.WorkshopProgress(ctx, ws)
	if err != nil {
		return nil, err
	}
	content, err := p.s.svc.WorkshopContent(ctx, ws)
	if err != nil {
		return nil, err
	}
	rv := &resultsView{Min: resultsMinAnswers}
	for _, tp := range prog.Trends {
		t, ok := content.Trend(tp.Key)
		if !ok {
			continue
		}
		rt := resultTrend{Trend: t}
		for _, q := range ws.Questions {
			d, ok := tp.Questions[q.Key]
			if !ok || d.Total() < resultsMinAnswers {
				continue
			}
			rq := resultQuestion{Label: q.Label, Total: d.Total(), DontKnow: d.DontKnow}
			for i, n := range d.Counts {
				pct := 0
				if d.Count > 0 {
					pct = int(math.Round(100 * float64(n) / float64(d.Count)))
				}
				rq.Rows = append(rq.Rows, resultRow{Label: q.ValueLabel(d.Min+i, c.lang), Count: n, Percent: pct})
			}
			rt.Questions = append(rt.Questions, rq)
		}
		if len(rt.Questions) == 0 {
			rv.Hidden++
			continue
		}
		rv.Trends = append(rv.Trends, rt)
	}
	return rv, nil
}
