package apptest

import (
	"fmt"

	"github.com/waymark/waymark/internal/domain"
)

// GeneratedContent returns a valid library of n trends with every field
// filled at realistic lengths, in both languages: ten driving forces, the
// default horizons, five fields of tension, five capability areas, and per
// trend a summary, a description of several sentences, indicators, a
// source, a question and tags. Benchmarks use it.
func GeneratedContent(n int) *domain.Content {
	c := &domain.Content{
		Name:        domain.T("Generated library", "Genererat bibliotek"),
		Description: domain.T("A generated library for benchmarks.", "Ett genererat bibliotek för mätningar."),
		Attribution: domain.Attribution{SourceOrganisation: "Waymark", URL: "https://example.org/waymark", Licence: "CC BY 4.0"},
		Horizons:    domain.DefaultHorizons(),
	}
	for i := range 10 {
		c.DrivingForces = append(c.DrivingForces, domain.DrivingForce{
			Key: fmt.Sprintf("force-%d", i), Name: domain.T(fmt.Sprintf("Force %d", i), fmt.Sprintf("Kraft %d", i)),
			Description: domain.T("A broad area of change that shapes local public services.", "Ett brett förändringsområde som formar den lokala offentliga sektorn."),
		})
	}
	for i := range 5 {
		c.Tensions = append(c.Tensions, domain.Tension{Key: fmt.Sprintf("tension-%d", i),
			Name:  domain.T(fmt.Sprintf("Tension %d", i), fmt.Sprintf("Spänning %d", i)),
			PoleA: domain.T("Local autonomy", "Lokalt självstyre"), PoleB: domain.T("National steering", "Nationell styrning")})
		a := domain.CapabilityArea{Key: fmt.Sprintf("area-%d", i), Name: domain.T(fmt.Sprintf("Area %d", i), fmt.Sprintf("Område %d", i))}
		for l := range a.Levels {
			a.Levels[l] = domain.T(fmt.Sprintf("Level %d descriptor", l+1), fmt.Sprintf("Beskrivning av nivå %d", l+1))
		}
		c.CapabilityAreas = append(c.CapabilityAreas, a)
	}
	long := "Local public services face economic, social and technological pressure at once. " +
		"This trend describes one direction of change, with evidence from several sources. " +
		"Organisations that prepare early can turn it into an opportunity for residents."
	longSV := "Den lokala offentliga sektorn möter ekonomiskt, socialt och tekniskt tryck samtidigt. " +
		"Den här trenden beskriver en förändringsriktning med stöd i flera källor. " +
		"Organisationer som förbereder sig tidigt kan göra den till en möjlighet för invånarna."
	for i := range n {
		c.Trends = append(c.Trends, domain.Trend{
			Key:           fmt.Sprintf("trend-%04d", i),
			Title:         domain.T(fmt.Sprintf("Trend number %d changes services", i), fmt.Sprintf("Trend nummer %d förändrar verksamheten", i)),
			Summary:       domain.T("A short summary of the trend in one sentence.", "En kort sammanfattning av trenden i en mening."),
			Description:   domain.T(long+"\n\n"+long, longSV+"\n\n"+longSV),
			Category:      domain.Categories[i%3],
			DrivingForces: []string{fmt.Sprintf("force-%d", i%10), fmt.Sprintf("force-%d", (i+3)%10)},
			Horizon:       domain.DefaultHorizons()[i%4].Key,
			Indicators:    []domain.Text{domain.T("Share of residents affected", "Andel invånare som berörs"), domain.T("Cost per year", "Kostnad per år")},
			Sources:       []domain.Source{{Title: "A report on the trend", URL: fmt.Sprintf("https://example.org/report/%d", i), Date: "2024-05"}},
			Questions:     []domain.Text{domain.T("What does this mean for us?", "Vad betyder det för oss?")},
			Tags:          []string{"benchmark", fmt.Sprintf("tag-%d", i%20)},
		})
	}
	return c
}
