package library

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/waymark/waymark/internal/domain"
)

// csvColumns are the columns of the flat CSV format in the order exports
// write them. docs/formats.md explains each.
var csvColumns = []string{
	"key", "category",
	"title_en", "title_sv", "summary_en", "summary_sv", "description_en", "description_sv",
	"driving_forces", "horizon",
	"indicators_en", "indicators_sv", "sources", "questions_en", "questions_sv", "tags",
}

// parseCSV reads the flat CSV format.
func parseCSV(data []byte, opt ParseOptions, ps *problems) *domain.Content {
	t := readTable(data, ps, func(h string) string {
		if slices.Contains(csvColumns, h) {
			return h
		}
		return ""
	})
	if t == nil {
		return nil
	}
	headerRow := strconv.Itoa(t.line)
	complete := true
	if _, ok := t.col["category"]; !ok {
		ps.add(t.line, -1, headerRow, "", `missing column "category"`)
		complete = false
	}
	_, en := t.col["title_en"]
	_, sv := t.col["title_sv"]
	if !en && !sv {
		ps.add(t.line, -1, headerRow, "", `missing column "title_en" or "title_sv": a trend needs a title`)
		complete = false
	}
	if len(t.rows) == 0 && !ps.any() {
		ps.add(t.line, -1, headerRow, "", "the file has a header but no trend rows")
	}
	checkRowCount(t, ps)
	if !complete || len(t.rows) == 0 {
		return nil
	}

	c := &domain.Content{Name: textIn(opt.Lang, opt.Name)}
	forces := newNamed("driving-force")
	horizons := newNamed("horizon")
	for _, d := range domain.DefaultHorizons() {
		i := len(horizons.items)
		horizons.items = append(horizons.items, namedItem{key: d.Key})
		horizons.keys.used[d.Key] = true
		for _, s := range []string{d.Key, d.Name.EN, d.Name.SV} {
			horizons.byID["s:"+domain.Slugify(s)] = i
		}
	}
	// Keys written in the file come first; keys derived from titles avoid them.
	keys := newKeys("trend")
	for _, r := range t.rows {
		if k := t.get(r, "key"); k != "" {
			keys.used[k] = true
		}
	}
	type itemRef struct{ trend, item int }
	skip := map[itemRef]bool{}   // sources reported as malformed
	titleRow := map[string]int{} // titles of trends without a key → row
	for i, r := range t.rows {
		tr := domain.Trend{
			Key:         t.get(r, "key"),
			Category:    parseCategory(t.get(r, "category")),
			Title:       domain.Text{EN: t.get(r, "title_en"), SV: t.get(r, "title_sv")},
			Summary:     domain.Text{EN: t.get(r, "summary_en"), SV: t.get(r, "summary_sv")},
			Description: domain.Text{EN: t.get(r, "description_en"), SV: t.get(r, "description_sv")},
			Indicators:  pairLines(t.get(r, "indicators_en"), t.get(r, "indicators_sv")),
			Questions:   pairLines(t.get(r, "questions_en"), t.get(r, "questions_sv")),
			Tags:        list(t.get(r, "tags")),
		}
		if tr.Key == "" {
			title := tr.Title.String("en")
			tr.Key = keys.take(domain.Slugify(title))
			if prev, dup := titleRow[title]; dup && title != "" {
				addRowProblem(ps, t, r, titleColumn(t, tr.Title), fmt.Sprintf("%q is used twice: also on row %d; give the trends different titles or keys", title, prev))
			} else {
				titleRow[title] = r.line
			}
		}
		for _, name := range list(t.get(r, "driving_forces")) {
			tr.DrivingForces = append(tr.DrivingForces, forces.key(name, r))
		}
		if h := t.get(r, "horizon"); h != "" {
			tr.Horizon = horizons.key(h, r)
		}
		for j, l := range lines(t.get(r, "sources")) {
			parts := strings.Split(l, "|")
			if len(parts) > 3 {
				addRowProblem(ps, t, r, "sources", fmt.Sprintf("item %d has %d parts; write title | url | date", j+1, len(parts)))
				skip[itemRef{i, j}] = true
				parts = parts[:3]
			}
			for len(parts) < 3 {
				parts = append(parts, "")
			}
			tr.Sources = append(tr.Sources, domain.Source{
				Title: strings.TrimSpace(parts[0]), URL: strings.TrimSpace(parts[1]), Date: strings.TrimSpace(parts[2]),
			})
		}
		c.Trends = append(c.Trends, tr)
	}
	for _, f := range forces.items {
		c.DrivingForces = append(c.DrivingForces, domain.DrivingForce{Key: f.key, Name: textIn(opt.Lang, f.name)})
	}
	c.Horizons = domain.DefaultHorizons()
	for _, h := range horizons.items[len(c.Horizons):] {
		c.Horizons = append(c.Horizons, domain.Horizon{Key: h.key, Name: textIn(opt.Lang, h.name)})
	}

	dups := &duplicates{c: c}
	for _, cp := range c.Validate() {
		i := cp.Ref.Index
		switch cp.Ref.Kind {
		case "trend":
			r := t.rows[i]
			f := splitField(cp.Ref.Field)
			if f.base == "sources" && skip[itemRef{i, f.index}] {
				continue
			}
			column, msg := csvTrendField(f, cp.Message)
			if f.base == "title" && f.lang == "" {
				column, msg = titleColumn(t, domain.Text{}), "is empty; a trend needs a title in title_en or title_sv"
			}
			if cp.Ref.Field == "key" {
				if j, k := dups.of("trend", i); j >= 0 {
					msg = fmt.Sprintf("%q is used twice: also on row %d", k, t.rows[j].line)
				}
			}
			addRowProblem(ps, t, r, column, msg)
		case "driving_force":
			it := forces.items[i]
			addRowProblem(ps, t, it.row, "driving_forces", fmt.Sprintf("%q %s", short(it.name), cp.Message))
		case "horizon":
			if i < len(horizons.items) && horizons.items[i].row.cells != nil {
				it := horizons.items[i]
				addRowProblem(ps, t, it.row, "horizon", fmt.Sprintf("%q %s", short(it.name), cp.Message))
			} else {
				ps.add(0, 0, "", "horizon", cp.Message)
			}
		default: // the library itself: its name comes from ParseOptions.Name
			ps.add(0, 0, "", splitField(cp.Ref.Field).base, cp.Message)
		}
	}
	if ps.any() {
		return nil
	}
	return c
}

// csvTrendField names the CSV column of a Validate field of a trend and
// words the message for it: "title.en" is column title_en, the third
// indicator in Swedish is "item 3" of indicators_sv.
func csvTrendField(f parsedField, msg string) (column, message string) {
	switch f.base {
	case "title", "summary", "description":
		if f.lang != "" {
			return f.base + "_" + f.lang, msg
		}
		return f.base, msg
	case "indicators", "questions":
		if f.index < 0 {
			return f.base + "_en", msg
		}
		lang := f.lang
		if lang == "" {
			lang = "en"
		}
		return f.base + "_" + lang, fmt.Sprintf("item %d %s", f.index+1, msg)
	case "sources":
		if f.index < 0 {
			return "sources", msg
		}
		return "sources", fmt.Sprintf("item %d: %s %s", f.index+1, f.rest, msg)
	case "tags":
		if f.index < 0 {
			return "tags", msg
		}
		return "tags", fmt.Sprintf("item %d %s", f.index+1, msg)
	case "driving_forces":
		return "driving_forces", msg
	}
	return f.base, msg
}

// parseCategory reads a category by its key or its English or Swedish name,
// in any case. Other values are kept for Validate to report.
func parseCategory(s string) domain.Category {
	switch strings.ToLower(s) {
	case "societal", "samhälle":
		return domain.Societal
	case "digital":
		return domain.Digital
	case "technology", "teknik":
		return domain.Technology
	}
	return domain.Category(s)
}

// pairLines pairs line n of an English cell with line n of a Swedish one.
func pairLines(en, sv string) []domain.Text {
	e, s := lines(en), lines(sv)
	var out []domain.Text
	for i := 0; i < max(len(e), len(s)); i++ {
		var t domain.Text
		if i < len(e) {
			t.EN = e[i]
		}
		if i < len(s) {
			t.SV = s[i]
		}
		out = append(out, t)
	}
	return out
}

// writeCSV writes the flat CSV format, with a UTF-8 byte-order mark so that
// spreadsheets read å, ä and ö right. It leaves out what the format cannot
// hold: the library's description and attribution, fields of tension,
// capability areas, driving-force descriptions and Swedish names, horizons no
// trend uses, and the radar fields is_new and status.
func writeCSV(w io.Writer, c *domain.Content) error {
	if _, err := w.Write(bom); err != nil {
		return fmt.Errorf("library: write csv: %w", err)
	}
	cw := csvWriter{csv.NewWriter(w)}
	cw.row(slices.Clone(csvColumns)...)
	for _, t := range c.Trends {
		var forces []string
		for _, k := range t.DrivingForces {
			forces = append(forces, forceName(c, k))
		}
		var sources []string
		for _, s := range t.Sources {
			l := s.Title
			if s.URL != "" || s.Date != "" {
				l += " | " + s.URL
			}
			if s.Date != "" {
				l += " | " + s.Date
			}
			sources = append(sources, l)
		}
		cw.row(
			t.Key, string(t.Category),
			t.Title.EN, t.Title.SV, t.Summary.EN, t.Summary.SV, t.Description.EN, t.Description.SV,
			strings.Join(forces, "; "), horizonName(c, t.Horizon),
			joinLang(t.Indicators, "en"), joinLang(t.Indicators, "sv"),
			strings.Join(sources, "\n"),
			joinLang(t.Questions, "en"), joinLang(t.Questions, "sv"),
			strings.Join(t.Tags, "; "),
		)
	}
	if err := cw.flush(); err != nil {
		return fmt.Errorf("library: write csv: %w", err)
	}
	return nil
}

// joinLang writes one language of a list of texts one per line.
func joinLang(ts []domain.Text, lang string) string {
	var out []string
	for _, t := range ts {
		s := t.EN
		if lang == "sv" {
			s = t.SV
		}
		if s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, "\n")
}

// forceName is a driving force's name in English, else Swedish, else its key.
func forceName(c *domain.Content, key string) string {
	if f, ok := c.DrivingForce(key); ok && !f.Name.IsZero() {
		return f.Name.String("en")
	}
	return key
}

// horizonName is a horizon's name in English, else Swedish, else its key.
func horizonName(c *domain.Content, key string) string {
	if key == "" {
		return ""
	}
	if h, ok := c.HorizonByKey(key); ok && !h.Name.IsZero() {
		return h.Name.String("en")
	}
	return key
}

// titleColumn names the column a trend's title comes from: title_en when it
// has an English title or the file has that column, else title_sv.
func titleColumn(t *table, title domain.Text) string {
	if title.EN != "" {
		return "title_en"
	}
	if title.SV != "" {
		return "title_sv"
	}
	if _, ok := t.col["title_en"]; ok {
		return "title_en"
	}
	return "title_sv"
}
