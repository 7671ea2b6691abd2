package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/waymark/waymark/internal/domain"
)

// A version's content lives in five tables keyed by (version_id, position),
// each with a key unique per version; a trend's lists (driving forces,
// indicators, sources, questions, tags, demand links) are JSON text in its
// row. This file writes, copies and reads them.

type contentTable struct {
	name string
	cols []string // every column but version_id, position first
}

var (
	horizonsTable = contentTable{"horizons", []string{"position", "key", "name_en", "name_sv"}}
	forcesTable   = contentTable{"driving_forces", []string{"position", "key", "name_en", "name_sv", "description_en", "description_sv"}}
	tensionsTable = contentTable{"tensions", []string{"position", "key", "name_en", "name_sv",
		"pole_a_en", "pole_a_sv", "pole_b_en", "pole_b_sv", "description_en", "description_sv"}}
	trendsTable = contentTable{"trends", []string{"position", "key", "title_en", "title_sv", "summary_en", "summary_sv",
		"description_en", "description_sv", "category", "driving_forces", "horizon", "indicators", "sources",
		"questions", "tags", "is_new", "movement", "demands"}}
	areasTable = contentTable{"capability_areas", []string{"position", "key", "name_en", "name_sv",
		"description_en", "description_sv", "levels"}}

	contentTables = []contentTable{horizonsTable, forcesTable, tensionsTable, trendsTable, areasTable}
)

// maxRowsPerInsert keeps multi-row statements a reasonable size.
const maxRowsPerInsert = 250

// insertRows inserts rows (values for version_id followed by t.cols) with
// execRows.
func insertRows(ctx context.Context, tx *sql.Tx, batchParams int, t contentTable, rows [][]any) error {
	head := "INSERT INTO " + t.name + " (version_id, " + strings.Join(t.cols, ", ") + ") VALUES "
	_, err := execRows(ctx, tx, batchParams, head, len(t.cols)+1, "", rows)
	return err
}

// execRows runs head VALUES-rows tail for rows of ncol values each, with
// statements of as many rows as fit in batchParams parameters (at least
// one): one statement text for the full batches, prepared once, and one for
// the rest. It returns the number of rows the statements affected.
func execRows(ctx context.Context, tx *sql.Tx, batchParams int, head string, ncol int, tail string, rows [][]any) (int64, error) {
	if len(rows) == 0 {
		return 0, nil
	}
	per := max(1, min(maxRowsPerInsert, batchParams/ncol, len(rows)))
	full := len(rows) / per * per
	var affected int64
	count := func(res sql.Result) error {
		n, err := res.RowsAffected()
		affected += n
		return err
	}

	if full > 0 {
		stmt, err := tx.PrepareContext(ctx, valuesSQL(head, ncol, per, tail))
		if err != nil {
			return 0, err
		}
		defer stmt.Close()
		args := make([]any, 0, per*ncol)
		for i := 0; i < full; i += per {
			args = args[:0]
			for _, r := range rows[i : i+per] {
				args = append(args, r...)
			}
			res, err := stmt.ExecContext(ctx, args...)
			if err != nil {
				return 0, err
			}
			if err := count(res); err != nil {
				return 0, err
			}
		}
	}
	if rest := rows[full:]; len(rest) > 0 {
		args := make([]any, 0, len(rest)*ncol)
		for _, r := range rest {
			args = append(args, r...)
		}
		res, err := tx.ExecContext(ctx, valuesSQL(head, ncol, len(rest), tail), args...)
		if err != nil {
			return 0, err
		}
		if err := count(res); err != nil {
			return 0, err
		}
	}
	return affected, nil
}

// valuesSQL returns head followed by nrows tuples of ncol numbered
// parameters and tail.
func valuesSQL(head string, ncol, nrows int, tail string) string {
	var b strings.Builder
	b.WriteString(head)
	n := 1
	for r := range nrows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range ncol {
			if c > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			n++
		}
		b.WriteByte(')')
	}
	b.WriteString(tail)
	return b.String()
}

// insertContent writes c as the content of version vid.
func insertContent(ctx context.Context, tx *sql.Tx, batchParams int, vid string, c *domain.Content) error {
	rows := make([][]any, 0, len(c.Horizons))
	for i, h := range c.Horizons {
		rows = append(rows, []any{vid, i, h.Key, h.Name.EN, h.Name.SV})
	}
	if err := insertRows(ctx, tx, batchParams, horizonsTable, rows); err != nil {
		return err
	}

	rows = make([][]any, 0, len(c.DrivingForces))
	for i, f := range c.DrivingForces {
		rows = append(rows, []any{vid, i, f.Key, f.Name.EN, f.Name.SV, f.Description.EN, f.Description.SV})
	}
	if err := insertRows(ctx, tx, batchParams, forcesTable, rows); err != nil {
		return err
	}

	rows = make([][]any, 0, len(c.Tensions))
	for i, t := range c.Tensions {
		rows = append(rows, []any{vid, i, t.Key, t.Name.EN, t.Name.SV, t.PoleA.EN, t.PoleA.SV,
			t.PoleB.EN, t.PoleB.SV, t.Description.EN, t.Description.SV})
	}
	if err := insertRows(ctx, tx, batchParams, tensionsTable, rows); err != nil {
		return err
	}

	rows = make([][]any, 0, len(c.Trends))
	for i, t := range c.Trends {
		var lists [6]string
		var err error
		for j, enc := range []func() (string, error){
			func() (string, error) { return jsonList(t.DrivingForces) },
			func() (string, error) { return jsonList(t.Indicators) },
			func() (string, error) { return jsonList(t.Sources) },
			func() (string, error) { return jsonList(t.Questions) },
			func() (string, error) { return jsonList(t.Tags) },
			func() (string, error) { return jsonList(t.Demands) },
		} {
			if lists[j], err = enc(); err != nil {
				return fmt.Errorf("trend %s: %w", t.Key, err)
			}
		}
		rows = append(rows, []any{vid, i, t.Key, t.Title.EN, t.Title.SV, t.Summary.EN, t.Summary.SV,
			t.Description.EN, t.Description.SV, string(t.Category), lists[0], t.Horizon, lists[1], lists[2],
			lists[3], lists[4], t.IsNew, t.Movement, lists[5]})
	}
	if err := insertRows(ctx, tx, batchParams, trendsTable, rows); err != nil {
		return err
	}

	rows = make([][]any, 0, len(c.CapabilityAreas))
	for i, a := range c.CapabilityAreas {
		levels, err := jsonList(a.Levels[:])
		if err != nil {
			return fmt.Errorf("capability area %s: %w", a.Key, err)
		}
		rows = append(rows, []any{vid, i, a.Key, a.Name.EN, a.Name.SV, a.Description.EN, a.Description.SV, levels})
	}
	return insertRows(ctx, tx, batchParams, areasTable, rows)
}

// copyContent copies the content of version from to version to, in the
// database.
func copyContent(ctx context.Context, tx *sql.Tx, to, from string) error {
	for _, t := range contentTables {
		cols := strings.Join(t.cols, ", ")
		// The cast tells PostgreSQL the parameter's type, which it cannot
		// infer in a select list.
		q := "INSERT INTO " + t.name + " (version_id, " + cols + ") SELECT CAST($1 AS TEXT), " + cols +
			" FROM " + t.name + " WHERE version_id = $2"
		if _, err := tx.ExecContext(ctx, q, to, from); err != nil {
			return fmt.Errorf("copy %s: %w", t.name, err)
		}
	}
	return nil
}

// deleteContent removes the content of version vid.
func deleteContent(ctx context.Context, tx *sql.Tx, vid string) error {
	for _, t := range contentTables {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+t.name+" WHERE version_id = $1", vid); err != nil {
			return fmt.Errorf("delete %s: %w", t.name, err)
		}
	}
	return nil
}

// loadContent reads the items of version vid into c, one query per table.
func loadContent(ctx context.Context, q queryer, vid string, c *domain.Content) error {
	err := each(ctx, q, horizonsTable, vid, func(sc scanner) error {
		var h domain.Horizon
		if err := sc.Scan(&h.Key, &h.Name.EN, &h.Name.SV); err != nil {
			return err
		}
		c.Horizons = append(c.Horizons, h)
		return nil
	})
	if err != nil {
		return err
	}
	err = each(ctx, q, forcesTable, vid, func(sc scanner) error {
		var f domain.DrivingForce
		if err := sc.Scan(&f.Key, &f.Name.EN, &f.Name.SV, &f.Description.EN, &f.Description.SV); err != nil {
			return err
		}
		c.DrivingForces = append(c.DrivingForces, f)
		return nil
	})
	if err != nil {
		return err
	}
	err = each(ctx, q, tensionsTable, vid, func(sc scanner) error {
		var t domain.Tension
		if err := sc.Scan(&t.Key, &t.Name.EN, &t.Name.SV, &t.PoleA.EN, &t.PoleA.SV, &t.PoleB.EN, &t.PoleB.SV,
			&t.Description.EN, &t.Description.SV); err != nil {
			return err
		}
		c.Tensions = append(c.Tensions, t)
		return nil
	})
	if err != nil {
		return err
	}
	err = each(ctx, q, trendsTable, vid, func(sc scanner) error {
		var t domain.Trend
		var forces, indicators, sources, questions, tags, demands string
		if err := sc.Scan(&t.Key, &t.Title.EN, &t.Title.SV, &t.Summary.EN, &t.Summary.SV, &t.Description.EN,
			&t.Description.SV, (*string)(&t.Category), &forces, &t.Horizon, &indicators, &sources, &questions,
			&tags, &t.IsNew, &t.Movement, &demands); err != nil {
			return err
		}
		var err error
		if t.DrivingForces, err = parseList[string](forces); err != nil {
			return fmt.Errorf("trend %s: driving forces: %w", t.Key, err)
		}
		if t.Indicators, err = parseList[domain.Text](indicators); err != nil {
			return fmt.Errorf("trend %s: indicators: %w", t.Key, err)
		}
		if t.Sources, err = parseList[domain.Source](sources); err != nil {
			return fmt.Errorf("trend %s: sources: %w", t.Key, err)
		}
		if t.Questions, err = parseList[domain.Text](questions); err != nil {
			return fmt.Errorf("trend %s: questions: %w", t.Key, err)
		}
		if t.Tags, err = parseList[string](tags); err != nil {
			return fmt.Errorf("trend %s: tags: %w", t.Key, err)
		}
		if t.Demands, err = parseList[domain.Demand](demands); err != nil {
			return fmt.Errorf("trend %s: demands: %w", t.Key, err)
		}
		c.Trends = append(c.Trends, t)
		return nil
	})
	if err != nil {
		return err
	}
	return each(ctx, q, areasTable, vid, func(sc scanner) error {
		var a domain.CapabilityArea
		var levels string
		if err := sc.Scan(&a.Key, &a.Name.EN, &a.Name.SV, &a.Description.EN, &a.Description.SV, &levels); err != nil {
			return err
		}
		ls, err := parseList[domain.Text](levels)
		if err != nil || len(ls) > len(a.Levels) {
			return fmt.Errorf("capability area %s: levels %q: %v", a.Key, levels, err)
		}
		copy(a.Levels[:], ls)
		c.CapabilityAreas = append(c.CapabilityAreas, a)
		return nil
	})
}

type scanner interface{ Scan(dest ...any) error }

// each runs fn for every row of table t that belongs to version vid, in
// display order, with every column but version_id and position.
func each(ctx context.Context, q queryer, t contentTable, vid string, fn func(scanner) error) error {
	rows, err := q.QueryContext(ctx,
		"SELECT "+strings.Join(t.cols[1:], ", ")+" FROM "+t.name+" WHERE version_id = $1 ORDER BY position", vid)
	if err != nil {
		return fmt.Errorf("read %s: %w", t.name, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return fmt.Errorf("read %s: %w", t.name, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", t.name, err)
	}
	return nil
}
