package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/waymark/waymark/internal/domain"
	"github.com/waymark/waymark/internal/i18n"
	"github.com/waymark/waymark/internal/workshop"
)

//go:embed templates
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pages holds every page template parsed once per language, so that
// translation functions are bound at start-up rather than per request.
type pages struct {
	byLang    map[string]map[string]*template.Template
	assets    map[string]string // static path → path with content hash
	gapMarker map[string]func(domain.Text) template.HTML
}

func loadPages(cat *i18n.Catalog) (*pages, error) {
	p := &pages{byLang: map[string]map[string]*template.Template{}, assets: map[string]string{},
		gapMarker: map[string]func(domain.Text) template.HTML{}}
	err := fs.WalkDir(staticFS, "static", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		rel := strings.TrimPrefix(name, "static/")
		p.assets[rel] = "/static/" + rel + "?v=" + hex.EncodeToString(sum[:6])
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: assets: %w", err)
	}
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, lang := range i18n.Languages {
		p.gapMarker[lang] = textWithGap(cat, lang)
		base, err := template.New("layout.html").Funcs(p.funcs(cat, lang)).ParseFS(templateFS, "templates/layout.html", "templates/partials*.html")
		if err != nil {
			return nil, fmt.Errorf("web: layout: %w", err)
		}
		p.byLang[lang] = map[string]*template.Template{}
		for _, f := range files {
			name := path.Base(f)
			if name == "layout.html" || strings.HasPrefix(name, "partials") { // shared by every page
				continue
			}
			t, err := template.Must(base.Clone()).ParseFS(templateFS, f)
			if err != nil {
				return nil, fmt.Errorf("web: %s: %w", name, err)
			}
			p.byLang[lang][strings.TrimSuffix(name, ".html")] = t
		}
	}
	return p, nil
}

// funcs are the template functions, bound to one language.
func (p *pages) funcs(cat *i18n.Catalog, lang string) template.FuncMap {
	other := "sv"
	if lang == "sv" {
		other = "en"
	}
	return template.FuncMap{
		"t": func(id string, args ...any) string { return cat.T(lang, id, args...) },
		// msg translates a message from the domain or an importer.
		"msg": func(s string) string { return cat.Message(lang, s) },
		// tx shows a bilingual text in the page's language, falling back.
		"tx": func(t domain.Text) string { return t.String(lang) },
		// txg is tx that marks a fallback: the text carries its own lang
		// attribute and a visible badge says the translation is missing.
		"txg": textWithGap(cat, lang),
		// langOf is the language a text is shown in: the page's, or the
		// other when the translation is missing.
		"langOf": func(t domain.Text) string {
			if _, gap := t.In(lang); gap {
				return other
			}
			return lang
		},
		// gapmark is the badge alone, for texts rendered in parts.
		"gapmark": func(t domain.Text) template.HTML {
			if _, gap := t.In(lang); !gap {
				return ""
			}
			return template.HTML(fmt.Sprintf(`<p class="govuk-body-s"><span class="wm-gap" title="%s"><span class="govuk-visually-hidden">%s </span>%s</span></p>`,
				template.HTMLEscapeString(cat.T(lang, "gap.title")), template.HTMLEscapeString(cat.T(lang, "gap.hidden")), strings.ToUpper(other)))
		},
		"asset": func(name string) string { return p.asset(name) },
		"date": func(t any) string {
			switch v := t.(type) {
			case time.Time:
				return v.Format("2006-01-02")
			case *time.Time:
				if v == nil {
					return ""
				}
				return v.Format("2006-01-02")
			}
			return ""
		},
		"datetime": func(t time.Time) string { return t.Format("2006-01-02 15:04") + " UTC" },
		"query":    func(s string) string { return url.QueryEscape(s) },
		// excerpt is a text in the page's language cut to about n
		// characters at a word boundary, for cards.
		"excerpt": func(t domain.Text, n int) template.HTML {
			return textWithGap(cat, lang)(domain.Text{EN: excerpt(t.EN, n), SV: excerpt(t.SV, n)})
		},
		"add":   func(a, b int) int { return a + b },
		"join":  strings.Join,
		"lines": func(s string) []string { return strings.Split(s, "\n") },
		"dict": func(kv ...any) map[string]any {
			m := make(map[string]any, len(kv)/2)
			for i := 0; i+1 < len(kv); i += 2 {
				k, _ := kv[i].(string)
				m[k] = kv[i+1]
			}
			return m
		},
		"has": func(list any, v string) bool {
			switch l := list.(type) {
			case []string:
				for _, x := range l {
					if x == v {
						return true
					}
				}
			case []domain.Category:
				for _, x := range l {
					if string(x) == v {
						return true
					}
				}
			}
			return false
		},
		"canEdit": func(r domain.Role) bool { return r.CanEditLibraries() },
		"chart": func(d workshop.Distribution, q domain.Question) distChart {
			return distributionChart(d, q, lang, cat.T(lang, "question.dont_know_short"))
		},
		"canManage": func(r domain.Role) bool { return r.CanManageMembers() },
	}
}

// textWithGap returns a function that shows a text in lang, escaped; when
// the translation is missing, the fallback carries its own lang attribute
// and a badge says so (visibly and to screen readers).
func textWithGap(cat *i18n.Catalog, lang string) func(domain.Text) template.HTML {
	other := otherLang(lang)
	suffix := fmt.Sprintf(`</span> <span class="wm-gap" title="%s"><span class="govuk-visually-hidden">%s </span>%s</span>`,
		template.HTMLEscapeString(cat.T(lang, "gap.title")), template.HTMLEscapeString(cat.T(lang, "gap.hidden")), strings.ToUpper(other))
	return func(t domain.Text) template.HTML {
		s, gap := t.In(lang)
		if !gap {
			return template.HTML(template.HTMLEscapeString(s))
		}
		return template.HTML(`<span lang="` + other + `">` + template.HTMLEscapeString(s) + suffix)
	}
}

// excerpt cuts s to at most about n characters, at a word boundary, with an
// ellipsis when it cut.
func excerpt(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndexAny(cut, " \n"); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.–-") + "…"
}

// asset returns the URL of a static file with its content hash, so that
// it can be cached for a year.
func (p *pages) asset(name string) string {
	if u, ok := p.assets[name]; ok {
		return u
	}
	return "/static/" + name
}

// view is what every page template receives.
type view struct {
	Lang        string
	OtherLang   string
	Title       string
	User        *domain.User
	Org         *domain.Organisation
	Actor       domain.Actor
	Memberships []domain.Membership
	Flash       string
	RequestID   string
	Path        string // the current path and query, for return links
	Data        any
}

// render writes a page with the given status. Rendering happens into a
// buffer first, so a template error gives a clean error page.
func (s *Server) render(w http.ResponseWriter, c *call, status int, page, title string, data any) error {
	t, ok := s.pages.byLang[c.lang][page]
	if !ok {
		return fmt.Errorf("web: no page %q", page)
	}
	v := view{Lang: c.lang, OtherLang: otherLang(c.lang), Title: title, User: c.user, Org: c.org, Actor: c.actor,
		RequestID: c.reqID, Path: c.r.URL.RequestURI(), Data: data}
	if c.user != nil {
		ms, err := s.svc.Store().Memberships(c.r.Context(), c.user.ID)
		if err != nil {
			return err
		}
		v.Memberships = ms
		v.Flash = c.popFlash()
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		return fmt.Errorf("web: render %s: %w", page, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// renderBlock writes one named block of a page without the layout, for
// scripts that refresh part of a page.
func (s *Server) renderBlock(w http.ResponseWriter, c *call, page, block string, data any) error {
	t, ok := s.pages.byLang[c.lang][page]
	if !ok {
		return fmt.Errorf("web: no page %q", page)
	}
	v := view{Lang: c.lang, OtherLang: otherLang(c.lang), User: c.user, Org: c.org, Actor: c.actor,
		RequestID: c.reqID, Path: c.r.URL.RequestURI(), Data: data}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, v); err != nil {
		return fmt.Errorf("web: render %s/%s: %w", page, block, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, err := w.Write(buf.Bytes())
	return err
}

func otherLang(lang string) string {
	if lang == "sv" {
		return "en"
	}
	return "sv"
}

// redirect sends the browser to a local path after a form post (303 See
// Other, so a reload does not post again).
func redirect(w http.ResponseWriter, r *http.Request, to string) error {
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// localPath returns p when it is a path on this site, else fallback; it
// keeps redirects after sign-in and language changes from leaving the site.
func localPath(p, fallback string) string {
	if p == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return fallback
	}
	u, err := url.Parse(p)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return fallback
	}
	return p
}

// sendDownload writes a file to save: its type, its name and no caching,
// since every download is a signed-in member's own (checked per request).
// The caller makes the whole file first, so that a failure is an error page
// rather than a cut-off file.
func sendDownload(w http.ResponseWriter, contentType, name string, b []byte) error {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, name))
	h.Set("Cache-Control", "private, no-store")
	_, err := w.Write(b)
	return err
}
