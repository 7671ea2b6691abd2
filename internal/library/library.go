// Package library reads and writes trend libraries in Waymark's three file
// formats: the canonical JSON format "waymark.library/v1", a flat CSV with one
// row per trend, and the CSV of the "build your own radar" tool. The formats
// are documented for users in docs/formats.md.
//
// Import is all or nothing: Parse checks the whole file and returns either
// valid content or every problem it found, each with file, row or JSON path,
// field and a message in plain English. The package does no other I/O.
package library

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/waymark/waymark/internal/domain"
)

// Format is a library file format.
type Format string

// The file formats Waymark reads and writes.
const (
	FormatJSON  Format = "json"  // canonical JSON, "format": "waymark.library/v1"
	FormatCSV   Format = "csv"   // flat CSV, one row per trend, both languages
	FormatRadar Format = "radar" // "build your own radar" CSV: name,ring,quadrant,isNew,description[,status]
)

// FormatTag is the value of the "format" field of a canonical JSON library.
const FormatTag = "waymark.library/v1"

// MaxFileSize is the largest file Parse accepts, in bytes. Callers reading
// from a network or a disk should read at most MaxFileSize+1 bytes (for
// example with http.MaxBytesReader or io.LimitReader) and pass what they got:
// Parse then reports the file as too large.
const MaxFileSize = 10 << 20

// MaxProblems is the most problems Parse returns; when there are more, the
// last one says how many were left out.
const MaxProblems = 1000

// ParseFormat returns the format named by s ("json", "csv" or "radar",
// in any case). The error message is fit to show to users.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case FormatJSON, FormatCSV, FormatRadar:
		return f, nil
	}
	return "", fmt.Errorf("unknown format %q; use json, csv or radar", s)
}

// ContentType returns the media type of files in the format, for HTTP
// responses: "application/json" or "text/csv; charset=utf-8".
func (f Format) ContentType() string {
	if f == FormatJSON {
		return "application/json"
	}
	return "text/csv; charset=utf-8"
}

// Extension returns the file-name extension of the format with its dot:
// ".json", or ".csv" for both CSV formats.
func (f Format) Extension() string {
	if f == FormatJSON {
		return ".json"
	}
	return ".csv"
}

// ParseOptions adjust imports of the CSV formats. The JSON format holds all
// of this itself and ignores them.
type ParseOptions struct {
	// Name is the library's name for CSV and radar imports, which have no
	// place for one. When empty, the file name without its extension is used.
	Name string
	// Lang is the language, "en" (the default) or "sv", of the texts in a
	// radar file (name and description) and of the names Waymark derives
	// in both CSV formats (library, driving forces, new horizons).
	Lang string
	// DefaultCategory is the category of every trend of a radar import;
	// technology when empty.
	DefaultCategory domain.Category
}

// Parse reads a library in format f from data. file names the input in
// problem reports (usually the uploaded file's name).
//
// Parse is all or nothing: it returns valid content (Content.Validate finds
// nothing wrong) and no problems, or nil and every problem found, sorted by
// position and capped at MaxProblems. Every problem has File set to file;
// Where is the row number for the CSV formats (the header is row 1, the
// first trend row 2, a row spanning several lines is numbered by its first)
// and a JSON path such as "$.trends[3]" for JSON, or "LINE:COLUMN" for
// problems in the JSON syntax itself; Field is the CSV column or the field
// inside the JSON item, such as "title.en".
//
// The JSON importer keeps exactly what the file says. The CSV importers
// give the library the default time horizons (see docs/formats.md).
func Parse(file string, data []byte, f Format, opt ParseOptions) (*domain.Content, domain.Problems) {
	var ps problems
	c := parse(file, data, f, opt, &ps)
	if c == nil && !ps.any() {
		ps.add(0, 0, "", "", "the file could not be read") // a bug: every failure names its problem
	}
	if ps.any() {
		return nil, ps.finish(file)
	}
	return c, nil
}

func parse(file string, data []byte, f Format, opt ParseOptions, ps *problems) *domain.Content {
	if len(data) > MaxFileSize {
		ps.add(0, 0, "", "", fmt.Sprintf("file is larger than the %d MiB limit", MaxFileSize>>20))
		return nil
	}
	data = stripBOM(data)
	if len(bytes.TrimSpace(data)) == 0 {
		ps.add(0, 0, "", "", "file is empty")
		return nil
	}
	if opt.Lang == "" {
		opt.Lang = "en"
	}
	if !domain.ValidLanguage(opt.Lang) {
		ps.add(0, 0, "", "", fmt.Sprintf("language %q is not one of en, sv", opt.Lang))
		return nil
	}
	if opt.Name == "" {
		base := filepath.Base(file)
		opt.Name = strings.TrimSpace(strings.TrimSuffix(base, filepath.Ext(base)))
		if opt.Name == "" || opt.Name == "." || opt.Name == string(filepath.Separator) {
			opt.Name = "Imported library"
		}
	}
	switch f {
	case FormatJSON:
		return parseJSON(data, ps)
	case FormatCSV:
		return parseCSV(data, opt, ps)
	case FormatRadar:
		if opt.DefaultCategory == "" {
			opt.DefaultCategory = domain.Technology
		}
		if !domain.ValidCategory(opt.DefaultCategory) {
			ps.add(0, 0, "", "", fmt.Sprintf("default category %q is not one of societal, digital, technology", opt.DefaultCategory))
			return nil
		}
		return parseRadar(data, opt, ps)
	}
	ps.add(0, 0, "", "", fmt.Sprintf("unknown format %q; use json, csv or radar", f))
	return nil
}

// Write writes c to w in format f. The JSON format holds everything; the CSV
// formats leave out what they cannot hold (see docs/formats.md). Write does
// not validate c.
func Write(w io.Writer, c *domain.Content, f Format) error {
	if c == nil {
		return errors.New("library: write: no content")
	}
	switch f {
	case FormatJSON:
		return writeJSON(w, c)
	case FormatCSV:
		return writeCSV(w, c)
	case FormatRadar:
		return writeRadar(w, c)
	}
	return fmt.Errorf("library: write: unknown format %q", f)
}

// Marshal returns c in format f; see Write.
func Marshal(c *domain.Content, f Format) ([]byte, error) {
	var b bytes.Buffer
	if err := Write(&b, c, f); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Detect tells the format of a file from its content, falling back on the
// file name's extension: a JSON object is json; a CSV whose header has the
// columns name, ring and quadrant is radar; other text is csv, unless the
// name ends in .json (a broken JSON file is best reported as JSON). A UTF-8
// byte-order mark is skipped. Detect returns an error only for an empty file
// whose extension says nothing.
func Detect(filename string, data []byte) (Format, error) {
	data = bytes.TrimLeft(stripBOM(data), " \t\r\n")
	ext := strings.ToLower(filepath.Ext(filename))
	if len(data) > 0 {
		if data[0] == '{' || data[0] == '[' {
			return FormatJSON, nil
		}
		if isRadarHeader(firstRecord(data)) {
			return FormatRadar, nil
		}
		if ext == ".json" {
			return FormatJSON, nil
		}
		return FormatCSV, nil
	}
	switch ext {
	case ".json":
		return FormatJSON, nil
	case ".csv", ".tsv", ".txt":
		return FormatCSV, nil
	}
	return "", fmt.Errorf("cannot tell the format of %q: the file is empty; give the format as json, csv or radar", filepath.Base(filename))
}

var bom = []byte("\xef\xbb\xbf")

func stripBOM(b []byte) []byte { return bytes.TrimPrefix(b, bom) }

// problem is a domain.Problem with a position to sort by: (row, column) for
// the CSV formats, (byte offset, 0) for JSON.
type problem struct {
	domain.Problem
	pos [2]int
}

// problems collects what is wrong with a file. It keeps the first
// problemsKept in memory and only counts the rest, so that a hostile file
// cannot fill the memory with problems.
type problems struct {
	list    []problem
	dropped int
}

const problemsKept = 20 * MaxProblems

func (ps *problems) add(pos0, pos1 int, where, field, msg string) {
	if len(ps.list) >= problemsKept {
		ps.dropped++
		return
	}
	ps.list = append(ps.list, problem{domain.Problem{Where: where, Field: field, Message: msg}, [2]int{pos0, pos1}})
}

// any reports whether a problem was found.
func (ps *problems) any() bool { return len(ps.list) > 0 }

// finish sorts the problems by position, caps them and sets their file.
func (ps *problems) finish(file string) domain.Problems {
	list := ps.list
	slices.SortStableFunc(list, func(a, b problem) int {
		if a.pos[0] != b.pos[0] {
			return a.pos[0] - b.pos[0]
		}
		return a.pos[1] - b.pos[1]
	})
	n := len(list) + ps.dropped
	if n > MaxProblems {
		list = list[:MaxProblems-1]
	}
	out := make(domain.Problems, 0, len(list)+1)
	for _, p := range list {
		p.File = file
		out = append(out, p.Problem)
	}
	if n > MaxProblems {
		out = append(out, domain.Problem{File: file, Message: fmt.Sprintf("%d more problems are not shown; fix these first", n-len(list))})
	}
	return out
}

// parsedField is a Validate field path like "sources[2].url" taken apart:
// base "sources", index 2 (-1 when absent), rest "url"; lang is "en" or "sv"
// when the path ends in a language.
type parsedField struct {
	base  string
	index int
	rest  string
	lang  string
}

func splitField(f string) parsedField {
	p := parsedField{index: -1}
	if strings.HasSuffix(f, ".en") || strings.HasSuffix(f, ".sv") {
		p.lang = f[len(f)-2:]
		f = f[:len(f)-3]
	}
	head, rest, _ := strings.Cut(f, ".")
	p.rest = rest
	if i := strings.IndexByte(head, '['); i >= 0 && strings.HasSuffix(head, "]") {
		if n, err := strconv.Atoi(head[i+1 : len(head)-1]); err == nil {
			p.index = n
		}
		head = head[:i]
	}
	p.base = head
	return p
}

// duplicates finds, for an item whose key Validate reported as used twice,
// the earlier item with that key. It indexes each kind once.
type duplicates struct {
	c     *domain.Content
	keys  map[string][]string       // kind → keys in order
	first map[string]map[string]int // kind → key → first index
}

// of returns the index and key of the first item of kind with the same key
// as item i when that is an earlier item and the key is one Validate checks
// for duplicates (present and well-formed), or -1.
func (d *duplicates) of(kind string, i int) (int, string) {
	if d.first == nil {
		d.keys, d.first = map[string][]string{}, map[string]map[string]int{}
	}
	keys, ok := d.keys[kind]
	if !ok {
		keys = itemKeys(d.c, kind)
		m := make(map[string]int, len(keys))
		for j, k := range keys {
			if _, seen := m[k]; !seen {
				m[k] = j
			}
		}
		d.keys[kind], d.first[kind] = keys, m
	}
	if i < 0 || i >= len(keys) {
		return -1, ""
	}
	k := keys[i]
	if k == "" || !domain.ValidKey(k) {
		return -1, ""
	}
	if j, ok := d.first[kind][k]; ok && j < i {
		return j, k
	}
	return -1, ""
}

// itemKeys returns the keys of the items of a kind, in order.
func itemKeys(c *domain.Content, kind string) []string {
	var keys []string
	switch kind {
	case "horizon":
		for _, x := range c.Horizons {
			keys = append(keys, x.Key)
		}
	case "driving_force":
		for _, x := range c.DrivingForces {
			keys = append(keys, x.Key)
		}
	case "tension":
		for _, x := range c.Tensions {
			keys = append(keys, x.Key)
		}
	case "trend":
		for _, x := range c.Trends {
			keys = append(keys, x.Key)
		}
	case "capability_area":
		for _, x := range c.CapabilityAreas {
			keys = append(keys, x.Key)
		}
	}
	return keys
}

// lineCol returns the 1-based line and column (in characters) of byte offset
// off in data.
func lineCol(data []byte, off int) (line, col int) {
	if off > len(data) {
		off = len(data)
	}
	if off < 0 {
		off = 0
	}
	line = 1 + bytes.Count(data[:off], []byte{'\n'})
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	return line, 1 + utf8.RuneCount(data[start:off])
}
