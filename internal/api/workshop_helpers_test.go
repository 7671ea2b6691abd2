package api_test

import (
	"bufio"
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/waymark/waymark/internal/api"
)

// Helpers of the workshop and participant tests.

// tensionStarter is the starter library with fields of tension.
const tensionStarter = "local-services-2035"

// merged returns the entries of both maps.
func merged(a, b map[string]string) map[string]string {
	out := maps.Clone(a)
	maps.Copy(out, b)
	return out
}

// starterVersion returns the id of the published version of org A's copy
// of the starter library with the key.
func (e *env) starterVersion(key string) string {
	e.t.Helper()
	libs, err := e.svc.Store().Libraries(e.t.Context(), e.orgA.ID)
	must(e.t, err)
	for _, l := range libs {
		if l.StarterKey == key && l.Published != nil {
			return l.Published.ID
		}
	}
	e.t.Fatalf("org A has no published %s", key)
	return ""
}

// jsonBody marshals v, or returns it as is when it is already bytes.
func jsonBody(t *testing.T, v any) []byte {
	t.Helper()
	if b, ok := v.([]byte); ok {
		return b
	}
	if s, ok := v.(string); ok {
		return []byte(s)
	}
	b, err := json.Marshal(v)
	must(t, err)
	return b
}

// member sends a JSON request with a personal token.
func (e *env) member(method, path, token string, body any) response {
	e.t.Helper()
	if body == nil {
		return e.do(method, path, token, nil, "")
	}
	return e.do(method, path, token, jsonBody(e.t, body), "application/json")
}

// as sends a JSON request with a participant token.
func (e *env) as(ptoken, method, path string, body any) response {
	e.t.Helper()
	auth := ""
	if ptoken != "" {
		auth = "Participant " + ptoken
	}
	if body == nil {
		return e.doAuth(method, path, auth, nil, "")
	}
	return e.doAuth(method, path, auth, jsonBody(e.t, body), "application/json")
}

// createWorkshop creates a workshop through the API as A's facilitator with
// the settings (title and version_id added when missing).
func (e *env) createWorkshop(settings map[string]any) api.Workshop {
	e.t.Helper()
	if settings == nil {
		settings = map[string]any{}
	}
	if _, ok := settings["title"]; !ok {
		settings["title"] = "Trends 2035"
	}
	if _, ok := settings["version_id"]; !ok {
		settings["version_id"] = e.starterVersion(tensionStarter)
	}
	r := e.member(http.MethodPost, "/api/v1/workshops", e.aFacilitator, settings)
	want(e.t, r, http.StatusCreated, "create workshop")
	var w api.Workshop
	r.json(e.t, &w)
	return w
}

// phase moves A's workshop through the API as its facilitator.
func (e *env) phase(id, phase string) api.Workshop {
	e.t.Helper()
	r := e.member(http.MethodPost, "/api/v1/workshops/"+id+"/phase", e.aFacilitator, map[string]string{"phase": phase})
	want(e.t, r, http.StatusOK, "move to "+phase)
	var w api.Workshop
	r.json(e.t, &w)
	if w.Phase != phase {
		e.t.Fatalf("phase = %s after moving to %s", w.Phase, phase)
	}
	return w
}

// join joins a workshop by its code through the API and returns the answer.
func (e *env) join(code, group string) api.Joined {
	e.t.Helper()
	r := e.member(http.MethodPost, "/api/v1/join", "", map[string]string{"code": code, "group": group})
	want(e.t, r, http.StatusCreated, "join")
	var j api.Joined
	r.json(e.t, &j)
	return j
}

// lobbyWorkshop returns a workshop of A with the defaults, in the lobby,
// and the token of a participant who joined it.
func (e *env) lobbyWorkshop() (api.Workshop, string) {
	e.t.Helper()
	w := e.createWorkshop(nil)
	w = e.phase(w.ID, "lobby")
	return w, e.join(w.Code, "staff").ParticipantToken
}

// workshopWithIdea returns a workshop of A in the consequences phase with
// one idea, and the idea's id.
func (e *env) workshopWithIdea() (api.Workshop, string) {
	e.t.Helper()
	w, p := e.lobbyWorkshop()
	e.phase(w.ID, "consequences")
	r := e.as(p, http.MethodPost, "/api/v1/workshops/"+w.ID+"/ideas", map[string]string{"trend": w.Trends[0], "text": "An idea"})
	want(e.t, r, http.StatusCreated, "add idea")
	var idea api.Idea
	r.json(e.t, &idea)
	r = e.get("/api/v1/workshops/"+w.ID, e.aViewer)
	r.json(e.t, &w)
	return w, idea.ID
}

// moderatedIdeas lists a workshop's ideas as A's viewer.
func (e *env) moderatedIdeas(id string) []api.ModeratedIdea {
	e.t.Helper()
	r := e.get("/api/v1/workshops/"+id+"/moderation/ideas", e.aViewer)
	want(e.t, r, http.StatusOK, "moderated ideas")
	var out struct{ Ideas []api.ModeratedIdea }
	r.json(e.t, &out)
	return out.Ideas
}

// sseEvent is one Server-Sent Event as received.
type sseEvent struct {
	ID   uint64
	Type string
	Data string
}

// sseStream is an open event stream.
type sseStream struct {
	t      *testing.T
	res    *http.Response
	events chan sseEvent
	cancel context.CancelFunc
}

// openStream opens an event stream with the Authorization header and,
// when lastID is not 0, Last-Event-ID. It fails the test unless the answer
// is 200 text/event-stream. The stream closes when the test ends.
func (e *env) openStream(path, authorization string, lastID uint64) *sseStream {
	e.t.Helper()
	ctx, cancel := context.WithCancel(e.t.Context())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.srv.URL+path, nil)
	must(e.t, err)
	req.Header.Set("Authorization", authorization)
	if lastID != 0 {
		req.Header.Set("Last-Event-ID", strconv.FormatUint(lastID, 10))
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		cancel()
		e.t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		res.Body.Close()
		cancel()
		e.t.Fatalf("GET %s: status %d, Content-Type %q", path, res.StatusCode, res.Header.Get("Content-Type"))
	}
	s := &sseStream{t: e.t, res: res, events: make(chan sseEvent, 100), cancel: cancel}
	e.t.Cleanup(s.close)
	go s.read()
	return s
}

func (s *sseStream) close() {
	s.cancel()
	s.res.Body.Close()
}

// read parses the stream into events until it ends.
func (s *sseStream) read() {
	defer close(s.events)
	sc := bufio.NewScanner(s.res.Body)
	var ev sseEvent
	var data []string
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if ev.Type != "" || len(data) > 0 {
				ev.Data = strings.Join(data, "\n")
				s.events <- ev
			}
			ev, data = sseEvent{}, nil
		case strings.HasPrefix(line, ":"):
		case strings.HasPrefix(line, "id: "):
			ev.ID, _ = strconv.ParseUint(strings.TrimPrefix(line, "id: "), 10, 64)
		case strings.HasPrefix(line, "event: "):
			ev.Type = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			data = append(data, strings.TrimPrefix(line, "data: "))
		}
	}
}

// next returns the next event of the type, skipping others, or fails the
// test after the timeout.
func (s *sseStream) next(typ string, timeout time.Duration) sseEvent {
	s.t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case ev, ok := <-s.events:
			if !ok {
				s.t.Fatalf("the stream ended while waiting for a %s event", typ)
			}
			if ev.Type == typ {
				return ev
			}
		case <-deadline:
			s.t.Fatalf("no %s event within %v", typ, timeout)
		}
	}
}

// nextState returns the next state event's data.
func (s *sseStream) nextState(timeout time.Duration) (sseEvent, api.LiveState) {
	s.t.Helper()
	ev := s.next("state", timeout)
	var st api.LiveState
	if err := json.Unmarshal([]byte(ev.Data), &st); err != nil {
		s.t.Fatalf("state event data %q: %v", ev.Data, err)
	}
	return ev, st
}

// until returns the first state event for which ok is true, skipping
// others, or fails the test after the timeout.
func (s *sseStream) until(ok func(api.LiveState) bool, timeout time.Duration) api.LiveState {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		_, st := s.nextState(time.Until(deadline))
		if ok(st) {
			return st
		}
	}
}

// progressUntil returns the first progress event for which ok is true,
// skipping others (aggregates are coalesced, so an event may reflect an
// earlier moment), or fails the test after the timeout.
func (s *sseStream) progressUntil(ok func(api.Progress) bool, timeout time.Duration) api.Progress {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ev := s.next("progress", time.Until(deadline))
		var p api.Progress
		if err := json.Unmarshal([]byte(ev.Data), &p); err != nil {
			s.t.Fatalf("progress event data %q: %v", ev.Data, err)
		}
		if ok(p) {
			return p
		}
	}
}
