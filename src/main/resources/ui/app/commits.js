// The commit log of a ref (paged) and one commit: its details and its diff against its first parent.
import { get, listAll } from './api.js';
import { href, navigate, queryParam, repoPath } from './router.js';
import { html, DiffTable, ErrorBox, Loading, Pager, fmtDate, shortId, useAsync } from './ui.js';

const commitLink = (repo, id) => repoPath(repo, 'commits', encodeURIComponent(id));

export function CommitsPage({ repo, refId: ref }) {
  const after = queryParam('after');
  const log = useAsync(() => get(['repositories', repo, 'refs', ref, 'commits'], { after, amount: 50 }), [repo, ref, after]);
  const go = (query) => navigate(href(repoPath(repo, 'commits'), { ref, ...query }));
  return html`<section class="commits">
    <${ErrorBox} error=${log.error} />
    ${log.loading && !log.data && html`<${Loading} what="the log" />`}
    ${log.data && html`<table class="listing log">
      <thead><tr><th>commit</th><th>message</th><th>committer</th><th>date</th></tr></thead>
      <tbody>${log.data.results.map((c) => html`<tr key=${c.id}>
        <td><a class="mono" href=${commitLink(repo, c.id)}>${shortId(c.id)}</a>${c.parents.length > 1 && html` <span class="badge merge">merge</span>`}</td>
        <td class="message">${c.message}</td>
        <td>${c.committer}</td>
        <td>${fmtDate(c.creation_date)}</td>
      </tr>`)}</tbody>
    </table>`}
    ${log.data && html`<${Pager} hasMore=${log.data.pagination.has_more} after=${after}
      onNext=${() => go({ after: log.data.pagination.next_offset })} onFirst=${() => go({})} />`}
  </section>`;
}

export function CommitPage({ repo, id }) {
  const commit = useAsync(() => get(['repositories', repo, 'commits', id]), [repo, id]);
  const parent = commit.data && commit.data.parents.length ? commit.data.parents[0] : null;
  const diff = useAsync(async () => {
    if (!commit.data) return null;
    if (!parent) return [];
    return listAll(['repositories', repo, 'refs', parent, 'diff', commit.data.id], { type: 'two_dot' }, 1000);
  }, [repo, commit.data && commit.data.id]);
  if (commit.error) return html`<${ErrorBox} error=${commit.error} />`;
  if (!commit.data) return html`<${Loading} what="the commit" />`;
  const c = commit.data;
  const metadata = Object.entries(c.metadata || {});
  return html`<section class="commit">
    <h2>${c.message || html`<span class="muted">(no message)</span>`}</h2>
    <dl class="props">
      <dt>ID</dt><dd class="mono">${c.id}</dd>
      <dt>Committer</dt><dd>${c.committer}</dd>
      <dt>Date</dt><dd>${fmtDate(c.creation_date)}</dd>
      <dt>Parents</dt><dd>${c.parents.length ? c.parents.map((p) => html`<a class="mono parent" href=${commitLink(repo, p)}>${shortId(p)}</a> `) : html`<span class="muted">none</span>`}</dd>
      <dt>Meta range</dt><dd class="mono">${c.meta_range_id}</dd>
      <dt>Metadata</dt><dd>${metadata.length
        ? html`<table class="kv metadata">${metadata.map(([k, v]) => html`<tr><td class="mono">${k}</td><td>${v}</td></tr>`)}</table>`
        : html`<span class="muted">none</span>`}</dd>
    </dl>
    <p><a class="button" href=${href(repoPath(repo, 'objects'), { ref: c.id })}>Browse objects at this commit</a></p>
    <h2>Changes${parent ? html` against <span class="mono">${shortId(parent)}</span>` : ''}</h2>
    <${ErrorBox} error=${diff.error} />
    ${diff.data ? html`<${DiffTable} entries=${diff.data} empty=${parent ? 'No changes.' : 'The first commit of the repository.'} />` : !diff.error && html`<${Loading} what="the diff" />`}
  </section>`;
}
