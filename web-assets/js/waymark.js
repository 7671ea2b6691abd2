// Waymark progressive enhancement.
//
// Load with <script type="module" src="/static/js/waymark.js"></script>; no
// inline script is needed, so a strict Content-Security-Policy
// (script-src 'self') holds. Every page works without this file: the
// switchers and the filter are ordinary forms that the server answers.
//
//   - marks <body> with govuk-frontend-supported and runs govuk-frontend's
//     initAll() (accordions, checkboxes, error summary, skip link, …);
//   - <select data-wm-autosubmit>: submits its form when a choice is made
//     with a pointer, or with Enter after choosing by keyboard (arrow keys
//     alone never navigate away: WCAG 3.2.2); the form's button is then
//     visually hidden until it is focused or a keyboard choice is pending;
//   - <form data-wm-filter="LIST-ID">: filters the items of the list with
//     that id as the user types or ticks, without a round trip;
//   - content swapped in by htmx is enhanced the same way.

import { initAll } from './govuk-frontend.min.js'

document.body.classList.add('govuk-frontend-supported')
try {
  initAll()
} catch (err) {
  console.error('waymark: govuk-frontend initAll failed', err)
}
enhance(document)

document.addEventListener('htmx:load', (event) => {
  const root = event.detail && event.detail.elt
  if (!root || root === document.body || !(root instanceof Element)) return
  try {
    initAll(root)
  } catch (err) {
    console.error('waymark: govuk-frontend initAll failed', err)
  }
  enhance(root)
})

function enhance (root) {
  initAutosubmit(root)
  initFilters(root)
}

function queryAll (root, selector) {
  const found = Array.from(root.querySelectorAll(selector))
  if (root instanceof Element && root.matches(selector)) found.unshift(root)
  return found
}

function submit (form) {
  if (typeof form.requestSubmit === 'function') form.requestSubmit()
  else form.submit()
}

// ---------------------------------------------------------------------------
// Auto-submitting selects (organisation and language switchers)
// ---------------------------------------------------------------------------

// Keys that change a closed <select>'s value in place on Windows and Linux.
const NAV_KEYS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End', 'PageUp', 'PageDown'])

function initAutosubmit (root) {
  for (const select of queryAll(root, 'select[data-wm-autosubmit]')) {
    const form = select.form
    if (!form || select.dataset.wmAutosubmitReady) continue
    select.dataset.wmAutosubmitReady = 'true'
    form.classList.add('wm-switcher--auto')

    const initial = select.value
    let byKeyboard = false

    select.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault()
        if (select.value !== initial) submit(form)
        return
      }
      // Typing a letter jumps to an option; arrows move. Space and Alt+Down
      // open the list instead, and a choice made there commits like a click.
      byKeyboard = !event.altKey && (NAV_KEYS.has(event.key) || (event.key.length === 1 && event.key !== ' '))
    })
    select.addEventListener('pointerdown', () => { byKeyboard = false })
    select.addEventListener('change', () => {
      const changed = select.value !== initial
      if (byKeyboard) {
        // Wait for Enter or the button, which is shown now.
        form.classList.toggle('wm-switcher--pending', changed)
        return
      }
      if (changed) submit(form)
    })
  }
}

// ---------------------------------------------------------------------------
// Instant client-side filter
// ---------------------------------------------------------------------------
//
// <form data-wm-filter="trend-list">     the server-side filter form
//   <input type="search" name="q" data-wm-filter-text>
//   <input type="checkbox" name="category" value="digital">
//   <select name="force">…</select>
//   <p data-wm-filter-status aria-live="polite"
//      data-wm-status-one="{shown} of {total} trend shown"
//      data-wm-status-other="{shown} of {total} trends shown">…</p>
// </form>
// <ul id="trend-list">
//   <li data-wm-filter-item data-wm-category="digital" data-wm-force="demography">…</li>
// </ul>
// <p data-wm-filter-empty="trend-list" hidden>No trends match.</p>
//
// A form field named NAME filters on the items' data-wm-NAME attribute (a
// space-separated list of values); an item matches when it has any chosen
// value. Fields whose attribute no item has (sort, page, …) are ignored.
// The text field matches every word against the item's text (or its
// data-wm-filter-text attribute, if set).

function normalise (text) {
  return (text || '').normalize('NFKC').toLocaleLowerCase().replace(/\s+/g, ' ').trim()
}

function initFilters (root) {
  for (const form of queryAll(root, 'form[data-wm-filter]')) {
    if (form.dataset.wmFilterReady) continue
    const listId = form.dataset.wmFilter
    if (!document.getElementById(listId)) continue
    form.dataset.wmFilterReady = 'true'

    const status = form.querySelector('[data-wm-filter-status]') ||
      document.querySelector(`[data-wm-filter-status="${CSS.escape(listId)}"]`)
    let statusTimer = 0
    let urlTimer = 0

    const apply = () => {
      const list = document.getElementById(listId)
      if (!list) return
      const items = Array.from(list.querySelectorAll('[data-wm-filter-item]'))
      const textField = form.querySelector('[data-wm-filter-text]')
      const words = normalise(textField ? textField.value : '').split(' ').filter(Boolean)

      const data = new FormData(form)
      const criteria = []
      for (const name of new Set(data.keys())) {
        if (textField && name === textField.name) continue
        if (!/^[a-z][a-z0-9-]*$/.test(name)) continue
        const attr = `data-wm-${name}`
        if (!list.querySelector(`[${attr}]`)) continue
        const wanted = data.getAll(name).filter((v) => typeof v === 'string' && v !== '')
        if (wanted.length) criteria.push([attr, new Set(wanted)])
      }

      let shown = 0
      for (const item of items) {
        let match = true
        for (const [attr, wanted] of criteria) {
          const values = (item.getAttribute(attr) || '').split(/\s+/)
          if (!values.some((v) => wanted.has(v))) { match = false; break }
        }
        if (match && words.length) {
          const text = normalise(item.dataset.wmFilterText || item.textContent)
          match = words.every((w) => text.includes(w))
        }
        item.hidden = !match
        if (match) shown++
      }

      for (const empty of document.querySelectorAll(`[data-wm-filter-empty="${CSS.escape(listId)}"]`)) {
        empty.hidden = shown !== 0
      }

      // Announce the count once typing pauses, not on every key.
      if (status) {
        clearTimeout(statusTimer)
        statusTimer = setTimeout(() => {
          const template = (shown === 1 ? status.dataset.wmStatusOne : status.dataset.wmStatusOther) ||
            status.dataset.wmStatusOther || '{shown} / {total}'
          status.textContent = template.replace('{shown}', String(shown)).replace('{total}', String(items.length))
        }, 500)
      }

      // Keep the address in step so reload, back and sharing keep the filter.
      clearTimeout(urlTimer)
      if (new URL(form.action, location.href).pathname !== location.pathname) return
      urlTimer = setTimeout(() => {
        const params = new URLSearchParams()
        for (const [k, v] of new FormData(form)) {
          if (typeof v === 'string' && v !== '') params.append(k, v)
        }
        const query = params.toString()
        history.replaceState(history.state, '', query ? `?${query}` : location.pathname)
      }, 500)
    }

    form.addEventListener('input', apply)
    form.addEventListener('change', apply)
  }
}
