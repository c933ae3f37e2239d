// Compare two refs (three-dot: what "compare" changed since the merge base; two-dot: what leads
// from "base" to "compare") and merge "compare" into the branch "base".
import { useState } from 'preact/hooks';
import { get, listAll, request } from './api.js';
import { href, navigate, queryParam, repoPath } from './router.js';
import { html, DiffTable, ErrorBox, Loading, Pager, RefSelector, isBranch, shortId, useAsync } from './ui.js';

/**
 * The paths of a conflict: changed on both sides since their merge base (the 409 of a merge names
 * how many, not which).
 */
async function conflictingPaths(repo, base, compare) {
  const [theirs, ours] = await Promise.all([
    listAll(['repositories', repo, 'refs', base, 'diff', compare], { type: 'three_dot' }),
    listAll(['repositories', repo, 'refs', compare, 'diff', base], { type: 'three_dot' }),
  ]);
  const mine = new Map(ours.map((d) => [d.path, d]));
  return theirs.filter((d) => mine.has(d.path)).map((d) => ({ path: d.path, source: d.type, destination: mine.get(d.path).type }));
}

function MergePanel({ repo, base, compare, onMerged }) {
  const [strategy, setStrategy] = useState('');
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [conflicts, setConflicts] = useState(null);
  const merge = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setConflicts(null);
    try {
      const body = { message: message || `Merge ${compare} into ${base}` };
      if (strategy) body.strategy = strategy;
      const result = await request('POST', ['repositories', repo, 'refs', compare, 'merge', base], { body });
      onMerged(result.reference);
    } catch (err) {
      setError(err);
      if (err.status === 409) {
        try {
          setConflicts(await conflictingPaths(repo, base, compare));
        } catch (e2) {
          setError({ message: err.message + ' (the conflicting paths cannot be listed: ' + e2.message + ')' });
        }
      }
    } finally {
      setBusy(false);
    }
  };
  return html`<form class="merge form inline" onSubmit=${merge}>
    <h2>Merge <code>${compare}</code> into <code>${base}</code></h2>
    <div class="row">
      <label>Message <input name="merge_message" placeholder=${`Merge ${compare} into ${base}`} value=${message} onInput=${(e) => setMessage(e.target.value)} /></label>
      <label>On conflicts <select name="strategy" value=${strategy} onChange=${(e) => setStrategy(e.target.value)}>
        <option value="">fail and list them</option>
        <option value="source-wins">take the source's version (source-wins)</option>
        <option value="dest-wins">keep the destination's version (dest-wins)</option>
      </select></label>
      <button type="submit" class="primary" disabled=${busy}>Merge</button>
    </div>
    <${ErrorBox} error=${error} />
    ${conflicts && html`<div class="conflicts"><h3>Conflicts (${conflicts.length})</h3>
      <table class="listing"><thead><tr><th>path</th><th>in ${compare}</th><th>in ${base}</th></tr></thead>
        <tbody>${conflicts.map((c) => html`<tr key=${c.path}><td class="mono">${c.path}</td><td>${c.source}</td><td>${c.destination}</td></tr>`)}</tbody>
      </table>
      <p class="muted">Choose a strategy above to merge anyway, or change the files so they agree.</p></div>`}
  </form>`;
}

export function ComparePage({ repo, defaultBranch }) {
  const base = queryParam('base') || defaultBranch;
  const compare = queryParam('compare');
  const mode = queryParam('mode') === 'two_dot' ? 'two_dot' : 'three_dot';
  const after = queryParam('after');
  const [merged, setMerged] = useState(null);
  const go = (query) => navigate(href(repoPath(repo, 'compare'), { base, compare, mode: mode === 'three_dot' ? '' : mode, ...query }));
  const diff = useAsync(() => (compare
    ? get(['repositories', repo, 'refs', base, 'diff', compare], { type: mode, after, amount: 100 })
    : Promise.resolve(null)), [repo, base, compare, mode, after]);
  const baseIsBranch = useAsync(() => isBranch(repo, base), [repo, base]);
  return html`<section class="compare">
    <div class="toolbar">
      <${RefSelector} repo=${repo} value=${base} label="base" onChange=${(v) => { setMerged(null); go({ base: v, after: '' }); }} />
      <span class="arrow">←</span>
      <${RefSelector} repo=${repo} value=${compare} label="compare" onChange=${(v) => { setMerged(null); go({ compare: v, after: '' }); }} />
      <label><span class="muted">mode</span> <select name="mode" value=${mode} onChange=${(e) => go({ mode: e.target.value === 'three_dot' ? '' : e.target.value, after: '' })}>
        <option value="three_dot">three dots: changes of compare since the merge base</option>
        <option value="two_dot">two dots: from base to compare</option>
      </select></label>
    </div>
    ${merged && html`<div class="notice" role="status">Merged into ${base}: commit <a class="mono" href=${repoPath(repo, 'commits', encodeURIComponent(merged))}>${shortId(merged)}</a>. <a href=${href(repoPath(repo, 'commits'), { ref: base })}>See the log of ${base}</a>.</div>`}
    ${!compare && html`<p class="muted">Choose a ref to compare with ${base}.</p>`}
    <${ErrorBox} error=${diff.error} />
    ${compare && diff.loading && !diff.data && html`<${Loading} what="the diff" />`}
    ${diff.data && html`<${DiffTable} entries=${diff.data.results} empty=${'No differences between ' + base + ' and ' + compare + '.'} />`}
    ${diff.data && html`<${Pager} hasMore=${diff.data.pagination.has_more} after=${after}
      onNext=${() => go({ after: diff.data.pagination.next_offset })} onFirst=${() => go({ after: '' })} />`}
    ${compare && baseIsBranch.data && html`<${MergePanel} repo=${repo} base=${base} compare=${compare}
      onMerged=${(ref) => { setMerged(ref); diff.reload(); }} />`}
    ${compare && baseIsBranch.data === false && html`<p class="muted">${base} is not a branch: a merge goes into a branch.</p>`}
  </section>`;
}
