package api_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/waymark/waymark/internal/store"
	"github.com/waymark/waymark/internal/store/storetest"
)

// TestAnswersFastPathSameAsOperation sends each request twice, through the
// handler with the fast path for answers and through the documented
// operation alone, and wants the same status, content type, body and stored
// answers: the fast path may only ever be quicker.
func TestAnswersFastPathSameAsOperation(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		w := e.createWorkshop(nil)
		e.phase(w.ID, "lobby")
		pt := e.join(w.Code, "staff").ParticipantToken
		other := e.createWorkshop(nil)
		e.phase(other.ID, "lobby")
		otherToken := e.join(other.Code, "staff").ParticipantToken
		e.phase(w.ID, "rating")
		t0, t1 := w.Trends[0], w.Trends[1]
		path := "/api/v1/workshops/" + w.ID + "/answers"

		slow := httptest.NewServer(e.api.HandlerWithoutFastPath())
		t.Cleanup(slow.Close)
		send := func(base, method, path, auth, contentType, body string) response {
			req, err := http.NewRequestWithContext(t.Context(), method, base+path, strings.NewReader(body))
			must(t, err)
			if auth != "" {
				req.Header.Set("Authorization", auth)
			}
			if contentType != "" {
				req.Header.Set("Content-Type", contentType)
			}
			res, err := http.DefaultClient.Do(req)
			must(t, err)
			defer res.Body.Close()
			b, err := io.ReadAll(res.Body)
			must(t, err)
			return response{status: res.StatusCode, header: res.Header, body: b}
		}
		answer := func(trend, question, value string) string {
			return `{"trend": "` + trend + `", "question": "` + question + `", "value": ` + value + `}`
		}
		good := `{"answers": [` + answer(t0, "impact", "4") + `]}`
		cases := []struct {
			name, method, path, auth, contentType, body string
			ok                                          bool // the fast path stores it
		}{
			{"one answer", "PUT", path, "Participant " + pt, "application/json", good, true},
			{"no content type", "PUT", path, "Participant " + pt, "", good, true},
			{"content type with charset", "PUT", path, "Participant " + pt, "application/json; charset=utf-8", good, true},
			{"several, don't know, keys in any order", "PUT", path, "participant " + pt, "application/json",
				`{"answers": [` + answer(t0, "direction", "-2") + `, {"value": null, "question": "horizon", "trend": "` + t1 + `"}, ` +
					answer(t1, "impact", "5") + `]}`, true},
			{"changed answer", "PUT", path, "Participant " + pt, "application/json", `{"answers": [` + answer(t0, "impact", "1") + `]}`, true},
			{"escaped key", "PUT", path, "Participant " + pt, "application/json",
				`{"answers": [{"tr\u0065nd": "` + t0 + `", "question": "certainty", "value": 3}]}`, true},
			{"missing value", "PUT", path, "Participant " + pt, "application/json", `{"answers": [{"trend": "` + t0 + `", "question": "impact"}]}`, false},
			{"key in capitals (the operation takes it)", "PUT", path, "Participant " + pt, "application/json", `{"answers": [{"Trend": "` + t0 + `", "question": "impact", "value": 2}]}`, true},
			{"extra key", "PUT", path, "Participant " + pt, "application/json", `{"answers": [{"trend": "` + t0 + `", "question": "impact", "value": 2, "x": 1}]}`, false},
			{"extra top-level key", "PUT", path, "Participant " + pt, "application/json", `{"answers": [` + answer(t0, "impact", "2") + `], "x": 1}`, false},
			{"key twice (the operation takes the last)", "PUT", path, "Participant " + pt, "application/json", `{"answers": [{"trend": "` + t0 + `", "question": "impact", "value": 2, "value": 3}]}`, true},
			{"fraction", "PUT", path, "Participant " + pt, "application/json", `{"answers": [` + answer(t0, "impact", "2.5") + `]}`, false},
			{"exponent", "PUT", path, "Participant " + pt, "application/json", `{"answers": [` + answer(t0, "impact", "2e0") + `]}`, false},
			{"string value", "PUT", path, "Participant " + pt, "application/json", `{"answers": [` + answer(t0, "impact", `"2"`) + `]}`, false},
			{"huge value", "PUT", path, "Participant " + pt, "application/json", `{"answers": [` + answer(t0, "impact", "99999999999999999999") + `]}`, false},
			{"out of range", "PUT", path, "Participant " + pt, "application/json", `{"answers": [` + answer(t0, "impact", "6") + `]}`, false},
			{"unknown trend", "PUT", path, "Participant " + pt, "application/json", `{"answers": [` + answer("nope", "impact", "2") + `]}`, false},
			{"long key", "PUT", path, "Participant " + pt, "application/json", `{"answers": [` + answer(strings.Repeat("x", 65), "impact", "2") + `]}`, false},
			{"no answers", "PUT", path, "Participant " + pt, "application/json", `{"answers": []}`, false},
			{"null answers", "PUT", path, "Participant " + pt, "application/json", `{"answers": null}`, false},
			{"not JSON", "PUT", path, "Participant " + pt, "application/json", `{"answers": [`, false},
			{"trailing data", "PUT", path, "Participant " + pt, "application/json", good + `{}`, false},
			{"text body", "PUT", path, "Participant " + pt, "text/plain", good, false},
			{"too large", "PUT", path, "Participant " + pt, "application/json",
				`{"answers": [{"trend": "` + t0 + `", "question": "impact", "value": 1, "pad": "` + strings.Repeat("x", 300<<10) + `"}]}`, false},
			{"no token", "PUT", path, "", "application/json", good, false},
			{"bearer token", "PUT", path, "Bearer " + pt, "application/json", good, false},
			{"malformed token", "PUT", path, "Participant wmp_x", "application/json", good, false},
			{"another workshop's token", "PUT", path, "Participant " + otherToken, "application/json", good, false},
			{"unknown workshop", "PUT", "/api/v1/workshops/nope/answers", "Participant " + pt, "application/json", good, false},
			{"trailing slash", "PUT", path + "/", "Participant " + pt, "application/json", good, false},
			{"with a query", "PUT", path + "?x=1", "Participant " + pt, "application/json", good, true},
			{"POST", "POST", path, "Participant " + pt, "application/json", good, false},
		}
		for _, c := range cases {
			before := e.countAnswers(w.ID)
			fast := send(e.srv.URL, c.method, c.path, c.auth, c.contentType, c.body)
			after := e.countAnswers(w.ID)
			ref := send(slow.URL, c.method, c.path, c.auth, c.contentType, c.body)
			if fast.status != ref.status || fast.header.Get("Content-Type") != ref.header.Get("Content-Type") ||
				!bytes.Equal(bytes.TrimSpace(fast.body), bytes.TrimSpace(ref.body)) {
				t.Errorf("%s: fast path %d %s %s\noperation %d %s %s", c.name,
					fast.status, fast.header.Get("Content-Type"), fast.body, ref.status, ref.header.Get("Content-Type"), ref.body)
			}
			if a, b := headerNames(fast.header), headerNames(ref.header); a != b {
				t.Errorf("%s: fast path headers %s; operation %s", c.name, a, b)
			}
			if n := e.countAnswers(w.ID); n != after {
				t.Errorf("%s: the operation stored %d answers after the fast path stored %d", c.name, n, after)
			}
			if stored := fast.status == http.StatusOK; stored != c.ok {
				t.Errorf("%s: stored = %v, want %v (%d %s)", c.name, stored, c.ok, fast.status, fast.body)
			}
			if fast.status != http.StatusOK && after != before {
				t.Errorf("%s: a refused request changed the answers (%d → %d)", c.name, before, after)
			}
		}
	})
}

// headerNames lists a response's header names and values, leaving out
// those that differ between any two responses (Date, X-Request-Id).
func headerNames(h http.Header) string {
	var out []string
	for k, vs := range h {
		if k == "Date" || k == "X-Request-Id" {
			continue
		}
		out = append(out, k+": "+strings.Join(vs, ", "))
	}
	slices.Sort(out)
	return strings.Join(out, "; ")
}
