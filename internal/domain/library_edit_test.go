package domain

import (
	"fmt"
	"slices"
	"testing"
)

func sampleContent() *Content {
	return &Content{
		Name:          T("Sample", "Exempel"),
		Horizons:      DefaultHorizons(),
		DrivingForces: []DrivingForce{{Key: "demography", Name: T("Demography", "Demografi")}, {Key: "climate", Name: T("Climate", "Klimat")}},
		Trends: []Trend{
			{Key: "a", Title: T("A", "A"), Category: Societal, DrivingForces: []string{"demography", "climate"}, Horizon: "now"},
			{Key: "b", Title: T("B", "B"), Category: Digital},
			{Key: "c", Title: T("C", "C"), Category: Technology, DrivingForces: []string{"climate"}},
		},
	}
}

// Ensures removing a driving force also removes the trends' references to it,
// so the content stays valid.
func TestRemoveItemCascades(t *testing.T) {
	c := sampleContent()
	if err := c.RemoveItem(KindDrivingForce, "climate"); err != nil {
		t.Fatal(err)
	}
	if got := c.Trends[0].DrivingForces; !slices.Equal(got, []string{"demography"}) {
		t.Fatalf("trend a forces = %v", got)
	}
	if err := c.RemoveItem(KindHorizon, "now"); err != nil {
		t.Fatal(err)
	}
	if c.Trends[0].Horizon != "" {
		t.Fatal("horizon reference kept")
	}
	if ps := c.Validate(); len(ps) != 0 {
		t.Fatalf("content invalid after removal: %v", ps)
	}
	if err := c.RemoveItem(KindTrend, "zzz"); !IsNotFound(err) {
		t.Fatalf("removing a missing trend: %v", err)
	}
}

// Ensures moving stays within the list and keeps every item.
func TestMoveItem(t *testing.T) {
	c := sampleContent()
	c.MoveItem(KindTrend, "c", -1)
	c.MoveItem(KindTrend, "a", -1)
	c.MoveItem(KindTrend, "a", 5)
	if got := c.Keys(KindTrend); !slices.Equal(got, []string{"c", "b", "a"}) {
		t.Fatalf("order = %v", got)
	}
}

// Ensures the diff names added, removed, moved and changed items, and marks
// only the item that moved when one item jumps to the top.
func TestDiff(t *testing.T) {
	old := sampleContent()
	new := old.Clone()
	new.Trends[1].Title.SV = "Bee"
	new.MoveItem(KindTrend, "c", -2)
	new.Trends = append(new.Trends, Trend{Key: "x", Title: T("X", "X"), Category: Digital})
	old.Trends = append(old.Trends, Trend{Key: "x", Title: T("X", "X"), Category: Digital}, Trend{Key: "gone", Title: T("Gone", ""), Category: Digital})
	new.Trends = append(new.Trends, Trend{Key: "d", Title: T("D", ""), Category: Digital})
	got := fmt.Sprint(Diff(old, new))
	want := fmt.Sprint([]Change{
		{Op: Moved, Kind: KindTrend, Key: "c", Name: T("C", "C")},
		{Op: Changed, Kind: KindTrend, Key: "b", Name: T("B", "Bee"), Field: "title.sv", Old: "B", New: "Bee"},
		{Op: Added, Kind: KindTrend, Key: "d", Name: T("D", "")},
		{Op: Removed, Kind: KindTrend, Key: "gone", Name: T("Gone", "")},
	})
	if got != want {
		t.Fatalf("diff\n got %s\nwant %s", got, want)
	}
	if d := Diff(old, old.Clone()); len(d) != 0 {
		t.Fatalf("diff of equal content: %v", d)
	}
}

// Ensures Validate reports every broken rule with where it is.
func TestValidateReportsEverything(t *testing.T) {
	c := sampleContent()
	c.Trends = append(c.Trends, Trend{Key: "a", Category: "weird", DrivingForces: []string{"nope"}, Horizon: "later",
		Sources: []Source{{URL: "ftp://x", Date: "2024-13"}}})
	var got []string
	for _, p := range c.Validate() {
		got = append(got, p.Ref.JSONPath()+" "+p.Ref.Field+": "+p.Message)
	}
	want := []string{
		`$.trends[3] key: "a" is used twice`,
		`$.trends[3] title: is required in English or Swedish`,
		`$.trends[3] category: "weird" is not one of societal, digital, technology`,
		`$.trends[3] driving_forces[0]: "nope" is not a driving force of this library`,
		`$.trends[3] horizon: "later" is not a time horizon of this library`,
		`$.trends[3] sources[0].title: is required`,
		`$.trends[3] sources[0].url: "ftp://x" is not an http or https address`,
		`$.trends[3] sources[0].date: "2024-13" is not a date like 2024, 2024-05 or 2024-05-17`,
	}
	if !slices.Equal(got, want) {
		t.Fatalf("problems\n got %q\nwant %q", got, want)
	}
}

// Ensures text falls back to the other language and marks the gap.
func TestTextFallback(t *testing.T) {
	tx := T("Only English", "")
	if s, gap := tx.In("sv"); s != "Only English" || !gap {
		t.Fatalf("In(sv) = %q %v", s, gap)
	}
	if s, gap := tx.In("en"); s != "Only English" || gap {
		t.Fatalf("In(en) = %q %v", s, gap)
	}
	if Slugify("Ökad polarisering & utsatthet!") != "okad-polarisering-utsatthet" {
		t.Fatal(Slugify("Ökad polarisering & utsatthet!"))
	}
}

// demandContent is sampleContent with two capability areas and demand
// links from trends a and c.
func demandContent() *Content {
	c := sampleContent()
	c.CapabilityAreas = []CapabilityArea{{Key: "data", Name: T("Data", "Data")}, {Key: "skills", Name: T("Skills", "Kompetens")}}
	c.Trends[0].Demands = []Demand{{Area: "data", Level: 3}, {Area: "skills", Level: 1}}
	c.Trends[2].Demands = []Demand{{Area: "skills", Level: 2}}
	return c
}

// Ensures a trend's demand links are checked: the area must be one of the
// library's, each at most once, with a level from 1 to 3; each problem is
// located at the area's demand.
func TestValidateDemands(t *testing.T) {
	c := demandContent()
	if ps := c.Validate(); len(ps) != 0 {
		t.Fatalf("valid demands: %v", ps)
	}
	c.Trends[1].Demands = []Demand{{Area: "data", Level: 0}, {Area: "nope", Level: 2}, {Area: "data", Level: 4}, {Area: "A B", Level: 1}}
	var got []string
	for _, p := range c.Validate() {
		got = append(got, p.Ref.JSONPath()+" "+p.Ref.Field+": "+p.Message)
	}
	want := []string{
		`$.trends[1] demands.data: must be 1 (a little), 2 (clearly) or 3 (strongly); leave the area out for no link`,
		`$.trends[1] demands.nope: "nope" is not a capability area of this library`,
		`$.trends[1] demands.data: "data" is listed twice`,
		`$.trends[1] demands.data: must be 1 (a little), 2 (clearly) or 3 (strongly); leave the area out for no link`,
		`$.trends[1] demands["A B"]: "A B" is not a capability area of this library`,
	}
	if !slices.Equal(got, want) {
		t.Fatalf("problems\n got %q\nwant %q", got, want)
	}
}

// Ensures removing a capability area from a draft drops the trends' demand
// links to it, as removing a driving force drops the trends' references,
// so the draft stays valid; and that the round form of the links follows.
func TestRemoveCapabilityAreaDropsDemands(t *testing.T) {
	c := demandContent()
	if got := fmt.Sprint(c.DemandLinks()); got != "[{a data 3} {a skills 1} {c skills 2}]" {
		t.Fatalf("links = %s", got)
	}
	if err := c.RemoveItem(KindCapabilityArea, "skills"); err != nil {
		t.Fatal(err)
	}
	if got := c.Trends[0].Demands; !slices.Equal(got, []Demand{{Area: "data", Level: 3}}) {
		t.Fatalf("trend a demands = %v", got)
	}
	if c.Trends[2].Demands != nil {
		t.Fatalf("trend c demands = %v", c.Trends[2].Demands)
	}
	if ps := c.Validate(); len(ps) != 0 {
		t.Fatalf("content invalid after removal: %v", ps)
	}
	if c.Trends[0].Demand("data") != 3 || c.Trends[0].Demand("skills") != 0 {
		t.Fatal("Demand lookup")
	}
}

// Ensures a changed demand link shows in the diff as a change of the
// trend's demands, in area key order, and that Clone copies the links.
func TestDiffDemands(t *testing.T) {
	old := demandContent()
	new := old.Clone()
	new.Trends[0].Demands[1].Level = 2
	if old.Trends[0].Demands[1].Level != 1 {
		t.Fatal("Clone shares the demand links")
	}
	new.Trends[1].Demands = []Demand{{Area: "data", Level: 1}}
	got := fmt.Sprint(Diff(old, new))
	want := fmt.Sprint([]Change{
		{Op: Changed, Kind: KindTrend, Key: "a", Name: T("A", "A"), Field: "demands", Old: "data: 3, skills: 1", New: "data: 3, skills: 2"},
		{Op: Changed, Kind: KindTrend, Key: "b", Name: T("B", "B"), Field: "demands", Old: "", New: "data: 1"},
	})
	if got != want {
		t.Fatalf("diff\n got %s\nwant %s", got, want)
	}
}
