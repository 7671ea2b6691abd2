package library_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/waymark/waymark/internal/library"
)

// hostile returns inputs just under the size limit that make every row a
// problem, or make every key collide, to catch work that grows faster than
// the file.
func hostile() map[string]struct {
	f    library.Format
	data string
} {
	fill := func(head, row string) string {
		var b strings.Builder
		b.WriteString(head)
		for b.Len()+len(row)+100 < library.MaxFileSize {
			b.WriteString(row)
		}
		return b.String()
	}
	var sameSlug strings.Builder
	sameSlug.WriteString("name,ring,quadrant,isNew,description\n")
	for i := 0; sameSlug.Len() < library.MaxFileSize-100; i++ {
		fmt.Fprintf(&sameSlug, "a%s,r,q,,\n", strings.Repeat("!", i%50+1)+fmt.Sprint(i%7))
	}
	var fields strings.Builder
	fields.WriteString(`{"format": "waymark.library/v1", "name": {"en": "L"}`)
	for i := 0; fields.Len() < library.MaxFileSize-100; i++ {
		fmt.Fprintf(&fields, `, "f%d": 1`, i)
	}
	fields.WriteString("}")
	return map[string]struct {
		f    library.Format
		data string
	}{
		"bare quotes":           {library.FormatCSV, fill("category,title_en\n", "digital,a\"b\n")},
		"duplicate keys":        {library.FormatCSV, fill("key,category,title_en\n", "a,digital,A\n")},
		"duplicate titles":      {library.FormatCSV, fill("category,title_en\n", "digital,A\n")},
		"radar same key":        {library.FormatRadar, sameSlug.String()},
		"json unknown fields":   {library.FormatJSON, fields.String()},
		"json duplicate trends": {library.FormatJSON, `{"format": "waymark.library/v1", "name": {"en": "L"}, "trends": [` + strings.TrimSuffix(fill("", `{"key": "a", "title": {"en": "A"}, "category": "digital"},`), ",") + "]}"},
		"json many demands":     {library.FormatJSON, `{"format": "waymark.library/v1", "name": {"en": "L"}, "trends": [{"key": "a", "title": {"en": "A"}, "category": "digital", "demands": {` + strings.TrimSuffix(fill("", `"a": 4,`), ",") + "}}]}"},
		"json tiny values":      {library.FormatJSON, `{"format": "waymark.library/v1", "name": {"en": "L"}, "tags": [` + fill("", "0,") + "0]}"},
	}
}

// Ensures the largest hostile files are read in time that grows with the
// file, not faster: each must take well under the limit a quadratic step
// would blow through.
func TestHostileInputsAreLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	for name, in := range hostile() {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		_, ps := library.Parse("h", []byte(in.data), in.f, library.ParseOptions{})
		d := time.Since(start)
		runtime.ReadMemStats(&after)
		t.Logf("%s: %d bytes, %d problems, %v, %d MB allocated", name, len(in.data), len(ps), d, (after.TotalAlloc-before.TotalAlloc)>>20)
		if len(ps) == 0 {
			t.Errorf("%s: no problems", name)
		}
		if d > 10*time.Second {
			t.Errorf("%s took %v", name, d)
		}
	}
}
