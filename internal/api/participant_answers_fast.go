package api

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/waymark/waymark/internal/service"
	"github.com/waymark/waymark/internal/workshop"
)

// The answers operation is the hot path of a live workshop: every tap on a
// phone is one PUT. Huma's generic machinery (decoding the body into a map
// to validate it against the schema, then again into the struct; the
// operation's middleware chain) costs several times what storing the answer
// does, so answersFast serves the common case — a participant's
// well-formed batch that the service accepts — by itself, and hands every
// other request to the documented operation (save-answers), which then
// answers exactly as it always does: errors are written in one place only.
// A batch the service refuses has stored nothing, and storing answers is
// idempotent, so handing a request on after trying it is always safe.

// answersPath matches /api/v1/workshops/{id}/answers and returns the id.
func answersPath(p string) (string, bool) {
	rest, ok := strings.CutPrefix(p, Prefix+"/workshops/")
	if !ok {
		return "", false
	}
	id, ok := strings.CutSuffix(rest, "/answers")
	if !ok || id == "" || len(id) > maxIDLen || strings.Contains(id, "/") {
		return "", false
	}
	return id, true
}

// answerBodies keeps the buffers answer bodies are read into.
var answerBodies = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// answersFast wraps next (the operations' mux) with the fast path for
// PUT /api/v1/workshops/{id}/answers.
func (a *API) answersFast(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := answersPath(r.URL.Path)
		if !ok || r.Method != http.MethodPut || r.URL.RawQuery != "" {
			next.ServeHTTP(w, r)
			return
		}
		secret, ok := schemeToken(r.Header.Get("Authorization"), "Participant")
		if !ok || !workshop.ValidToken(secret) || r.ContentLength > answersBodyLimit ||
			!isJSON(r.Header.Get("Content-Type")) {
			next.ServeHTTP(w, r)
			return
		}
		buf := answerBodies.Get().(*bytes.Buffer)
		buf.Reset()
		defer func() {
			if buf.Cap() <= 64<<10 {
				answerBodies.Put(buf)
			}
		}()
		_, err := buf.ReadFrom(io.LimitReader(r.Body, answersBodyLimit+1))
		if err != nil || buf.Len() > answersBodyLimit {
			r.Body = readAgain(buf.Bytes(), r.Body)
			next.ServeHTTP(w, r)
			return
		}
		answers, ok := parseAnswers(buf.Bytes())
		if ok {
			ctx := r.Context()
			ws, p, err := a.svc.Participant(ctx, id, secret)
			ok = err == nil && a.svc.SubmitAnswers(ctx, ws, p, answers) == nil
		}
		if !ok {
			r.Body = readAgain(buf.Bytes(), http.NoBody)
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		w.Write(strconv.AppendInt(append(buf.Bytes()[:0], `{"saved":`...), int64(len(answers)), 10))
		w.Write([]byte("}\n"))
	})
}

// isJSON reports whether a Content-Type is one huma reads as JSON (none
// given counts as JSON).
func isJSON(ct string) bool {
	if ct == "" {
		return true
	}
	mt, _, _ := strings.Cut(ct, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	return mt == "application/json"
}

// readAgain returns a body that yields read and then the rest of body,
// for the operation that takes over a request.
func readAgain(read []byte, rest io.ReadCloser) io.ReadCloser {
	return struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(bytes.Clone(read)), rest), rest}
}

// parseAnswers reads {"answers": [{"trend": …, "question": …, "value": …}]}
// when it is plainly what the operation's schema allows: every answer has
// the three keys, strings of at most 64 bytes and an integer or null value;
// 1 to MaxAnswerBatch answers; no other key and nothing after the object.
// It reports false for anything else, which the operation then explains.
func parseAnswers(body []byte) ([]service.AnswerInput, bool) {
	var in struct {
		Answers []struct {
			Trend    *string         `json:"trend"`
			Question *string         `json:"question"`
			Value    json.RawMessage `json:"value"`
		} `json:"answers"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if dec.Decode(&in) != nil || dec.Decode(&struct{}{}) != io.EOF {
		return nil, false
	}
	if len(in.Answers) == 0 || len(in.Answers) > service.MaxAnswerBatch {
		return nil, false
	}
	out := make([]service.AnswerInput, len(in.Answers))
	for i, a := range in.Answers {
		if a.Trend == nil || a.Question == nil || a.Value == nil || len(*a.Trend) > 64 || len(*a.Question) > 64 {
			return nil, false
		}
		out[i] = service.AnswerInput{Trend: *a.Trend, Question: *a.Question}
		if string(a.Value) != "null" {
			v, err := strconv.Atoi(string(a.Value))
			if err != nil {
				return nil, false
			}
			out[i].Value = &v
		}
	}
	return out, true
}
