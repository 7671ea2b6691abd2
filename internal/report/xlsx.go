package report

import (
	"archive/zip"
	"cmp"
	"compress/flate"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/waymark/waymark/internal/analysis"
)

// XLSX writes the report as an Excel workbook: an overview sheet, a sheet
// per view (priorities, matrix, radar, distributions, fields of tension,
// group comparison, ideas, dot votes) and the anonymised answers (the
// columns of AnswerColumns, headed in the report's language). Sheet names
// and headings are in the report's language; figures are numbers with a
// number format, absent figures empty cells; every text cell is
// neutralised against formula injection.
func XLSX(w io.Writer, r *Report) error {
	if err := r.ready(); err != nil {
		return err
	}
	x := &xlsxWriter{r: r, f: excelize.NewFile()}
	defer x.f.Close()
	x.f.ZipWriter = fastZip
	if err := x.write(); err != nil {
		return fmt.Errorf("report: xlsx: %w", err)
	}
	if err := x.f.Write(w); err != nil {
		return fmt.Errorf("report: xlsx: %w", err)
	}
	return nil
}

// fastZip is the workbook's zip writer: deflate at its fastest level.
// The answers sheet of a large workshop is a hundred megabytes of XML;
// the fastest level compresses it in a third of the default level's time,
// for a file about a fifth larger (docs/benchmarks.md).
func fastZip(w io.Writer) excelize.ZipWriter {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed)
	})
	return zw
}

// SheetIDs are the message ids of the workbook's sheets' names, in order.
var SheetIDs = []string{"report.sheet.overview", "report.sheet.priorities", "report.sheet.matrix", "report.sheet.radar",
	"report.sheet.distributions", "report.sheet.tensions", "report.sheet.groups", "report.sheet.ideas", "report.sheet.dots",
	"report.sheet.answers"}

type xlsxWriter struct {
	r      *Report
	f      *excelize.File
	sheets int
	style  struct{ head, title, n1, n2, pct, wrap int }
}

// styled is a cell's value with a style.
type styled struct {
	v     any
	style int
}

func (x *xlsxWriter) n1(n analysis.Num) any  { return x.num(n, x.style.n1) }
func (x *xlsxWriter) n2(n analysis.Num) any  { return x.num(n, x.style.n2) }
func (x *xlsxWriter) pct(n analysis.Num) any { return x.num(n, x.style.pct) }

func (x *xlsxWriter) num(n analysis.Num, style int) any {
	if !n.Valid() {
		return nil
	}
	return styled{float64(n), style}
}

func (x *xlsxWriter) write() error {
	r := x.r
	var err error
	newStyle := func(s *excelize.Style) int {
		id, e := x.f.NewStyle(s)
		if e != nil && err == nil {
			err = e
		}
		return id
	}
	one, two, pct := "0.0", "0.00", "0%"
	x.style.head = newStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE4EE"}},
		Border: []excelize.Border{{Type: "bottom", Color: "5A6B7F", Style: 1}}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	x.style.title = newStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	x.style.n1 = newStyle(&excelize.Style{CustomNumFmt: &one})
	x.style.n2 = newStyle(&excelize.Style{CustomNumFmt: &two})
	x.style.pct = newStyle(&excelize.Style{CustomNumFmt: &pct})
	x.style.wrap = newStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	_ = x.f.SetDocProps(&excelize.DocProperties{Title: r.Workshop.Title, Subject: r.T("report.title"), Creator: "Waymark",
		Language: r.Lang, Created: r.Generated.UTC().Format("2006-01-02T15:04:05Z"), Modified: r.Generated.UTC().Format("2006-01-02T15:04:05Z")})
	for _, f := range []func() error{x.overview, x.priorities, x.matrix, x.radar, x.distributions, x.tensions, x.groups, x.ideas, x.dots, x.answers} {
		if err := f(); err != nil {
			return err
		}
	}
	// The first sheet stays the active one. (SetActiveSheet would read
	// every streamed sheet back into memory.)
	return nil
}

// sheetName makes a valid, unique sheet name of a translated one.
func (x *xlsxWriter) sheetName(id string) string {
	name := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '-'
		}
		return r
	}, x.r.T(id))
	name = strings.Trim(name, "'")
	if rs := []rune(name); len(rs) > 31 {
		name = string(rs[:31])
	}
	if name == "" {
		name = fmt.Sprint("Sheet", x.sheets+1)
	}
	if idx, _ := x.f.GetSheetIndex(name); idx >= 0 && x.sheets > 0 {
		name = fmt.Sprintf("%.28s %d", name, x.sheets+1)
	}
	return name
}

// sheet starts the next sheet, with the column widths and a header row
// that stays in view.
type sheet struct {
	x   *xlsxWriter
	sw  *excelize.StreamWriter
	row int
	err error
}

func (x *xlsxWriter) sheet(id string, widths []float64, header []string) (*sheet, error) {
	name := x.sheetName(id)
	if x.sheets == 0 {
		if err := x.f.SetSheetName("Sheet1", name); err != nil {
			return nil, err
		}
	} else if _, err := x.f.NewSheet(name); err != nil {
		return nil, err
	}
	x.sheets++
	sw, err := x.f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	s := &sheet{x: x, sw: sw}
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return nil, err
		}
	}
	if len(header) > 0 {
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return nil, err
		}
		vals := make([]any, len(header))
		for i, h := range header {
			vals[i] = styled{h, x.style.head}
		}
		s.add(vals...)
	}
	return s, nil
}

// add writes the next row: strings are neutralised text cells, styled
// values get their style, nil is an empty cell, numbers are numbers.
func (s *sheet) add(vals ...any) {
	if s.err != nil {
		return
	}
	s.row++
	row := make([]any, len(vals))
	for i, v := range vals {
		row[i] = cell(v)
	}
	cellName, _ := excelize.CoordinatesToCellName(1, s.row)
	s.err = s.sw.SetRow(cellName, row)
}

func cell(v any) any {
	switch v := v.(type) {
	case string:
		if v == "" {
			return nil
		}
		return Neutralise(v)
	case styled:
		return excelize.Cell{StyleID: v.style, Value: cell(v.v)}
	case analysis.Num:
		if !v.Valid() {
			return nil
		}
		return float64(v)
	}
	return v
}

func (s *sheet) done() error {
	if s.err != nil {
		return s.err
	}
	return s.sw.Flush()
}

func (x *xlsxWriter) overview() error {
	r := x.r
	s, err := x.sheet("report.sheet.overview", []float64{34, 60, 14}, nil)
	if err != nil {
		return err
	}
	s.add(styled{r.T("report.title") + ": " + r.Workshop.Title, x.style.title})
	s.add()
	s.add(r.T("report.cover.workshop"), r.Workshop.Title)
	s.add(r.T("report.cover.organisation"), r.Organisation)
	if r.Workshop.Purpose != "" {
		s.add(r.T("report.cover.purpose"), styled{oneLine(r.Workshop.Purpose), x.style.wrap})
	}
	s.add(r.T("report.cover.library"), r.libraryLabel())
	s.add(r.T("report.cover.generated"), r.Generated.Format("2006-01-02 15:04"))
	s.add(r.T("report.cover.joined"), r.Joined)
	s.add(r.T("report.cover.answered"), r.Answered)
	s.add(r.T("report.cover.answers"), len(r.Answers))
	s.add()
	s.add(styled{r.T("report.col.group"), x.style.head}, styled{r.T("report.col.joined"), x.style.head}, styled{r.T("report.col.answered"), x.style.head})
	for _, g := range r.Groups {
		s.add(g.Name, g.Joined, g.Answered)
	}
	s.add()
	for _, id := range []string{"report.xlsx.note_numbers", "report.xlsx.note_dontknow"} {
		s.add(styled{r.T(id), x.style.wrap})
	}
	s.add(styled{r.T("report.xlsx.note_groups", "Min", r.MinGroupAnswers), x.style.wrap})
	s.add(styled{r.T("report.xlsx.note_answers"), x.style.wrap})
	return s.done()
}

func (x *xlsxWriter) priorities() error {
	r := x.r
	s, err := x.sheet("report.sheet.priorities", []float64{8, 18, 44, 14, 12, 12, 12, 14, 12, 22, 40}, []string{
		r.T("report.col.rank"), r.T("report.col.key"), r.T("report.col.trend"), r.T("report.col.standing"), r.T("report.col.index"),
		r.T("report.col.impact100"), r.T("report.col.urgency100"), r.T("report.col.gap100"), r.T("report.col.gap_source"),
		r.T("report.col.missing"), r.T("report.col.reason")})
	if err != nil {
		return err
	}
	for _, t := range r.Analysis.Ranking.Trends {
		var rank any
		if t.Rank > 0 {
			rank = t.Rank
		}
		reason := ""
		if t.Decision != nil {
			reason = oneLine(t.Decision.Reason)
		}
		s.add(rank, t.Key, r.TrendTitle(t.Key), r.T("report.standing."+string(t.Standing)), x.n1(t.Index),
			x.n1(times100(t.Impact)), x.n1(times100(t.Urgency)), x.n1(times100(t.Gap)), r.T("report.gap_source."+t.GapSource),
			r.questionList(t.Missing), reason)
	}
	return s.done()
}

func (x *xlsxWriter) matrix() error {
	r := x.r
	m := r.Analysis.Matrix
	s, err := x.sheet("report.sheet.matrix", []float64{8, 18, 44, 14, 14, 22, 30}, []string{
		r.T("report.col.number"), r.T("report.col.key"), r.T("report.col.trend"), r.T("report.col.mean_impact"),
		r.T("report.col.mean_certainty"), r.T("report.col.quadrant"), r.T("report.col.missing")})
	if err != nil {
		return err
	}
	for _, p := range m.Points {
		s.add(p.Number, p.Key, r.TrendTitle(p.Key), x.n1(analysis.Num(p.Impact)), x.n1(analysis.Num(p.Certainty)), r.quadrantName(p.Quadrant), "")
	}
	for _, u := range m.Unplaced {
		s.add(nil, u.Key, r.TrendTitle(u.Key), nil, nil, r.T("report.matrix.unplaced_short"), r.questionList(u.Missing))
	}
	return s.done()
}

func (x *xlsxWriter) radar() error {
	r := x.r
	rd := r.Analysis.Radar
	s, err := x.sheet("report.sheet.radar", []float64{8, 18, 44, 30, 20, 14, 16, 12}, []string{
		r.T("report.col.number"), r.T("report.col.key"), r.T("report.col.trend"), r.T("report.col.sector"), r.T("report.col.horizon"),
		r.T("report.col.mean_impact"), r.T("report.col.direction"), r.T("report.col.shape")})
	if err != nil {
		return err
	}
	for _, e := range rd.Entries {
		t, _ := r.Analysis.Trend(e.Key)
		s.add(e.Number, e.Key, r.TrendTitle(e.Key), r.sectorName(rd.Sectors[e.Sector]), rd.Rings[e.Ring].Label,
			x.n1(t.Question(r.Analysis.Keys.Impact).Mean), r.directionName(e.Direction), r.T("report.shape."+string(e.Shape)))
	}
	return s.done()
}

func (x *xlsxWriter) distributions() error {
	r := x.r
	lo, hi := 0, 0
	for i, q := range r.Questions {
		if i == 0 || q.Min < lo {
			lo = q.Min
		}
		if i == 0 || q.Max > hi {
			hi = q.Max
		}
	}
	header := []string{r.T("report.col.question"), r.T("report.col.key"), r.T("report.col.trend"), r.T("report.col.answers"),
		r.T("report.col.dont_know"), r.T("report.col.dont_know_share"), r.T("report.col.mean"), r.T("report.col.median"),
		r.T("report.col.sd"), r.T("report.col.q1"), r.T("report.col.q3"), r.T("report.col.iqr"), r.T("report.col.consensus")}
	widths := []float64{18, 18, 44, 10, 10, 10, 9, 9, 9, 9, 9, 9, 11}
	for v := lo; v <= hi; v++ {
		header = append(header, r.T("report.col.count_of", "Value", v))
		widths = append(widths, 9)
	}
	s, err := x.sheet("report.sheet.distributions", widths, header)
	if err != nil {
		return err
	}
	for _, q := range r.Questions {
		for _, t := range r.Analysis.Trends {
			st := t.Question(q.Key)
			row := []any{r.QuestionName(q.Key), t.Key, r.TrendTitle(t.Key), st.Count, st.DontKnow, x.pct(st.DontKnowShare),
				x.n2(st.Mean), x.n1(st.Median), x.n2(st.SD), x.n1(st.Q1), x.n1(st.Q3), x.n1(st.IQR), x.n2(st.Consensus)}
			for v := lo; v <= hi; v++ {
				if i := v - st.Min; v >= st.Min && v <= st.Max && i < len(st.Counts) {
					row = append(row, st.Counts[i])
				} else {
					row = append(row, nil)
				}
			}
			s.add(row...)
		}
	}
	return s.done()
}

func (x *xlsxWriter) tensions() error {
	r := x.r
	s, err := x.sheet("report.sheet.tensions", []float64{18, 36, 26, 26, 10, 12, 12, 10, 12, 12}, []string{
		r.T("report.col.key"), r.T("report.col.tension"), r.T("report.col.pole_a"), r.T("report.col.pole_b"), r.T("report.col.placed"),
		r.T("report.col.now"), r.T("report.col.want"), r.T("report.col.gap"), r.T("report.col.sd_now"), r.T("report.col.sd_want")})
	if err != nil {
		return err
	}
	for _, t := range r.Tensions {
		s.add(t.Key, t.Name, t.PoleA, t.PoleB, t.Count, x.n1(t.MeanNow), x.n1(t.MeanWant), x.n1(t.Gap), x.n1(t.SDNow), x.n1(t.SDWant))
	}
	return s.done()
}

func (x *xlsxWriter) groups() error {
	r := x.r
	header := []string{r.T("report.col.question"), r.T("report.col.key"), r.T("report.col.trend"), r.T("report.col.range"),
		r.T("report.col.eta"), r.T("report.col.lowest"), r.T("report.col.highest")}
	widths := []float64{18, 18, 44, 10, 12, 20, 20}
	for _, g := range r.Groups {
		header = append(header, r.T("report.col.group_n", "Group", g.Name), r.T("report.col.group_mean", "Group", g.Name),
			r.T("report.col.group_sd", "Group", g.Name))
		widths = append(widths, 12, 12, 12)
	}
	s, err := x.sheet("report.sheet.groups", widths, header)
	if err != nil {
		return err
	}
	for _, gc := range r.Analysis.Groups {
		for _, row := range gc.Rows {
			vals := []any{r.QuestionName(gc.Question), row.Trend, r.TrendTitle(row.Trend), x.n2(row.Range), x.n2(row.EtaSquared),
				r.GroupName(row.Lowest), r.GroupName(row.Highest)}
			if row.Lowest == "" {
				vals[5], vals[6] = "", ""
			}
			for _, g := range r.Groups {
				i := slices.IndexFunc(row.Cells, func(c analysis.GroupCell) bool { return c.Group == g.Key })
				if i < 0 {
					vals = append(vals, nil, nil, nil)
					continue
				}
				c := row.Cells[i]
				vals = append(vals, c.Stats.Count, x.n2(c.Stats.Mean), x.n2(c.Stats.SD))
			}
			s.add(vals...)
		}
	}
	return s.done()
}

func (x *xlsxWriter) ideas() error {
	r := x.r
	s, err := x.sheet("report.sheet.ideas", []float64{18, 36, 70, 10, 10}, []string{
		r.T("report.col.key"), r.T("report.col.trend"), r.T("report.col.idea"), r.T("report.col.upvotes"), r.T("report.col.dots")})
	if err != nil {
		return err
	}
	for _, i := range r.ideasByTrend() {
		s.add(i.Trend, i.TrendTitle, styled{i.Text, x.style.wrap}, i.Upvotes, i.Dots)
	}
	return s.done()
}

func (x *xlsxWriter) dots() error {
	r := x.r
	s, err := x.sheet("report.sheet.dots", []float64{8, 70, 36, 10, 10}, []string{
		r.T("report.col.rank"), r.T("report.col.idea"), r.T("report.col.trend"), r.T("report.col.dots"), r.T("report.col.upvotes")})
	if err != nil {
		return err
	}
	for n, i := range r.dotted() {
		s.add(n+1, styled{i.Text, x.style.wrap}, i.TrendTitle, i.Dots, i.Upvotes)
	}
	return s.done()
}

func (x *xlsxWriter) answers() error {
	r := x.r
	header := make([]string, len(AnswerColumns))
	for i, c := range AnswerColumns {
		header[i] = r.T("report.answers." + c)
	}
	s, err := x.sheet("report.sheet.answers", []float64{12, 14, 22, 18, 44, 12, 8, 11}, header)
	if err != nil {
		return err
	}
	// The answers are most of the workbook: rows are written straight to
	// the stream writer, one reused row, and each participant's, group's
	// and trend's texts are neutralised once, not per answer.
	var last Answer
	var p, g, gn, t, tt, q any
	row := make([]any, len(AnswerColumns))
	text := func(s string) any {
		if s == "" {
			return nil
		}
		return Neutralise(s)
	}
	for i, a := range r.Answers {
		if i == 0 || a.Participant != last.Participant {
			p = text(a.Participant)
		}
		if i == 0 || a.Group != last.Group || a.GroupName != last.GroupName {
			g, gn = text(a.Group), text(oneLine(a.GroupName))
		}
		if i == 0 || a.Trend != last.Trend || a.TrendTitle != last.TrendTitle {
			t, tt = text(a.Trend), text(oneLine(a.TrendTitle))
		}
		if i == 0 || a.Question != last.Question {
			q = text(a.Question)
		}
		last = a
		row[0], row[1], row[2], row[3], row[4], row[5] = p, g, gn, t, tt, q
		if a.DontKnow {
			row[6], row[7] = nil, one
		} else {
			row[6], row[7] = smallInt(a.Value), zero
		}
		s.row++
		cellName, _ := excelize.CoordinatesToCellName(1, s.row)
		if err := s.sw.SetRow(cellName, row); err != nil {
			return err
		}
	}
	return s.done()
}

// Boxed small numbers for the answers' cells, so that writing 300,000
// rows does not box a number per cell.
var (
	zero, one any = 0, 1
	smallInts     = func() []any {
		out := make([]any, 32)
		for i := range out {
			out[i] = i - 16
		}
		return out
	}()
)

func smallInt(v int) any {
	if v >= -16 && v < 16 {
		return smallInts[v+16]
	}
	return v
}

// --- shared by the formats ---

func times100(n analysis.Num) analysis.Num {
	if !n.Valid() {
		return n
	}
	return n * 100
}

func (r *Report) libraryLabel() string {
	switch {
	case r.Library.Name == "":
		return ""
	case r.Library.Version > 0:
		return r.T("report.cover.library_version", "Name", r.Library.Name, "Version", r.Library.Version)
	}
	return r.Library.Name
}

func (r *Report) questionList(keys []string) string {
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = r.QuestionName(k)
	}
	return strings.Join(names, ", ")
}

func (r *Report) quadrantName(q analysis.Quadrant) string { return q.Name().String(r.Lang) }

func (r *Report) directionName(d analysis.Direction) string { return d.Name().String(r.Lang) }

// ideasByTrend returns the visible ideas, trend by trend in the order of
// the priority ranking (trends not in it last), most upvoted first.
func (r *Report) ideasByTrend() []Idea {
	pos := map[string]int{}
	for i, t := range r.Analysis.Ranking.Trends {
		pos[t.Key] = i
	}
	at := func(k string) int {
		if p, ok := pos[k]; ok {
			return p
		}
		return len(pos)
	}
	out := slices.Clone(r.Ideas)
	slices.SortStableFunc(out, func(a, b Idea) int {
		return cmp.Or(cmp.Compare(at(a.Trend), at(b.Trend)), cmp.Compare(a.Trend, b.Trend), cmp.Compare(b.Upvotes, a.Upvotes),
			cmp.Compare(b.Dots, a.Dots), a.CreatedAt.Compare(b.CreatedAt))
	})
	return out
}

// dotted returns the ideas that got dots, most dots first.
func (r *Report) dotted() []Idea {
	var out []Idea
	for _, i := range r.Ideas {
		if i.Dots > 0 {
			out = append(out, i)
		}
	}
	slices.SortStableFunc(out, func(a, b Idea) int {
		return cmp.Or(cmp.Compare(b.Dots, a.Dots), cmp.Compare(b.Upvotes, a.Upvotes), a.CreatedAt.Compare(b.CreatedAt))
	})
	return out
}
