// Participant screens: save as you go, follow the facilitator.
//
// Loaded by participant_page.html as a module (no inline script: the
// Content-Security-Policy holds). Every screen works without it: forms post
// and redirect, and the current phase shows on reload. With it:
//
//   - <form data-wm-autosave>: each change (a radio chosen, a slider let go)
//     posts the whole form with fetch and header X-Waymark-Fetch: 1; the
//     server answers JSON {ok, message, errors, reload}. The message goes
//     into the form's [data-wm-status] (role=status, aria-live=polite), so
//     "Saved" is both shown and announced; in rating forms a "Saved" mark
//     (aria-hidden) also appears beside each question just answered;
//   - <form data-wm-fetch>: posted with fetch on submit (upvotes, new ideas);
//     then the live regions are fetched again;
//   - input[type=range] with an <output data-wm-output=ID>: the number and
//     aria-valuetext follow the slider (data-wm-valuetext-a|b|mid, with
//     "{value}" in them);
//   - <form data-wm-dots=N>: the "placed X of N" line follows the inputs;
//   - #wm-screen[data-wm-events]: an EventSource on the workshop's stream.
//     A "state" event with another revision than data-wm-revision (the
//     facilitator moved the phase, or showed the results) or a "reset"
//     fetches GET data-wm-base?fragment=1 and swaps #wm-screen in place, no
//     reload: the new heading is announced in #wm-announce and takes the
//     focus if the old screen had it. "ideas" and "progress" events fetch
//     the current screen and swap only its [data-wm-region] elements (idea
//     lists, results), leaving what the participant is typing alone and
//     open <details data-wm-details=KEY> open; "progress" does so at most
//     every 4–6 s.

import { initAll } from './govuk-frontend.min.js'

const SCREEN_ID = 'wm-screen'
const FETCH_HEADERS = { 'X-Waymark-Fetch': '1', Accept: 'application/json' }

const screen = () => document.getElementById(SCREEN_ID)

function text (key, fallback) {
  const el = screen()
  return (el && el.dataset[key]) || fallback
}

// ---------------------------------------------------------------------------
// Saving
// ---------------------------------------------------------------------------

const saving = new WeakMap() // form → {busy, again}

function statusOf (form) {
  return form.querySelector('[data-wm-status]')
}

function showStatus (form, message, ok) {
  const status = statusOf(form)
  if (!status) return
  status.classList.toggle('wm-save-status--error', !ok)
  // Clear first, so that the same words ("Saved") are announced again.
  status.textContent = ''
  window.setTimeout(() => {
    const span = document.createElement('span')
    span.className = ok ? 'wm-save-status__ok' : 'wm-save-status__error'
    span.textContent = message
    status.replaceChildren(span)
  }, 50)
}

async function post (form) {
  const body = new URLSearchParams()
  for (const [k, v] of new FormData(form)) {
    if (typeof v === 'string') body.append(k, v)
  }
  const res = await fetch(form.action, { method: 'POST', body, headers: FETCH_HEADERS, credentials: 'same-origin' })
  let data = null
  try {
    data = await res.json()
  } catch {
    data = null
  }
  if (!data) throw new Error(`status ${res.status}`)
  return data
}

// markSaved shows "Saved" beside each question changed since the last save,
// where the participant is looking; the form's status line (further down)
// is the one screen readers hear.
function markSaved (groups, message, ok) {
  for (const group of groups) {
    let mark = group.querySelector('.wm-q-saved')
    if (!mark) {
      mark = document.createElement('span')
      mark.className = 'wm-q-saved'
      mark.setAttribute('aria-hidden', 'true')
      const legend = group.querySelector('legend') || group.querySelector('label')
      if (!legend) continue
      legend.append(' ', mark)
    }
    mark.classList.toggle('wm-q-saved--error', !ok)
    mark.textContent = message
  }
}

async function save (form, changed) {
  let st = saving.get(form)
  if (!st) {
    st = { busy: false, again: false, groups: new Set() }
    saving.set(form, st)
  }
  const group = changed && changed.closest('.govuk-form-group')
  if (group && form.matches('.wm-rating')) st.groups.add(group)
  if (st.busy) {
    st.again = true // the newest values go out when this save ends
    return
  }
  st.busy = true
  form.classList.add('wm-saving')
  try {
    do {
      st.again = false
      const groups = Array.from(st.groups)
      st.groups.clear()
      let data
      try {
        data = await post(form)
      } catch {
        showStatus(form, text('wmOffline', 'Not saved.'), false)
        markSaved(groups, text('wmOffline', 'Not saved.'), false)
        return
      }
      markSaved(groups, data.ok ? data.message : ((data.errors && Object.values(data.errors)[0]) || data.message), data.ok)
      if (!st.again) showStatus(form, data.message, data.ok)
      if (data.reload) refreshScreen()
    } while (st.again)
  } finally {
    st.busy = false
    form.classList.remove('wm-saving')
  }
}

async function submitByFetch (form) {
  let data
  try {
    data = await post(form)
  } catch {
    showStatus(form, text('wmOffline', 'Not saved.'), false)
    return
  }
  showStatus(form, data.message, data.ok)
  if (data.reload) {
    refreshScreen()
    return
  }
  if (data.ok) {
    if (form.hasAttribute('data-wm-reset')) form.reset()
    refreshRegions()
  }
}

// ---------------------------------------------------------------------------
// Controls
// ---------------------------------------------------------------------------

function sliderText (input) {
  const v = Number(input.value)
  let t = input.dataset.wmValuetextMid || String(v)
  if (v < 0) t = input.dataset.wmValuetextA || String(v)
  if (v > 0) t = input.dataset.wmValuetextB || String(v)
  return t.replace('{value}', String(v))
}

function updateSlider (input) {
  const out = document.querySelector(`[data-wm-output="${CSS.escape(input.id)}"]`)
  if (out) out.textContent = input.value
  input.setAttribute('aria-valuetext', sliderText(input))
}

function updateDots (form) {
  const max = Number(form.dataset.wmDots)
  let used = 0
  for (const input of form.querySelectorAll('input[type=number]')) {
    const n = Number(input.value)
    if (Number.isFinite(n) && n > 0) used += Math.floor(n)
  }
  const total = form.querySelector('[data-wm-dots-total]')
  if (!total) return
  let line = (total.dataset.wmText || '{used}').replace('{used}', String(used))
  if (used > max && total.dataset.wmOver) line += ' ' + total.dataset.wmOver
  total.textContent = line
  total.classList.toggle('wm-dots__total--over', used > max)
}

function enhance (root) {
  for (const form of root.querySelectorAll('form[data-wm-autosave]')) {
    form.addEventListener('change', (event) => {
      const el = event.target
      if (!(el instanceof HTMLInputElement)) return
      if (el.type !== 'radio' && el.type !== 'range') return
      const unplaced = form.querySelector('[data-wm-unplaced]')
      if (unplaced) unplaced.hidden = true
      save(form, el)
    })
  }
  for (const input of root.querySelectorAll('input[type=range]')) {
    input.addEventListener('input', () => updateSlider(input))
  }
  for (const form of root.querySelectorAll('form[data-wm-dots]')) {
    form.addEventListener('input', () => updateDots(form))
  }
  for (const form of root.querySelectorAll('form[data-wm-fetch]')) {
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      submitByFetch(form)
    })
  }
}

// ---------------------------------------------------------------------------
// Following the facilitator
// ---------------------------------------------------------------------------

async function fetchScreen (query) {
  const el = screen()
  if (!el) return null
  const params = new URLSearchParams(query)
  params.set('fragment', '1')
  const res = await fetch(`${el.dataset.wmBase}?${params}`, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
  if (!res.ok) return null
  const doc = new DOMParser().parseFromString(await res.text(), 'text/html')
  return doc.getElementById(SCREEN_ID)
}

function announce (message) {
  const live = document.getElementById('wm-announce')
  if (!live) return
  live.textContent = ''
  window.setTimeout(() => { live.textContent = message }, 50)
}

let refreshing = null

// refreshScreen swaps in the screen as it is now. When the phase has
// changed, the new screen starts afresh (first trend, no notice); when only
// something else changed (results shown), the participant stays where they
// were.
function refreshScreen () {
  if (refreshing) return refreshing
  refreshing = (async () => {
    try {
      const old = screen()
      if (!old) return
      const here = new URLSearchParams(location.search)
      here.delete('saved')
      let next = await fetchScreen(here)
      if (!next) return
      const stepChanged = next.dataset.wmStep !== old.dataset.wmStep
      let query = here
      if (stepChanged) {
        // In asynchronous rounds the part chosen stays; the trend index and
        // the view belonged to the old screen.
        query = new URLSearchParams()
        if (here.get('step')) query.set('step', here.get('step'))
        if (here.toString() !== query.toString()) {
          next = await fetchScreen(query)
          if (!next) return
        }
      }
      const current = screen()
      if (!current) return
      const active = document.activeElement
      const hadFocus = !active || active === document.body || current.contains(active)
      current.replaceWith(next)
      document.title = next.dataset.wmTitle || document.title
      const q = query.toString()
      history.replaceState(history.state, '', (q ? `${location.pathname}?${q}` : location.pathname) + (stepChanged ? '' : location.hash))
      setUp(next)
      if (stepChanged) {
        const heading = next.querySelector('h1')
        if (heading) {
          if (hadFocus) heading.focus()
          announce(heading.textContent.trim())
        }
      }
    } finally {
      refreshing = null
    }
  })()
  return refreshing
}

let regionTimer = 0

// refreshRegions fetches the screen as it is and swaps its live regions.
function refreshRegions () {
  window.clearTimeout(regionTimer)
  regionTimer = 0
  return (async () => {
    const query = new URLSearchParams(location.search)
    query.delete('saved')
    const next = await fetchScreen(query)
    const old = screen()
    if (!next || !old) return
    if (next.dataset.wmRevision !== old.dataset.wmRevision || next.dataset.wmStep !== old.dataset.wmStep) {
      refreshScreen()
      return
    }
    for (const region of next.querySelectorAll('[data-wm-region][id]')) {
      const current = document.getElementById(region.id)
      if (!current) continue
      const active = document.activeElement
      const focusId = active && current.contains(active) ? active.id : ''
      keepOpen(current, region)
      current.replaceWith(region)
      initAll(region)
      enhance(region)
      if (focusId) {
        const again = document.getElementById(focusId)
        if (again) again.focus()
      }
    }
  })()
}

function scheduleRegions () {
  if (regionTimer) return
  regionTimer = window.setTimeout(refreshRegions, 400)
}

// keepOpen opens the <details> of region that were open in current (by
// their data-wm-details key), so that a participant reading one trend's
// results does not see it close when the numbers change.
function keepOpen (current, region) {
  for (const open of current.querySelectorAll('details[open][data-wm-details]')) {
    const key = open.dataset.wmDetails
    for (const d of region.querySelectorAll('details[data-wm-details]')) {
      if (d.dataset.wmDetails === key) d.open = true
    }
  }
}

// New answers while the results are shown refresh them at most every four
// to six seconds (at random, so that a room of phones does not ask at the
// same moment); the presenter screen is the one that follows every answer.
// New ideas refresh at once.
const PROGRESS_REFRESH_MS = 4000
let progressTimer = 0

function scheduleProgress () {
  if (progressTimer) return
  progressTimer = window.setTimeout(() => {
    progressTimer = 0
    scheduleRegions()
  }, PROGRESS_REFRESH_MS + Math.random() * 2000)
}

function setUp (root) {
  try {
    initAll(root)
  } catch (err) {
    console.error('waymark: govuk-frontend initAll failed', err)
  }
  enhance(root)
}

function listen (url) {
  if (!url || !('EventSource' in window)) return
  const events = new EventSource(url)
  events.addEventListener('state', (event) => {
    let data = null
    try {
      data = JSON.parse(event.data)
    } catch {
      return
    }
    const el = screen()
    if (el && data && String(data.revision) !== el.dataset.wmRevision) {
      // A room of phones all asking at the same instant is a burst for the
      // server; spread them over a fifth of a second.
      window.setTimeout(refreshScreen, Math.random() * 200)
    }
  })
  events.addEventListener('reset', () => refreshScreen())
  events.addEventListener('ideas', scheduleRegions)
  events.addEventListener('progress', scheduleProgress)
}

const first = screen()
if (first) {
  enhance(first)
  listen(first.dataset.wmEvents)
}
