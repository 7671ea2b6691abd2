package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/danielgtaylor/huma/v2"

	"github.com/waymark/waymark/internal/domain"
)

// TestErrorMapping ensures each domain error code maps to its HTTP status
// with the error's own message, that problems become one 422 detail each
// with a FILE:WHERE FIELD location, and that any other error becomes a
// generic 500 that does not show it.
func TestErrorMapping(t *testing.T) {
	a := &API{log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	ctx := context.WithValue(context.Background(), requestIDKey, "req123")
	for code, want := range map[string]int{
		domain.ENOTFOUND: 404, domain.EFORBIDDEN: 403, domain.EUNAUTHORIZED: 401, domain.EINVALID: 422,
		domain.ECONFLICT: 409, domain.ETOOMANY: 429, domain.EINTERNAL: 500,
	} {
		err := fmt.Errorf("wrapped: %w", domain.Errorf(code, "Message for %s.", code))
		var se huma.StatusError
		if !errors.As(a.problem(ctx, err), &se) || se.GetStatus() != want {
			t.Errorf("%s: got %v, want status %d", code, se, want)
			continue
		}
		if want != 500 && se.Error() != "Message for "+code+"." {
			t.Errorf("%s: message %q", code, se.Error())
		}
	}

	var se huma.StatusError
	errors.As(a.problem(ctx, errors.New("pq: syntax error at SELECT")), &se)
	if se.GetStatus() != http.StatusInternalServerError || se.Error() != internalMessage("req123") {
		t.Errorf("internal error shown as %d %q", se.GetStatus(), se.Error())
	}

	ps := domain.Problems{
		{File: "body", Where: "12", Field: "category", Message: "is unknown"},
		{File: "body", Where: "$.trends[3]", Field: "title.en", Message: "is empty"},
		{File: "body", Message: "file is empty"},
		{Field: "visibility", Message: "must be public or private"},
	}
	errors.As(a.problem(ctx, fmt.Errorf("import: %w", ps)), &se)
	em := se.(*huma.ErrorModel)
	if em.Status != 422 || em.Detail != "There are 4 problems; nothing was changed." || len(em.Errors) != 4 {
		t.Fatalf("problems = %+v", em)
	}
	for i, want := range []string{"body:12 category", "body:$.trends[3] title.en", "body", "visibility"} {
		if em.Errors[i].Location != want || em.Errors[i].Message != ps[i].Message {
			t.Errorf("problem %d = %+v, want location %q", i, em.Errors[i], want)
		}
	}
}
