// Package cli is Waymark's command line: one file per subcommand, all
// wired through app.Open. Run is the whole program apart from signals, so
// tests call it directly.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"

	"github.com/waymark/waymark/internal/app"
	"github.com/waymark/waymark/internal/domain"
)

// Version is set at build time with -ldflags "-X …/cli.Version=…".
var Version = "dev"

// env is the program's environment, passed in so tests can set it.
type env struct {
	ctx    context.Context
	getenv func(string) string
	stdout io.Writer
	stderr io.Writer
	global globalFlags
}

type globalFlags struct {
	data     string
	database string
	logLevel string
}

// errUsage marks a mistake in the command line: exit status 2.
var errUsage = errors.New("usage")

// exitError carries a specific exit status without further output.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

type command struct {
	name    string
	summary string
	run     func(e *env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "run the web server (migrates first)", runServe},
		{"migrate", "create or upgrade the database", runMigrate},
		{"demo", "set up the demo organisation, owner and starter libraries", runDemo},
		{"org", "create an organisation: org create --slug S --name N", runOrg},
		{"user", "create a user or add one to an organisation: user create …", runUser},
		{"token", "create, list and revoke API tokens: token create|list|revoke", runToken},
		{"library", "list, import and export trend libraries", runLibrary},
		{"optimise", "choose initiatives and start years: optimise FILE.json", runOptimise},
		{"loadtest", "measure live workshops under load on loopback (bounded)", runLoadtest},
		{"version", "print the version", runVersion},
	}
}

// Run runs the command line in args (without the program name) and returns
// the exit status: 0 success, 1 failure, 2 a usage mistake.
func Run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	e := &env{ctx: ctx, getenv: getenv, stdout: stdout, stderr: stderr}
	fs := flag.NewFlagSet("waymark", flag.ContinueOnError)
	fs.SetOutput(stderr)
	e.addGlobal(fs)
	fs.Usage = func() { e.usage() }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	rest := fs.Args()
	if len(rest) == 0 {
		e.usage()
		return 2
	}
	for _, c := range commands() {
		if c.name == rest[0] {
			err := c.run(e, rest[1:])
			var ee exitError
			switch {
			case err == nil:
				return 0
			case errors.Is(err, flag.ErrHelp):
				return 0
			case errors.Is(err, errUsage):
				return 2
			case errors.As(err, &ee):
				return int(ee)
			}
			fmt.Fprintf(stderr, "waymark %s: %s\n", c.name, message(err))
			return 1
		}
	}
	fmt.Fprintf(stderr, "waymark: unknown command %q\n", rest[0])
	e.usage()
	return 2
}

// message turns an error into what the person at the terminal should read.
func message(err error) string {
	var ps domain.Problems
	if errors.As(err, &ps) {
		var b strings.Builder
		for i, p := range ps {
			if i > 0 {
				b.WriteString("\n")
			}
			b.WriteString(p.String())
		}
		return b.String()
	}
	var de *domain.Error
	if errors.As(err, &de) {
		return de.Message
	}
	return err.Error()
}

func (e *env) usage() {
	fmt.Fprintf(e.stderr, "Waymark %s: trends, workshops and digital priorities for local public services.\n\n", Version)
	fmt.Fprintf(e.stderr, "Usage: waymark [--data DIR] [--database URL] COMMAND [flags]\n\nCommands:\n")
	cs := commands()
	sort.SliceStable(cs, func(i, j int) bool { return false })
	for _, c := range cs {
		fmt.Fprintf(e.stderr, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(e.stderr, "\nGlobal flags (also accepted after the command):\n")
	fmt.Fprintf(e.stderr, "  --data DIR      folder for the SQLite database (default ./waymark-data)\n")
	fmt.Fprintf(e.stderr, "  --database URL  a postgres:// URL selects PostgreSQL (env WAYMARK_DATABASE_URL)\n")
	fmt.Fprintf(e.stderr, "  --log-level L   debug, info, warn or error (default info)\n")
	fmt.Fprintf(e.stderr, "\nRun 'waymark COMMAND -h' for a command's flags.\n")
}

// addGlobal adds the global flags to a flag set; every subcommand accepts
// them too, so they may come before or after the command name.
func (e *env) addGlobal(fs *flag.FlagSet) {
	if e.global.data == "" {
		e.global.data = "./waymark-data"
	}
	if e.global.database == "" {
		e.global.database = e.getenv("WAYMARK_DATABASE_URL")
	}
	if e.global.logLevel == "" {
		e.global.logLevel = "info"
	}
	fs.StringVar(&e.global.data, "data", e.global.data, "folder for the SQLite database")
	fs.StringVar(&e.global.database, "database", e.global.database, "PostgreSQL URL (postgres://…); empty for SQLite")
	fs.StringVar(&e.global.logLevel, "log-level", e.global.logLevel, "debug, info, warn or error")
}

// newFlags makes a subcommand's flag set with the global flags included.
func (e *env) newFlags(name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet("waymark "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	e.addGlobal(fs)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: waymark %s\n\nFlags:\n", usage)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags and positional arguments in any order and returns the
// positional ones.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, errUsage
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func (e *env) logger() *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(e.global.logLevel)); err != nil {
		level = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level}))
}

// open opens and migrates the database.
func (e *env) open() (*app.Main, error) {
	return app.Open(e.ctx, app.Config{DataDir: e.global.data, DatabaseURL: e.global.database,
		BaseURL: e.getenv("WAYMARK_BASE_URL"), Log: e.logger()})
}

// required reports a missing required flag as a usage mistake.
func (e *env) required(fs *flag.FlagSet, names ...string) error {
	for _, n := range names {
		if f := fs.Lookup(n); f != nil && f.Value.String() == "" {
			fmt.Fprintf(e.stderr, "waymark: --%s is required\n", n)
			fs.Usage()
			return errUsage
		}
	}
	return nil
}

func runVersion(e *env, args []string) error {
	fmt.Fprintf(e.stdout, "waymark %s\n", Version)
	return nil
}

func runMigrate(e *env, args []string) error {
	fs := e.newFlags("migrate", "migrate")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	m, err := e.open()
	if err != nil {
		return err
	}
	defer m.Close()
	fmt.Fprintf(e.stdout, "Database %s is up to date.\n", m.DB.Dialect())
	return nil
}

// orgActor finds an organisation by slug and returns the command line's
// actor in it.
func orgActor(e *env, m *app.Main, slug string) (domain.Actor, *domain.Organisation, error) {
	org, err := m.DB.OrgBySlug(e.ctx, slug)
	if err != nil {
		if domain.IsNotFound(err) {
			return domain.Actor{}, nil, fmt.Errorf("no organisation with slug %q (create it with 'waymark org create')", slug)
		}
		return domain.Actor{}, nil, err
	}
	return domain.System(org.ID), org, nil
}
