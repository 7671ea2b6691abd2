package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const example = "../portfolio/testdata/example.json"

// Ensures 'waymark optimise' needs no database: it prints the proven
// optimum as a readable summary, the waymark.portfolio/v1 result file
// with --json, and reads standard input for "-".
func TestOptimise(t *testing.T) {
	r := runner{t: t, env: map[string]string{}}
	out := r.ok("optimise", example)
	for _, want := range []string{
		"Demo Council digital roadmap 2026–2035",
		"Horizon 2026–2035. Optimal plan: 7 initiatives with a total value of 144.5; no plan is worth more.",
		"soc (forced in)",
		"e-archive       10.00  is forced out",
		"+500 kSEK WORTH",
		"Dependencies that bind: ai-caseworker starts as soon as data-platform finishes.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	var res struct {
		Format, Kind, Status string
		Objective            float64
		Plan                 []struct{ Key string }
		Binding              []struct{ Kind string }
	}
	if err := json.Unmarshal([]byte(r.ok("optimise", "--json", "--time-limit", "30s", example)), &res); err != nil {
		t.Fatal(err)
	}
	if res.Format != "waymark.portfolio/v1" || res.Kind != "result" || res.Status != "optimal" || res.Objective != 144.5 || len(res.Plan) != 7 || len(res.Binding) == 0 {
		t.Fatalf("result %+v", res)
	}

	data, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	stdin := filepath.Join(t.TempDir(), "in.json")
	if err := os.WriteFile(stdin, data, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(stdin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	restore := os.Stdin
	os.Stdin = f
	defer func() { os.Stdin = restore }()
	if out := r.ok("optimise", "--marginals=false", "-"); !strings.Contains(out, "Optimal plan: 7 initiatives") || strings.Contains(out, "WORTH") {
		t.Fatalf("from standard input:\n%s", out)
	}
}

// Ensures a bad file prints every problem as FILE:PATH: message, changes
// nothing, and exits with status 1; an infeasible portfolio says why and
// exits with 1; a missing FILE is a usage mistake (status 2).
func TestOptimiseBadInput(t *testing.T) {
	r := runner{t: t, env: map[string]string{}}
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"format": "waymark.portfolio/v1", "horizon": {"start": 2026, "end": 2035},
		"budget": {"default": 100}, "criteria": [{"key": "c", "weight": 1}],
		"initiatives": [{"key": "a", "duration": 1}, {"key": "b", "duration": 2}, {"key": "c", "duration": 1},
		                {"key": "d", "duration": 1, "one_off_cost": -5, "depends_on": ["x"]}]}`), 0o600)
	code, out, errs := r.run("optimise", bad)
	want := bad + ":$.initiatives[3].one_off_cost: must be at least 0\n" +
		bad + ":$.initiatives[3].depends_on[0]: \"x\" is not an initiative of this portfolio\n" +
		"2 problem(s); nothing was optimised.\n"
	if code != 1 || out != "" || errs != want {
		t.Fatalf("exit %d\nstdout %q\nstderr\n%s\nwant\n%s", code, out, errs, want)
	}

	syntax := filepath.Join(dir, "syntax.json")
	os.WriteFile(syntax, []byte("{\"format\": \"waymark.portfolio/v1\",\n  \"horizon\": }"), 0o600)
	code, _, errs = r.run("optimise", "--json", syntax)
	if code != 1 || errs != syntax+":2:14: invalid JSON: invalid character '}' looking for beginning of value\n1 problem(s); nothing was optimised.\n" {
		t.Fatalf("exit %d, %q", code, errs)
	}

	code, _, errs = r.run("optimise", filepath.Join(dir, "missing.json"))
	if code != 1 || !strings.Contains(errs, "missing.json: no such file or directory") {
		t.Fatalf("missing file: exit %d, %q", code, errs)
	}

	infeasible := filepath.Join(dir, "infeasible.json")
	os.WriteFile(infeasible, []byte(`{"format": "waymark.portfolio/v1", "horizon": {"start": 2026, "end": 2027},
		"budget": {"default": 100}, "criteria": [{"key": "c", "weight": 1}],
		"initiatives": [{"key": "a", "duration": 1, "one_off_cost": 80, "latest_start": 2026, "force": "in"},
		                {"key": "b", "duration": 1, "one_off_cost": 30, "latest_start": 2026, "force": "in"}]}`), 0o600)
	code, out, _ = r.run("optimise", infeasible)
	if code != 1 || !strings.Contains(out, "No plan is possible") || !strings.Contains(out, "the budget is too small for them") {
		t.Fatalf("infeasible: exit %d\n%s", code, out)
	}

	if code, _, errs := r.run("optimise"); code != 2 || !strings.Contains(errs, "give exactly one FILE") {
		t.Fatalf("no file: exit %d, %q", code, errs)
	}
	if code, _, _ := r.run("optimise", "--time-limit", "soon", example); code != 2 {
		t.Fatalf("bad duration: exit %d", code)
	}
}
