package web

// registerScenarioRoutes lists the scenario pages: scenarios, the
// optimiser's plan, the comparison of two scenarios and the roadmap.
// Every member reads them and downloads the roadmap; the service lets
// owners and facilitators create, change and delete scenarios, and owners,
// facilitators and analysts optimise them.
func (s *Server) registerScenarioRoutes() {
	s.handle("GET /o/{org}/scenarios", Member, s.scenarioList)
	s.handle("POST /o/{org}/scenarios", Member, s.scenarioCreate)
	s.handle("GET /o/{org}/scenarios/compare", Member, s.scenarioCompare)
	s.handle("GET /o/{org}/scenarios/{id}", Member, s.scenarioShow)
	s.handle("POST /o/{org}/scenarios/{id}/edit", Member, s.scenarioSave)
	s.handle("POST /o/{org}/scenarios/{id}/optimise", Member, s.scenarioOptimise)
	s.handle("POST /o/{org}/scenarios/{id}/delete", Member, s.scenarioDelete)
	s.handle("GET /o/{org}/scenarios/{id}/roadmap", Member, s.scenarioRoadmap)
	s.handle("GET /o/{org}/scenarios/{id}/roadmap.xlsx", Member, s.scenarioRoadmapXLSX)
	s.handle("GET /o/{org}/scenarios/{id}/roadmap.csv", Member, s.scenarioRoadmapCSV)
}
