// Package e2e holds Waymark's browser tests: the main journeys driven in
// headless Chromium through the whole application on SQLite, with every page
// visited checked by axe-core (WCAG 2.2 AA rules) at 320 px and 1280 px wide
// and for sideways scrolling at 320 px.
//
// Run them with `go test ./internal/e2e/`. Chromium comes from
// WAYMARK_TEST_CHROMIUM or PATH; without it the tests skip, or fail when
// WAYMARK_TEST_REQUIRE is "all" or names "chromium" (as in CI). The helpers
// live in internal/apptest (browser.go).
package e2e
