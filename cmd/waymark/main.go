// Command waymark runs Waymark: the web server and the command-line tools.
// See 'waymark -h' and the README.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/waymark/waymark/internal/cli"
)

func main() {
	// Waymark's live heap is small (tens of MB) and its requests are short:
	// collecting garbage less often (GOGC 400 instead of 100) keeps pauses
	// out of answer latency at little memory cost. GOGC in the environment
	// still wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
