// Checks run by build.sh after compiling:
//   1. WCAG 2.2 contrast of every Waymark colour pair, read from
//      scss/_palette.scss (text ≥ 4.5:1, non-text such as borders and
//      focus indicators ≥ 3:1);
//   2. the compiled CSS carries nothing reserved for GOV.UK: no GDS
//      Transport, no @font-face, no url() to a crown, crest or royal arms;
//   3. no crown/crest/royal-arms file was copied into static/.
// Usage: node web-assets/check.mjs <static dir>
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const staticDir = process.argv[2]
if (!staticDir) {
  console.error('usage: node check.mjs <static dir>')
  process.exit(2)
}

const palette = {}
for (const m of readFileSync(join(here, 'scss/_palette.scss'), 'utf8').matchAll(/^\$(wm-[a-z0-9-]+):\s*(#[0-9a-fA-F]{6})\s*;/gm)) {
  palette[m[1]] = m[2]
}

// [foreground, background, minimum ratio, what it is]
const pairs = [
  ['wm-white', 'wm-brand', 4.5, 'header text on brand'],
  ['wm-white', 'wm-brand-dark', 4.5, 'header text on dark brand'],
  ['wm-brand', 'wm-white', 4.5, 'link text'],
  ['wm-brand-dark', 'wm-white', 4.5, 'link hover text'],
  ['wm-visited', 'wm-white', 4.5, 'visited link text'],
  ['wm-brand', 'wm-light-grey', 4.5, 'link text in filter panel'],
  ['wm-brand', 'wm-brand-tint', 4.5, 'link text on brand tint'],
  ['wm-text', 'wm-focus', 4.5, 'focused link text'],
  ['wm-focus', 'wm-brand', 3, 'focus outline against header'],
  ['wm-secondary-text', 'wm-white', 4.5, 'card meta line'],
  ['wm-secondary-text', 'wm-light-grey', 4.5, 'secondary text in filter panel'],
  ['wm-societal-text', 'wm-societal-bg', 4.5, 'societal tag'],
  ['wm-digital-text', 'wm-digital-bg', 4.5, 'digital tag'],
  ['wm-technology-text', 'wm-technology-bg', 4.5, 'technology tag'],
  ['wm-societal-text', 'wm-white', 3, 'societal tag border'],
  ['wm-digital-text', 'wm-white', 3, 'digital tag border'],
  ['wm-technology-text', 'wm-white', 3, 'technology tag border'],
  ['wm-text', 'wm-white', 4.5, 'gap marker text'],
  ['wm-secondary-text', 'wm-white', 3, 'gap marker border'],
  ['wm-added-text', 'wm-added-bg', 4.5, 'diff: added'],
  ['wm-removed-text', 'wm-removed-bg', 4.5, 'diff: removed'],
  ['wm-changed-text', 'wm-changed-bg', 4.5, 'diff: changed'],
  ['wm-text', 'wm-added-bg', 4.5, 'diff: added body text'],
  ['wm-text', 'wm-removed-bg', 4.5, 'diff: removed body text'],
  ['wm-text', 'wm-changed-bg', 4.5, 'diff: changed body text'],
  ['wm-added-border', 'wm-added-bg', 3, 'diff: added bar'],
  ['wm-removed-border', 'wm-removed-bg', 3, 'diff: removed bar'],
  ['wm-changed-border', 'wm-changed-bg', 3, 'diff: changed bar'],
  ['wm-text', 'wm-problem-bg', 4.5, 'problem text'],
  ['wm-removed-text', 'wm-problem-bg', 4.5, 'problem severity: error'],
  ['wm-technology-text', 'wm-problem-bg', 4.5, 'problem severity: warning'],
  ['wm-error', 'wm-problem-bg', 3, 'problem error bar'],
  ['wm-warning-border', 'wm-problem-bg', 3, 'problem warning bar'],
  ['wm-chart-threat', 'wm-white', 3, 'chart: threat mark'],
  ['wm-chart-opportunity', 'wm-white', 3, 'chart: opportunity mark'],
  ['wm-chart-both', 'wm-white', 3, 'chart: both mark'],
  ['wm-chart-threat', 'wm-chart-act-now', 3, 'chart: threat mark in act-now quadrant'],
  ['wm-chart-opportunity', 'wm-chart-routine', 3, 'chart: opportunity mark in routine quadrant'],
  ['wm-brand', 'wm-chart-act-now', 3, 'chart: matrix point in act-now quadrant'],
  ['wm-brand', 'wm-chart-prepare', 3, 'chart: matrix point in prepare quadrant'],
  ['wm-brand', 'wm-chart-watch', 3, 'chart: matrix point in watch quadrant'],
  ['wm-brand', 'wm-chart-routine', 3, 'chart: matrix point in routine quadrant'],
  ['wm-text', 'wm-chart-act-now', 4.5, 'chart: quadrant name act now'],
  ['wm-text', 'wm-chart-prepare', 4.5, 'chart: quadrant name prepare'],
  ['wm-text', 'wm-chart-watch', 4.5, 'chart: quadrant name watch'],
  ['wm-text', 'wm-chart-routine', 4.5, 'chart: quadrant name routine'],
  ['wm-text', 'wm-chart-seg-0', 4.5, 'chart: share on step 0'],
  ['wm-text', 'wm-chart-seg-1', 4.5, 'chart: share on step 1'],
  ['wm-text', 'wm-chart-seg-2', 4.5, 'chart: share on step 2'],
  ['wm-white', 'wm-chart-seg-3', 4.5, 'chart: share on step 3'],
  ['wm-white', 'wm-chart-seg-4', 4.5, 'chart: share on step 4'],
  ['wm-chart-seg-4', 'wm-white', 3, 'chart: darkest step against white'],
  ['wm-chart-group-0', 'wm-white', 3, 'chart: group 1'],
  ['wm-chart-group-1', 'wm-white', 3, 'chart: group 2'],
  ['wm-chart-group-2', 'wm-white', 3, 'chart: group 3'],
  ['wm-chart-group-3', 'wm-white', 3, 'chart: group 4'],
  ['wm-chart-group-4', 'wm-white', 3, 'chart: group 5'],
  ['wm-chart-group-5', 'wm-white', 3, 'chart: group 6'],
  ['wm-white', 'wm-chart-threat', 4.5, 'chart: number on threat mark'],
  ['wm-white', 'wm-chart-opportunity', 4.5, 'chart: number on opportunity mark'],
  ['wm-white', 'wm-chart-both', 4.5, 'chart: number on both mark'],
  ['wm-brand', 'wm-white', 3, 'roadmap: bar and its outline'],
  ['wm-brand', 'wm-brand-tint', 3, 'roadmap: outline of the recurring-cost bar'],
  ['wm-text', 'wm-light-grey', 4.5, 'roadmap: lane name'],
  ['wm-chart-threat', 'wm-white', 3, 'roadmap: red RAG square'],
  ['wm-warning-border', 'wm-white', 3, 'roadmap: amber RAG triangle'],
  ['wm-chart-opportunity', 'wm-white', 3, 'roadmap: green RAG circle'],
  ['wm-text', 'wm-white', 3, 'roadmap: dependency arrow'],
]

function luminance (hex) {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
  const [r, g, b] = c.map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

function ratio (a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (hi + 0.05) / (lo + 0.05)
}

let failed = 0
for (const [fg, bg, min, what] of pairs) {
  if (!palette[fg] || !palette[bg]) {
    console.error(`check: palette lacks $${palette[fg] ? bg : fg}`)
    failed++
    continue
  }
  const r = ratio(palette[fg], palette[bg])
  const ok = r >= min
  if (!ok) failed++
  console.log(`contrast ${ok ? 'ok  ' : 'FAIL'} ${r.toFixed(2).padStart(5)}:1 (≥ ${min}) ${what}: ${palette[fg]} on ${palette[bg]}`)
}

const css = readFileSync(join(staticDir, 'css/waymark.css'), 'utf8')
const forbidden = [
  [/GDS Transport/i, 'GDS Transport font'],
  [/@font-face/i, '@font-face rule'],
  [/url\([^)]*(crown|crest|royal[-_]?arms)[^)]*\)/i, 'crown/crest/royal arms image'],
  [/sourceMappingURL/, 'source map reference'],
]
for (const [re, what] of forbidden) {
  if (re.test(css)) {
    console.error(`check: waymark.css contains a ${what}`)
    failed++
  }
}

function * walk (dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) yield * walk(p)
    else yield p
  }
}
for (const p of walk(staticDir)) {
  if (/crown|crest|royal[-_]?arms|govuk-(icon|opengraph)/i.test(p)) {
    console.error(`check: reserved GOV.UK image in static: ${p}`)
    failed++
  }
}

if (failed) {
  console.error(`check: ${failed} problem(s)`)
  process.exit(1)
}
console.log('check: contrast and licence checks passed')
