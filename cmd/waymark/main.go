// Command waymark runs Waymark: the web server and the command-line tools.
// See 'waymark -h' and the README.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/waymark/waymark/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
