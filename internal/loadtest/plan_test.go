package loadtest

import (
	"testing"
	"time"
)

// Ensures a plan sends each participant through every trend and question
// but the markers' cell once as first answers (new keys), Batch at a time,
// then wraps around to changed answers; markers answer only their own
// cell, one participant after another; values stay on each question's
// scale.
func TestPlanRequests(t *testing.T) {
	p := &Plan{Tokens: []string{"a", "b", "c"}, Trends: []string{"t1", "t2"},
		Questions: []QuestionScale{{"q1", 1, 5}, {"q2", -2, 2}}, Batch: 2}
	if err := p.check(); err != nil {
		t.Fatal(err)
	}
	type key struct{ who, trend, question string }
	seen := map[key]bool{}
	answers, vals := make([]Answer, 2), make([]int, 2)
	fresh := 0
	for seq := range int64(12) { // 3 cells each: two requests, then wrapping
		who, n := p.Request(seq, answers, vals)
		if who != int(seq%3) {
			t.Fatalf("request %d for participant %d", seq, who)
		}
		newHere := 0
		for _, a := range answers {
			q := p.Questions[0]
			if a.Question == "q2" {
				q = p.Questions[1]
			}
			if *a.Value < q.Min || *a.Value > q.Max {
				t.Errorf("request %d: %s = %d off the scale", seq, a.Question, *a.Value)
			}
			if a.Trend == "t1" && a.Question == "q1" {
				t.Errorf("request %d answers the markers' cell", seq)
			}
			k := key{p.Tokens[who], a.Trend, a.Question}
			if !seen[k] {
				newHere++
			}
			seen[k] = true
		}
		if n != newHere {
			t.Errorf("request %d: %d new keys reported, %d really new", seq, n, newHere)
		}
		fresh += n
	}
	if fresh != 9 || len(seen) != 9 {
		t.Errorf("%d new answers over %d keys; want 9 over 9", fresh, len(seen))
	}
	for i := range 4 {
		val := 0
		who, a := p.Marker(i, &val)
		if who != i%3 || a.Trend != "t1" || a.Question != "q1" || *a.Value < 1 || *a.Value > 5 {
			t.Errorf("marker %d: participant %d, %+v = %d", i, who, a, *a.Value)
		}
	}
	for _, bad := range []*Plan{
		{Tokens: []string{"a"}, Trends: []string{"t"}, Questions: []QuestionScale{{"q", 1, 5}, {"r", 1, 5}}, Batch: 2},
		{Tokens: []string{"a"}, Trends: []string{"t"}, Questions: []QuestionScale{{"q", 1, 5}}, Batch: 1},
	} {
		if err := bad.check(); err == nil {
			t.Errorf("plan %+v accepted", bad)
		}
	}
}

// Ensures the load's summary counts acknowledged answers and requests,
// groups errors by status or transport error, and measures latency from
// the schedule at a fixed rate and from the send at rate max.
func TestSummarise(t *testing.T) {
	ms := time.Millisecond
	l := &load{records: []record{
		{due: 0, sent: 2 * ms, done: 5 * ms, status: 200, answers: 3},
		{due: 10 * ms, sent: 10 * ms, done: 14 * ms, status: 200, answers: 3},
		{due: 20 * ms, sent: 20 * ms, done: 21 * ms, status: 422, answers: 3},
		{due: 30 * ms, sent: 30 * ms, done: 40 * ms, status: 0, err: "timeout", answers: 3},
	}}
	fixed := l.summarise(true)
	if fixed.Requests != 4 || fixed.Acknowledged != 2 || fixed.Answers != 6 || fixed.Errors["HTTP 422"] != 1 || fixed.Errors["timeout"] != 1 {
		t.Errorf("summary %+v", fixed)
	}
	if fixed.Seconds != 0.04 || fixed.AnswersPerSecond != 150 || fixed.RequestsPerSecond != 75 {
		t.Errorf("%g s, %g answers/s, %g requests/s; want 0.04, 150, 75", fixed.Seconds, fixed.AnswersPerSecond, fixed.RequestsPerSecond)
	}
	if fixed.Latency.Max != 5*ms || fixed.Latency.P50 != 4*ms {
		t.Errorf("fixed-rate latency %+v; want p50 4ms, max 5ms (from the schedule)", fixed.Latency)
	}
	if fixed.Service.Max != 4*ms || fixed.Service.P50 != 3*ms {
		t.Errorf("fixed-rate service latency %+v; want p50 3ms, max 4ms (from the send)", fixed.Service)
	}
	if open := l.summarise(false); open.Latency.Max != 4*ms || open.Latency.P50 != 3*ms {
		t.Errorf("rate-max latency %+v; want p50 3ms, max 4ms (from the send)", open.Latency)
	}
}
