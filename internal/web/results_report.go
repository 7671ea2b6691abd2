package web

import (
	"net/http"
)

// resultsReport is the printable report of a workshop's results: a cover
// with the participation by group, the method, and the views a board reads
// (priorities, matrix, radar, fields of tension, disagreements, ideas and
// dots), without the page's forms. The print stylesheet gives it page
// breaks; the same content comes as a PDF from the download links.
func (s *Server) resultsReport(w http.ResponseWriter, r *http.Request, c *call) error {
	d, err := s.resultsData(r, c, r.URL.Query(), nil)
	if err != nil {
		return err
	}
	d.Report = true
	return s.render(w, c, http.StatusOK, "report", c.T("results.report.title")+": "+d.Workshop.Title, d)
}
