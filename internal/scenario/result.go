// Package scenario reads back the optimiser's stored results and derives
// what the scenario pages and the API show from them: the comparison of
// two scenarios (what drops out, what comes in, what moves, the value
// lost) and the roadmap to the horizon year in swimlanes by capability
// area. It is pure: no I/O and no clock.
//
// A scenario's result is the optimiser's result file, waymark.portfolio/v1
// with "kind": "result" (docs/formats.md), as internal/portfolio writes it
// and internal/service stores it; ReadResult reads it.
package scenario

import "github.com/waymark/waymark/internal/portfolio"

// The stored result's parts: the portfolio package's result file types,
// under the names the scenario pages use.
type (
	// Result is a stored optimiser result.
	Result = portfolio.ResultFile
	// Assignment is an initiative in the plan: it runs from Start to End.
	Assignment = portfolio.PlanEntry
	// Omission is an initiative the optimiser left out.
	Omission = portfolio.LeftOutEntry
	// Year is the plan's use of one year's caps.
	Year = portfolio.YearEntry
	// MoneyUse is the plan's spending against a year's budget cap.
	MoneyUse = portfolio.MoneyEntry
	// FTEUse is the plan's staff effort against a year's FTE cap.
	FTEUse = portfolio.StaffEntry
	// Marginal is what one more step of a year's cap adds.
	Marginal = portfolio.MarginalEntry
	// Binding is a constraint without slack in the plan.
	Binding = portfolio.BindingEntry
	// Steps are the amounts the marginal values are for.
	Steps = portfolio.StepsEntry
)

// ErrNotResult is returned (wrapped) for data that is not an optimiser
// result file.
var ErrNotResult = portfolio.ErrNotResult

// ReadResult reads a stored result file.
func ReadResult(data []byte) (*Result, error) { return portfolio.ReadResultFile(data) }
