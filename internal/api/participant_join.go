package api

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/waymark/waymark/internal/domain"
)

// JoinRequest joins a workshop.
type JoinRequest struct {
	Code        string `json:"code" maxLength:"64" doc:"The workshop's join code, as typed: any case, with or without separators." example:"ABCD-EFGH"`
	Group       string `json:"group" maxLength:"64" doc:"The key of the participant group to join in; the workshop's groups are listed on its join page and returned here." example:"staff"`
	DisplayName string `json:"display_name,omitempty" maxLength:"200" doc:"Required in named workshops (anonymous false), at most 60 characters; ignored in anonymous ones."`
}

// Joined is a new participant of a workshop.
type Joined struct {
	ParticipantToken string              `json:"participant_token" doc:"The participant's secret token, shown only now: send it as Authorization: Participant wmp_… to the participant operations of this workshop, and keep it to resume later." example:"wmp_…"`
	Group            string              `json:"group" doc:"The group joined."`
	DisplayName      string              `json:"display_name,omitempty" doc:"The display name, in named workshops."`
	Workshop         ParticipantWorkshop `json:"workshop" doc:"The workshop to take part in."`
}

type joinInput struct {
	Body JoinRequest
}

type joinOutput struct {
	Location string `header:"Location" doc:"The participant's state in the workshop."`
	Body     Joined
}

func (a *API) registerParticipantJoin() {
	huma.Register(a.huma, op{
		id: "join-workshop", method: http.MethodPost, path: "/join", tag: tagParticipation, auth: authNone,
		summary: "Join a workshop with its code",
		description: "Joins the workshop whose code is given, in a group, without an account, and returns a " +
			"participant token (shown once) with everything needed to take part: questions, trends and fields of " +
			"tension in English and Swedish. An unknown code answers 404; a workshop that is not open for joining " +
			"(a draft, or closed) 409; an unknown group or a missing display name 422. A client address that sends " +
			"20 wrong codes within a minute gets 429, with Retry-After, whatever it sends next, until its " +
			"allowance refills (20 a minute). No account, email, IP address or user agent is stored.",
		status:  http.StatusCreated,
		errors:  []int{http.StatusNotFound, http.StatusConflict, http.StatusTooManyRequests},
		maxBody: smallBodyLimit,
	}.operation(), a.participantJoin)
}

func (a *API) participantJoin(ctx context.Context, in *joinInput) (*joinOutput, error) {
	addr, now := clientAddr(ctx), time.Now()
	if blocked, wait := a.joins.Blocked(addr, now); blocked {
		secs := max(1, int(math.Ceil(wait.Seconds())))
		return nil, huma.ErrorWithHeaders(huma.NewError(http.StatusTooManyRequests,
			"Too many wrong codes from your address. Try again in "+strconv.Itoa(secs)+" seconds."),
			http.Header{"Retry-After": {strconv.Itoa(secs)}})
	}
	secret, w, p, err := a.svc.Join(ctx, in.Body.Code, in.Body.Group, in.Body.DisplayName)
	if domain.IsNotFound(err) {
		a.joins.Bad(addr, now)
	}
	if err != nil {
		return nil, a.bodyProblem(ctx, err, "you have not joined", nil)
	}
	v, err := a.svc.WorkshopContent(ctx, w)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	return &joinOutput{
		Location: workshopLocation(w.ID) + "/state",
		Body: Joined{ParticipantToken: secret, Group: p.Group, DisplayName: p.DisplayName,
			Workshop: participantWorkshop(w, v)},
	}, nil
}

// clientAddr returns the client address the API's wrapper put in the
// context (see ratelimit.ClientAddress).
func clientAddr(ctx context.Context) string {
	s, _ := ctx.Value(clientAddrKey).(string)
	return s
}
