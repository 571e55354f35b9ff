/// <reference lib="dom" />
/**
 * The web app's only script (served from /web/assets/live.js; the CSP allows no other). A page whose
 * <main> names an event stream (data-live) opens it with EventSource: the server pushes `change` when
 * something the page shows changed, and the page fetches itself again and swaps the regions that
 * differ (data-region). A region holding a form someone is filling in, or the focus, is left alone.
 * Between changes it only moves the countdowns on; it never asks the server on a timer.
 */

function dirty(region: Element): boolean {
  if (document.activeElement && region.contains(document.activeElement) && document.activeElement !== document.body) {
    const tag = document.activeElement.tagName;
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return true;
  }
  for (const el of Array.from(region.querySelectorAll('input, textarea, select'))) {
    if (el instanceof HTMLInputElement && el.type !== 'hidden' && el.value !== el.defaultValue) return true;
    if (el instanceof HTMLTextAreaElement && el.value !== el.defaultValue) return true;
    if (el instanceof HTMLSelectElement && Array.from(el.options).some((o) => o.selected !== o.defaultSelected)) return true;
  }
  return false;
}

function span(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return h ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m ? `${h}h ${m}m` : `${h}h`;
  if (m > 0) return `${m}m`;
  return `${s % 60}s`;
}

function tickCountdowns(): void {
  const now = Date.now();
  for (const el of Array.from(document.querySelectorAll<HTMLElement>('[data-due]'))) {
    const ms = Date.parse(el.dataset.due ?? '') - now;
    if (Number.isNaN(ms)) continue;
    el.textContent = ms >= 0 ? `in ${span(ms)}` : `overdue by ${span(ms)}`;
    el.classList.toggle('overdue', ms < 0);
    el.classList.toggle('soon', ms >= 0 && ms < 86400000);
  }
}

let fetching = false;
let again = false;

/** The page's own address: a refused form's answer is shown at the POST's URL, which is not a page to fetch again. */
function pageUrl(): string {
  return document.querySelector<HTMLElement>('main[data-page]')?.dataset.page ?? location.pathname + location.search;
}

async function refresh(): Promise<void> {
  if (fetching) {
    again = true;
    return;
  }
  fetching = true;
  try {
    do {
      again = false;
      const res = await fetch(pageUrl(), { credentials: 'same-origin', headers: { 'x-casebridge-live': '1' } });
      if (res.status === 401 || res.redirected) {
        // Signed out meanwhile (idle, elsewhere): show it by loading the page again (never re-posting a form).
        location.assign(pageUrl());
        return;
      }
      if (!res.ok) continue;
      const next = new DOMParser().parseFromString(await res.text(), 'text/html');
      for (const fresh of Array.from(next.querySelectorAll('[data-region]'))) {
        const name = fresh.getAttribute('data-region');
        const current = name ? document.querySelector(`[data-region="${CSS.escape(name)}"]`) : null;
        if (!current || dirty(current) || current.innerHTML === fresh.innerHTML) continue;
        current.replaceWith(document.importNode(fresh, true));
      }
      const main = document.querySelector('main');
      if (main) main.dataset.liveUpdates = String(Number(main.dataset.liveUpdates ?? '0') + 1);
    } while (again);
  } finally {
    fetching = false;
  }
  tickCountdowns();
}

function start(): void {
  tickCountdowns();
  // After a refused form the address bar shows the POST's URL: make reloading the page a plain GET of it.
  const here = document.querySelector<HTMLElement>('main[data-page]')?.dataset.page;
  if (here && here !== location.pathname) history.replaceState(null, '', here);
  setInterval(tickCountdowns, 15000);
  const main = document.querySelector<HTMLElement>('main[data-live]');
  const url = main?.dataset.live;
  if (!main || !url) return;
  const events = new EventSource(url);
  events.addEventListener('open', () => (main.dataset.liveState = 'open'));
  events.addEventListener('error', () => (main.dataset.liveState = 'reconnecting'));
  events.addEventListener('change', () => void refresh());
  events.addEventListener('ended', () => {
    events.close();
    location.assign(pageUrl());
  });
}

start();
