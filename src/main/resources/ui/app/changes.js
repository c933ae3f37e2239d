// Uncommitted changes of a branch: reset per path or folder, reset all, and the commit dialog.
import { useState } from 'preact/hooks';
import { get, request } from './api.js';
import { href, navigate, queryParam, repoPath } from './router.js';
import { html, Confirm, DiffTable, ErrorBox, Loading, Modal, Pager, useAsync } from './ui.js';

function CommitDialog({ repo, branch, onClose, onDone }) {
  const [message, setMessage] = useState('');
  const [pairs, setPairs] = useState([{ key: '', value: '' }]);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const setPair = (i, change) => setPairs((p) => p.map((x, j) => (j === i ? { ...x, ...change } : x)));
  const submit = async (e) => {
    e.preventDefault();
    const metadata = {};
    for (const { key, value } of pairs) {
      if (!key.trim() && !value) continue;
      if (!key.trim()) { setError({ message: 'A metadata value needs a key.' }); return; }
      if (key.trim() in metadata) { setError({ message: 'The metadata key “' + key.trim() + '” is given twice.' }); return; }
      metadata[key.trim()] = value;
    }
    setBusy(true);
    setError(null);
    try {
      const commit = await request('POST', ['repositories', repo, 'branches', branch, 'commits'], { body: { message, metadata } });
      onDone(commit);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return html`<${Modal} title=${'Commit changes to ' + branch} onClose=${onClose}>
    <form class="form" onSubmit=${submit}>
      <label>Message <textarea name="message" required rows="3" value=${message} onInput=${(e) => setMessage(e.target.value)}></textarea></label>
      <fieldset class="metadata"><legend>Metadata</legend>
        ${pairs.map((p, i) => html`<div class="pair" key=${i}>
          <input placeholder="key" aria-label=${'metadata key ' + (i + 1)} value=${p.key} onInput=${(e) => setPair(i, { key: e.target.value })} />
          <input placeholder="value" aria-label=${'metadata value ' + (i + 1)} value=${p.value} onInput=${(e) => setPair(i, { value: e.target.value })} />
          <button type="button" class="small" aria-label="remove" onClick=${() => setPairs((x) => x.filter((_, j) => j !== i))}>×</button>
        </div>`)}
        <button type="button" class="small" onClick=${() => setPairs((x) => [...x, { key: '', value: '' }])}>Add metadata</button>
      </fieldset>
      <${ErrorBox} error=${error} />
      <div class="actions">
        <button type="button" onClick=${onClose}>Cancel</button>
        <button type="submit" class="primary" disabled=${busy}>Commit</button>
      </div>
    </form>
  <//>`;
}

export function ChangesPage({ repo, branch }) {
  const after = queryParam('after');
  const prefix = queryParam('prefix');
  const [committing, setCommitting] = useState(false);
  const [resetting, setResetting] = useState(null);
  const [done, setDone] = useState(null);
  const diff = useAsync(() => get(['repositories', repo, 'branches', branch, 'diff'], { after, prefix, delimiter: '/', amount: 100 }), [repo, branch, after, prefix]);
  const go = (query) => navigate(href(repoPath(repo, 'changes'), { ref: branch, prefix, ...query }));
  const parts = prefix.split('/').filter(Boolean);
  const entries = diff.data ? diff.data.results : [];
  return html`<section class="changes">
    <div class="toolbar">
      <h2>Uncommitted changes on ${branch}</h2><span class="spacer"></span>
      <button type="button" disabled=${!entries.length} onClick=${() => setResetting({ type: 'reset' })}>Reset all</button>
      <button type="button" class="primary" disabled=${!entries.length} onClick=${() => setCommitting(true)}>Commit changes</button>
    </div>
    ${prefix && html`<div class="breadcrumbs"><a href=${href(repoPath(repo, 'changes'), { ref: branch })}>all changes</a>
      ${parts.map((p, i) => html`<span class="sep">/</span><a href=${href(repoPath(repo, 'changes'), { ref: branch, prefix: parts.slice(0, i + 1).join('/') + '/' })}>${p}</a>`)}</div>`}
    ${done && html`<div class="notice" role="status">Committed <a class="mono" href=${repoPath(repo, 'commits', encodeURIComponent(done.id))}>${done.id.slice(0, 12)}</a>: ${done.message}</div>`}
    <${ErrorBox} error=${diff.error} />
    ${diff.loading && !diff.data && html`<${Loading} what="changes" />`}
    ${diff.data && html`<${DiffTable} entries=${entries} empty="No uncommitted changes."
      folderHref=${(d) => href(repoPath(repo, 'changes'), { ref: branch, prefix: d.path })}
      onReset=${(d) => setResetting(d.path_type === 'common_prefix' ? { type: 'common_prefix', path: d.path } : { type: 'object', path: d.path })} />`}
    ${diff.data && html`<${Pager} hasMore=${diff.data.pagination.has_more} after=${after}
      onNext=${() => go({ after: diff.data.pagination.next_offset })} onFirst=${() => go({ after: '' })} />`}
    ${committing && html`<${CommitDialog} repo=${repo} branch=${branch} onClose=${() => setCommitting(false)}
      onDone=${(c) => { setCommitting(false); setDone(c); diff.reload(); }} />`}
    ${resetting && html`<${Confirm} title="Reset changes" confirmText="Reset"
      message=${resetting.type === 'reset' ? html`Drop <strong>every</strong> uncommitted change on ${branch}?`
        : html`Drop the uncommitted changes of <code>${resetting.path}</code>${resetting.type === 'common_prefix' ? ' and everything under it' : ''}?`}
      action=${() => request('PUT', ['repositories', repo, 'branches', branch], { body: resetting })}
      onDone=${() => { setResetting(null); setDone(null); diff.reload(); }} onClose=${() => setResetting(null)} />`}
  </section>`;
}
