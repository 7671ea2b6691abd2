package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/waymark/waymark/internal/live"
	"github.com/waymark/waymark/internal/service"
)

var participantProgressEvent = streamEvent{service.EventProgress, "New aggregates, only while the facilitator " +
	"shows results: the same object as the presenter's, never anyone's own answers.", Progress{}}

func (a *API) registerParticipantEvents() {
	o := op{
		id: "workshop-events", method: http.MethodGet, path: "/workshops/{id}/events", tag: tagParticipation, auth: authParticipant,
		summary: "Follow the workshop live (Server-Sent Events)",
		description: "Streams the workshop to a participant's screen as Server-Sent Events: state when the " +
			"facilitator moves the phase or shows or hides results (a fresh connection gets the current state " +
			"first), ideas when the ideas change, and progress with the aggregates while results are shown. " +
			"Nothing in it reveals another participant's answers. Heartbeat comments keep it open; reconnect " +
			"with Last-Event-ID (EventSource does) to resume without a gap.",
		errors: []int{http.StatusNotFound},
	}.operation()
	o.Responses = a.eventStreamResponses("The participant stream of the workshop.", stateEvent, ideasEvent, participantProgressEvent, resetEvent)
	huma.Register(a.huma, o, a.participantEvents)
}

func (a *API) participantEvents(ctx context.Context, _ *eventStreamInput) (*eventStreamOutput, error) {
	pc := participant(ctx)
	id, token := pc.workshop.ID, pc.token
	return a.stream(service.ParticipantTopic(id), service.ParticipantStreamSpread, func(ctx context.Context) (live.Event, bool) {
		now, _, err := a.svc.Participant(ctx, id, token)
		if err != nil {
			return live.Event{}, false
		}
		return stateEventOf(now)
	}), nil
}
