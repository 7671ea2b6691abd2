// Package i18n holds the interface texts in English and Swedish and picks
// the language for a request. Catalogues are go-i18n JSON files embedded in
// the binary, one per language (en.json) plus one per area and language
// (results.en.json); every id exists in both (a test checks it).
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed locales/*.json
var locales embed.FS

// Catalog translates message ids into the languages Waymark speaks.
type Catalog struct {
	bundle     *i18n.Bundle
	localizers map[string]*i18n.Localizer
	ids        map[string][]string
	matcher    language.Matcher
}

// isCatalogueOf reports whether path is one of lang's files: the main
// catalogue LANG.json or an area's AREA.LANG.json.
func isCatalogueOf(path, lang string) bool {
	name := strings.TrimPrefix(path, "locales/")
	return name == lang+".json" || strings.HasSuffix(name, "."+lang+".json")
}

// Languages the catalogue holds, English first (the fallback).
var Languages = []string{"en", "sv"}

// New loads the embedded catalogues.
func New() (*Catalog, error) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	c := &Catalog{bundle: b, localizers: map[string]*i18n.Localizer{}, ids: map[string][]string{}}
	files, err := fs.Glob(locales, "locales/*.json")
	if err != nil {
		return nil, fmt.Errorf("i18n: %w", err)
	}
	for _, lang := range Languages {
		seen := map[string]string{}
		for _, path := range files {
			if !isCatalogueOf(path, lang) {
				continue
			}
			data, err := fs.ReadFile(locales, path)
			if err != nil {
				return nil, fmt.Errorf("i18n: %w", err)
			}
			// go-i18n names the language after the last dot-separated part
			// before .json, so area files like results.sv.json parse as sv.
			mf, err := b.ParseMessageFileBytes(data, path)
			if err != nil {
				return nil, fmt.Errorf("i18n: %s: %w", path, err)
			}
			for _, m := range mf.Messages {
				if other, dup := seen[m.ID]; dup {
					return nil, fmt.Errorf("i18n: %s: %q is also in %s", path, m.ID, other)
				}
				seen[m.ID] = path
				c.ids[lang] = append(c.ids[lang], m.ID)
			}
		}
		if len(c.ids[lang]) == 0 {
			return nil, fmt.Errorf("i18n: no catalogue for %q", lang)
		}
		sort.Strings(c.ids[lang])
		c.localizers[lang] = i18n.NewLocalizer(b, lang)
	}
	c.matcher = language.NewMatcher([]language.Tag{language.English, language.Swedish})
	return c, nil
}

// MustNew is New for program start, panicking on a broken catalogue (which
// tests catch first).
func MustNew() *Catalog {
	c, err := New()
	if err != nil {
		panic(err)
	}
	return c
}

// T returns message id in lang. args are name/value pairs for the message's
// template; a "Count" argument also chooses the plural form. An unknown id
// is returned as it is, so that a missing text shows rather than hides.
func (c *Catalog) T(lang, id string, args ...any) string {
	l, ok := c.localizers[lang]
	if !ok {
		l = c.localizers["en"]
	}
	cfg := &i18n.LocalizeConfig{MessageID: id}
	if len(args) > 0 {
		data := make(map[string]any, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			k, _ := args[i].(string)
			data[k] = args[i+1]
			if k == "Count" {
				cfg.PluralCount = args[i+1]
			}
		}
		cfg.TemplateData = data
	}
	s, err := l.Localize(cfg)
	if err != nil {
		return id
	}
	return s
}

// Has reports whether id exists in lang's catalogue.
func (c *Catalog) Has(lang, id string) bool {
	ids := c.ids[lang]
	i := sort.SearchStrings(ids, id)
	return i < len(ids) && ids[i] == id
}

// IDs returns the message ids of lang's catalogue, sorted.
func (c *Catalog) IDs(lang string) []string { return c.ids[lang] }

// Match picks the language for an Accept-Language header: Swedish for any
// Swedish variant that ranks above English, else English.
func (c *Catalog) Match(acceptLanguage string) string {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return "en"
	}
	_, i, _ := c.matcher.Match(tags...)
	return Languages[i]
}
