package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/library"
	"github.com/waymark/waymark/internal/service"
)

func runLibrary(e *env, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "list":
			return runLibraryList(e, args[1:])
		case "import":
			return runLibraryImport(e, args[1:])
		case "export":
			return runLibraryExport(e, args[1:])
		}
	}
	fmt.Fprintln(e.stderr, "Usage:\n  waymark library list --org S [--json]\n  waymark library import FILE --org S [--format json|csv|radar] [--json]\n  waymark library export ID [--format json|csv|radar] [--version N] [-o FILE]")
	return errUsage
}

// libraryJSON is one line of 'library list --json'.
type libraryJSON struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	NameSV     string `json:"name_sv,omitempty"`
	Version    int    `json:"version"`
	Status     string `json:"status"`
	Trends     int    `json:"trends"`
	Visibility string `json:"visibility"`
	Starter    string `json:"starter,omitempty"`
}

func runLibraryList(e *env, args []string) error {
	fs := e.newFlags("library list", "library list --org S [--json]")
	orgSlug := fs.String("org", "", "slug of the organisation")
	asJSON := fs.Bool("json", false, "print a JSON array")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if err := e.required(fs, "org"); err != nil {
		return err
	}
	m, err := e.open()
	if err != nil {
		return err
	}
	defer m.Close()
	actor, _, err := orgActor(e, m, *orgSlug)
	if err != nil {
		return err
	}
	libs, err := m.DB.Libraries(e.ctx, actor.OrgID)
	if err != nil {
		return err
	}
	rows := make([]libraryJSON, 0, len(libs))
	for _, l := range libs {
		v := l.Published
		if v == nil {
			v = l.Latest
		}
		row := libraryJSON{ID: l.ID, Name: l.Name.String("en"), NameSV: l.Name.SV, Visibility: string(l.Visibility), Starter: l.StarterKey}
		if v != nil {
			row.Version, row.Status, row.Trends = v.Number, string(v.Status), v.TrendCount
		}
		rows = append(rows, row)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tVERSION\tTRENDS")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%d (%s)\t%d\n", r.ID, r.Name, r.Version, r.Status, r.Trends)
	}
	return tw.Flush()
}

func runLibraryImport(e *env, args []string) error {
	fs := e.newFlags("library import", "library import FILE --org S [--format json|csv|radar] [--lang en|sv] [--name N] [--json]")
	orgSlug := fs.String("org", "", "slug of the organisation that will own the library")
	formatFlag := fs.String("format", "", "json, csv or radar (default: taken from the file)")
	lang := fs.String("lang", "en", "language of the texts in a radar file: en or sv")
	name := fs.String("name", "", "library name for CSV and radar files (default: the file name)")
	asJSON := fs.Bool("json", false, "print the result (or the problems) as JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fmt.Fprintln(e.stderr, "waymark library import: give exactly one FILE")
		return errUsage
	}
	if err := e.required(fs, "org"); err != nil {
		return err
	}
	file := pos[0]
	var format library.Format
	if *formatFlag != "" {
		if format, err = library.ParseFormat(*formatFlag); err != nil {
			return err
		}
	}
	data, err := readLimited(file)
	if err != nil {
		return e.importFailed(domain.Problems{{File: file, Message: err.Error()}}, *asJSON)
	}
	m, err := e.open()
	if err != nil {
		return err
	}
	defer m.Close()
	actor, _, err := orgActor(e, m, *orgSlug)
	if err != nil {
		return err
	}
	opt := library.ParseOptions{Name: *name, Lang: *lang}
	if opt.Name == "" {
		opt.Name = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	}
	lib, v, err := m.Service.Import(e.ctx, actor, file, data, format, opt)
	var ps domain.Problems
	if errors.As(err, &ps) {
		return e.importFailed(ps, *asJSON)
	}
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(e.stdout).Encode(map[string]any{"id": lib.ID, "version_id": v.ID, "version": v.Number,
			"name": lib.Name.String("en"), "trends": v.TrendCount})
	}
	fmt.Fprintln(e.stdout, lib.ID)
	fmt.Fprintf(e.stderr, "Imported %q with %d trends as version %d.\n", lib.Name.String("en"), v.TrendCount, v.Number)
	return nil
}

// importFailed prints every problem, one per line as FILE:ROW: field:
// message (or a JSON object), and exits with status 1.
func (e *env) importFailed(ps domain.Problems, asJSON bool) error {
	if asJSON {
		json.NewEncoder(e.stdout).Encode(map[string]any{"problems": ps})
	}
	for _, p := range ps {
		fmt.Fprintln(e.stderr, p.String())
	}
	fmt.Fprintf(e.stderr, "%d problem(s); nothing was imported.\n", len(ps))
	return exitError(1)
}

// readLimited reads a file, refusing files over the import size limit.
func readLimited(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, errors.Unwrap(err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, library.MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > library.MaxFileSize {
		return nil, fmt.Errorf("file is larger than the %d MiB limit", library.MaxFileSize>>20)
	}
	return data, nil
}

func runLibraryExport(e *env, args []string) error {
	fs := e.newFlags("library export", "library export ID [--format json|csv|radar] [--version N] [-o FILE]")
	formatFlag := fs.String("format", "json", "json, csv or radar")
	version := fs.Int("version", 0, "version number (default: the newest published version)")
	out := fs.String("o", "", "write to FILE instead of standard output")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fmt.Fprintln(e.stderr, "waymark library export: give exactly one library ID")
		return errUsage
	}
	format, err := library.ParseFormat(*formatFlag)
	if err != nil {
		return err
	}
	m, err := e.open()
	if err != nil {
		return err
	}
	defer m.Close()
	// The command line acts as the library's owner organisation.
	orgID, err := m.DB.LibraryOwner(e.ctx, pos[0])
	if err != nil {
		if domain.IsNotFound(err) {
			return fmt.Errorf("no library with id %s", pos[0])
		}
		return err
	}
	actor := domain.System(orgID)
	lib, versions, err := m.Service.Library(e.ctx, actor, pos[0])
	if err != nil {
		return err
	}
	var vid string
	for _, v := range versions {
		if (*version == 0 && v.Status == domain.Published) || v.Number == *version {
			vid = v.ID
			break
		}
	}
	if vid == "" && *version == 0 {
		if cur := service.CurrentVersion(versions, true); cur != nil {
			vid = cur.ID
		}
	}
	if vid == "" {
		return fmt.Errorf("library %s has no version %s", lib.ID, strconv.Itoa(*version))
	}
	data, _, err := m.Service.Export(e.ctx, actor, vid, format)
	if err != nil {
		return err
	}
	if *out == "" {
		_, err = e.stdout.Write(data)
		return err
	}
	return os.WriteFile(*out, data, 0o644)
}
