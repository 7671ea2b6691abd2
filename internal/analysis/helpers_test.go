package analysis

import (
	"fmt"
	"math"
	"testing"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/workshop"
)

// near reports whether two numbers agree to within 1e-6.
func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

func checkNum(t *testing.T, what string, got Num, want float64) {
	t.Helper()
	if math.IsNaN(want) {
		if got.Valid() {
			t.Errorf("%s = %v, want absent", what, float64(got))
		}
		return
	}
	if !got.Valid() || !near(float64(got), want) {
		t.Errorf("%s = %v, want %v", what, float64(got), want)
	}
}

func vals(vs ...int) []*int {
	out := make([]*int, len(vs))
	for i := range vs {
		out[i] = &vs[i]
	}
	return out
}

var nan = math.NaN()

// testWorkshop is a workshop with the default questions and groups and the
// given trend keys.
func testWorkshop(trends ...string) *domain.Workshop {
	return &domain.Workshop{ID: "w", TrendKeys: trends, Questions: domain.DefaultQuestions(), Groups: domain.DefaultGroups()}
}

// answers holds, per trend and question, the values answered by one group;
// dk is a "don't know".
type answers map[string]map[string][]int

const dk = math.MinInt

// fill applies the answers of a group to the tally, one participant per
// position in each list: participant i of the group answers value [i] of
// every list.
func fill(tl *workshop.Tally, group string, as answers) {
	for trend, qs := range as {
		for q, vs := range qs {
			for i, v := range vs {
				a := domain.Answer{ParticipantID: fmt.Sprintf("%s-%d", group, i), TrendKey: trend, QuestionKey: q}
				if v != dk {
					a.Value = &v
				}
				tl.Apply(a, group)
			}
		}
	}
}

func newTally(trends ...string) *workshop.Tally { return workshop.NewTally(testWorkshop(trends...)) }
