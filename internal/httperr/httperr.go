// Package httperr maps Waymark's domain error codes to HTTP statuses: the
// one place where that mapping lives, shared by the web pages and the API.
package httperr

import (
	"net/http"

	"github.com/waymark/waymark/internal/domain"
)

// Status returns the HTTP status for a domain error code; any other code,
// including EINTERNAL, is 500.
func Status(code string) int {
	switch code {
	case domain.ENOTFOUND:
		return http.StatusNotFound
	case domain.EFORBIDDEN:
		return http.StatusForbidden
	case domain.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case domain.EINVALID:
		return http.StatusUnprocessableEntity
	case domain.ECONFLICT:
		return http.StatusConflict
	case domain.ETOOMANY:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// StatusOf returns the HTTP status for err (see Status).
func StatusOf(err error) int { return Status(domain.ErrorCode(err)) }
