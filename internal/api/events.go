package api

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/waymark/waymark/internal/live"
	"github.com/waymark/waymark/internal/service"
)

// The live streams are Server-Sent Events. They are registered with huma
// like every operation — so that authentication, the path parameters, the
// errors before the stream starts and the OpenAPI document work as for the
// others — and the stream itself is served by live.ServeSSE on the
// underlying http.ResponseWriter (huma.StreamResponse-style body callback).

// eventStreamInput is the input of both streams.
type eventStreamInput struct {
	ID          string `path:"id" maxLength:"64" doc:"The workshop's id."`
	LastEventID string `header:"Last-Event-ID" maxLength:"20" doc:"The id of the last event received, sent by EventSource when it reconnects: the stream resumes after it with no gap, or sends a reset event when those events are no longer kept."`
	LastEventQ  string `query:"lastEventId" maxLength:"20" doc:"The same as Last-Event-ID, for clients that cannot set headers."`
}

type eventStreamOutput struct {
	Body func(huma.Context)
}

// IdeasChanged is the data of an "ideas" event: the ideas, their upvotes or
// their dots changed; fetch the list again.
type IdeasChanged struct{}

// StreamReset is the data of a "reset" event: the events after the client's
// Last-Event-ID are no longer kept; reload everything, then follow on.
type StreamReset struct {
	Reset bool `json:"reset" doc:"Always true."`
}

// streamEvent documents one kind of event of a stream.
type streamEvent struct {
	name, description string
	data              any
}

var (
	stateEvent = streamEvent{service.EventState, "The workshop's phase or shown results changed; a fresh " +
		"connection gets the current state first.", LiveState{}}
	ideasEvent = streamEvent{service.EventIdeas, "The ideas, their upvotes or their dots changed: fetch the list " +
		"again.", IdeasChanged{}}
	resetEvent = streamEvent{live.TypeReset, "The events after Last-Event-ID are no longer kept: reload " +
		"everything, then follow on.", StreamReset{}}
)

// eventStreamResponses documents a stream's 200 response: text/event-stream,
// each event one of events with its data's schema.
func (a *API) eventStreamResponses(description string, events ...streamEvent) map[string]*huma.Response {
	reg := a.huma.OpenAPI().Components.Schemas
	var kinds []*huma.Schema
	for _, ev := range events {
		t := reflect.TypeOf(ev.data)
		kinds = append(kinds, &huma.Schema{
			Title:       "Event " + ev.name,
			Description: ev.description,
			Type:        huma.TypeObject,
			Properties: map[string]*huma.Schema{
				"id":    {Type: huma.TypeInteger, Description: "The event's id: send the last one seen as Last-Event-ID to resume."},
				"event": {Type: huma.TypeString, Enum: []any{ev.name}, Description: "The event's type."},
				"data":  reg.Schema(t, true, t.Name()),
			},
			Required: []string{"id", "event", "data"},
		})
	}
	return map[string]*huma.Response{
		"200": {
			Description: description,
			Content: map[string]*huma.MediaType{
				"text/event-stream": {Schema: &huma.Schema{
					Title: "Server-Sent Events",
					Description: "A stream of events in the text/event-stream format (one \"id:\", \"event:\" and " +
						"\"data:\" line each, the data being JSON), with a comment line as heartbeat every 15 s. " +
						"Each item is one possible event.",
					Type:  huma.TypeArray,
					Items: &huma.Schema{OneOf: kinds},
				}},
			},
		},
	}
}

// stream answers with the topic as Server-Sent Events. initial, when set,
// gives the event a fresh connection gets first; spread is the stream's
// live.SSEOptions.Spread.
func (a *API) stream(topic string, spread time.Duration, initial func(ctx context.Context) (live.Event, bool)) *eventStreamOutput {
	return &eventStreamOutput{Body: func(hctx huma.Context) {
		r, w := humago.Unwrap(hctx)
		r = r.WithContext(hctx.Context())
		opts := live.SSEOptions{Spread: spread}
		if initial != nil {
			opts.Initial = func() (live.Event, bool) { return initial(r.Context()) }
		}
		err := live.ServeSSE(w, r, a.svc.Broker(), topic, opts)
		if err == nil {
			return
		}
		// Nothing has been written: answer with a problem document.
		if errors.Is(err, live.ErrClosed) {
			hctx.SetHeader("Retry-After", "2")
			huma.WriteErr(a.huma, hctx, http.StatusServiceUnavailable, "Live updates are not available now, as the server is stopping; try again in a moment.")
			return
		}
		id := requestID(r.Context())
		a.log.ErrorContext(r.Context(), "api: event stream", "request_id", id, "topic", topic, "err", err)
		huma.WriteErr(a.huma, hctx, http.StatusInternalServerError, internalMessage(id))
	}}
}
