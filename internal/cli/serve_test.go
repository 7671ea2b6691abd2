package cli_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/waymark/waymark/internal/cli"
	"github.com/waymark/waymark/internal/store/storetest"
)

// Ensures 'waymark serve --demo' migrates, sets up the demo, prints the
// address to open, answers /healthz and /readyz, and shuts down cleanly
// (exit status 0) when its context ends, as on SIGINT or SIGTERM.
func TestServe(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			dsn := storetest.DSN(t, engine)
			args := []string{"--data", filepath.Dir(dsn)}
			if engine == storetest.Postgres {
				args = []string{"--database", dsn}
			}
			args = append(args, "serve", "--addr", "127.0.0.1:0", "--demo")
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			pr, pw := io.Pipe()
			done := make(chan int, 1)
			getenv := func(k string) string {
				if k == "WAYMARK_DEMO_PASSWORD" {
					return "serve test password"
				}
				return ""
			}
			go func() {
				done <- cli.Run(ctx, args, getenv, pw, io.Discard)
				pw.Close()
			}()
			addr := regexp.MustCompile(`at (http://127\.0\.0\.1:\d+)/`)
			var base string
			sc := bufio.NewScanner(pr)
			for sc.Scan() {
				if m := addr.FindStringSubmatch(sc.Text()); m != nil {
					base = m[1]
					break
				}
			}
			go io.Copy(io.Discard, pr)
			if base == "" {
				t.Fatal("serve did not print its address")
			}
			for _, p := range []string{"/healthz", "/readyz", "/signin", "/api/v1/openapi.json", "/schemas/library-v1.json"} {
				res, err := http.Get(base + p)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					t.Errorf("GET %s: %d", p, res.StatusCode)
				}
			}
			cancel()
			select {
			case code := <-done:
				if code != 0 {
					t.Fatalf("serve exited with %d", code)
				}
			case <-time.After(15 * time.Second):
				t.Fatal("serve did not shut down")
			}
		})
	}
}
