// Delivery metrics: the DORA four keys with their performance levels (GET /api/metrics), lead time to the first and
// to all production instances, the lag between them, and each key's trend over the window as a chart (Chart.js,
// bundled into vendor/ at build time). Anything missing from the answer shows as "–" or "no data".
import { getJson } from './api.js';
import { el, duration, number, percent, learnServerTime, clock } from './format.js';

const DAY_MS = 86400000;

/** The metrics of the window ending now (for 30 days: exactly the API's default window). */
export async function loadMetrics(stack, days) {
  const query = { stack };
  if (days !== 30) query.from = new Date(Date.now() - days * DAY_MS).toISOString();
  const report = await getJson('metrics', query, { allowNotFound: true });
  if (report?.generatedAt) learnServerTime(report.generatedAt);
  return report;
}

/** The window in whole UTC days up to tomorrow, cut into at most 13 buckets, each read as its own window. */
export async function loadTrends(stack, days) {
  const size = days <= 7 ? 1 : days <= 30 ? 3 : 7;
  const count = Math.ceil(days / size);
  const today = new Date();
  const end = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) + DAY_MS;
  const buckets = [];
  for (let i = count - 1; i >= 0; i--) {
    const to = end - i * size * DAY_MS;
    buckets.push({ from: to - size * DAY_MS, to });
  }
  const reports = await Promise.all(buckets.map((b) =>
    getJson('metrics', { stack, from: new Date(b.from).toISOString(), to: new Date(b.to).toISOString() }, { allowNotFound: true })
      .catch(() => null)));
  return buckets.map((bucket, i) => ({ ...bucket, metrics: pick(reports[i], stack) }));
}

/** The stack's metrics from a report, or everything together. */
export function pick(report, stack) {
  if (!report) return null;
  if (stack) return (report.stacks ?? []).find((s) => s.stack === stack) ?? null;
  return report.overall ?? (report.stacks?.length === 1 ? report.stacks[0] : null);
}

function level(name) {
  const text = typeof name === 'string' && name ? name.toLowerCase() : null;
  return el('span', { class: `level ${text ?? 'none'}`, dataset: { level: text ?? '' }, text: text ?? 'not judged' });
}

function tile(id, title, valueNode, sub, levelName) {
  return el('article', { class: 'key-tile', dataset: { key: id } },
    el('h3', { text: title }),
    valueNode,
    el('div', { class: 'key-sub' }, sub),
    level(levelName));
}

export function renderMetrics(keys, flow, caption, report, stack, days) {
  const m = pick(report, stack);
  if (!m) {
    keys.replaceChildren(el('p', { class: 'empty', text: 'No metrics data for this selection yet.' }));
    flow.replaceChildren();
    caption.textContent = report ? '' : 'The metrics API did not answer: no data.';
    return;
  }
  caption.textContent = `${days} days to ${clock(report.to)}`;

  const f = m.deploymentFrequency ?? {};
  const lead = m.leadTime ?? {};
  const cfr = m.changeFailureRate ?? {};
  const restore = m.timeToRestore ?? {};
  const levels = m.performance ?? {};
  const toLast = lead.toLastInstance ?? {};
  const toFirst = lead.toFirstInstance ?? {};
  const lag = lead.firstToLastLag ?? {};

  keys.replaceChildren(
    tile('deployment-frequency', 'Deployment frequency',
      el('div', { class: 'key-value', dataset: { metric: 'per-day', value: f.perDay ?? '' }, text: `${number(f.perDay, 2)} / day` }),
      [el('span', { dataset: { metric: 'releases' }, text: number(f.releases) }), ` release${f.releases === 1 ? '' : 's'}`,
        f.succeededReleases !== undefined ? ` (${number(f.succeededReleases)} succeeded)` : '', ` · ${number(f.perWeek, 1)} / week`],
      f.level ?? levels.deploymentFrequency),
    tile('lead-time', 'Lead time for changes',
      el('div', { class: 'key-value', dataset: { metric: 'lead-time', seconds: toLast.medianSeconds ?? '' }, text: duration(toLast.medianSeconds) }),
      [`median to the last instance · p90 ${duration(toLast.p90Seconds)} · `, el('span', { dataset: { metric: 'commits' }, text: number(lead.commits) }), ` commit${lead.commits === 1 ? '' : 's'}`],
      lead.level ?? levels.leadTime),
    tile('change-failure-rate', 'Change failure rate',
      el('div', { class: 'key-value', dataset: { metric: 'change-failure-rate', value: cfr.rate ?? '' }, text: percent(cfr.rate) }),
      `${number(cfr.releasesNeedingRemediation)} of ${number(cfr.releases)} releases needed remediation`,
      cfr.level ?? levels.changeFailureRate),
    tile('time-to-restore', 'Time to restore',
      el('div', { class: 'key-value', dataset: { metric: 'time-to-restore', minutes: restore.medianMinutes ?? '' }, text: restore.medianMinutes === undefined || restore.medianMinutes === null ? '–' : duration(restore.medianMinutes * 60) }),
      `median · ${number(restore.incidents)} incident${restore.incidents === 1 ? '' : 's'}, ${number(restore.open)} open`,
      restore.level ?? levels.timeToRestore),
  );

  const item = (metric, term, value, title) => el('div', { title },
    el('dt', { text: term }), el('dd', { dataset: { metric }, text: value }));
  flow.replaceChildren(
    item('lead-first', 'Lead time to the first production instance', `${duration(toFirst.medianSeconds)} (p90 ${duration(toFirst.p90Seconds)})`, 'median per commit'),
    item('lead-last', 'Lead time to all production instances', `${duration(toLast.medianSeconds)} (p90 ${duration(toLast.p90Seconds)})`, 'median per commit: a release is done when every instance runs it'),
    item('first-to-last-lag', 'First-to-last instance lag', `${duration(lag.medianSeconds)} (p90 ${duration(lag.p90Seconds)})`, 'per release'),
    item('person-time', 'Time people spent per change', duration(m.personTime?.perChange?.medianSeconds), 'median wait at the approval gate'),
  );
}

// Charts ------------------------------------------------------------------------------------------------------

const charts = new Map();

function css(name, fallback) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

function label(bucket) {
  const from = new Date(bucket.from);
  const to = new Date(bucket.to - 1);
  const format = (d) => d.toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
  return bucket.to - bucket.from <= DAY_MS ? format(from) : `${format(from)}–${format(to)}`;
}

/** A unit for durations in seconds that keeps the largest value readable. */
function unitFor(maxSeconds) {
  if (!(maxSeconds >= 120)) return { name: 'seconds', suffix: ' s', seconds: 1 };
  if (maxSeconds < 7200) return { name: 'minutes', suffix: ' min', seconds: 60 };
  if (maxSeconds < 172800) return { name: 'hours', suffix: ' h', seconds: 3600 };
  return { name: 'days', suffix: ' d', seconds: 86400 };
}

function inUnit(values, unit) {
  return values.map((v) => (v === null || v === undefined ? null : Math.round((v / unit.seconds) * 100) / 100));
}

function caption(id, text) {
  const figure = document.getElementById(id)?.closest('figure');
  const node = figure?.querySelector('figcaption');
  if (node && node.textContent !== text) node.textContent = text;
}

function draw(id, type, labels, datasets, suffix) {
  const canvas = document.getElementById(id);
  if (!canvas) return;
  const box = canvas.parentElement;
  const hasData = datasets.some((d) => d.data.some((v) => v !== null && v !== undefined));
  box.classList.toggle('no-data', !hasData || typeof window.Chart !== 'function');
  if (typeof window.Chart !== 'function') return;

  let chart = charts.get(id);
  if (!chart) {
    const text = css('--muted', '#5b6470');
    const grid = css('--line', '#dde2e8');
    chart = new window.Chart(canvas, {
      type,
      data: { labels, datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        spanGaps: true,
        interaction: { mode: 'index', intersect: false },
        plugins: {
          legend: { display: datasets.length > 1, labels: { color: text, boxWidth: 12 } },
          tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${c.parsed.y === null ? '–' : `${number(c.parsed.y, 2)}${c.chart.$suffix ?? ''}`}` } },
        },
        scales: {
          x: { stacked: type === 'bar', ticks: { color: text, maxRotation: 0, autoSkip: true }, grid: { display: false } },
          y: { stacked: type === 'bar', beginAtZero: true, ticks: { color: text, precision: type === 'bar' ? 0 : undefined }, grid: { color: grid } },
        },
      },
    });
    charts.set(id, chart);
  } else {
    chart.data.labels = labels;
    chart.data.datasets.forEach((dataset, i) => { dataset.data = datasets[i].data; });
    chart.update('none');
  }
  chart.$suffix = suffix;
}

export function renderTrends(note, trends) {
  const labels = trends.map(label);
  const value = (f) => trends.map((t) => (t.metrics ? f(t.metrics) : null));
  const blue = css('--work-run', '#2f7fd8');
  const green = css('--work-ok', '#2f9e55');
  const red = css('--work-bad', '#d9473b');
  const amber = css('--medium', '#b7791f');

  draw('chart-deployments', 'bar', labels, [
    { label: 'succeeded', data: value((m) => m.deploymentFrequency?.succeededReleases ?? null), backgroundColor: green, stack: 'r' },
    { label: 'failed', data: value((m) => (m.deploymentFrequency ? (m.deploymentFrequency.releases ?? 0) - (m.deploymentFrequency.succeededReleases ?? 0) : null)), backgroundColor: red, stack: 'r' },
  ], '');
  const toLast = value((m) => m.leadTime?.toLastInstance?.medianSeconds ?? null);
  const toFirst = value((m) => m.leadTime?.toFirstInstance?.medianSeconds ?? null);
  const leadUnit = unitFor(Math.max(0, ...toLast.concat(toFirst).filter((v) => v !== null)));
  caption('chart-lead', toLast.concat(toFirst).some((v) => v !== null) ? `Lead time for changes (median, ${leadUnit.name})` : 'Lead time for changes (median)');
  draw('chart-lead', 'line', labels, [
    { label: 'to all instances', data: inUnit(toLast, leadUnit), borderColor: blue, backgroundColor: blue, tension: 0.25 },
    { label: 'to first instance', data: inUnit(toFirst, leadUnit), borderColor: green, backgroundColor: green, borderDash: [4, 3], tension: 0.25 },
  ], leadUnit.suffix);
  draw('chart-cfr', 'line', labels, [
    { label: 'change failure rate', data: value((m) => (m.changeFailureRate?.rate === null || m.changeFailureRate?.rate === undefined ? null : Math.round(m.changeFailureRate.rate * 1000) / 10)), borderColor: red, backgroundColor: red, tension: 0.25 },
  ], ' %');
  const restore = value((m) => (m.timeToRestore?.medianMinutes === null || m.timeToRestore?.medianMinutes === undefined ? null : m.timeToRestore.medianMinutes * 60));
  const restoreUnit = unitFor(Math.max(0, ...restore.filter((v) => v !== null)));
  caption('chart-restore', restore.some((v) => v !== null) ? `Time to restore (median, ${restoreUnit.name})` : 'Time to restore (median)');
  draw('chart-restore', 'line', labels, [
    { label: 'time to restore', data: inUnit(restore, restoreUnit), borderColor: amber, backgroundColor: amber, tension: 0.25 },
  ], restoreUnit.suffix);

  const missing = typeof window.Chart !== 'function';
  note.hidden = !missing && trends.some((t) => t.metrics);
  note.textContent = missing
    ? 'The chart library is missing from this build (vendor/chart.umd.js): run scripts/ensure-tools and build again.'
    : 'No metrics data for the trend: no data.';
}
