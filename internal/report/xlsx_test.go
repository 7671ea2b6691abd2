package report

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func readXLSX(t *testing.T, r *Report) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := XLSX(&buf, r); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// Ensures the workbook reads back with excelize: a sheet per view and
// the answers, named and headed in the report's language, figures as
// numbers, the anonymised answers whole, and no text cell that a
// spreadsheet would run as a formula.
func TestXLSX(t *testing.T) {
	r, src := fixture(t, fixtureOptions{Lang: "sv", Trends: 6, Participants: 12, Ideas: len(hostile), Hostile: true})
	f := readXLSX(t, r)
	T := catalogT(t, "sv")

	var names []string
	for _, id := range SheetIDs {
		names = append(names, T(id))
	}
	if got := f.GetSheetList(); !slices.Equal(got, names) {
		t.Fatalf("sheets %q, want %q", got, names)
	}
	if names[0] != "Översikt" || names[5] != "Spänningsfält" {
		t.Errorf("sheet names %q", names)
	}

	// Priorities: the header, and the pinned trend first.
	rows, err := f.GetRows(T("report.sheet.priorities"))
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "Plats" || rows[0][2] != "Trend" || rows[0][4] != "Prioritetsindex" {
		t.Errorf("priorities header %q", rows[0])
	}
	if len(rows) != 7 || rows[1][0] != "1" || rows[1][1] != "trend-03" || rows[1][3] != "Fastnålad" ||
		!strings.Contains(rows[1][10], "Ny lag från 2027") {
		t.Errorf("first priority %q (%d rows)", rows[1], len(rows))
	}
	checkNumber(t, f, T("report.sheet.priorities"), "E2")

	// Answers: every answer, the same columns as the CSV.
	answers := T("report.sheet.answers")
	rows, err = f.GetRows(answers)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows)-1 != len(src.Answers) || len(rows[0]) != len(AnswerColumns) || rows[0][0] != "Deltagare" || rows[0][7] != "Vet inte" {
		t.Fatalf("answers: %d rows, header %q", len(rows)-1, rows[0])
	}
	sawNegative := false
	for i, row := range rows[1:] {
		a := r.Answers[i]
		if row[0] != a.Participant || row[3] != a.Trend || row[5] != a.Question {
			t.Fatalf("answers row %d = %q for %+v", i+2, row, a)
		}
		if !a.DontKnow && a.Value < 0 && !sawNegative {
			sawNegative = true
			cell, _ := excelize.CoordinatesToCellName(7, i+2)
			checkNumber(t, f, answers, cell)
			if row[6] != strconv.Itoa(a.Value) {
				t.Errorf("%s = %q, want %d", cell, row[6], a.Value)
			}
		}
		if a.DontKnow && (len(row) < 8 || row[6] != "" || row[7] != "1") {
			t.Fatalf("don't know written as %q", row)
		}
	}
	if !sawNegative {
		t.Error("no negative value in the fixture")
	}
	if rows[1][4] != "'=1+1 hostile trend" && rows[1][3] == "trend-00" {
		t.Errorf("hostile title written as %q", rows[1][4])
	}

	// Ideas: every hostile text neutralised, and nothing is a formula.
	rows, err = f.GetRows(T("report.sheet.ideas"))
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, row := range rows[1:] {
		for _, h := range hostile[:7] {
			if row[2] == "'"+h || (strings.HasPrefix(h, "\r") && row[2] == "'\n"+h[1:]) {
				found++
			}
		}
		if strings.Contains(row[2], "HIDDEN-IDEA") {
			t.Error("a hidden idea is in the workbook")
		}
	}
	if found < 6 {
		t.Errorf("%d of the hostile ideas found neutralised", found)
	}

	// No sheet has a text cell that would run, nor a formula, nor a
	// participant id.
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for y, row := range rows {
			for x, v := range row {
				if strings.Contains(v, "secret-participant") {
					t.Fatalf("%s: a participant id", sheet)
				}
				if !Dangerous(v) && !strings.HasPrefix(v, "\n") {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(x+1, y+1)
				if ct, _ := f.GetCellType(sheet, cell); ct != excelize.CellTypeNumber && ct != excelize.CellTypeUnset {
					t.Errorf("%s!%s: text %q would run as a formula (type %v)", sheet, cell, v, ct)
				}
				if fm, _ := f.GetCellFormula(sheet, cell); fm != "" {
					t.Errorf("%s!%s: formula %q", sheet, cell, fm)
				}
			}
		}
	}

	// Distributions: one row per question and trend, with counts.
	rows, _ = f.GetRows(T("report.sheet.distributions"))
	if len(rows)-1 != 5*6 {
		t.Errorf("%d distribution rows", len(rows)-1)
	}
	// Group comparison: three columns per group.
	rows, _ = f.GetRows(T("report.sheet.groups"))
	if len(rows[0]) != 7+3*5 || rows[0][7] != "Förtroendevalda: svar" {
		t.Errorf("group comparison header %q", rows[0])
	}
}

func checkNumber(t *testing.T, f *excelize.File, sheet, cell string) {
	t.Helper()
	ct, err := f.GetCellType(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if ct != excelize.CellTypeNumber && ct != excelize.CellTypeUnset {
		t.Errorf("%s!%s = %q is not a number (type %v)", sheet, cell, v, ct)
	}
	if _, err := strconv.ParseFloat(v, 64); err != nil {
		t.Errorf("%s!%s = %q is not a number", sheet, cell, v)
	}
}
