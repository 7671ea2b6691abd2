package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/report"
	"github.com/waymark/waymark/internal/scenario"
)

// The roadmap's downloads: every initiative of the plan, lane by lane,
// with its areas, years, status, RAG, costs, effort, value and
// dependencies, then its cost in each year of the horizon. Headings are in
// the reader's language, figures are numbers, and every text cell is
// neutralised against formula injection (report.Neutralise). Like every
// member's download they are never cached.

// scExport reads the roadmap for a download. A scenario without a plan
// has nothing to download: it gets the roadmap page, which says so (409),
// and a nil scenario.
func (s *Server) scExport(w http.ResponseWriter, r *http.Request, c *call) (*domain.Scenario, *scenario.Roadmap, [][]any, []string, error) {
	l, rm, _, err := s.scRoadmapData(r, c)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	if rm == nil {
		d := &scRoadmapPage{Scenario: l.scenario, Base: c.orgPath("/scenarios/%s", l.scenario.ID)}
		return nil, nil, nil, nil, s.render(w, c, http.StatusConflict, "scenario_roadmap", c.T("scenario.roadmap.title_of", "Name", l.scenario.Name), d)
	}
	titles := map[string]string{}
	for _, in := range l.initiatives {
		titles[in.ID] = in.Title
	}
	return l.scenario, rm, c.scExportRows(rm, titles), c.scExportHeader(rm), nil
}

func scCell(v any) any {
	if s, ok := v.(string); ok {
		return report.Neutralise(s)
	}
	return v
}

func (s *Server) scenarioRoadmapCSV(w http.ResponseWriter, r *http.Request, c *call) error {
	sc, _, rows, header, err := s.scExport(w, r, c)
	if err != nil || sc == nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString("\ufeff") // so that spreadsheets read it as UTF-8
	cw := csv.NewWriter(&buf)
	head := make([]string, len(header))
	for i, h := range header {
		head[i] = report.Neutralise(h)
	}
	cw.Write(head)
	for _, row := range rows {
		rec := make([]string, len(row))
		for i, v := range row {
			switch x := v.(type) {
			case string:
				rec[i] = report.Neutralise(x)
			case int:
				rec[i] = strconv.Itoa(x)
			case int64:
				rec[i] = strconv.FormatInt(x, 10)
			case float64:
				rec[i] = strconv.FormatFloat(x, 'f', -1, 64)
			}
		}
		cw.Write(rec)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("web: roadmap csv: %w", err)
	}
	return sendDownload(w, report.ContentTypeCSV, scFileName(sc, "csv"), buf.Bytes())
}

func (s *Server) scenarioRoadmapXLSX(w http.ResponseWriter, r *http.Request, c *call) error {
	sc, rm, rows, header, err := s.scExport(w, r, c)
	if err != nil || sc == nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Roadmap"
	if name := c.T("scenario.export.sheet"); name != "" && len([]rune(name)) <= 31 {
		sheet = name
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("web: roadmap xlsx: %w", err)
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE4EE"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	moneyFmt, fteFmt := "#,##0", "0.00"
	money, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &moneyFmt})
	decimal, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &fteFmt})
	title := c.T("scenario.roadmap.title_of", "Name", sc.Name)
	_ = f.SetDocProps(&excelize.DocProperties{Title: title, Creator: "Waymark", Language: c.lang})
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = report.Neutralise(h)
	}
	if err := f.SetSheetRow(sheet, "A1", &cells); err != nil {
		return fmt.Errorf("web: roadmap xlsx: %w", err)
	}
	last, _ := excelize.ColumnNumberToName(len(header))
	_ = f.SetCellStyle(sheet, "A1", last+"1", head)
	for i, row := range rows {
		vals := make([]any, len(row))
		for j, v := range row {
			vals[j] = scCell(v)
		}
		at := "A" + strconv.Itoa(i+2)
		if err := f.SetSheetRow(sheet, at, &vals); err != nil {
			return fmt.Errorf("web: roadmap xlsx: %w", err)
		}
	}
	n := strconv.Itoa(len(rows) + 1)
	col := func(k int) string { name, _ := excelize.ColumnNumberToName(k); return name }
	// One-off and recurring cost, and the yearly costs, are money; FTE and
	// value have two decimals.
	_ = f.SetCellStyle(sheet, col(10)+"2", col(11)+n, money)
	_ = f.SetCellStyle(sheet, col(12)+"2", col(13)+n, decimal)
	if rm.End >= rm.Start {
		_ = f.SetCellStyle(sheet, col(len(scRoadmapHeaders)+1)+"2", last+n, money)
	}
	_ = f.SetColWidth(sheet, "A", "C", 28)
	_ = f.SetColWidth(sheet, "D", last, 12)
	_ = f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return fmt.Errorf("web: roadmap xlsx: %w", err)
	}
	return sendDownload(w, report.ContentTypeXLSX, scFileName(sc, "xlsx"), buf.Bytes())
}
