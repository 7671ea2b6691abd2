package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/text/language"
	textmessage "golang.org/x/text/message"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/portfolio"
)

// runOptimise reads a waymark.portfolio/v1 file and prints the plan of
// greatest value. Exit status: 0 with a plan (optimal, or the best found
// when the time limit came, which the output says), 1 for a bad file or
// when no plan is possible.
func runOptimise(e *env, args []string) error {
	fs := e.newFlags("optimise", "optimise FILE.json|- [--time-limit 1m] [--marginals=false] [--json]")
	limit := fs.Duration("time-limit", time.Minute, "stop after this long with the best plan found and its proven gap (0: no limit)")
	marginals := fs.Bool("marginals", true, "find the value of one more budget and FTE step in each year (solves again per year)")
	asJSON := fs.Bool("json", false, "print the result file (waymark.portfolio/v1) instead of a summary")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fmt.Fprintln(e.stderr, "waymark optimise: give exactly one FILE (or - for standard input)")
		fs.Usage()
		return errUsage
	}
	file := pos[0]
	name := file
	var data []byte
	if file == "-" {
		name = "stdin"
		data, err = readAllLimited(os.Stdin)
	} else {
		var f *os.File
		if f, err = os.Open(file); err == nil {
			data, err = readAllLimited(f)
			f.Close()
		} else if u := errors.Unwrap(err); u != nil {
			err = u
		}
	}
	if err != nil {
		return e.optimiseFailed(domain.Problems{{File: name, Message: err.Error()}})
	}
	p, err := portfolio.Parse(data)
	var ps domain.Problems
	if errors.As(err, &ps) {
		for k := range ps {
			ps[k].File = name
		}
		return e.optimiseFailed(ps)
	}
	if err != nil {
		return err
	}
	res, err := portfolio.Solve(e.ctx, p, portfolio.Options{TimeLimit: *limit, Marginals: *marginals})
	if err != nil {
		return err
	}
	if *asJSON {
		out, err := portfolio.MarshalResult(p, res)
		if err != nil {
			return err
		}
		if _, err := e.stdout.Write(out); err != nil {
			return err
		}
	} else {
		printResult(e.stdout, p, res)
	}
	if res.Status == portfolio.Infeasible {
		if *asJSON {
			fmt.Fprintln(e.stderr, res.Summary())
		}
		return exitError(1)
	}
	return nil
}

func readAllLimited(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, portfolio.MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > portfolio.MaxFileSize {
		return nil, fmt.Errorf("file is larger than the %d MiB limit", portfolio.MaxFileSize>>20)
	}
	return data, nil
}

// optimiseFailed prints every problem as FILE:WHERE: message, as 'library
// import' does, and exits with status 1.
func (e *env) optimiseFailed(ps domain.Problems) error {
	for _, p := range ps {
		fmt.Fprintln(e.stderr, p.String())
	}
	fmt.Fprintf(e.stderr, "%d problem(s); nothing was optimised.\n", len(ps))
	return exitError(1)
}

// printResult writes the readable summary: the verdict, the plan, what was
// left out, the years with their caps and marginal values, and what binds.
func printResult(w io.Writer, p *portfolio.Portfolio, r *portfolio.Result) {
	if p.Name != "" {
		fmt.Fprintln(w, p.Name)
	}
	fmt.Fprintf(w, "Horizon %d–%d. %s\n", p.Horizon.Start, p.Horizon.End, r.Summary())
	if r.Status == portfolio.Infeasible || !r.HasPlan {
		return
	}
	money := func(v int64) string {
		s := group(v)
		if p.Currency != "" {
			s += " " + p.Currency
		}
		return s
	}
	fmt.Fprintf(w, "\nPlan (%d initiatives)\n", len(r.Plan))
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  START\tEND\tVALUE\tKEY\tTITLE")
	for _, a := range r.Plan {
		key := a.Key
		if a.Forced {
			key += " (forced in)"
		}
		fmt.Fprintf(tw, "  %d\t%d\t%s\t%s\t%s\n", a.Start, a.End, num(a.Value), key, a.Title)
	}
	tw.Flush()
	if len(r.Left) > 0 {
		fmt.Fprintf(w, "\nLeft out (%d)\n", len(r.Left))
		tw = tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		for _, o := range r.Left {
			why := o.Reason
			if why == "" {
				why = "did not make the cut"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", o.Key, num(o.Value), why)
		}
		tw.Flush()
	}
	fmt.Fprintln(w, "\nYears (* the cap binds: no slack, or one more step is worth something)")
	tw = tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	head := "  YEAR\tBUDGET USED\tCAP\t"
	if r.MarginalsAsked {
		head += "+" + money(r.BudgetStep) + " WORTH\t"
	}
	if r.Years[0].FTE != nil {
		head += "FTE USED\tCAP\t"
		if r.MarginalsAsked {
			head += "+" + r.FTEStep.String() + " FTE WORTH\t"
		}
	}
	fmt.Fprintln(tw, head)
	for _, y := range r.Years {
		fmt.Fprintf(tw, "  %d\t%s\t%s\t", y.Year, group(y.Budget.Used)+star(y.Budget.Binding), group(y.Budget.Cap))
		if r.MarginalsAsked {
			fmt.Fprintf(tw, "%s\t", marginal(y.Budget.Marginal))
		}
		if y.FTE != nil {
			fmt.Fprintf(tw, "%s\t%s\t", y.FTE.Used.String()+star(y.FTE.Binding), y.FTE.Cap.String())
			if r.MarginalsAsked {
				fmt.Fprintf(tw, "%s\t", marginal(y.FTE.Marginal))
			}
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	var deps, groups []string
	for _, b := range r.Binding {
		switch b.Kind {
		case "dependency":
			deps = append(deps, b.Initiative+" starts as soon as "+b.On+" finishes")
		case "exclusive":
			groups = append(groups, b.Group+" ("+b.Initiative+" chosen)")
		}
	}
	if len(deps) > 0 {
		fmt.Fprintf(w, "\nDependencies that bind: %s.\n", strings.Join(deps, "; "))
	}
	if len(groups) > 0 {
		fmt.Fprintf(w, "Exclusive groups used: %s.\n", strings.Join(groups, "; "))
	}
	if r.MarginalsAsked && !r.MarginalsComplete {
		fmt.Fprintln(w, "Marginal values shown as a range were not proven exactly, and those shown as ? not found, before the time limit.")
	}
	fmt.Fprintf(w, "\nSolved in %s (%d nodes)", r.Stats.Elapsed.Round(time.Millisecond), r.Stats.Nodes)
	if r.Stats.MarginalSolves > 0 {
		fmt.Fprintf(w, "; marginal values from %d more solves in %s", r.Stats.MarginalSolves, r.Stats.Elapsed2.Round(time.Millisecond))
	}
	fmt.Fprintln(w, ".")
}

func star(b bool) string {
	if b {
		return "*"
	}
	return ""
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }

func marginal(m *portfolio.Marginal) string {
	if m == nil {
		return "?"
	}
	if m.Exact {
		return num(m.Gain)
	}
	return num(m.Gain) + "–" + num(m.Upper)
}

// group writes a whole number with thousands separated by commas.
func group(v int64) string { return english.Sprintf("%d", v) }

// english formats numbers as the command line prints them.
var english = textmessage.NewPrinter(language.English)
