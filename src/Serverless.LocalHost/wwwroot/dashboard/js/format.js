// Small DOM and formatting helpers. Text always goes in as text (never as HTML), and styles are set through the
// CSSOM, which the page's Content-Security-Policy allows (it forbids inline style attributes and inline script).

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = value;
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : String(child));
  }
}

/** The server's clock minus this browser's, learned from the answers' generatedAt, so "ago" and live bars agree with the server. */
let skewMs = 0;
export function learnServerTime(isoTime) {
  const server = Date.parse(isoTime);
  if (!Number.isNaN(server)) skewMs = server - Date.now();
}
export const now = () => Date.now() + skewMs;

export function time(iso) {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/** 850 ms, 12 s, 4 min 5 s, 3 h 20 min, 2 d 4 h. */
export function duration(seconds) {
  if (seconds === undefined || seconds === null || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, seconds);
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  if (s < 10) return `${(Math.round(s * 10) / 10).toString()} s`;
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) {
    const total = Math.round(s);
    const m = Math.floor(total / 60);
    const r = total % 60;
    return r ? `${m} min ${r} s` : `${m} min`;
  }
  if (s < 86400) {
    const total = Math.round(s / 60);
    const h = Math.floor(total / 60);
    const m = total % 60;
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  const total = Math.round(s / 3600);
  const d = Math.floor(total / 24);
  const h = total % 24;
  return h ? `${d} d ${h} h` : `${d} d`;
}

export function ago(iso) {
  const at = time(iso);
  if (at === null) return '–';
  const seconds = (now() - at) / 1000;
  return seconds < 5 ? 'just now' : `${duration(seconds)} ago`;
}

export function clock(iso) {
  const at = time(iso);
  return at === null ? '–' : new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

export function number(value, digits = 0) {
  if (value === undefined || value === null || !Number.isFinite(value)) return '–';
  return value.toLocaleString(undefined, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function percent(rate) {
  return rate === undefined || rate === null || !Number.isFinite(rate) ? '–' : `${number(rate * 100, rate * 100 % 1 === 0 ? 0 : 1)} %`;
}

export function shortCommit(commit) {
  return commit ? String(commit).slice(0, 10) : '';
}

/** Only http(s) links are followed from the page; anything else (javascript:, data:) is dropped. */
export function safeHttpUrl(value) {
  if (typeof value !== 'string' || value.length === 0) return null;
  try {
    const url = new URL(value, window.location.origin);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : null;
  } catch {
    return null;
  }
}
