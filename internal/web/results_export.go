package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"

	"github.com/waymark/waymark/internal/report"
	"github.com/waymark/waymark/internal/service"
)

// resultsFile is one of the report files a member can download.
type resultsFile struct {
	ext         string // in the path: /report.pdf
	label       string // message id of the link text
	contentType string
	answers     bool // holds the anonymised answers
	write       func(io.Writer, *report.Report) error
}

var resultsFiles = []resultsFile{
	{"pdf", "results.download.pdf", report.ContentTypePDF, false, report.PDF},
	{"xlsx", "results.download.xlsx", report.ContentTypeXLSX, true, report.XLSX},
	{"csv", "results.download.csv", report.ContentTypeCSV, true, report.AnswersCSV},
	{"json", "results.download.json", report.ContentTypeJSON, false, report.AggregatesJSON},
}

// registerResultsFiles adds a route per report file. They are ordinary
// signed-in pages: the session and the membership are checked on every
// download, so a copied link is of no use to anyone else.
func (s *Server) registerResultsFiles() {
	for _, f := range resultsFiles {
		s.handle("GET /o/{org}/workshops/{id}/report."+f.ext, Member, func(w http.ResponseWriter, r *http.Request, c *call) error {
			return s.resultsDownload(w, r, c, f)
		})
	}
}

// downloads lists the report files of the workshop at base.
func (c *call) downloads(base string) []option {
	out := make([]option, len(resultsFiles))
	for i, f := range resultsFiles {
		out[i] = option{Value: base + "/report." + f.ext, Label: c.T(f.label)}
	}
	return out
}

// resultsDownload writes one report file in the reader's language.
func (s *Server) resultsDownload(w http.ResponseWriter, r *http.Request, c *call, f resultsFile) error {
	ctx := r.Context()
	e, err := s.svc.WorkshopExport(ctx, c.actor, r.PathValue("id"), service.ResultsOptions{Lang: c.lang}, f.answers)
	if err != nil {
		return err
	}
	rep, err := report.Build(report.Source{
		Lang: c.lang, T: func(id string, args ...any) string { return s.cat.T(c.lang, id, args...) },
		Organisation: c.org.Name, Workshop: e.Workshop, Version: e.Version, Input: e.Input, Analysis: e.Analysis,
		Joined: e.Joined, Answers: e.Answers, ParticipantGroups: e.ParticipantGroups, Ideas: e.Ideas,
	})
	if err != nil {
		return fmt.Errorf("web: report of workshop %s: %w", e.Workshop.ID, err)
	}
	var buf bytes.Buffer
	if err := f.write(&buf, rep); err != nil {
		return fmt.Errorf("web: %s report of workshop %s: %w", f.ext, e.Workshop.ID, err)
	}
	return sendDownload(w, f.contentType, rep.FileName(f.ext), buf.Bytes())
}
