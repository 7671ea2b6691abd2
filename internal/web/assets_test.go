package web

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// Ensures every script under web-assets/js is served as it is written:
// internal/web/static/js holds copies that web-assets/build.sh makes, and
// an edit to the copy alone would be lost at the next build.
func TestScriptsMatchTheirSources(t *testing.T) {
	sources, err := filepath.Glob("../../web-assets/js/*.js")
	if err != nil || len(sources) == 0 {
		t.Fatalf("no scripts in web-assets/js (%v)", err)
	}
	for _, src := range sources {
		want, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join("static/js", filepath.Base(src)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("static/js/%s differs from web-assets/js/%[1]s: edit the source and run web-assets/build.sh", filepath.Base(src))
		}
	}
}
