package scenario

import (
	"cmp"
	"slices"

	"github.com/waymark/waymark/internal/domain"
)

// Roadmap is a scenario's plan to the horizon year in swimlanes by
// capability area.
//
// The lane rule: an initiative appears once, in the lane of the first of
// the capability areas it builds in the library's order (the order of the
// areas passed to BuildRoadmap); Item.Areas lists all of them. Initiatives
// that build no known area are in a last lane with Area "". Every area has
// a lane, empty or not, so that an area nothing is planned for shows.
type Roadmap struct {
	Start, End int // the horizon, both included
	Lanes      []Lane
	Items      int // initiatives in the plan
}

// Lane is one capability area's initiatives, by start year and title.
type Lane struct {
	Area  string // the capability area's key; "" for initiatives of no area
	Name  domain.Text
	Items []Item
}

// Item is an initiative in the plan as the roadmap shows it.
type Item struct {
	ID    string
	Title string
	// Start and End are the first and last year of its duration; it costs
	// its recurring cost every year from Start to the horizon's end.
	Start, End int
	Value      float64
	Forced     bool
	// Known is false for an initiative deleted since the result was
	// computed: then only ID, Title, Start, End, Value and Forced are set.
	Known bool
	Owner string
	// Areas are the capability areas it builds, in the library's order.
	Areas         []string
	Status        domain.InitiativeStatus
	RAG           domain.RAG
	OneOffCost    int64
	RecurringCost int64
	FTE           domain.FTE
	// DependsOn lists the initiatives (ids) in the plan that it depends on.
	DependsOn  []string
	Milestones []domain.Milestone
}

// BuildRoadmap lays out the plan of r over the horizon start–end, with the
// organisation's initiatives (for their areas, costs, status and
// dependencies) and the capability areas of the portfolio's library
// version, in order.
func BuildRoadmap(r *Result, start, end int, ins []domain.Initiative, areas []domain.CapabilityArea) *Roadmap {
	rm := &Roadmap{Start: start, End: end, Items: len(r.Plan)}
	byID := make(map[string]*domain.Initiative, len(ins))
	for i := range ins {
		byID[ins[i].ID] = &ins[i]
	}
	rank := make(map[string]int, len(areas))
	for i, a := range areas {
		rank[a.Key] = i
	}
	planned := make(map[string]bool, len(r.Plan))
	for _, a := range r.Plan {
		planned[a.Key] = true
	}
	lanes := make([]Lane, len(areas)+1)
	for i, a := range areas {
		lanes[i] = Lane{Area: a.Key, Name: a.Name}
	}
	for _, a := range r.Plan {
		it := Item{ID: a.Key, Title: a.Title, Start: a.Start, End: a.End, Value: a.Value, Forced: a.Forced}
		lane := len(areas)
		if in := byID[a.Key]; in != nil {
			it.Known, it.Title, it.Owner = true, in.Title, in.Owner
			it.Status, it.RAG = in.Status, in.RAG
			it.OneOffCost, it.RecurringCost, it.FTE = in.OneOffCost, in.RecurringCost, in.FTE
			it.Milestones = in.Milestones
			for _, k := range in.Areas {
				if _, ok := rank[k]; ok && !slices.Contains(it.Areas, k) {
					it.Areas = append(it.Areas, k)
				}
			}
			slices.SortFunc(it.Areas, func(x, y string) int { return rank[x] - rank[y] })
			if len(it.Areas) > 0 {
				lane = rank[it.Areas[0]]
			}
			for _, d := range in.DependsOn {
				if planned[d] {
					it.DependsOn = append(it.DependsOn, d)
				}
			}
		}
		lanes[lane].Items = append(lanes[lane].Items, it)
	}
	for i := range lanes {
		slices.SortStableFunc(lanes[i].Items, func(x, y Item) int {
			return cmp.Or(cmp.Compare(x.Start, y.Start), cmp.Compare(x.Title, y.Title))
		})
	}
	if len(lanes[len(areas)].Items) == 0 {
		lanes = lanes[:len(areas)]
	}
	rm.Lanes = lanes
	return rm
}

// Rows returns the roadmap's items lane by lane, as the table and the
// exports list them.
func (rm *Roadmap) Rows() []Row {
	var out []Row
	for _, l := range rm.Lanes {
		for _, it := range l.Items {
			out = append(out, Row{Lane: l, Item: it})
		}
	}
	return out
}

// Row is an item with its lane.
type Row struct {
	Lane Lane
	Item Item
}
