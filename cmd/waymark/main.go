// Command waymark runs Waymark: the web server and the command-line tools.
// See 'waymark -h' and the README.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime"
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
	// Two schedulers more than processors: the SQLite writer spends much of
	// each commit in system calls (writes, fsync), and when one returns
	// while every scheduler runs request handlers it waits its turn behind
	// them, and so does every answer of its batch. With a spare scheduler it
	// goes on at once (waymark loadtest on 2 processors: about 1.4 times the
	// answers a second; docs/benchmarks.md). GOMAXPROCS in the environment
	// still wins.
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(runtime.GOMAXPROCS(0) + 2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
