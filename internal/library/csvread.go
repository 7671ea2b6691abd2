package library

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/waymark/waymark/internal/domain"
)

// table is a CSV file read into memory: the header and the rows that can be
// used, each with the line it starts on.
type table struct {
	extra  int      // rows after the first domain.MaxTrends, counted but not kept
	line   int      // the line of the header row
	header []string // header cells, trimmed, as written
	names  []string // canonical column names, "" for unknown columns
	col    map[string]int
	rows   []tableRow
}

type tableRow struct {
	line  int
	cells []string
}

// get returns the cell of column name, trimmed and with a spreadsheet
// formula guard removed, or "" when the file has no such column.
func (t *table) get(r tableRow, name string) string {
	i, ok := t.col[name]
	if !ok {
		return ""
	}
	return unguard(strings.TrimSpace(r.cells[i]))
}

// colIndex returns the position of column name in the file, for sorting
// problems, or a large number when the file has no such column.
func (t *table) colIndex(name string) int {
	if i, ok := t.col[name]; ok {
		return i
	}
	return 1 << 20
}

// readTable reads a CSV file with a header row. It keeps at most
// domain.MaxTrends rows and counts the others. The delimiter is a comma,
// a semicolon or a tab, whichever the header row uses most. It reports broken
// quoting, rows with the wrong number of cells and cells that are not UTF-8;
// such rows are left out of the table. Rows whose cells are all empty are
// skipped. canonical maps a header cell (lower case) to its column name; it
// returns "" for unknown columns, which are reported. The result is nil when
// the header cannot be read.
func readTable(data []byte, ps *problems, canonical func(string) string) *table {
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = sniffComma(data)
	r.FieldsPerRecord = -1
	lx := lineIndex{data: data}
	var t *table
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				ps.add(0, 0, "", "", "cannot read the file as CSV: "+err.Error())
				return nil
			}
			ps.add(pe.StartLine, -1, strconv.Itoa(pe.StartLine), "", quotingMessage(pe, &lx))
			if t == nil {
				return nil // the header itself is broken
			}
			continue
		}
		line, _ := r.FieldPos(0)
		if t == nil {
			t = readHeader(rec, line, ps, canonical)
			continue
		}
		if allEmpty(rec) {
			continue
		}
		if len(rec) > len(t.header) && allEmpty(rec[len(t.header):]) {
			rec = rec[:len(t.header)] // trailing empty cells, as spreadsheets write them
		}
		row := strconv.Itoa(line)
		if len(rec) != len(t.header) {
			ps.add(line, -1, row, "", fmt.Sprintf("has %s; the header has %d", plural(len(rec), "cell"), len(t.header)))
			continue
		}
		ok := true
		for i, cell := range rec {
			if !utf8.ValidString(cell) {
				ps.add(line, i, row, t.fieldName(i), "is not valid UTF-8; save the file as UTF-8")
				ok = false
			}
		}
		switch {
		case !ok:
		case len(t.rows) < domain.MaxTrends:
			t.rows = append(t.rows, tableRow{line, rec})
		default:
			t.extra++
		}
	}
	if t == nil {
		ps.add(0, 0, "", "", "file is empty")
	}
	return t
}

func readHeader(rec []string, line int, ps *problems, canonical func(string) string) *table {
	t := &table{line: line, col: map[string]int{}}
	row := strconv.Itoa(line)
	for len(rec) > 1 && strings.TrimSpace(rec[len(rec)-1]) == "" {
		rec = rec[:len(rec)-1] // a trailing delimiter, as some spreadsheets write
	}
	for i, h := range rec {
		h = strings.TrimSpace(h)
		t.header = append(t.header, h)
		name := ""
		switch {
		case !utf8.ValidString(h):
			ps.add(line, i, row, "", fmt.Sprintf("column %d: the header is not valid UTF-8; save the file as UTF-8", i+1))
		case h == "":
			ps.add(line, i, row, "", fmt.Sprintf("column %d has no name in the header", i+1))
		default:
			name = canonical(strings.ToLower(h))
			if name == "" {
				ps.add(line, i, row, "", fmt.Sprintf("unknown column %q", h))
			} else if _, dup := t.col[name]; dup {
				ps.add(line, i, row, "", fmt.Sprintf("column %q appears twice", name))
				name = ""
			} else {
				t.col[name] = i
			}
		}
		t.names = append(t.names, name)
	}
	return t
}

// fieldName names column i in problems: its canonical name, or the header
// cell as written.
func (t *table) fieldName(i int) string {
	if i < len(t.names) && t.names[i] != "" {
		return t.names[i]
	}
	if i < len(t.header) && utf8.ValidString(t.header[i]) {
		return t.header[i]
	}
	return fmt.Sprintf("column %d", i+1)
}

func allEmpty(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// sniffComma returns the delimiter the first line uses most: ',' (also when
// there is none), ';' (spreadsheets in Swedish and other locales that use a
// decimal comma) or '\t'.
func sniffComma(data []byte) rune {
	counts := map[rune]int{}
	quoted := false
	for _, c := range data {
		if c == '"' {
			quoted = !quoted
		}
		if quoted {
			continue
		}
		if c == '\n' {
			break
		}
		if c == ',' || c == ';' || c == '\t' {
			counts[rune(c)]++
		}
	}
	best := ','
	for _, c := range []rune{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

// firstRecord returns the cells of the first CSV record, or nil.
func firstRecord(data []byte) []string {
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = sniffComma(data)
	r.FieldsPerRecord = -1
	rec, _ := r.Read()
	return rec
}

// quotingMessage explains a csv.ParseError in plain words, with the line and
// column (in characters) where reading failed.
func quotingMessage(pe *csv.ParseError, lx *lineIndex) string {
	col := lx.charColumn(pe.Line, pe.Column)
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return fmt.Sprintf(`broken quoting at line %d, column %d: a " inside a cell that does not start with one; put the cell in quotes and write the " twice ("")`, pe.Line, col)
	case errors.Is(pe.Err, csv.ErrQuote):
		if lx.atEnd(pe.Line, pe.Column) {
			return `broken quoting: a quoted cell that starts on this row is never closed; a " is missing`
		}
		return fmt.Sprintf(`broken quoting at line %d, column %d: a quoted cell goes on after its closing "; write a " inside a quoted cell twice ("")`, pe.Line, col)
	}
	return fmt.Sprintf("cannot read this row at line %d, column %d: %v", pe.Line, col, pe.Err)
}

// lineIndex finds where lines start, indexing the data on first use.
type lineIndex struct {
	data   []byte
	starts []int
}

// start returns the byte offset of the start of 1-based line n.
func (lx *lineIndex) start(n int) int {
	if lx.starts == nil {
		lx.starts = []int{0}
		for i, c := range lx.data {
			if c == '\n' {
				lx.starts = append(lx.starts, i+1)
			}
		}
	}
	if n < 1 {
		return 0
	}
	if n > len(lx.starts) {
		return len(lx.data)
	}
	return lx.starts[n-1]
}

// charColumn turns a 1-based byte column on a line into a character column.
func (lx *lineIndex) charColumn(line, byteCol int) int {
	start := lx.start(line)
	end := min(start+max(byteCol-1, 0), len(lx.data))
	return 1 + utf8.RuneCount(lx.data[start:end])
}

// atEnd reports whether the position is at the end of the data, ignoring
// trailing line breaks: where csv.Reader reports a quoted cell never closed.
func (lx *lineIndex) atEnd(line, byteCol int) bool {
	off := lx.start(line) + max(byteCol-1, 0)
	return off >= len(bytes.TrimRight(lx.data, "\r\n"))
}

// Cells beginning with one of these characters are run as formulas by
// spreadsheets. Exports put an apostrophe before them (and before cells that
// already begin with apostrophes followed by one of them), which spreadsheets
// read as "this is text"; imports take one apostrophe off again.
const formulaStarts = "=+-@\t\r"

func guard(s string) string {
	rest := strings.TrimLeft(s, "'")
	if rest != "" && strings.IndexByte(formulaStarts, rest[0]) >= 0 {
		return "'" + s
	}
	return s
}

func unguard(s string) string {
	if strings.HasPrefix(s, "'") {
		rest := strings.TrimLeft(s, "'")
		if rest != "" && strings.IndexByte(formulaStarts, rest[0]) >= 0 {
			return s[1:]
		}
	}
	return s
}

// lines splits a multi-line cell into its non-empty, trimmed lines.
func lines(s string) []string {
	var out []string
	for l := range strings.SplitSeq(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// list splits a semicolon-separated cell into its non-empty, trimmed parts.
func list(s string) []string {
	var out []string
	for p := range strings.SplitSeq(s, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// keyAllocator hands out unique keys: the base itself, or base-2, base-3 …
// when it is taken. An empty base becomes fallback.
type keyAllocator struct {
	used     map[string]bool
	next     map[string]int // the next suffix to try for a base
	fallback string
}

func newKeys(fallback string) *keyAllocator {
	return &keyAllocator{used: map[string]bool{}, next: map[string]int{}, fallback: fallback}
}

func (a *keyAllocator) take(base string) string {
	if base == "" {
		base = a.fallback
	}
	k := base
	n := max(a.next[base], 2)
	defer func() { a.next[base] = n }()
	for ; a.used[k]; n++ {
		suffix := "-" + strconv.Itoa(n)
		b := base
		if len(b)+len(suffix) > domain.MaxKeyLen {
			b = strings.TrimRight(b[:domain.MaxKeyLen-len(suffix)], "-")
		}
		k = b + suffix
	}
	a.used[k] = true
	return k
}

// named collects the distinct driving forces or horizons a CSV file names,
// in order of first appearance. Names that give the same key (ignoring case
// and punctuation) are one item; names with no letters or digits a-z, 0-9
// are told apart by their exact spelling.
type named struct {
	keys  *keyAllocator
	byID  map[string]int
	items []namedItem
}

type namedItem struct {
	key, name string
	row       tableRow // the first row that names it
}

func newNamed(fallback string) *named {
	return &named{keys: newKeys(fallback), byID: map[string]int{}}
}

// key returns the key for name, adding the item the first time.
func (n *named) key(name string, row tableRow) string {
	slug := domain.Slugify(name)
	id := "s:" + slug
	if slug == "" {
		id = "n:" + name
	}
	if i, ok := n.byID[id]; ok {
		return n.items[i].key
	}
	k := n.keys.take(slug)
	n.byID[id] = len(n.items)
	n.items = append(n.items, namedItem{k, name, row})
	return k
}

// textIn returns s as a Text in lang.
func textIn(lang, s string) domain.Text {
	if lang == "sv" {
		return domain.Text{SV: s}
	}
	return domain.Text{EN: s}
}

// csvWriter writes rows with every cell guarded against formulas.
type csvWriter struct{ w *csv.Writer }

func (c csvWriter) row(cells ...string) {
	for i, s := range cells {
		cells[i] = guard(s)
	}
	c.w.Write(cells) // the error is kept by the csv.Writer and returned by Flush
}

func (c csvWriter) flush() error {
	c.w.Flush()
	return c.w.Error()
}

// addRowProblem adds a problem at a row, sorted by the column's position.
func addRowProblem(ps *problems, t *table, r tableRow, column, msg string) {
	ps.add(r.line, t.colIndex(column), strconv.Itoa(r.line), column, msg)
}

// short cuts s to 40 characters for quoting in messages.
func short(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	return string([]rune(s)[:39]) + "…"
}

// plural returns "1 cell", "2 cells" ….
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// checkRowCount reports a file with more rows than a library may have trends.
func checkRowCount(t *table, ps *problems) {
	if t.extra > 0 {
		ps.add(t.line, -1, strconv.Itoa(t.line), "", fmt.Sprintf("the file has %d rows; a library has at most %d trends", len(t.rows)+t.extra, domain.MaxTrends))
	}
}
