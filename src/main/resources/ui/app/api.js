// The current lakeFS API (/api/v1) as the UI uses it: JSON in and out, errors as ApiError with the
// server's message, a 401 reported to whoever listens (the app sends the browser to the login page).
const BASE = '/api/v1';

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

let onUnauthorized = () => {};
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }

/** A path under /api/v1 from segments (each encoded) and a query object (empty values left out). */
export function apiPath(segments, query) {
  let path = BASE + '/' + segments.map(encodeURIComponent).join('/');
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const qs = q.toString();
  return qs ? path + '?' + qs : path;
}

async function errorOf(response) {
  let body = null;
  let message = `${response.status} ${response.statusText}`;
  try {
    const text = await response.text();
    try {
      body = JSON.parse(text);
      if (body && typeof body.message === 'string' && body.message) message = body.message;
    } catch {
      if (text && text.length < 300) message = text;
    }
  } catch { /* no body */ }
  return new ApiError(response.status, message, body);
}

/** Calls the API; resolves to the parsed JSON (or text, or null for an empty answer). */
export async function request(method, segments, { query, body, auth = true, raw = false } = {}) {
  const init = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(apiPath(segments, query), init);
  } catch (e) {
    throw new ApiError(0, 'The server cannot be reached (' + e.message + ').', null);
  }
  if (!response.ok) {
    const error = await errorOf(response);
    if (response.status === 401 && auth) onUnauthorized(error);
    throw error;
  }
  if (raw) return response;
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') || '';
  return type.includes('json') ? response.json() : response.text();
}

export const get = (segments, query, opts) => request('GET', segments, { query, ...opts });

/** The URL of an object's content (the session cookie authenticates it, so a link downloads it). */
export function objectUrl(repo, ref, path) {
  return apiPath(['repositories', repo, 'refs', ref, 'objects'], { path });
}

/**
 * Uploads one file to a branch with a progress callback (fetch has no upload progress, so XHR).
 * Resolves to the object's stats.
 */
export function upload(repo, branch, path, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', apiPath(['repositories', repo, 'branches', branch, 'objects'], { path }));
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body);
      } else {
        const error = new ApiError(xhr.status, (body && body.message) || `${xhr.status} ${xhr.statusText}`, body);
        if (xhr.status === 401) onUnauthorized(error);
        reject(error);
      }
    };
    xhr.onerror = () => reject(new ApiError(0, 'The upload of ' + path + ' failed: the server cannot be reached.', null));
    // the raw body (uploadObject takes it as lakeFS's does): the browser streams the file, and the
    // request's Content-Type becomes the object's content type
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    xhr.send(file);
  });
}

/** Every page of a listing (for small ones: type-ahead, conflicts); stops after `limit` entries. */
export async function listAll(segments, query, limit = 10000) {
  const out = [];
  let after = '';
  for (;;) {
    const page = await get(segments, { ...query, after, amount: 1000 });
    out.push(...page.results);
    if (!page.pagination.has_more || out.length >= limit) return out;
    after = page.pagination.next_offset;
  }
}
