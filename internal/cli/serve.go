package cli

import (
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/waymark/waymark/internal/app"
)

func runServe(e *env, args []string) error {
	fs := e.newFlags("serve", "serve [--addr 127.0.0.1:8080] [--demo]")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	demo := fs.Bool("demo", false, "set up the demo organisation first (as 'waymark demo')")
	baseURL := fs.String("base-url", e.getenv("WAYMARK_BASE_URL"), "address people open, e.g. https://waymark.example.org (env WAYMARK_BASE_URL)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	start := time.Now()
	m, err := app.Open(e.ctx, app.Config{DataDir: e.global.data, DatabaseURL: e.global.database, BaseURL: *baseURL, Log: e.logger()})
	if err != nil {
		return err
	}
	defer m.Close()
	if *demo {
		if err := demoSetup(e, m); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	url := *baseURL
	if url == "" {
		url = "http://" + displayAddr(ln.Addr().String())
	}
	fmt.Fprintf(e.stdout, "Waymark is running on %s (%s) at %s/ — ready in %d ms. Press Ctrl+C to stop.\n",
		m.DB.Dialect(), dbWhere(m), strings.TrimSuffix(url, "/"), time.Since(start).Milliseconds())
	return m.Serve(e.ctx, ln)
}

// displayAddr turns a listen address into one a browser can open.
func displayAddr(a string) string {
	host, port, err := net.SplitHostPort(a)
	if err != nil {
		return a
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

func dbWhere(m *app.Main) string {
	if m.DB.Dialect() == "sqlite" {
		return m.Config.DSN()
	}
	return "PostgreSQL"
}
