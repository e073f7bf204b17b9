// The JSON API the dashboard reads. It lives below /api beside the dashboard: LocalHost serves the dashboard at
// /dashboard/ and the API at /api/; the Function App serves both below /api (/api/dashboard/, /api/runs, ...).
// On the Function App the API needs a function key: open the dashboard with ?code=<key> and every call carries it.

const here = new URL(window.location.href);
const marker = here.pathname.lastIndexOf('/dashboard');
const prefix = marker >= 0 ? here.pathname.slice(0, marker) : '';
export const apiBase = prefix.endsWith('/api') ? prefix : `${prefix}/api`;
const functionKey = here.searchParams.get('code');

/** An answer other than 2xx; network failures stay TypeErrors (the dashboard is offline then). */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
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
export async function getJson(path, query = {}, { allowNotFound = false, timeoutMs = 15000 } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(apiUrl(path, query), {
      headers: { Accept: 'application/json' },
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
      throw new ApiError(response.status, `${path}: ${response.status} ${detail}`);
    }
    return await response.json();
  } catch (error) {
    if (error.name === 'AbortError') throw new TypeError(`${path}: no answer within ${timeoutMs / 1000} s`);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
