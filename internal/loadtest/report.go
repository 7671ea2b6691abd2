package loadtest

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Targets of issue 3 on the reference machine (2 cores, SQLite with
// synchronous=FULL).
const (
	TargetAnswersPerSecond = 10_000
	TargetRatio            = 0.5
	TargetP99              = 20 * time.Millisecond // at 2,000 answers a second
	TargetP99Rate          = 2000
	TargetListenerP99      = time.Second
)

// WriteJSON writes the result as indented JSON.
func (r *Result) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText writes the result as a readable table.
func (r *Result) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(k, format string, args ...any) { fmt.Fprintf(tw, "  %s\t%s\n", k, fmt.Sprintf(format, args...)) }
	engine := r.Engine
	switch r.Engine {
	case "sqlite":
		engine = "SQLite (WAL, synchronous=FULL), in-process"
	case "postgres":
		engine = "PostgreSQL, in-process"
	case "target":
		engine = "a running server"
	}
	fmt.Fprintf(tw, "Waymark load test: %s at %s (%s, %d CPUs)\n", engine, r.Target, r.Go, r.CPUs)
	fmt.Fprintf(tw, "Workshop: %d trends × %d questions; %d participants joined in %.1f s\n", r.Trends, r.Questions, r.Participants, r.JoinSeconds)
	rate := r.Rate + " requests/s"
	if r.Rate == "max" {
		rate = "max"
	}
	fmt.Fprintf(tw, "Load: %g s, rate %s, at most %d in flight, %d answer(s) per request, %s client\n\n", r.Duration, rate, r.Concurrency, r.Batch, r.Client)

	a := r.Answers
	fmt.Fprintf(tw, "Answers\n")
	row("acknowledged answers/s", "%s  (%s answers in %.2f s)", num(a.AnswersPerSecond), num(float64(a.Answers)), a.Seconds)
	row("requests/s", "%s  (%s sent, %s acknowledged)", num(a.RequestsPerSecond), num(float64(a.Requests)), num(float64(a.Acknowledged)))
	from := "from send"
	if r.Rate != "max" {
		from = "from schedule"
	}
	row("latency p50/p95/p99/max", "%s / %s / %s / %s ms  (%s)", ms(a.Latency.P50), ms(a.Latency.P95), ms(a.Latency.P99), ms(a.Latency.Max), from)
	if r.Rate != "max" {
		row("", "%s / %s / %s / %s ms  (from send)", ms(a.Service.P50), ms(a.Service.P95), ms(a.Service.P99), ms(a.Service.Max))
	}
	row("errors", "%s", errorList(a.Errors))
	if a.Late > 0 {
		row("late starts", "%s requests started over 1 ms after they were due", num(float64(a.Late)))
	}
	if a.Unsent > 0 {
		row("not sent", "%s requests were due but every allowed request was still in flight", num(float64(a.Unsent)))
	}
	if r.CPU != nil {
		row("processors", "%s", cpuLine(r.CPU, r.CPUs))
	}
	if c := r.Committer; c != nil {
		row("group commit", "mean %.1f answers per transaction (largest %d), %s transactions", c.MeanBatch, c.MaxBatch, num(float64(c.Transactions)))
	}

	l := r.Listen
	fmt.Fprintf(tw, "\nListeners\n")
	row("streams", "%d of %d connected, %d reconnects", l.Connected, l.Listeners, l.Reconnects)
	if l.Note != "" {
		row("note", "%s", l.Note)
	}
	if l.Delay.Count > 0 || l.Updates > 0 {
		row("aggregate updates", "%d during the load", l.Updates)
		row("ack → update p50/p99/max", "%s / %s / %s ms  (%d markers × %d listeners)", ms(l.Delay.P50), ms(l.Delay.P99), ms(l.Delay.Max), l.Markers, l.Connected)
		row("first → last listener", "p50 %s ms, max %s ms per update (fan-out)", ms(l.Spread.P50), ms(l.Spread.Max))
		row("received every update", "%d of %d listeners (%.1f %%)", l.Complete, l.Listeners, 100*l.Share)
		row("idle delay (one answer)", "%s ms", ms(l.ProbeDelay))
	}

	if b := r.Bare; b != nil {
		fmt.Fprintf(tw, "\nBaseline: a no-op handler, same client, rate max\n")
		row("bare requests/s", "%s  (p50 %s ms, p99 %s ms)", num(b.RequestsPerSecond), ms(b.Latency.P50), ms(b.Latency.P99))
		if r.BareCPU != nil {
			row("processors", "%s", cpuLine(r.BareCPU, r.CPUs))
		}
		row("answers/s ÷ bare requests/s", "%.2f", r.Ratio)
		if r.CPURatio > 0 {
			row("the same per processor-second", "%.2f  (each run's requests ÷ the processor time this process had)", r.CPURatio)
		}
	}

	if r.Engine == "sqlite" {
		fmt.Fprintf(tw, "\nTargets of issue 3 (SQLite, this kind of machine)\n")
		if r.Rate == "max" {
			row(fmt.Sprintf("≥ %s answers/s", num(TargetAnswersPerSecond)), "%s", mark(a.AnswersPerSecond >= TargetAnswersPerSecond))
			if r.Bare != nil {
				row(fmt.Sprintf("≥ %.1f × bare", TargetRatio), "%s", mark(r.Ratio >= TargetRatio))
			}
		} else {
			answersRate := a.AnswersPerSecond
			if answersRate >= 0.95*TargetP99Rate {
				row(fmt.Sprintf("p99 ≤ %v at %s answers/s", TargetP99, num(TargetP99Rate)), "%s", mark(a.Latency.P99 <= TargetP99 && len(a.Errors) == 0))
			}
		}
		if l.Listeners > 0 && l.Delay.Count > 0 {
			row(fmt.Sprintf("%d listeners: every update, p99 ≤ %v", l.Listeners, TargetListenerP99), "%s",
				mark(l.Delay.P99 <= TargetListenerP99 && l.Complete == l.Listeners))
		}
	}
	return tw.Flush()
}

func cpuLine(c *CPUShare, cpus int) string {
	return fmt.Sprintf("this process %.0f %%, other processes %.0f %%, idle %.0f %% (of %d CPUs)", c.Self, c.Others, c.Idle, cpus)
}

func mark(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}

func ms(d time.Duration) string {
	v := float64(d) / float64(time.Millisecond)
	switch {
	case v < 10:
		return fmt.Sprintf("%.2f", v)
	case v < 100:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.0f", v)
}

// num formats a number with thousands separators and no decimals.
func num(v float64) string { return english.Sprintf("%.0f", v) }

// english formats numbers as the report prints them.
var english = message.NewPrinter(language.English)

func errorList(errs map[string]int64) string {
	if len(errs) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(errs))
	for k := range errs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s: %s", k, num(float64(errs[k])))
	}
	return strings.Join(parts, ", ")
}
