package api

import "net/http"

// HandlerWithoutFastPath is Handler without the fast path for answers:
// every request goes through the documented operations.
func (a *API) HandlerWithoutFastPath() http.Handler { return a.wrap(a.mux) }
