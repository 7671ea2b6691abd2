package apptest

// Browser tests: a headless Chromium driven with chromedp, and axe-core
// injected into each page to check it against WCAG.
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		apptest.CloseSharedBrowser()
//		os.Exit(code)
//	}
//
//	func TestSomething(t *testing.T) {
//		env := apptest.Start(t, storetest.Open(t, storetest.SQLite))
//		p := env.NewPage() // a new tab with its own cookies, in the shared browser
//		p.Go("/signin")
//		p.Fill("#email", "a@example.org")
//		p.ClickNav("button[type=submit]")
//		p.Audit() // axe at 320 px and 1280 px, and no sideways scrolling at 320 px
//	}
//
// Chromium is found through WAYMARK_TEST_CHROMIUM (default: chromium on
// PATH). When it is missing the test is skipped, or fails when
// WAYMARK_TEST_REQUIRE is "all" or names "chromium".

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/waymark/waymark/internal/store/storetest"
)

// ChromiumEnv names the environment variable with the Chromium binary.
const ChromiumEnv = "WAYMARK_TEST_CHROMIUM"

// AxeTags are the axe-core rule tags every page is checked against.
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"}

// Widths are the viewport widths Audit checks a page at: the narrowest
// phone WCAG reflow asks for (320 CSS px) and a laptop.
var Widths = []int64{320, 1280}

// ActionTimeout bounds every browser action of a Page.
const ActionTimeout = 20 * time.Second

// AxeTimeout bounds one axe-core run: a results page with a dozen charts
// and their tables takes a few seconds on a quiet machine and several
// times that while the rest of the suite runs beside it.
const AxeTimeout = 2 * time.Minute

//go:embed testdata/axe.min.js
var axeSource string

// ErrNoChromium is returned by StartBrowser when no Chromium binary is found.
var ErrNoChromium = errors.New("apptest: Chromium not found")

// Browser is one headless Chromium. Pages opened in it run in parallel, each
// in its own browser context (own cookies and storage), like separate
// private windows.
type Browser struct {
	ctx     context.Context // the first tab; every page's parent
	cancel  context.CancelFunc
	dataDir string
	out     *lockedBuffer
}

// ChromiumPath returns the Chromium binary to use: WAYMARK_TEST_CHROMIUM, or
// chromium on PATH. It returns ErrNoChromium when neither exists.
func ChromiumPath() (string, error) {
	name := os.Getenv(ChromiumEnv)
	if name == "" {
		name = "chromium"
	}
	path, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%w: %s=%q: %v", ErrNoChromium, ChromiumEnv, os.Getenv(ChromiumEnv), err)
	}
	return path, nil
}

// StartBrowser starts headless Chromium with a fresh profile directory.
// Close it when done.
func StartBrowser() (*Browser, error) {
	path, err := ChromiumPath()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "waymark-chromium-")
	if err != nil {
		return nil, err
	}
	out := &lockedBuffer{}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(dir),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-quic", true),
		// Quiet and container-safe: no default-browser prompt, no sound,
		// no scrollbars taking width, shared memory in /tmp.
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
		chromedp.Flag("lang", "en-GB"),
		chromedp.CombinedOutput(out),
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	b := &Browser{ctx: ctx, dataDir: dir, out: out, cancel: func() { cancel(); acancel() }}
	// Start the browser with no deadline on its own life, but give up on a
	// browser that does not come up.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err = <-started:
	case <-time.After(60 * time.Second):
		err = errors.New("timed out after 60s")
	}
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("apptest: start %s: %v\n%s", path, err, out.String())
	}
	return b, nil
}

// Close stops the browser and removes its profile directory.
func (b *Browser) Close() {
	b.cancel()
	os.RemoveAll(b.dataDir)
}

var shared struct {
	once    sync.Once
	browser *Browser
	err     error
}

// SharedBrowser returns the browser shared by the tests of this package,
// starting it on first use. Without Chromium it skips tb, or fails it when
// WAYMARK_TEST_REQUIRE asks for chromium. Call CloseSharedBrowser from
// TestMain after m.Run.
func SharedBrowser(tb testing.TB) *Browser {
	tb.Helper()
	shared.once.Do(func() {
		t0 := time.Now()
		shared.browser, shared.err = StartBrowser()
		if shared.err == nil && testing.Verbose() {
			fmt.Fprintf(os.Stderr, "apptest: Chromium started in %v\n", time.Since(t0).Round(time.Millisecond))
		}
	})
	switch {
	case shared.err == nil:
		return shared.browser
	case errors.Is(shared.err, ErrNoChromium) && !storetest.Required("chromium"):
		tb.Skipf("browser tests skipped: %v (install chromium, or set %s to its path)", shared.err, ChromiumEnv)
	case errors.Is(shared.err, ErrNoChromium):
		tb.Fatalf("Chromium required (%s=%s) but not found: %v; install chromium or set %s to its path",
			storetest.RequireEnv, os.Getenv(storetest.RequireEnv), shared.err, ChromiumEnv)
	default:
		tb.Fatal(shared.err)
	}
	return nil
}

// CloseSharedBrowser stops the shared browser if it was started.
func CloseSharedBrowser() {
	if shared.browser != nil {
		shared.browser.Close()
	}
}

// Page is one browser tab, in a browser context of its own, pointed at a
// test server. Its methods fail the test on any error; they are not safe
// for use by several goroutines at once.
type Page struct {
	T    testing.TB
	Base string // server URL, prefixed to paths given to Go

	ctx context.Context

	noJS bool // the page's scripts are switched off

	mu      sync.Mutex
	console []string // errors and exceptions the page reported
	audited map[string]bool
}

// NewPage opens a tab on env's server in the shared browser; it is closed
// when the test ends.
func (e *Env) NewPage() *Page {
	e.T.Helper()
	return SharedBrowser(e.T).NewPage(e.T, e.Server.URL)
}

// NewPage opens a tab in a new browser context, with no cookies; paths given
// to Go are relative to base. The tab is closed when tb ends.
func (b *Browser) NewPage(tb testing.TB, base string) *Page {
	tb.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	tb.Cleanup(cancel)
	p := &Page{T: tb, Base: base, ctx: ctx, audited: map[string]bool{}}
	// The first Do opens the tab and ties it to the context it is given, so
	// it gets the tab's own context, not one with a deadline.
	if err := chromedp.Do(ctx); err != nil {
		tb.Fatalf("browser: open tab: %v", err)
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				p.mu.Lock()
				p.console = append(p.console, fmt.Sprintf("%s (%s:%d)", m.String(), m.URL, m.Line+1))
				p.mu.Unlock()
			}
		}
	}()
	p.SetViewport(1280, 900)
	return p
}

// Context returns the tab's context for chromedp calls the helpers lack.
func (p *Page) Context() context.Context { return p.ctx }

// run runs steps with the action timeout, failing the test with what on
// error.
func (p *Page) run(what string, steps ...chromedp.Action[chromedp.Void]) {
	p.T.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, ActionTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		p.T.Fatalf("browser: %s on %s: %v", what, p.location(), err)
	}
}

// runNav runs steps that cause a navigation, waits for the new page to
// load and returns its HTTP status.
func (p *Page) runNav(what string, steps ...chromedp.Action[chromedp.Void]) int {
	p.T.Helper()
	from := p.location()
	ctx, cancel := context.WithTimeout(p.ctx, ActionTimeout)
	defer cancel()
	res, err := chromedp.RunResponse(ctx, steps...)
	if err != nil {
		p.T.Fatalf("browser: %s on %s: %v", what, from, err)
	}
	if res == nil {
		return 0
	}
	return int(res.Status)
}

// location is the current URL without the server part, for messages.
func (p *Page) location() string {
	ctx, cancel := context.WithTimeout(p.ctx, 5*time.Second)
	defer cancel()
	u, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "(unknown page)"
	}
	return strings.TrimPrefix(u, p.Base)
}

// Path returns the current path and query, without the server part.
func (p *Page) Path() string {
	p.T.Helper()
	return p.location()
}

// Go opens path (relative to the server) and returns the HTTP status.
func (p *Page) Go(path string) int {
	p.T.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, ActionTimeout)
	defer cancel()
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(p.Base+path))
	if err != nil {
		p.T.Fatalf("browser: open %s: %v", path, err)
	}
	return int(res.Status)
}

// Click clicks the first element matching the CSS selector and does not
// wait for a page load.
func (p *Page) Click(sel string) {
	p.T.Helper()
	p.run("click "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// ClickNav clicks the first element matching the CSS selector, waits for
// the page it leads to and returns its HTTP status.
func (p *Page) ClickNav(sel string) int {
	p.T.Helper()
	return p.runNav("click "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// ClickText clicks the visible link or button whose text is text (spaces
// normalised), waits for the page it leads to and returns its HTTP status.
func (p *Page) ClickText(text string) int {
	p.T.Helper()
	var res struct {
		Found bool     `json:"found"`
		Seen  []string `json:"seen"`
	}
	p.Eval(fmt.Sprintf(`(() => {
		const want = %s, norm = s => s.replace(/\s+/g, ' ').trim();
		const els = Array.from(document.querySelectorAll('a, button, input[type=submit]'))
			.filter(el => el.getClientRects().length > 0);
		for (const el of document.querySelectorAll('[data-apptest-click]')) el.removeAttribute('data-apptest-click');
		const el = els.find(el => norm(el.innerText || el.value || '') === want);
		if (el) { el.setAttribute('data-apptest-click', ''); return {found: true, seen: []} }
		return {found: false, seen: els.map(el => norm(el.innerText || el.value || ''))};
	})()`, jsString(text)), &res)
	if !res.Found {
		p.T.Fatalf("browser: no visible link or button %q on %s; there are: %q", text, p.location(), res.Seen)
	}
	return p.ClickNav("[data-apptest-click]")
}

// DisableJavaScript stops the page's own scripts from running, from the next
// page load on, to check that a page works without JavaScript. Eval still
// works; Axe switches scripts on for its run (the page's own scripts do not
// run again, as the page is not reloaded).
func (p *Page) DisableJavaScript() {
	p.T.Helper()
	if err := p.setScripts(false); err != nil {
		p.T.Fatalf("browser: disable JavaScript: %v", err)
	}
	p.noJS = true
}

func (p *Page) setScripts(on bool) error {
	ctx, cancel := context.WithTimeout(p.ctx, ActionTimeout)
	defer cancel()
	_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
	return err
}

// Fill replaces the value of the input or textarea matching sel by typing
// value, so the page sees the same key and input events as from a keyboard.
func (p *Page) Fill(sel, value string) {
	p.T.Helper()
	p.run("fill "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
	p.setValue(sel, "")
	if value != "" {
		p.run("fill "+sel, chromedp.SendKeys(chromedp.CSS(sel), value))
	}
}

// SetValue sets the value of a form field at once and fires its input and
// change events: quicker than Fill for long texts, and for selects.
func (p *Page) SetValue(sel, value string) {
	p.T.Helper()
	p.run("find "+sel, chromedp.WaitReady(chromedp.CSS(sel)))
	p.setValue(sel, value)
}

// setValue sets a field's value with a script. (chromedp.SetValue cannot set
// an empty value: it sends "" as undefined.)
func (p *Page) setValue(sel, value string) {
	p.T.Helper()
	var ok bool
	p.Eval(fmt.Sprintf(`(() => {
		const el = document.querySelector(%s);
		if (!el) return false;
		el.value = %s;
		el.dispatchEvent(new Event('input', {bubbles: true}));
		el.dispatchEvent(new Event('change', {bubbles: true}));
		return true;
	})()`, jsString(sel), jsString(value)), &ok)
	if !ok {
		p.T.Fatalf("browser: set %s on %s: no such element", sel, p.location())
	}
}

// SelectNav chooses value in the select matching sel as a pointer would
// (input and change events), waits for the page that choice loads and
// returns its HTTP status: for selects that submit their form.
func (p *Page) SelectNav(sel, value string) int {
	p.T.Helper()
	return p.runNav("choose "+value+" in "+sel, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
		const el = document.querySelector(%s);
		el.dispatchEvent(new PointerEvent('pointerdown', {bubbles: true}));
		el.value = %s;
		el.dispatchEvent(new Event('input', {bubbles: true}));
		el.dispatchEvent(new Event('change', {bubbles: true}));
	})()`, jsString(sel), jsString(value))))
}

// Upload puts the file at path into the file input matching sel.
func (p *Page) Upload(sel, path string) {
	p.T.Helper()
	p.run("upload to "+sel, chromedp.SetUploadFiles(chromedp.CSS(sel), []string{path}))
}

// Text returns the visible text of the first element matching sel.
func (p *Page) Text(sel string) string {
	p.T.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, ActionTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		p.T.Fatalf("browser: text of %s on %s: %v", sel, p.location(), err)
	}
	return strings.TrimSpace(s)
}

// Texts returns the trimmed text of every element matching sel, now, in
// document order; hidden elements give their text too.
func (p *Page) Texts(sel string) []string {
	p.T.Helper()
	var out []string
	p.Eval(fmt.Sprintf(`Array.from(document.querySelectorAll(%s), el => (el.innerText || el.textContent).trim())`, jsString(sel)), &out)
	return out
}

// VisibleTexts is Texts for elements that are rendered (not hidden).
func (p *Page) VisibleTexts(sel string) []string {
	p.T.Helper()
	var out []string
	p.Eval(fmt.Sprintf(`Array.from(document.querySelectorAll(%s)).filter(el => el.getClientRects().length > 0).map(el => el.innerText.trim())`, jsString(sel)), &out)
	return out
}

// Value returns the value of the form field matching sel.
func (p *Page) Value(sel string) string {
	p.T.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, ActionTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		p.T.Fatalf("browser: value of %s on %s: %v", sel, p.location(), err)
	}
	return s
}

// Count returns how many elements match sel now, without waiting.
func (p *Page) Count(sel string) int {
	p.T.Helper()
	var n int
	p.Eval(fmt.Sprintf(`document.querySelectorAll(%s).length`, jsString(sel)), &n)
	return n
}

// Attr returns an attribute of the first element matching sel now, or ""
// when there is no such element or attribute.
func (p *Page) Attr(sel, name string) string {
	p.T.Helper()
	var s string
	p.Eval(fmt.Sprintf(`(document.querySelector(%s) || {getAttribute: () => ''}).getAttribute(%s) || ''`, jsString(sel), jsString(name)), &s)
	return s
}

// WaitVisible waits until an element matching sel is visible.
func (p *Page) WaitVisible(sel string) {
	p.T.Helper()
	p.run("wait for "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
}

// WaitFor polls the JavaScript expression until it is true. It may span a
// page load.
func (p *Page) WaitFor(expr string) {
	p.T.Helper()
	deadline := time.Now().Add(ActionTimeout)
	var last error
	for time.Now().Before(deadline) {
		var ok bool
		ctx, cancel := context.WithTimeout(p.ctx, 5*time.Second)
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](expr, chromedp.EvalAwaitPromise))
		cancel()
		if err == nil {
			err = json.Unmarshal(raw, &ok)
		}
		if err == nil && ok {
			return
		}
		last = err
		time.Sleep(25 * time.Millisecond)
	}
	p.T.Fatalf("browser: wait for %s on %s: timed out (last error: %v)", expr, p.location(), last)
}

// Eval evaluates a JavaScript expression (awaiting a promise) and decodes
// its JSON value into out, which may be nil.
func (p *Page) Eval(expr string, out any) {
	p.T.Helper()
	if err := p.eval(expr, out); err != nil {
		p.T.Fatalf("browser: eval on %s: %v\n%s", p.location(), err, expr)
	}
}

func (p *Page) eval(expr string, out any) error {
	return p.evalWithin(ActionTimeout, expr, out)
}

// evalWithin is eval with its own time limit.
func (p *Page) evalWithin(limit time.Duration, expr string, out any) error {
	ctx, cancel := context.WithTimeout(p.ctx, limit)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](expr, chromedp.EvalAwaitPromise))
	if err != nil || out == nil {
		return err
	}
	if len(raw) == 0 {
		raw = []byte("null")
	}
	return json.Unmarshal(raw, out)
}

// SetViewport sets the size of the viewport in CSS pixels.
func (p *Page) SetViewport(width, height int64) {
	p.T.Helper()
	p.run(fmt.Sprintf("set viewport %dx%d", width, height), chromedp.EmulateViewport(width, height))
}

// Lang returns the lang attribute of <html>.
func (p *Page) Lang() string {
	p.T.Helper()
	return p.Attr("html", "lang")
}

// ConsoleErrors returns the errors and uncaught exceptions the page has
// reported so far, except failed loads of documents that answered with an
// error status on purpose (404 pages, rejected forms).
func (p *Page) ConsoleErrors() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, m := range p.console {
		if strings.Contains(m, "the server responded with a status of") {
			continue
		}
		out = append(out, m)
	}
	return out
}

// Screenshot saves a full-page PNG to path, for looking at a failure.
func (p *Page) Screenshot(path string) {
	p.T.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, ActionTimeout)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(90))
	if err == nil {
		err = os.WriteFile(path, buf, 0o644)
	}
	if err != nil {
		p.T.Errorf("browser: screenshot: %v", err)
	}
}

// AxeViolation is one failed axe-core rule on a page.
type AxeViolation struct {
	ID      string    `json:"id"`
	Impact  string    `json:"impact"`
	Help    string    `json:"help"`
	HelpURL string    `json:"helpUrl"`
	Nodes   []AxeNode `json:"nodes"`
}

// AxeNode is one element that fails a rule.
type AxeNode struct {
	Target  string `json:"target"`
	HTML    string `json:"html"`
	Summary string `json:"summary"`
}

// FormatViolations writes violations as readable text: rule id, impact and
// help, then each failing element with its selector and what is wrong.
func FormatViolations(vs []AxeViolation) string {
	var b strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&b, "  %s (%s): %s\n    %s\n", v.ID, v.Impact, v.Help, v.HelpURL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "    - %s\n      %s\n", n.Target, n.HTML)
			for _, l := range strings.Split(strings.TrimSpace(n.Summary), "\n") {
				fmt.Fprintf(&b, "      %s\n", strings.TrimSpace(l))
			}
		}
	}
	return b.String()
}

// Axe runs axe-core on the page as it is now, with the rules tagged
// AxeTags, and returns the violations.
func (p *Page) Axe() ([]AxeViolation, error) {
	if p.noJS {
		// axe-core needs timers and promises, which stop with scripts off.
		if err := p.setScripts(true); err != nil {
			return nil, err
		}
		defer p.setScripts(false)
	}
	var loaded bool
	if err := p.eval(`typeof window.axe === 'object'`, &loaded); err != nil {
		return nil, err
	}
	if !loaded {
		// Runtime.evaluate is not subject to the page's CSP, so axe runs
		// under the same policy as production without weakening it.
		if err := p.eval(axeSource+"\n;true", nil); err != nil {
			return nil, fmt.Errorf("inject axe-core: %w", err)
		}
	}
	tags, _ := json.Marshal(AxeTags)
	script := fmt.Sprintf(`axe.run(document, {
		runOnly: {type: 'tag', values: %s},
		resultTypes: ['violations'],
	}).then(r => r.violations.map(v => ({
		id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
		nodes: v.nodes.map(n => ({
			target: n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : String(t)).join(', '),
			html: n.html.length > 300 ? n.html.slice(0, 300) + '…' : n.html,
			summary: n.failureSummary || '',
		})),
	})))`, tags)
	var vs []AxeViolation
	if err := p.evalWithin(AxeTimeout, script, &vs); err != nil {
		return nil, fmt.Errorf("run axe-core: %w", err)
	}
	return vs, nil
}

// Overflow describes elements wider than the viewport.
type Overflow struct {
	ScrollWidth int      `json:"scrollWidth"`
	InnerWidth  int      `json:"innerWidth"`
	Culprits    []string `json:"culprits"`
}

// HorizontalOverflow reports whether the page scrolls sideways
// (document.documentElement.scrollWidth > innerWidth), and if so which
// elements stick out past the right edge.
func (p *Page) HorizontalOverflow() (Overflow, bool) {
	p.T.Helper()
	var o Overflow
	p.Eval(`(() => {
		const de = document.documentElement, w = window.innerWidth;
		const culprits = [];
		if (de.scrollWidth > w) {
			for (const el of document.body.querySelectorAll('*')) {
				const r = el.getBoundingClientRect();
				if (r.width > 0 && r.right > w + 0.5) {
					const parent = el.parentElement && el.parentElement.getBoundingClientRect();
					if (parent && parent.right > w + 0.5) continue; // report the outermost
					let name = el.tagName.toLowerCase();
					if (el.id) name += '#' + el.id;
					if (el.classList.length) name += '.' + Array.from(el.classList).join('.');
					culprits.push(name + ' (right edge ' + Math.round(r.right) + 'px)');
					if (culprits.length >= 10) break;
				}
			}
		}
		return {scrollWidth: de.scrollWidth, innerWidth: w, culprits};
	})()`, &o)
	return o, o.ScrollWidth > o.InnerWidth
}

// BrokenWords returns the words that the page splits across two lines
// inside table cells, buttons, labels and navigation links, where a word
// broken letter by letter ("Na|me", "Revo|ke") is hard to read. Text that
// may break anywhere on purpose (.wm-break: emails, ids, URLs) is left out.
func (p *Page) BrokenWords() []string {
	p.T.Helper()
	var out []string
	p.Eval(`(() => {
		const found = [];
		const scope = 'th, td, button, .govuk-button, label, legend, .wm-header__nav-link, .govuk-breadcrumbs__link, .govuk-tag, .wm-tag';
		const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
		for (let node = walker.nextNode(); node; node = walker.nextNode()) {
			const el = node.parentElement;
			if (!el || !el.closest(scope) || el.closest('.wm-break, .govuk-visually-hidden, [hidden]')) continue;
			if (el.getClientRects().length === 0) continue;
			// A word split at a hyphen or dash is ordinary typography
			// ("2026-11-|25"); letters torn apart are not.
			const re = /[^\s\-\u2010-\u2015]+/g;
			let m;
			while ((m = re.exec(node.data)) !== null) {
				const range = document.createRange();
				range.setStart(node, m.index);
				range.setEnd(node, m.index + m[0].length);
				const tops = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
				if (tops.size > 1) {
					const where = el.closest(scope);
					found.push(where.tagName.toLowerCase() + (where.className ? '.' + String(where.className).trim().split(/\s+/).join('.') : '') + ': "' + m[0] + '"');
					if (found.length >= 20) return found;
				}
			}
		}
		return found;
	})()`, &out)
	return out
}

// Audit checks the page as it is now at every width in Widths: no axe-core
// violations for AxeTags, and at the narrowest width no sideways scrolling
// and no words broken letter by letter (BrokenWords).
// It also fails on JavaScript errors the page reported. Problems are
// reported with t.Errorf, so a test goes on to find more. The viewport is
// left at the widest width. A page state already audited under the same
// name is skipped; name defaults to the current path.
func (p *Page) Audit(name ...string) {
	p.T.Helper()
	key := p.location()
	if len(name) > 0 {
		key = name[0]
	}
	if p.audited[key] {
		return
	}
	p.audited[key] = true
	for i, w := range Widths {
		p.SetViewport(w, 900)
		if i == 0 {
			if o, bad := p.HorizontalOverflow(); bad {
				p.T.Errorf("%s at %d px scrolls sideways: scrollWidth %d > innerWidth %d; too wide:\n  %s",
					key, w, o.ScrollWidth, o.InnerWidth, strings.Join(o.Culprits, "\n  "))
			}
			if words := p.BrokenWords(); len(words) > 0 {
				p.T.Errorf("%s at %d px breaks words across lines:\n  %s", key, w, strings.Join(words, "\n  "))
			}
		}
		vs, err := p.Axe()
		if err != nil {
			p.T.Fatalf("axe on %s: %v", key, err)
		}
		if len(vs) > 0 {
			p.T.Errorf("%s at %d px has %d accessibility violation(s) (%s):\n%s",
				key, w, len(vs), strings.Join(AxeTags, ", "), FormatViolations(vs))
		}
	}
	if errs := p.ConsoleErrors(); len(errs) > 0 {
		p.T.Errorf("%s: the page reported JavaScript errors:\n  %s", key, strings.Join(errs, "\n  "))
		p.mu.Lock()
		p.console = nil
		p.mu.Unlock()
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// lockedBuffer collects the browser's output from its goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf.Len() > 64<<10 {
		return len(p), nil
	}
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
