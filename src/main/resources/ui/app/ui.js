// Shared pieces of the pages: loading state, errors, dialogs, paging, the ref selector, diffs.
import { h } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import htm from 'htm';
import { get } from './api.js';

export const html = htm.bind(h);

/** Runs `load` when `deps` change; {data, error, loading, reload}. A stale answer is dropped. */
export function useAsync(load, deps) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    Promise.resolve().then(load).then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error) => live && setState({ data: null, error, loading: false }));
    return () => { live = false; };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

export function ErrorBox({ error }) {
  if (!error) return null;
  const message = error.message || String(error);
  return html`<div class="error" role="alert">${error.status ? html`<strong>Error ${error.status}: </strong>` : null}${message}${
    error.status === 403 ? html`<br /><span class="hint">Your policies do not allow this; an administrator can attach one that does.</span>` : null}</div>`;
}

export function Loading({ what = '' }) {
  return html`<div class="loading">Loading${what ? ' ' + what : ''}…</div>`;
}

export function Modal({ title, onClose, children }) {
  useEffect(() => {
    const key = (e) => { if (e.key === 'Escape') onClose(); };
    document.addEventListener('keydown', key);
    return () => document.removeEventListener('keydown', key);
  }, [onClose]);
  return html`<div class="backdrop" onClick=${(e) => { if (e.target === e.currentTarget) onClose(); }}>
    <div class="modal" role="dialog" aria-modal="true" aria-label=${title}>
      <h2>${title}</h2>
      ${children}
    </div>
  </div>`;
}

/** A confirmation dialog whose action may fail (the error stays in the dialog). */
export function Confirm({ title, message, action, danger = true, onDone, onClose, confirmText = 'Delete' }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const go = async () => {
    setBusy(true);
    setError(null);
    try {
      await action();
      onDone();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return html`<${Modal} title=${title} onClose=${onClose}>
    <p>${message}</p>
    <${ErrorBox} error=${error} />
    <div class="actions">
      <button type="button" onClick=${onClose}>Cancel</button>
      <button type="button" class=${danger ? 'danger' : 'primary'} disabled=${busy} onClick=${go}>${confirmText}</button>
    </div>
  <//>`;
}

export function Pager({ hasMore, after, onNext, onFirst }) {
  if (!hasMore && !after) return null;
  return html`<div class="pager">
    <button type="button" disabled=${!after} onClick=${onFirst}>First page</button>
    <button type="button" disabled=${!hasMore} onClick=${onNext}>Next page</button>
  </div>`;
}

export function fmtSize(n) {
  if (n === undefined || n === null) return '';
  if (n < 1024) return n + ' B';
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return v.toFixed(v < 10 ? 1 : 0) + ' ' + units[i];
}

// one formatter for every date (building an Intl formatter per call costs about a millisecond)
const DATE_FORMAT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

// the format shows minutes, so dates of one minute share their text: a listing of objects written
// together formats its dates once instead of once per row (formatting costs tens of microseconds)
const formattedMinutes = new Map();

export function fmtDate(seconds) {
  if (!seconds) return '';
  const minute = Math.floor(seconds / 60);
  let text = formattedMinutes.get(minute);
  if (text === undefined) {
    text = DATE_FORMAT.format(new Date(seconds * 1000));
    if (formattedMinutes.size >= 10000) formattedMinutes.clear();
    formattedMinutes.set(minute, text);
  }
  return text;
}

export const shortId = (id) => (id || '').slice(0, 12);

export function CopyButton({ text, label = 'Copy' }) {
  const [done, setDone] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // no clipboard permission (plain http): select a hidden field and copy from it
      const area = document.createElement('textarea');
      area.value = text;
      document.body.appendChild(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    setDone(true);
    setTimeout(() => setDone(false), 1500);
  };
  return html`<button type="button" class="small" onClick=${copy}>${done ? 'Copied' : label}</button>`;
}

/** Whether `ref` names a branch (asked without provoking a 404 for a tag or commit id). */
export async function isBranch(repo, ref) {
  const page = await get(['repositories', repo, 'branches'], { prefix: ref, amount: 1 });
  return page.results.length > 0 && page.results[0].id === ref;
}

/**
 * A type-ahead selector of a branch, a tag, or any ref typed in full (a commit id): the list shows
 * branches and tags starting with what is typed.
 */
export function RefSelector({ repo, value, onChange, label = 'ref', branchesOnly = false }) {
  const [text, setText] = useState(value || '');
  const [open, setOpen] = useState(false);
  const [options, setOptions] = useState([]);
  const [error, setError] = useState(null);
  const timer = useRef(0);
  useEffect(() => setText(value || ''), [value]);
  useEffect(() => {
    if (!open) return undefined;
    clearTimeout(timer.current);
    timer.current = setTimeout(async () => {
      try {
        const prefix = text === value ? '' : text;
        const [branches, tags] = await Promise.all([
          get(['repositories', repo, 'branches'], { prefix, amount: 20 }),
          branchesOnly ? { results: [] } : get(['repositories', repo, 'tags'], { prefix, amount: 20 }),
        ]);
        setOptions([
          ...branches.results.map((b) => ({ id: b.id, kind: 'branch', commit: b.commit_id })),
          ...tags.results.map((t) => ({ id: t.id, kind: 'tag', commit: t.commit_id })),
        ]);
        setError(null);
      } catch (e) {
        setError(e);
      }
    }, 120);
    return () => clearTimeout(timer.current);
  }, [text, open, repo]);
  const choose = (id) => {
    setOpen(false);
    setText(id);
    if (id && id !== value) onChange(id);
  };
  return html`<div class="ref-selector">
    <label><span class="muted">${label}</span>
      <input type="text" value=${text} aria-label=${label} autocomplete="off" spellcheck="false"
        onFocus=${(e) => { setOpen(true); e.target.select(); }}
        onInput=${(e) => { setText(e.target.value); setOpen(true); }}
        onBlur=${() => setTimeout(() => setOpen(false), 150)}
        onKeyDown=${(e) => {
          if (e.key === 'Enter') { e.preventDefault(); choose(pick(text.trim(), options)); e.target.blur(); }
          if (e.key === 'Escape') { setText(value); setOpen(false); }
        }} />
    </label>
    ${open && html`<ul class="ref-options" role="listbox">
      ${error && html`<li class="error-inline">${error.message}</li>`}
      ${options.length === 0 && !error && html`<li class="muted">no branch or tag starts with “${text}”; Enter to use it as a commit id</li>`}
      ${options.map((o) => html`<li role="option" key=${o.kind + o.id} onMouseDown=${(e) => { e.preventDefault(); choose(o.id); }}>
        <span class=${'badge ' + o.kind}>${o.kind}</span> ${o.id} <span class="muted mono">${shortId(o.commit)}</span>
      </li>`)}
    </ul>`}
  </div>`;
}

/** What Enter selects: the exact name, the one option that starts with it, or the text as typed. */
function pick(t, options) {
  if (options.some((o) => o.id === t)) return t;
  const starting = options.filter((o) => o.id.startsWith(t));
  return starting.length === 1 ? starting[0].id : t;
}

const TYPE_LABEL = { added: 'added', removed: 'removed', changed: 'changed', conflict: 'conflict', prefix_changed: 'changed' };

/**
 * A list of changes (diff entries); `onReset(entry)` adds a reset button per row, `folderHref(entry)`
 * makes a changed folder (an entry of a listing with a delimiter) a link.
 */
export function DiffTable({ entries, onReset, folderHref, empty = 'No changes.' }) {
  if (!entries.length) return html`<p class="muted empty">${empty}</p>`;
  return html`<table class="listing diff">
    <thead><tr><th>change</th><th>path</th><th class="num">size</th>${onReset && html`<th></th>`}</tr></thead>
    <tbody>
      ${entries.map((d) => html`<tr key=${d.path} class=${'change-' + d.type}>
        <td><span class=${'badge ' + d.type}>${TYPE_LABEL[d.type] || d.type}</span></td>
        <td class="mono path">${d.path_type === 'common_prefix' && folderHref ? html`<a href=${folderHref(d)}>${d.path}</a>` : d.path}${d.path_type === 'common_prefix' ? ' (folder)' : ''}</td>
        <td class="num">${d.size_bytes !== undefined && d.path_type !== 'common_prefix' ? fmtSize(d.size_bytes) : ''}</td>
        ${onReset && html`<td><button type="button" class="small" onClick=${() => onReset(d)}>Reset</button></td>`}
      </tr>`)}
    </tbody>
  </table>`;
}
