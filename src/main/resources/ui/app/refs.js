// Branches and tags: list, create from any ref, delete (never the default branch).
import { useState } from 'preact/hooks';
import { get, request } from './api.js';
import { href, navigate, queryParam, repoPath } from './router.js';
import { html, Confirm, ErrorBox, Loading, Modal, Pager, shortId, useAsync } from './ui.js';

function CreateRef({ kind, repo, defaultSource, onClose, onDone }) {
  const [name, setName] = useState('');
  const [source, setSource] = useState(defaultSource);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (kind === 'branch') {
        await request('POST', ['repositories', repo, 'branches'], { body: { name: name.trim(), source: source.trim() } });
      } else {
        await request('POST', ['repositories', repo, 'tags'], { body: { id: name.trim(), ref: source.trim() } });
      }
      onDone(name.trim());
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return html`<${Modal} title=${'Create ' + kind} onClose=${onClose}>
    <form class="form" onSubmit=${submit}>
      <label>${kind === 'branch' ? 'Branch' : 'Tag'} name <input name="name" required value=${name} onInput=${(e) => setName(e.target.value)} /></label>
      <label>From (branch, tag or commit) <input name="source" required value=${source} onInput=${(e) => setSource(e.target.value)} /></label>
      <${ErrorBox} error=${error} />
      <div class="actions">
        <button type="button" onClick=${onClose}>Cancel</button>
        <button type="submit" class="primary" disabled=${busy}>Create</button>
      </div>
    </form>
  <//>`;
}

function RefList({ kind, repo, defaultBranch }) {
  const plural = kind === 'branch' ? 'branches' : 'tags';
  const after = queryParam('after');
  const prefix = queryParam('prefix');
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState(null);
  const list = useAsync(() => get(['repositories', repo, plural], { after, prefix, amount: 100 }), [repo, after, prefix]);
  const go = (query) => navigate(href(repoPath(repo, plural), { prefix, ...query }));
  return html`<section class=${plural}>
    <div class="toolbar">
      <input type="search" class="search" placeholder=${'Find ' + plural + ' by prefix'} aria-label=${'Find ' + plural} value=${prefix}
        onChange=${(e) => go({ prefix: e.target.value, after: '' })} />
      <span class="spacer"></span>
      <button type="button" class="primary" onClick=${() => setCreating(true)}>Create ${kind}</button>
    </div>
    <${ErrorBox} error=${list.error} />
    ${list.loading && !list.data && html`<${Loading} />`}
    ${list.data && (list.data.results.length === 0 ? html`<p class="muted empty">No ${plural}${prefix ? ' starting with ' + prefix : ''}.</p>` : html`<table class="listing">
      <thead><tr><th>${kind}</th><th>commit</th><th></th></tr></thead>
      <tbody>${list.data.results.map((r) => html`<tr key=${r.id}>
        <td><a href=${href(repoPath(repo, 'objects'), { ref: r.id })}>${r.id}</a>${r.id === defaultBranch && html` <span class="badge">default</span>`}</td>
        <td><a class="mono" href=${repoPath(repo, 'commits', encodeURIComponent(r.commit_id))}>${shortId(r.commit_id)}</a></td>
        <td class="row-actions">
          ${kind === 'branch' && html`<a class="button small" href=${href(repoPath(repo, 'compare'), { base: defaultBranch, compare: r.id })}>Compare</a>`}
          ${r.id !== defaultBranch && html`<button type="button" class="small danger" onClick=${() => setDeleting(r.id)}>Delete</button>`}
        </td>
      </tr>`)}</tbody>
    </table>`)}
    ${list.data && html`<${Pager} hasMore=${list.data.pagination.has_more} after=${after}
      onNext=${() => go({ after: list.data.pagination.next_offset })} onFirst=${() => go({ after: '' })} />`}
    ${creating && html`<${CreateRef} kind=${kind} repo=${repo} defaultSource=${defaultBranch}
      onClose=${() => setCreating(false)} onDone=${() => { setCreating(false); list.reload(); }} />`}
    ${deleting && html`<${Confirm} title=${'Delete ' + kind}
      message=${html`Delete the ${kind} <strong>${deleting}</strong>? Its commits stay reachable from other refs.`}
      action=${() => request('DELETE', ['repositories', repo, plural, deleting])}
      onDone=${() => { setDeleting(null); list.reload(); }} onClose=${() => setDeleting(null)} />`}
  </section>`;
}

export function BranchesPage({ repo, defaultBranch }) {
  return html`<${RefList} kind="branch" repo=${repo} defaultBranch=${defaultBranch} />`;
}

export function TagsPage({ repo, defaultBranch }) {
  return html`<${RefList} kind="tag" repo=${repo} defaultBranch=${defaultBranch} />`;
}
