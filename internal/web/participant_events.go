package web

import (
	"encoding/json"
	"net/http"

	"github.com/waymark/waymark/internal/live"
	"github.com/waymark/waymark/internal/service"
)

// events streams the workshop's participant topic to one participant's
// screen: "state" when the phase or the shown results change, "ideas" when
// ideas change, "progress" aggregates while results are shown. Nothing in
// it names or reveals another participant's answers. A fresh connection
// gets the current state first, so a phase change made between loading the
// page and connecting is not missed.
func (p *participantPages) events(w http.ResponseWriter, r *http.Request, c *call) error {
	ws, _, token, err := p.participant(r, c, r.PathValue("id"))
	if err != nil {
		return err
	}
	return live.ServeSSE(w, r, p.s.svc.Broker(), service.ParticipantTopic(ws.ID), live.SSEOptions{
		Spread: service.ParticipantStreamSpread,
		Initial: func() (live.Event, bool) {
			now, _, err := p.s.svc.Participant(r.Context(), ws.ID, token)
			if err != nil {
				return live.Event{}, false
			}
			data, err := json.Marshal(service.StateOf(now))
			if err != nil {
				return live.Event{}, false
			}
			return live.Event{Type: service.EventState, Revision: now.Revision, Data: data}, true
		},
	})
}
