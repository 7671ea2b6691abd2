package portfolio

import (
	"flag"
	"os"
	"testing"
)

// TestMain runs the property tests on 300 random portfolios each (rapid's
// default is 100) unless -rapid.checks says otherwise; together they stay
// within a few seconds.
func TestMain(m *testing.M) {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "rapid.checks" })
	if !given {
		flag.Set("rapid.checks", "300")
	}
	os.Exit(m.Run())
}
