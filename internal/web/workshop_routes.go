package web

// registerWorkshopRoutes lists the facilitator's workshop pages and actions.
func (s *Server) registerWorkshopRoutes() {
	s.handle("GET /o/{org}/workshops", Member, s.workshopList)
	s.handle("GET /o/{org}/workshops/new", Member, s.workshopNewForm)
	s.handle("POST /o/{org}/workshops", Member, s.workshopCreate)
	s.handle("GET /o/{org}/workshops/{id}", Member, s.workshopRun)
	s.handle("GET /o/{org}/workshops/{id}/edit", Member, s.workshopEditForm)
	s.handle("POST /o/{org}/workshops/{id}/edit", Member, s.workshopSave)
	s.handle("POST /o/{org}/workshops/{id}/phase", Member, s.workshopPhase)
	s.handle("POST /o/{org}/workshops/{id}/results", Member, s.workshopResults)
	s.handle("POST /o/{org}/workshops/{id}/duplicate", Member, s.workshopDuplicate)
	s.handle("POST /o/{org}/workshops/{id}/delete", Member, s.workshopDelete)
	s.handle("POST /o/{org}/workshops/{id}/ideas/{idea}/hidden", Member, s.workshopIdeaHidden)
	s.handle("GET /o/{org}/workshops/{id}/present", Member, s.workshopPresent)
	s.handle("GET /o/{org}/workshops/{id}/events", Member, s.workshopEvents)
}
