package api

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/live"
	"github.com/waymark/waymark/internal/service"
)

var presenterProgressEvent = streamEvent{service.EventProgress, "New aggregates: participants by group, completed " +
	"trends, the distribution of every question, the fields of tension. Many answers in a short time are " +
	"coalesced into one event.", Progress{}}

func (a *API) registerWorkshopEvents() {
	o := op{
		id: "workshop-presenter-events", method: http.MethodGet, path: "/workshops/{id}/presenter/events", tag: tagWorkshops, orgScoped: true,
		summary: "Follow a workshop live as its presenter (Server-Sent Events)",
		description: "Streams the workshop's presenter topic as Server-Sent Events, for the big screen and the " +
			"facilitator: state when the phase or the shown results change (a fresh connection gets the current " +
			"state first), progress with new aggregates, ideas when the ideas change. Reconnect with Last-Event-ID " +
			"to resume without a gap. Every member may follow it.",
		errors: []int{http.StatusNotFound},
	}.operation()
	o.Responses = a.eventStreamResponses("The presenter stream of the workshop.", stateEvent, presenterProgressEvent, ideasEvent, resetEvent)
	huma.Register(a.huma, o, a.workshopEvents)
}

func (a *API) workshopEvents(ctx context.Context, in *eventStreamInput) (*eventStreamOutput, error) {
	act := actor(ctx)
	w, err := a.workshop(ctx, act, in.ID)
	if err != nil {
		return nil, a.problem(ctx, err)
	}
	return a.stream(service.PresenterTopic(w.ID), 0, func(ctx context.Context) (live.Event, bool) {
		now, err := a.workshop(ctx, act, w.ID)
		if err != nil {
			return live.Event{}, false
		}
		return stateEventOf(now)
	}), nil
}

// stateEventOf is the state event of a workshop now, sent first on a fresh
// connection.
func stateEventOf(w *domain.Workshop) (live.Event, bool) {
	data, err := json.Marshal(service.StateOf(w))
	if err != nil {
		return live.Event{}, false
	}
	return live.Event{Type: service.EventState, Revision: w.Revision, Data: data}, true
}
