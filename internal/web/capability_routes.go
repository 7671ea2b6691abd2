package web

// registerCapabilityRoutes lists the capability assessment pages: rounds,
// the assessment form, the capability profile, gaps by trend and demand
// links. Every member reads them; the service lets owners and facilitators
// manage rounds and demand links, and owners, facilitators and analysts
// record their own assessments.
func (s *Server) registerCapabilityRoutes() {
	s.handle("GET /o/{org}/capabilities", Member, s.capabilityList)
	s.handle("POST /o/{org}/capabilities", Member, s.capabilityCreate)
	s.handle("GET /o/{org}/capabilities/{id}", Member, s.capabilityShow)
	s.handle("POST /o/{org}/capabilities/{id}/assessment", Member, s.capabilityAssess)
	s.handle("POST /o/{org}/capabilities/{id}/assessment/withdraw", Member, s.capabilityWithdraw)
	s.handle("GET /o/{org}/capabilities/{id}/demand", Member, s.capabilityDemandForm)
	s.handle("POST /o/{org}/capabilities/{id}/demand", Member, s.capabilityDemandSave)
	s.handle("GET /o/{org}/capabilities/{id}/edit", Member, s.capabilityEditForm)
	s.handle("POST /o/{org}/capabilities/{id}/edit", Member, s.capabilityEditSave)
	s.handle("POST /o/{org}/capabilities/{id}/delete", Member, s.capabilityDelete)
}
