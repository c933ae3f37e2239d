// The list of repositories: search, create, delete.
import { useEffect, useState } from 'preact/hooks';
import { get, request } from './api.js';
import { href, navigate, queryParam, repoPath, useLocation } from './router.js';
import { html, Confirm, ErrorBox, Loading, Modal, Pager, fmtDate, useAsync } from './ui.js';

function CreateRepository({ onClose }) {
  const [id, setId] = useState('');
  const [namespace, setNamespace] = useState('');
  const [branch, setBranch] = useState('main');
  const [example, setExample] = useState('');
  const [blockstore, setBlockstore] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    get(['config']).then((c) => {
      setExample(c.storage_config.blockstore_namespace_example || '');
      setBlockstore(c.storage_config.blockstore_type || '');
    }, () => {});
  }, []);
  // on a local block store an empty namespace means local://<id> (shown as the placeholder: a
  // suggestion that changed the field's value could race with the user's typing)
  const suggested = blockstore === 'local' && id.trim() ? 'local://' + id.trim() : '';
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await request('POST', ['repositories'], { body: { name: id.trim(), storage_namespace: namespace.trim() || suggested, default_branch: branch.trim() } });
      navigate(repoPath(id.trim(), 'objects'));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return html`<${Modal} title="Create repository" onClose=${onClose}>
    <form onSubmit=${submit} class="form">
      <label>Repository ID <input name="name" required pattern="[a-z0-9][a-z0-9\\-]{2,62}" title="3 to 63 lower-case letters, digits and dashes" value=${id} onInput=${(e) => setId(e.target.value)} /></label>
      <label>Storage namespace <input name="storage_namespace" required=${!suggested} placeholder=${suggested || example} value=${namespace} onInput=${(e) => setNamespace(e.target.value)} /></label>
      <label>Default branch <input name="default_branch" required value=${branch} onInput=${(e) => setBranch(e.target.value)} /></label>
      <${ErrorBox} error=${error} />
      <div class="actions">
        <button type="button" onClick=${onClose}>Cancel</button>
        <button type="submit" class="primary" disabled=${busy}>Create</button>
      </div>
    </form>
  <//>`;
}

export function RepositoriesPage() {
  useLocation();
  const search = queryParam('search');
  const after = queryParam('after');
  const [text, setText] = useState(search);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState(null);
  const list = useAsync(() => get(['repositories'], { search, after, amount: 100 }), [search, after]);
  useEffect(() => {
    const t = setTimeout(() => { if (text !== search) navigate(href('/repositories', { search: text }), { replace: true }); }, 250);
    return () => clearTimeout(t);
  }, [text]);
  return html`<main class="page">
    <div class="title-row"><h1>Repositories</h1>
      <input type="search" class="search" placeholder="Search repositories" aria-label="Search repositories" value=${text} onInput=${(e) => setText(e.target.value)} />
      <button type="button" class="primary" onClick=${() => setCreating(true)}>Create repository</button>
    </div>
    <${ErrorBox} error=${list.error} />
    ${list.loading && !list.data && html`<${Loading} />`}
    ${list.data && (list.data.results.length === 0
      ? html`<p class="muted empty">${search ? 'No repository matches “' + search + '”.' : 'No repositories yet. Create one to start.'}</p>`
      : html`<table class="listing repositories">
        <thead><tr><th>repository</th><th>default branch</th><th>storage namespace</th><th>created</th><th></th></tr></thead>
        <tbody>${list.data.results.map((r) => html`<tr key=${r.id}>
          <td><a href=${repoPath(r.id, 'objects')}>${r.id}</a></td>
          <td>${r.default_branch}</td>
          <td class="mono">${r.storage_namespace}</td>
          <td>${fmtDate(r.creation_date)}</td>
          <td><button type="button" class="small danger" onClick=${() => setDeleting(r.id)}>Delete</button></td>
        </tr>`)}</tbody>
      </table>`)}
    ${list.data && html`<${Pager} hasMore=${list.data.pagination.has_more} after=${after}
      onNext=${() => navigate(href('/repositories', { search, after: list.data.pagination.next_offset }))}
      onFirst=${() => navigate(href('/repositories', { search }))} />`}
    ${creating && html`<${CreateRepository} onClose=${() => setCreating(false)} />`}
    ${deleting && html`<${Confirm} title="Delete repository"
      message=${html`Delete the repository <strong>${deleting}</strong> with all its branches, tags and commits? Its objects in the storage namespace stay where they are.`}
      action=${() => request('DELETE', ['repositories', deleting])}
      onDone=${() => { setDeleting(null); list.reload(); }} onClose=${() => setDeleting(null)} />`}
  </main>`;
}
