// Routes are real paths (the server answers index.html for any of them); links are intercepted so
// moving between pages does not reload the app.
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set();
const notify = () => listeners.forEach((l) => l());
window.addEventListener('popstate', notify);
let reloads = 0;

/** How many times a link to the page already shown was followed (the page is then loaded anew). */
export const reloadCount = () => reloads;

export function navigate(to, { replace = false } = {}) {
  if (to === location.pathname + location.search) {
    reloads++;
    notify();
    return;
  }
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.scrollTo(0, 0);
  notify();
}

/** The current path, search and reload count; the component re-renders when they change. */
export function useLocation() {
  const [loc, setLoc] = useState(location.pathname + location.search + '#' + reloads);
  useEffect(() => {
    const l = () => setLoc(location.pathname + location.search + '#' + reloads);
    listeners.add(l);
    return () => listeners.delete(l);
  }, []);
  return loc;
}

export function queryParam(name, fallback = '') {
  const v = new URLSearchParams(location.search).get(name);
  return v === null ? fallback : v;
}

/** A path with a query (empty values left out). */
export function href(path, query) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const qs = q.toString();
  return qs ? path + '?' + qs : path;
}

export function repoPath(repo, ...rest) {
  return ['/repositories', encodeURIComponent(repo), ...rest].join('/');
}

// Same-origin links without a target or download attribute are app navigations.
document.addEventListener('click', (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.target.closest && e.target.closest('a[href]');
  if (!a || a.target || a.hasAttribute('download') || a.dataset.native !== undefined) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/') || url.pathname === '/logout') return;
  e.preventDefault();
  navigate(url.pathname + url.search);
});
