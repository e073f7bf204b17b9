// The JSON API the dashboard reads. It lives below /api beside the dashboard: LocalHost serves the dashboard at
// /dashboard/ and the API at /api/; the Function App serves both below /api (/api/dashboard/, /api/runs, ...).
// On the Function App the API needs a function key: open the dashboard with ?code=<key> and every call carries it.
// On a LocalHost with API keys, every call carries the key the person entered (X-Api-Key), kept in sessionStorage so
// that it dies with the tab and is never written to disk by localStorage.

const here = new URL(window.location.href);
const marker = here.pathname.lastIndexOf('/dashboard');
const prefix = marker >= 0 ? here.pathname.slice(0, marker) : '';
export const apiBase = prefix.endsWith('/api') ? prefix : `${prefix}/api`;
const functionKey = here.searchParams.get('code');

const KEY_STORAGE = 'pipeline.apiKey';
/** Dispatched on window when an API call answers 401: the key form listens for it. */
export const KEY_NEEDED = 'pipeline:api-key-needed';
/** Dispatched on window when the key is set or forgotten. */
export const KEY_CHANGED = 'pipeline:api-key-changed';

/** An answer other than 2xx; network failures stay TypeErrors (the dashboard is offline then). */
export class ApiError extends Error {
  constructor(status, message, detail) {
    super(message);
    this.status = status;
    this.detail = detail;
  }
}

export function apiKey() {
  try {
    return window.sessionStorage.getItem(KEY_STORAGE) || '';
  } catch {
    return ''; // Storage disabled: no key.
  }
}

export function setApiKey(key) {
  try {
    if (key) window.sessionStorage.setItem(KEY_STORAGE, key); else window.sessionStorage.removeItem(KEY_STORAGE);
  } catch {
    // Storage disabled: nothing to keep the key in.
  }
  window.dispatchEvent(new CustomEvent(KEY_CHANGED));
}

export function apiUrl(path, query = {}) {
  const url = new URL(`${apiBase}/${path}`, window.location.origin);
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, String(value));
  }
  if (functionKey) url.searchParams.set('code', functionKey);
  return url.toString();
}

/** GET a JSON answer; 404 gives null when allowed, any other failure throws. */
export function getJson(path, query = {}, { allowNotFound = false, timeoutMs = 15000 } = {}) {
  return call('GET', path, query, { allowNotFound, timeoutMs });
}

/** POST without a body and read the JSON answer; any failure throws. */
export function postJson(path, { timeoutMs = 15000 } = {}) {
  return call('POST', path, {}, { allowNotFound: false, timeoutMs });
}

async function call(method, path, query, { allowNotFound, timeoutMs }) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const headers = { Accept: 'application/json' };
  const key = apiKey();
  if (key) headers['X-Api-Key'] = key;
  try {
    const response = await fetch(apiUrl(path, query), {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      signal: controller.signal,
    });
    if (response.status === 404 && allowNotFound) return null;
    if (!response.ok) {
      let detail = response.statusText;
      try {
        const problem = await response.json();
        detail = problem.detail || problem.title || detail;
      } catch {
        // Not JSON: keep the status text.
      }
      if (response.status === 401) window.dispatchEvent(new CustomEvent(KEY_NEEDED, { detail: { hadKey: Boolean(key) } }));
      throw new ApiError(response.status, `${path}: ${response.status} ${detail}`, detail);
    }
    return await response.json();
  } catch (error) {
    if (error.name === 'AbortError') throw new TypeError(`${path}: no answer within ${timeoutMs / 1000} s`);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
