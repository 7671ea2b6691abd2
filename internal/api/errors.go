package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/httperr"
)

// problem turns an error from the service into the problem document the
// client gets. domain.Problems become a 422 with one detail per problem;
// domain errors keep their message; anything else is logged with the
// request id and answered with a generic 500 that never shows the error.
func (a *API) problem(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	var ps domain.Problems
	if errors.As(err, &ps) && len(ps) > 0 {
		return problemsError(ps, "nothing was changed")
	}
	code := domain.ErrorCode(err)
	st := httperr.Status(code)
	if st == http.StatusInternalServerError {
		id := requestID(ctx)
		a.log.ErrorContext(ctx, "api: internal error", "request_id", id, "err", err)
		return huma.NewError(st, internalMessage(id))
	}
	se := huma.NewError(st, domain.ErrorMessage(err))
	if st == http.StatusUnauthorized {
		return huma.ErrorWithHeaders(se, http.Header{"WWW-Authenticate": {`Bearer realm="waymark"`}})
	}
	return se
}

// problemsError is the 422 for input problems: the detail says how many
// there are and what happened ("nothing was stored"), and each problem is
// an error detail whose location reads FILE:WHERE FIELD, such as
// "body:12 category" or "body:$.trends[3] title.en".
func problemsError(ps domain.Problems, outcome string) huma.StatusError {
	n := len(ps)
	detail := fmt.Sprintf("There is 1 problem; %s.", outcome)
	if n != 1 {
		detail = fmt.Sprintf("There are %d problems; %s.", n, outcome)
	}
	details := make([]error, n)
	for i, p := range ps {
		details[i] = &huma.ErrorDetail{Location: location(p), Message: p.Message}
	}
	return huma.NewError(http.StatusUnprocessableEntity, detail, details...)
}

// location formats where a problem is: FILE:WHERE FIELD, leaving out the
// parts that are empty.
func location(p domain.Problem) string {
	s := p.File
	if p.Where != "" {
		if s != "" {
			s += ":"
		}
		s += p.Where
	}
	if p.Field != "" {
		if s != "" {
			s += " "
		}
		s += p.Field
	}
	return s
}

func internalMessage(requestID string) string {
	return fmt.Sprintf("Something went wrong on our side. If it keeps happening, report it and quote request id %s.", requestID)
}

// transformError rewrites the messages of the errors huma writes itself
// (body too large, parameter validation) so they read like Waymark's own.
func (a *API) transformError(ctx huma.Context, _ string, v any) (any, error) {
	em, ok := v.(*huma.ErrorModel)
	if !ok {
		return v, nil
	}
	switch {
	case em.Status == http.StatusRequestEntityTooLarge:
		limit := ctx.Operation().MaxBodyBytes - 1
		if limit >= fileBodyLimit-1 {
			em.Detail = fmt.Sprintf("The file is larger than the %d MiB limit; nothing was stored.", limit>>20)
		} else {
			em.Detail = fmt.Sprintf("The request body is larger than the %d-byte limit of this operation.", limit)
		}
	case em.Status == http.StatusBadRequest && em.Detail == "request body is required":
		em.Detail = "The request body is empty: send the file as the body of the request."
	case em.Detail == "validation failed":
		for _, d := range em.Errors {
			namePresentProperty(d)
		}
		if n := len(em.Errors); n == 1 {
			em.Detail = "There is 1 problem with the request."
		} else {
			em.Detail = fmt.Sprintf("There are %d problems with the request.", n)
		}
	case em.Status == http.StatusInternalServerError && !strings.Contains(em.Detail, "request id"):
		// An error huma produced itself (for example a body it could not
		// read): never show its details.
		id := requestID(ctx.Context())
		a.log.ErrorContext(ctx.Context(), "api: internal error", "request_id", id, "detail", em.Detail, "errors", fmt.Sprint(em.Errors))
		em.Detail, em.Errors = internalMessage(id), nil
	}
	return em, nil
}

// writeProblem writes a problem document without huma, for panics.
func writeProblem(w http.ResponseWriter, st int, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(st)
	json.NewEncoder(w).Encode(&huma.ErrorModel{Title: http.StatusText(st), Status: st, Detail: detail})
}

// bodyProblem is problem for the operations whose input is a JSON body
// (and path parameters): domain.Problems become a 422 whose locations read
// like huma's own validation errors, "body.answers[3].value" — the
// problem's Where and Field joined by dots under "body". rename maps a
// problem's Field to the name the API uses for it; a name that starts with
// "path." or "query." is taken as the whole location (the service's
// "tension" is the path parameter "path.key"). outcome says what happened,
// e.g. "nothing was saved".
func (a *API) bodyProblem(ctx context.Context, err error, outcome string, rename map[string]string) error {
	var ps domain.Problems
	if !errors.As(err, &ps) || len(ps) == 0 {
		return a.problem(ctx, err)
	}
	n := len(ps)
	detail := fmt.Sprintf("There is 1 problem; %s.", outcome)
	if n != 1 {
		detail = fmt.Sprintf("There are %d problems; %s.", n, outcome)
	}
	details := make([]error, n)
	for i, p := range ps {
		details[i] = &huma.ErrorDetail{Location: bodyLocation(p, rename), Message: p.Message}
	}
	return huma.NewError(http.StatusUnprocessableEntity, detail, details...)
}

// bodyLocation is where in the request a problem is; see bodyProblem.
func bodyLocation(p domain.Problem, rename map[string]string) string {
	field := p.Field
	if r, ok := rename[field]; ok {
		if strings.HasPrefix(r, "path.") || strings.HasPrefix(r, "query.") {
			return r
		}
		field = r
	}
	loc := "body"
	for _, part := range []string{p.Where, field} {
		if part != "" {
			loc += "." + part
		}
	}
	return loc
}

// asProblems reports whether err holds domain.Problems, and sets *ps to a
// copy of them that may be changed.
func asProblems(err error, ps *domain.Problems) bool {
	var found domain.Problems
	if !errors.As(err, &found) || len(found) == 0 {
		return false
	}
	*ps = append(domain.Problems(nil), found...)
	return true
}

// namePresentProperty points an error about a missing property at the
// property itself: huma reports "expected required property value to be
// present" at the object (body.answers[3]); Waymark's locations name the
// field (body.answers[3].value), as the service's own problems do.
func namePresentProperty(d *huma.ErrorDetail) {
	const pre, post = "expected required property ", " to be present"
	if d == nil || !strings.HasPrefix(d.Message, pre) || !strings.HasSuffix(d.Message, post) {
		return
	}
	name := strings.TrimSuffix(strings.TrimPrefix(d.Message, pre), post)
	if name == "" || strings.ContainsAny(name, " .[]") {
		return
	}
	d.Location += "." + name
	d.Message = "is required"
}
