package web

// registerResultsRoutes lists a workshop's results page and the
// facilitator's pins and exclusions. Every member may read the results;
// the service lets only owners and facilitators decide.
func (s *Server) registerResultsRoutes() {
	s.handle("GET /o/{org}/workshops/{id}/results", Member, s.resultsShow)
	s.handle("POST /o/{org}/workshops/{id}/results/decisions", Member, s.resultsDecide)
	s.handle("GET /o/{org}/workshops/{id}/report", Member, s.resultsReport)
	s.registerResultsFiles()
}
