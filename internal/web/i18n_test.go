package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/i18n"
)

// Ensures every message id that a template or handler uses exists in both
// the English and the Swedish catalogue, including ids built from domain
// values (roles, categories, organisation types, error statuses).
func TestEveryUsedMessageIsTranslated(t *testing.T) {
	cat := i18n.MustNew()
	used := map[string]string{} // id → where
	literal := regexp.MustCompile(`\bt "([a-z0-9_.]+)"`)
	goCall := regexp.MustCompile(`\.T\("([a-z0-9_.]+)"`)
	fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := templateFS.ReadFile(p)
		for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = p
		}
		return nil
	})
	gofiles, _ := filepath.Glob("*.go")
	for _, f := range gofiles {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, _ := os.ReadFile(f)
		for _, m := range goCall.FindAllStringSubmatch(string(b), -1) {
			if !strings.HasSuffix(m[1], ".") { // a prefix completed at run time
				used[m[1]] = f
			}
		}
	}
	for _, r := range domain.Roles {
		used["role."+string(r)] = "domain.Roles"
	}
	for _, c := range domain.Categories {
		used["category."+string(c)] = "domain.Categories"
	}
	for _, o := range domain.OrgTypes {
		used["orgtype."+string(o)] = "domain.OrgTypes"
	}
	for _, s := range domain.SizeBands {
		used["size."+string(s)] = "domain.SizeBands"
	}
	for _, k := range []string{domain.KindHorizon, domain.KindDrivingForce, domain.KindTension, domain.KindTrend, domain.KindCapabilityArea, "library"} {
		used["kind."+k] = "domain kinds"
		used["edit."+k] = "domain kinds"
	}
	for _, op := range []domain.ChangeOp{domain.Added, domain.Removed, domain.Changed, domain.Moved} {
		used["diff.op."+string(op)] = "domain.ChangeOp"
	}
	for _, st := range []int{401, 403, 404, 409, 413, 422, 429, 500} {
		key := statusKey(st)
		used["error.title."+key] = "statusKey"
		used["error.text."+strconv.Itoa(st)] = "error.html"
	}
	for _, st := range []domain.VersionStatus{domain.Draft, domain.Published} {
		used["status."+string(st)] = "domain.VersionStatus"
	}
	for _, v := range []domain.Visibility{domain.Private, domain.Public} {
		used["visibility."+string(v)] = "domain.Visibility"
	}
	for _, f := range formFields {
		used["field."+f] = "formFields"
	}
	if len(used) < 50 {
		t.Fatalf("found only %d message ids; is the scan broken?", len(used))
	}
	for id, where := range used {
		for _, lang := range i18n.Languages {
			if !cat.Has(lang, id) {
				t.Errorf("%s (used in %s) is missing from %s.json", id, where, lang)
			}
		}
	}
}
