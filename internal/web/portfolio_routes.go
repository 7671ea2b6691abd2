package web

// registerPortfolioRoutes lists the portfolio pages: settings, initiatives
// and their tracking.
func (s *Server) registerPortfolioRoutes() {
	s.handle("GET /o/{org}/portfolio/settings", Member, s.portfolioSettings)
	s.handle("POST /o/{org}/portfolio/settings", Member, s.portfolioSettingsSave)
	s.handle("GET /o/{org}/initiatives", Member, s.initiativeList)
	s.handle("GET /o/{org}/initiatives/new", Member, s.initiativeNewForm)
	s.handle("POST /o/{org}/initiatives", Member, s.initiativeCreate)
	s.handle("GET /o/{org}/initiatives/{id}", Member, s.initiativeShow)
	s.handle("GET /o/{org}/initiatives/{id}/edit", Member, s.initiativeEditForm)
	s.handle("POST /o/{org}/initiatives/{id}/edit", Member, s.initiativeSave)
	s.handle("GET /o/{org}/initiatives/{id}/delete", Member, s.initiativeDeleteForm)
	s.handle("POST /o/{org}/initiatives/{id}/delete", Member, s.initiativeDelete)
	s.handle("GET /o/{org}/initiatives/{id}/track", Member, s.initiativeTrackForm)
	s.handle("POST /o/{org}/initiatives/{id}/track", Member, s.initiativeTrack)
	s.handle("GET /o/{org}/tracking", Member, s.portfolioTracking)
}
