package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/waymark/waymark/internal/cli"
	"github.com/waymark/waymark/internal/store/storetest"
)

// runner runs the command line against one database.
type runner struct {
	t      *testing.T
	global []string
	env    map[string]string
}

func (r runner) run(args ...string) (code int, stdout, stderr string) {
	r.t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string { return r.env[k] }
	code = cli.Run(context.Background(), append(append([]string{}, r.global...), args...), getenv, &out, &errb)
	return code, out.String(), errb.String()
}

func (r runner) ok(args ...string) string {
	r.t.Helper()
	code, out, errs := r.run(args...)
	if code != 0 {
		r.t.Fatalf("waymark %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

// eachEngine runs fn with a runner on a fresh SQLite data folder and on a
// fresh PostgreSQL database.
func eachEngine(t *testing.T, fn func(t *testing.T, r runner)) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			dsn := storetest.DSN(t, engine)
			r := runner{t: t, env: map[string]string{}}
			if engine == storetest.SQLite {
				r.global = []string{"--data", filepath.Dir(dsn)}
			} else {
				r.global = []string{"--database", dsn}
			}
			fn(t, r)
		})
	}
}

// Ensures the demo command is idempotent: the organisation, its owner and
// the three starter libraries are there once, however often it runs, and
// the password comes from WAYMARK_DEMO_PASSWORD.
func TestDemo(t *testing.T) {
	eachEngine(t, func(t *testing.T, r runner) {
		out := r.ok("demo")
		if !strings.Contains(out, "Sign in as demo@example.org with password ") {
			t.Fatalf("first demo run did not print a password:\n%s", out)
		}
		r.env["WAYMARK_DEMO_PASSWORD"] = "a chosen demo password"
		r.ok("demo")
		r.ok("demo")
		var libs []map[string]any
		if err := json.Unmarshal([]byte(r.ok("library", "list", "--org", "demo", "--json")), &libs); err != nil {
			t.Fatal(err)
		}
		if len(libs) != 3 {
			t.Fatalf("%d libraries after three demo runs, want 3", len(libs))
		}
		for _, l := range libs {
			for _, k := range []string{"id", "name", "version", "trends"} {
				if _, ok := l[k]; !ok {
					t.Errorf("library list entry lacks %q: %v", k, l)
				}
			}
			if l["trends"].(float64) < 10 {
				t.Errorf("%v has %v trends", l["name"], l["trends"])
			}
		}
	})
}

// Ensures organisations, users and tokens can be made from the command
// line, with usage errors for missing flags and clear messages for bad
// values.
func TestOrgUserToken(t *testing.T) {
	eachEngine(t, func(t *testing.T, r runner) {
		r.ok("org", "create", "--slug", "north", "--name", "North Council", "--type", "municipality", "--country", "se")
		if code, _, errs := r.run("org", "create", "--slug", "north", "--name", "Again"); code != 1 || !strings.Contains(errs, `slug: "north" is already taken`) {
			t.Fatalf("duplicate slug: exit %d, %s", code, errs)
		}
		if code, _, errs := r.run("org", "create", "--name", "No slug"); code != 2 || !strings.Contains(errs, "--slug is required") {
			t.Fatalf("missing slug: exit %d, %s", code, errs)
		}
		if code, _, errs := r.run("org", "create", "--slug", "x", "--name", "X", "--type", "castle"); code != 1 || !strings.Contains(errs, "type: must be one of") {
			t.Fatalf("bad type: exit %d, %s", code, errs)
		}
		out := r.ok("user", "create", "--email", "Ada@North.example", "--org", "north", "--role", "owner")
		if !strings.Contains(out, "Password: ") {
			t.Fatalf("no generated password:\n%s", out)
		}
		if code, _, errs := r.run("user", "create", "--email", "b@north.example", "--org", "north", "--role", "king"); code != 1 || !strings.Contains(errs, "role") {
			t.Fatalf("bad role: exit %d, %s", code, errs)
		}
		if code, _, errs := r.run("user", "create", "--email", "c@north.example", "--org", "south", "--role", "viewer"); code != 1 || !strings.Contains(errs, `no organisation with slug "south"`) {
			t.Fatalf("unknown org: exit %d, %s", code, errs)
		}
		token := strings.TrimSpace(r.ok("token", "create", "--org", "north", "--email", "ada@north.example", "--name", "ci"))
		if !strings.HasPrefix(token, "wm_") || len(token) < 40 {
			t.Fatalf("token %q", token)
		}
		if code, _, errs := r.run("token", "create", "--org", "north", "--email", "nobody@north.example"); code != 1 || !strings.Contains(errs, "no user") {
			t.Fatalf("token for unknown user: exit %d, %s", code, errs)
		}
		list := r.ok("token", "list", "--org", "north", "--email", "ada@north.example")
		id := strings.Fields(strings.Split(list, "\n")[1])[0]
		if !strings.Contains(list, "ci") || !strings.Contains(list, "active") {
			t.Fatalf("token list:\n%s", list)
		}
		r.ok("token", "revoke", id, "--org", "north", "--email", "ada@north.example")
		if list := r.ok("token", "list", "--org", "north", "--email", "ada@north.example"); !strings.Contains(list, "revoked") {
			t.Fatalf("token not revoked:\n%s", list)
		}
		if code, _, errs := r.run("token", "revoke", "no-such-token", "--org", "north", "--email", "ada@north.example"); code != 1 || !strings.Contains(errs, "has no token") {
			t.Fatalf("revoke unknown token: exit %d, %s", code, errs)
		}
	})
}

// Ensures import checks the whole file, prints every problem as
// FILE:ROW: field: message, exits non-zero and stores nothing; that a good
// file is imported; and that exports in every format import again to the
// same library.
func TestLibraryImportExport(t *testing.T) {
	eachEngine(t, func(t *testing.T, r runner) {
		dir := t.TempDir()
		r.ok("org", "create", "--slug", "north", "--name", "North Council")
		bad := filepath.Join(dir, "bad.csv")
		os.WriteFile(bad, []byte("key,category,title_en,title_sv\nai,technology,AI,AI\nai,digital,Again,Igen\nclimate,weather,Climate,Klimat\n"), 0o644)
		code, out, errs := r.run("library", "import", bad, "--org", "north")
		if code == 0 || out != "" {
			t.Fatalf("bad import: exit %d, stdout %q", code, out)
		}
		for _, want := range []string{bad + ":3: key: ", bad + ":4: category: "} {
			if !strings.Contains(errs, want) {
				t.Errorf("problem output lacks %q:\n%s", want, errs)
			}
		}
		if list := r.ok("library", "list", "--org", "north", "--json"); strings.TrimSpace(list) != "[]" {
			t.Fatalf("a failed import stored something: %s", list)
		}
		good := filepath.Join(dir, "north-trends.csv")
		os.WriteFile(good, []byte("key,category,title_en,title_sv\nai,technology,AI at work,AI i arbetet\nageing,societal,Ageing,Åldrande\n"), 0o644)
		var res struct {
			ID     string `json:"id"`
			Trends int    `json:"trends"`
		}
		if err := json.Unmarshal([]byte(r.ok("library", "import", good, "--org", "north", "--json")), &res); err != nil || res.Trends != 2 || res.ID == "" {
			t.Fatalf("good import: %+v %v", res, err)
		}
		for _, f := range []string{"json", "csv", "radar"} {
			file := filepath.Join(dir, "export."+f)
			r.ok("library", "export", res.ID, "--format", f, "-o", file)
			id := strings.TrimSpace(r.ok("library", "import", file, "--org", "north"))
			again := r.ok("library", "export", id, "--format", f)
			first, _ := os.ReadFile(file)
			if again != string(first) {
				t.Errorf("%s: export → import → export changed the file", f)
			}
		}
		if code, _, errs := r.run("library", "export", "no-such-id"); code != 1 || !strings.Contains(errs, "no library") {
			t.Fatalf("unknown id: exit %d, %s", code, errs)
		}
	})
}

// Ensures the usage text lists every command and unknown commands fail
// with status 2.
func TestUsage(t *testing.T) {
	r := runner{t: t, global: []string{"--data", t.TempDir()}}
	code, _, errs := r.run("frobnicate")
	if code != 2 || !strings.Contains(errs, `unknown command "frobnicate"`) {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, c := range []string{"serve", "migrate", "demo", "org", "user", "token", "library", "version"} {
		if !strings.Contains(errs, "  "+c+" ") {
			t.Errorf("usage lacks %s", c)
		}
	}
	if out := r.ok("version"); !strings.HasPrefix(out, "waymark ") {
		t.Fatalf("version: %q", out)
	}
}
