package domain

// Actor is who makes a request: a signed-in member acting in one
// organisation, an API token's owner, or the command line (UserID "" and the
// owner role). Services check the role; stores filter by OrgID.
type Actor struct {
	UserID string
	OrgID  string
	Role   Role
}

// System returns the actor for the command line and start-up tasks in an
// organisation: it may do what an owner may.
func System(orgID string) Actor { return Actor{OrgID: orgID, Role: Owner} }
