package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/store"
)

// MustOrg creates an organisation with the given slug (and a name made from
// it) or fails tb.
func MustOrg(tb testing.TB, db *store.DB, slug string) *domain.Organisation {
	tb.Helper()
	o := &domain.Organisation{Slug: slug, Name: "Org " + slug, Type: domain.Municipality, Country: "SE", SizeBand: domain.SizeMedium}
	if err := db.CreateOrg(context.Background(), o); err != nil {
		tb.Fatalf("create organisation %s: %v", slug, err)
	}
	return o
}

// MustUser creates a user with the given email address (display name from
// it) or fails tb.
func MustUser(tb testing.TB, db *store.DB, email string) *domain.User {
	tb.Helper()
	u := &domain.User{Email: email, DisplayName: "User " + email, PasswordHash: "$argon2id$test", Language: "sv"}
	if err := db.CreateUser(context.Background(), u); err != nil {
		tb.Fatalf("create user %s: %v", email, err)
	}
	return u
}

// MustMember gives the user the role in the organisation or fails tb.
func MustMember(tb testing.TB, db *store.DB, orgID, userID string, role domain.Role) *domain.Membership {
	tb.Helper()
	m := &domain.Membership{OrgID: orgID, UserID: userID, Role: role}
	if err := db.SetMembership(context.Background(), m); err != nil {
		tb.Fatalf("set membership: %v", err)
	}
	return m
}

// MustLibrary creates a library owned by orgID with content as a published
// version 1, or fails tb.
func MustLibrary(tb testing.TB, db *store.DB, orgID string, content *domain.Content) (*domain.Library, *domain.VersionInfo) {
	tb.Helper()
	lib := &domain.Library{OrgID: orgID}
	v, err := db.CreateLibrary(context.Background(), lib, content, domain.Published, "test")
	if err != nil {
		tb.Fatalf("create library: %v", err)
	}
	return lib, v
}

// RichContent returns library content that uses every field of every kind
// of item, in both languages, with characters that are easy to mangle:
// å ä ö, quotes, a backslash, new lines, an emoji, markup and SQL. The second
// trend leaves every list empty (nil) and a translation out.
func RichContent() *domain.Content {
	return &domain.Content{
		Name:        domain.T("Municipal trends to 2030", "Kommunala trender mot 2030"),
		Description: domain.T("Trends for \"local\" services.\nSecond line.", "Trender för lokala välfärdstjänster – åäö ÅÄÖ."),
		Attribution: domain.Attribution{SourceOrganisation: "Sveriges Kommuner och Regioner", URL: "https://example.org/källa?a=1&b=2", Licence: "CC BY 4.0"},
		Horizons: []domain.Horizon{
			{Key: "now", Name: domain.T("Now", "Nu")},
			{Key: "within-5-years", Name: domain.T("Within 5 years", "Inom 5 år")},
			{Key: "later", Name: domain.T("", "Senare")},
		},
		DrivingForces: []domain.DrivingForce{
			{Key: "demography", Name: domain.T("Demography", "Demografi"), Description: domain.T("An ageing population.", "En åldrande befolkning.")},
			{Key: "climate", Name: domain.T("Climate", "Klimat"), Description: domain.T("", "Klimatförändringar påverkar välfärden.")},
			{Key: "technology", Name: domain.T("Technology", "Teknik")},
		},
		Tensions: []domain.Tension{
			{Key: "local-vs-national", Name: domain.T("Local or national", "Lokalt eller nationellt"),
				PoleA: domain.T("Local autonomy", "Kommunalt självstyre"), PoleB: domain.T("Equal services", "Likvärdig service"),
				Description: domain.T("Who decides?", "Vem bestämmer?")},
			{Key: "speed-vs-safety", Name: domain.T("Speed or safety", "Tempo eller säkerhet"),
				PoleA: domain.T("Move fast", "Snabbt"), PoleB: domain.T("Be careful", "Försiktigt")},
		},
		Trends: []domain.Trend{
			{
				Key:           "ageing-population",
				Title:         domain.T("Ageing population", "Åldrande befolkning"),
				Summary:       domain.T("More older people, fewer of working age.", "Fler äldre, färre i arbetsför ålder."),
				Description:   domain.T("Line one.\nLine two with 'quotes' and \"double quotes\" and a \\ backslash.", "Rad ett.\r\nRad två: <b>fet</b> & 🙂; DROP TABLE trends; --"),
				Category:      domain.Societal,
				DrivingForces: []string{"demography", "climate"},
				Horizon:       "within-5-years",
				Indicators:    []domain.Text{domain.T("Share over 80", "Andel över 80 år"), domain.T("Dependency ratio", "")},
				Sources: []domain.Source{
					{Title: "SCB befolkningsprognos", URL: "https://www.scb.se/", Date: "2024-05"},
					{Title: "Undated report"},
				},
				Questions: []domain.Text{domain.T("What does this mean for home care?", "Vad innebär det för hemtjänsten?")},
				Tags:      []string{"welfare", "välfärd"},
				IsNew:     true,
				Movement:  "moved in",
				Demands:   []domain.Demand{{Area: "data", Level: 2}, {Area: "leadership", Level: 3}},
			},
			{
				Key:      "sv-only",
				Title:    domain.T("", "Bara på svenska"),
				Category: domain.Digital,
			},
			{
				Key:           "ai-in-casework",
				Title:         domain.T("AI in casework", "AI i handläggning"),
				Summary:       domain.T("Automated decisions.", "Automatiserade beslut."),
				Category:      domain.Technology,
				DrivingForces: []string{"technology"},
				Horizon:       "now",
				Sources:       []domain.Source{{Title: "Förvaltningslagen", Date: "2017"}},
				Tags:          []string{"ai"},
				Movement:      "no change",
				Demands:       []domain.Demand{{Area: "data", Level: 3}},
			},
		},
		CapabilityAreas: []domain.CapabilityArea{
			{
				Key: "data", Name: domain.T("Data", "Data"), Description: domain.T("Using data well.", "Att använda data väl."),
				Levels: [5]domain.Text{
					domain.T("Ad hoc", "Ad hoc"), domain.T("Repeatable", "Upprepbar"), domain.T("Defined", "Definierad"),
					domain.T("Managed", "Styrd"), domain.T("Optimising", "Optimerande"),
				},
			},
			{
				Key: "leadership", Name: domain.T("Leadership", "Ledarskap"),
				Levels: [5]domain.Text{2: domain.T("", "Bara nivå 3")},
			},
		},
	}
}

// LargeContent returns valid content with n trends, each with lists (every
// third with a demand link), and a few items of every other kind.
func LargeContent(n int) *domain.Content {
	c := &domain.Content{
		Name:          domain.T(fmt.Sprintf("Large library of %d trends", n), fmt.Sprintf("Stort bibliotek med %d trender", n)),
		Description:   domain.T("Generated for tests and benchmarks.", "Genererat för tester och mätningar."),
		Horizons:      domain.DefaultHorizons(),
		DrivingForces: make([]domain.DrivingForce, 5),
		Tensions:      make([]domain.Tension, 3),
	}
	for i := range c.DrivingForces {
		c.DrivingForces[i] = domain.DrivingForce{Key: fmt.Sprintf("force-%d", i), Name: domain.T(fmt.Sprintf("Force %d", i), fmt.Sprintf("Kraft %d", i))}
	}
	for i := range c.Tensions {
		c.Tensions[i] = domain.Tension{Key: fmt.Sprintf("tension-%d", i), Name: domain.T("Tension", "Spänning"),
			PoleA: domain.T("A", "A"), PoleB: domain.T("B", "B")}
	}
	cats := domain.Categories
	for i := range n {
		var demands []domain.Demand
		if i%3 == 0 {
			demands = []domain.Demand{{Area: "area", Level: i%domain.DemandMax + 1}}
		}
		c.Trends = append(c.Trends, domain.Trend{
			Key:           fmt.Sprintf("trend-%04d", i),
			Title:         domain.T(fmt.Sprintf("Trend %d", i), fmt.Sprintf("Trend %d på svenska", i)),
			Summary:       domain.T("A short summary of the trend.", "En kort sammanfattning av trenden."),
			Description:   domain.T("A description of several sentences. It says what changes. It says why it matters.", "En beskrivning i flera meningar. Den säger vad som förändras. Den säger varför det spelar roll."),
			Category:      cats[i%len(cats)],
			DrivingForces: []string{fmt.Sprintf("force-%d", i%5)},
			Horizon:       c.Horizons[i%len(c.Horizons)].Key,
			Indicators:    []domain.Text{domain.T("An indicator", "En indikator")},
			Sources:       []domain.Source{{Title: "A source", URL: "https://example.org/", Date: "2024"}},
			Questions:     []domain.Text{domain.T("A question?", "En fråga?")},
			Tags:          []string{"tag"},
			IsNew:         i%2 == 0,
			Demands:       demands,
		})
	}
	c.CapabilityAreas = []domain.CapabilityArea{{Key: "area", Name: domain.T("Area", "Område")}}
	return c
}
