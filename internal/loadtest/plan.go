package loadtest

import "fmt"

// QuestionScale is a question's key and scale, as the load test needs it.
type QuestionScale struct {
	Key      string
	Min, Max int
}

// Plan decides what every request of a run carries. Cell 0 (the first
// trend's first question) is kept for markers (see Run): the load never
// answers it. Request r is for participant r mod P, and each participant
// goes through the other cells (trend × question, trend by trend) Batch at
// a time, in order, so that each answer is a participant's first to its
// trend and question (a "new key", which the aggregates count one more)
// until the participant has answered everything; after that, answers wrap
// around and change earlier ones. Requests for one participant are P
// apart, so they overlap only when more than P requests are in flight.
type Plan struct {
	WorkshopID string
	Tokens     []string
	Trends     []string
	Questions  []QuestionScale
	Batch      int
}

// cells returns the number of trend × question cells the load answers.
func (p *Plan) cells() int { return len(p.Trends)*len(p.Questions) - 1 }

// check reports a plan that cannot work.
func (p *Plan) check() error {
	switch {
	case len(p.Tokens) == 0:
		return fmt.Errorf("no participants")
	case len(p.Trends) == 0 || len(p.Questions) == 0:
		return fmt.Errorf("the workshop has no trends or no questions")
	case p.cells() < 1:
		return fmt.Errorf("the workshop has one trend and one question; the load test needs at least two of either")
	case p.Batch < 1:
		return fmt.Errorf("batch %d: give at least 1", p.Batch)
	case p.Batch > p.cells():
		return fmt.Errorf("batch %d is more than the workshop's %d trends × questions less one", p.Batch, p.cells())
	}
	return nil
}

// cellAnswer returns the answer in cell c (0 is the markers') with a value
// chosen by v.
func (p *Plan) cellAnswer(c, v int, value *int) Answer {
	q := p.Questions[c%len(p.Questions)]
	*value = q.Min + v%(q.Max-q.Min+1)
	return Answer{Trend: p.Trends[c/len(p.Questions)], Question: q.Key, Value: value}
}

// Request fills answers (len Batch, values in vals) for request seq and
// returns the participant's index and how many of the answers are new
// keys.
func (p *Plan) Request(seq int64, answers []Answer, vals []int) (participant int, newKeys int) {
	n := int64(len(p.Tokens))
	participant = int(seq % n)
	round := int(seq / n)
	cells := p.cells()
	for j := range p.Batch {
		c := round*p.Batch + j
		if c < cells {
			newKeys++
		}
		answers[j] = p.cellAnswer(1+c%cells, round+j+participant, &vals[j])
	}
	return participant, newKeys
}

// Marker returns marker i's answer: participant i's answer to cell 0, the
// cell only markers answer. It is a new key for i < len(Tokens).
func (p *Plan) Marker(i int, val *int) (participant int, a Answer) {
	return i % len(p.Tokens), p.cellAnswer(0, i, val)
}
