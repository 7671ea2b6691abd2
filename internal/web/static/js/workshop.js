// Live updates for the facilitator's workshop page and the presenter view.
//
// An element with data-wm-live="URL" listens to that Server-Sent Events
// stream. When something changes it either fetches data-wm-refresh and swaps
// the element with id data-wm-target (the presenter's live part), or, when
// there is no target, reloads the page (the facilitator's page, which has no
// fields to lose). Updates are throttled to one a second. Without
// JavaScript the pages still work; they just need a reload.
const root = document.querySelector('[data-wm-live]');
if (root && 'EventSource' in window) {
  const targetId = root.dataset.wmTarget;
  const refreshURL = root.dataset.wmRefresh;
  let timer = null;
  let busy = false;

  const refresh = async () => {
    timer = null;
    if (!targetId) {
      location.reload();
      return;
    }
    if (busy) {
      schedule();
      return;
    }
    busy = true;
    try {
      const res = await fetch(refreshURL, { headers: { Accept: 'text/html' }, credentials: 'same-origin' });
      if (res.ok) {
        const target = document.getElementById(targetId);
        if (target) target.innerHTML = await res.text();
      }
    } finally {
      busy = false;
    }
  };
  const schedule = () => {
    if (timer === null) timer = setTimeout(refresh, targetId ? 300 : 1000);
  };

  const stream = new EventSource(root.dataset.wmLive);
  for (const type of ['state', 'progress', 'ideas', 'reset']) {
    stream.addEventListener(type, schedule);
  }
  document.querySelectorAll('.wm-present__noscript').forEach((el) => { el.hidden = true; });
}
