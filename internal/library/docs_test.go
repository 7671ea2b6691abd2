package library_test

import (
	"bytes"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/waymark/waymark/internal/library"
)

// Ensures the examples in docs/formats.md are true: each input followed by
// "gives:" produces exactly the problems shown, and the sample files shown
// are the ones the export writes.
func TestDocsExamples(t *testing.T) {
	doc, err := os.ReadFile("../../docs/formats.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```(\\w*)\\n(.*?)```\\n\\n([^`]*)").FindAllSubmatch(doc, -1)
	checked := 0
	for i, b := range blocks {
		input, after := b[2], string(b[3])
		if !strings.HasSuffix(strings.TrimSpace(after), "gives:") || i+1 >= len(blocks) {
			continue
		}
		want := strings.Split(strings.TrimSpace(string(blocks[i+1][2])), "\n")
		file, _, _ := strings.Cut(want[0], ":")
		f, err := library.Detect(file, input)
		if err != nil {
			t.Fatal(err)
		}
		_, ps := library.Parse(file, input, f, library.ParseOptions{})
		if got := problemStrings(ps); !slices.Equal(got, want) {
			t.Errorf("docs example %d (%s):\n got %s\nwant %s", i, file, strings.Join(got, "\n     "), strings.Join(want, "\n     "))
		}
		if f == library.FormatJSON {
			_, ps := library.Parse(file, input[:200], f, library.ParseOptions{})
			if line := ps[0].String(); !bytes.Contains(doc, []byte("\n"+line+"\n")) {
				t.Errorf("docs do not show the truncated example as %q", line)
			}
		}
		checked++
	}
	if checked != 3 {
		t.Errorf("checked %d examples; want 3", checked)
	}
	for _, name := range []string{"sample.csv", "sample.radar.csv"} {
		sample := strings.TrimPrefix(string(readTestdata(t, name)), "\xef\xbb\xbf")
		if !bytes.Contains(doc, []byte("```csv\n"+sample+"```")) {
			t.Errorf("docs/formats.md does not show %s as the export writes it", name)
		}
	}
}
