package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/waymark/waymark/internal/loadtest"
)

func runLoadtest(e *env, args []string) error {
	fs := e.newFlags("loadtest", "loadtest [--participants N] [--listeners M] [--rate R|max] [--duration D] [--batch K] [--json]\n"+
		"       waymark loadtest --target URL --code CODE [flags]\n\n"+
		"Starts Waymark in-process on loopback with a fresh SQLite database in a temporary folder (never\n"+
		"--data), or on PostgreSQL with --database postgres://… given on the command line (a new\n"+
		"organisation is created there and left), sets up a workshop in the rating phase with the results shown,\n"+
		"joins participants and opens their live streams through the participant API, sends answers,\n"+
		"and reports acknowledged answers per second, latency, errors, the group commit's batches and\n"+
		"the delay from acknowledgement to the aggregate update reaching each listener; then drives a\n"+
		"bare no-op handler the same way and prints the ratio. Loopback only, always bounded in time.")
	participants := fs.Int("participants", loadtest.DefaultParticipants, "participants who join")
	listeners := fs.Int("listeners", loadtest.DefaultListeners, "live streams to open (participants' phones, results shown)")
	rate := fs.String("rate", "max", "answer requests per second, open-loop (answers per second = rate × batch), or max (as fast as --concurrency allows)")
	concurrency := fs.Int("concurrency", loadtest.DefaultConcurrency, "answer requests in flight at most")
	duration := fs.Duration("duration", loadtest.DefaultDuration, "how long answers are sent (at most 10m)")
	batch := fs.Int("batch", loadtest.DefaultBatch, "answers per request, all for one participant")
	trends := fs.Int("trends", loadtest.DefaultTrends, "trends of the workshop (in-process)")
	questions := fs.Int("questions", loadtest.DefaultQuestions, "rating questions of the workshop (in-process; the defaults first)")
	bareDuration := fs.Duration("bare-duration", loadtest.DefaultBareDuration, "how long the bare handler is driven (at most --duration)")
	probeWait := fs.Duration("probe-wait", 3*time.Second, "how long the first answer's update may take to reach the listeners")
	noBare := fs.Bool("no-bare", false, "skip the bare-handler baseline")
	client := fs.String("client", "nethttp", "how answers are sent: nethttp (Go's HTTP client) or raw (one keep-alive connection per request in flight, one write per request: leaves more of the processors to the server)")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the load phase (server and clients) to `FILE`")
	allocProfile := fs.String("memprofile", "", "write the allocation profile (server and clients) at the end of the load phase to `FILE`, and at its start to FILE.start: go tool pprof -base FILE.start FILE shows the load's allocations alone")
	target := fs.String("target", "", "base `URL` of a running Waymark instead of an in-process one")
	code := fs.String("code", "", "join code of the workshop at --target (rating phase, results shown)")
	allowRemote := fs.Bool("allow-remote", false, "allow a --target that is not a loopback address")
	groups := fs.String("groups", "", "with --target: a group `KEY` to join the first participant in, or several comma-separated to try (default staff); the others join in the workshop's groups in turn")
	envDatabase := e.getenv("WAYMARK_DATABASE_URL")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	cfg := loadtest.Config{
		Target: *target, Code: *code, AllowRemote: *allowRemote,
		Trends: *trends, Questions: *questions,
		Participants: *participants, Listeners: *listeners, Concurrency: *concurrency,
		Duration: *duration, Batch: *batch, NoBare: *noBare, BareDuration: min(*bareDuration, *duration), ProbeWait: *probeWait,
		Log: e.logger(), Progress: e.stderr,
	}
	switch *client {
	case "nethttp":
	case "raw":
		cfg.RawClient = true
	default:
		fmt.Fprintf(e.stderr, "waymark loadtest: --client %q: give nethttp or raw\n", *client)
		return errUsage
	}
	if *rate != "max" {
		r, err := strconv.ParseFloat(*rate, 64)
		if err != nil || r <= 0 {
			fmt.Fprintf(e.stderr, "waymark loadtest: --rate %q: give requests per second or max\n", *rate)
			return errUsage
		}
		cfg.Rate = r
	}
	// A database comes only from the command line: WAYMARK_DATABASE_URL
	// names the real one, which a load test must not fill with test data.
	explicit := false
	fs.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "database" })
	if db := e.global.database; db != "" && (explicit || db != envDatabase) {
		cfg.DatabaseURL = db
	}
	if *target != "" {
		if cfg.DatabaseURL != "" {
			fmt.Fprintf(e.stderr, "waymark loadtest: --database and --target exclude each other\n")
			return errUsage
		}
		cfg.Groups = splitList(*groups)
	}
	for _, prof := range []struct {
		path string
		to   *io.Writer
	}{{*cpuProfile, &cfg.CPUProfile}, {*allocProfile, &cfg.AllocProfile}, {startOf(*allocProfile), &cfg.AllocProfileStart}} {
		if prof.path == "" {
			continue
		}
		f, err := os.Create(prof.path)
		if err != nil {
			return err
		}
		defer f.Close()
		*prof.to = f
	}
	res, err := loadtest.Run(e.ctx, cfg)
	if err != nil {
		return err
	}
	if *asJSON {
		return res.WriteJSON(e.stdout)
	}
	return res.WriteText(e.stdout)
}

// startOf names the start-of-load allocation profile beside path.
func startOf(path string) string {
	if path == "" {
		return ""
	}
	return path + ".start"
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
