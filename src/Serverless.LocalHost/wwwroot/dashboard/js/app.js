// The dashboard: reads the JSON API and redraws itself every few seconds. All script is in files like this one;
// the page's Content-Security-Policy allows no inline script and no inline event handler.
import { getJson, ApiError } from './api.js';
import { el } from './format.js';
import { setUpKeyForm } from './key.js';
import { loadRuns, renderRuns } from './runs.js';
import { loadEstate, renderEstate } from './estate.js';
import { loadMetrics, loadTrends, renderMetrics, renderTrends } from './metrics.js';

const REFRESH_MS = 5000;
const TRENDS_MS = 60000;
const STACKS_MS = 60000;
const RUN_PAGES = [10, 25, 50, 100];

const page = new URL(window.location.href);
const state = {
  stack: page.searchParams.get('stack') ?? '',
  days: [7, 30, 90].includes(Number(page.searchParams.get('days'))) ? Number(page.searchParams.get('days')) : 30,
  runPage: 0,
  lastSuccess: null,
  stacksAt: 0,
  trendsAt: 0,
  timer: null,
  busy: false,
  again: null,
};

const $ = (id) => document.getElementById(id);
const stackSelect = $('stack');
const windowSelect = $('window');
const moreRuns = $('more-runs');

function setStatus(kind, text) {
  const status = $('status');
  status.classList.toggle('live', kind === 'live');
  status.classList.toggle('offline', kind === 'offline');
  status.querySelector('.status-text').textContent = text;
}

function remember() {
  const url = new URL(window.location.href);
  if (state.stack) url.searchParams.set('stack', state.stack); else url.searchParams.delete('stack');
  if (state.days !== 30) url.searchParams.set('days', String(state.days)); else url.searchParams.delete('days');
  window.history.replaceState(null, '', url);
}

async function refreshStacks() {
  const stacks = await getJson('stacks');
  const names = (Array.isArray(stacks) ? stacks : []).map((s) => s.name).filter(Boolean).sort();
  if (state.stack && !names.includes(state.stack)) names.unshift(state.stack);
  const current = [...stackSelect.options].slice(1).map((o) => o.value);
  if (current.join('\n') !== names.join('\n')) {
    stackSelect.replaceChildren(el('option', { value: '', text: 'All stacks' }), ...names.map((n) => el('option', { value: n, text: n })));
  }
  stackSelect.value = state.stack;
  state.stacksAt = Date.now();
}

async function refresh({ trends = false } = {}) {
  if (state.busy) {
    // One more refresh once this one is done, so that a changed selection is drawn at once.
    state.again = state.again || { trends };
    return;
  }
  state.busy = true;
  const stack = state.stack;
  const take = RUN_PAGES[state.runPage];
  try {
    const tasks = [
      Date.now() - state.stacksAt > STACKS_MS ? refreshStacks() : Promise.resolve(),
      loadRuns(stack, take),
      loadEstate(stack),
      loadMetrics(stack, state.days),
      trends || Date.now() - state.trendsAt > TRENDS_MS ? loadTrends(stack, state.days) : Promise.resolve(null),
    ];
    const results = await Promise.allSettled(tasks);
    if (stack !== state.stack) return; // The selection changed meanwhile: that refresh draws.

    const [, runs, estate, metrics, trend] = results;
    if (runs.status === 'fulfilled') {
      renderRuns($('run-list'), runs.value);
      moreRuns.hidden = runs.value.length < take || state.runPage === RUN_PAGES.length - 1;
      document.body.dataset.runs = String(runs.value.length);
    }
    if (estate.status === 'fulfilled') renderEstate($('estate-grid'), estate.value);
    if (metrics.status === 'fulfilled') renderMetrics($('keys'), $('flow'), $('metrics-window'), metrics.value, stack, state.days);
    if (trend.status === 'fulfilled' && trend.value) {
      renderTrends($('charts-note'), trend.value);
      state.trendsAt = Date.now();
    }

    const failures = results.filter((r) => r.status === 'rejected').map((r) => r.reason);
    const offline = failures.find((e) => !(e instanceof ApiError));
    const keyNeeded = failures.some((e) => e instanceof ApiError && e.status === 401);
    if (failures.length === 0) {
      state.lastSuccess = new Date();
      setStatus('live', `Live · updated ${state.lastSuccess.toLocaleTimeString()}`);
    } else if (keyNeeded) {
      setStatus('offline', 'An API key is needed');
    } else if (offline || !navigator.onLine) {
      const since = state.lastSuccess ? `showing data from ${state.lastSuccess.toLocaleTimeString()}` : 'no data yet';
      setStatus('offline', `Cannot reach the service · ${since} · retrying`);
    } else {
      state.lastSuccess = new Date();
      setStatus('live', `Updated ${state.lastSuccess.toLocaleTimeString()} · ${failures[0].message}`);
    }
    document.body.dataset.refreshed = String(Date.now());
  } finally {
    state.busy = false;
  }
  if (state.again) {
    const next = state.again;
    state.again = null;
    await refresh(next);
  }
}

function schedule(delay = REFRESH_MS) {
  clearTimeout(state.timer);
  state.timer = setTimeout(async () => {
    if (document.visibilityState !== 'hidden') await refresh();
    schedule();
  }, delay);
}

stackSelect.addEventListener('change', () => {
  state.stack = stackSelect.value;
  state.runPage = 0;
  remember();
  refresh({ trends: true }).then(() => schedule());
});
windowSelect.addEventListener('change', () => {
  state.days = Number(windowSelect.value);
  remember();
  refresh({ trends: true }).then(() => schedule());
});
moreRuns.addEventListener('click', () => {
  state.runPage = Math.min(state.runPage + 1, RUN_PAGES.length - 1);
  refresh().then(() => schedule());
});
$('filters').addEventListener('submit', (event) => event.preventDefault());
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') refresh().then(() => schedule());
});
window.addEventListener('online', () => refresh().then(() => schedule()));
window.addEventListener('offline', () => setStatus('offline', 'Offline · retrying when the connection is back'));

setUpKeyForm(() => {
  state.stacksAt = 0;
  refresh({ trends: true }).then(() => schedule());
});

windowSelect.value = String(state.days);
if (state.stack) stackSelect.append(el('option', { value: state.stack, text: state.stack }));
stackSelect.value = state.stack;
refresh({ trends: true }).then(() => schedule());
