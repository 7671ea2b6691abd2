package e2e

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/waymark/waymark/internal/apptest"
)

// Ensures the checks the journeys rely on can fail: axe-core reports a page
// with known WCAG defects under the chosen tags, formatted with rule, impact,
// help and each failing element, and the sideways-scrolling check catches a
// page wider than 320 px. Without this a broken injection would pass every
// page silently.
func TestAuditFindsDefects(t *testing.T) {
	t.Parallel()
	b := apptest.SharedBrowser(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		// Strict like Waymark's own policy, so axe must run under it.
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'")
		w.Write([]byte(`<!DOCTYPE html><html><head><title>Bad</title></head><body>
<main><img src="x.png"><input type="text" id="nolabel">
<div id="wide" hidden></div>
</main></body></html>`))
	}))
	t.Cleanup(srv.Close)
	p := b.NewPage(t, srv.URL)
	p.Go("/")
	vs, err := p.Axe()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, v := range vs {
		ids[v.ID] = true
	}
	for _, want := range []string{"html-has-lang", "image-alt", "label"} {
		if !ids[want] {
			t.Errorf("axe did not report %s; got %v", want, ids)
		}
	}
	text := apptest.FormatViolations(vs)
	for _, want := range []string{"image-alt (critical): Images must have alternative text", "- img", "#nolabel"} {
		if !strings.Contains(text, want) {
			t.Errorf("formatted violations lack %q:\n%s", want, text)
		}
	}

	p.SetViewport(320, 600)
	if _, wide := p.HorizontalOverflow(); wide {
		t.Fatal("a narrow page reported as scrolling sideways")
	}
	p.Eval(`(() => { const el = document.getElementById('wide'); el.hidden = false; el.style.width = '500px'; el.style.height = '10px'; })()`, nil)
	o, wide := p.HorizontalOverflow()
	if !wide || o.InnerWidth != 320 || len(o.Culprits) == 0 || !strings.HasPrefix(o.Culprits[0], "div#wide") {
		t.Errorf("a 500 px element at 320 px: overflow %+v, wide %v; want reported with div#wide", o, wide)
	}
}
