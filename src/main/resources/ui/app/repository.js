// One repository: its tabs and the ref being looked at (?ref=, the default branch if absent).
import { get } from './api.js';
import { href, navigate, queryParam, repoPath, useLocation } from './router.js';
import { html, ErrorBox, Loading, RefSelector, useAsync } from './ui.js';
import { ObjectsPage, ObjectPage } from './objects.js';
import { ChangesPage } from './changes.js';
import { CommitsPage, CommitPage } from './commits.js';
import { ComparePage } from './compare.js';
import { BranchesPage, TagsPage } from './refs.js';

const TABS = [
  ['objects', 'Objects'], ['changes', 'Uncommitted changes'], ['commits', 'Commits'],
  ['compare', 'Compare'], ['branches', 'Branches'], ['tags', 'Tags'],
];

export function RepositoryPage({ repo, tab, rest }) {
  useLocation();
  const repository = useAsync(() => get(['repositories', repo]), [repo]);
  if (repository.error) {
    return html`<main class="page"><h1>${repo}</h1><${ErrorBox} error=${repository.error} />
      <p><a href="/repositories">Back to the repositories</a></p></main>`;
  }
  if (!repository.data) return html`<main class="page"><${Loading} what="the repository" /></main>`;
  const r = repository.data;
  const ref = queryParam('ref') || r.default_branch;
  const withRef = ['objects', 'object', 'changes', 'commits'].includes(tab);
  const active = tab === 'object' ? 'objects' : tab;
  let body;
  switch (tab) {
    case 'objects': body = html`<${ObjectsPage} repo=${repo} refId=${ref} />`; break;
    case 'object': body = html`<${ObjectPage} repo=${repo} refId=${ref} path=${queryParam('path')} />`; break;
    case 'changes': body = html`<${ChangesPage} repo=${repo} branch=${ref} />`; break;
    case 'commits': body = rest.length
      ? html`<${CommitPage} repo=${repo} id=${rest[0]} />`
      : html`<${CommitsPage} repo=${repo} refId=${ref} />`; break;
    case 'compare': body = html`<${ComparePage} repo=${repo} defaultBranch=${r.default_branch} />`; break;
    case 'branches': body = html`<${BranchesPage} repo=${repo} defaultBranch=${r.default_branch} />`; break;
    case 'tags': body = html`<${TagsPage} repo=${repo} defaultBranch=${r.default_branch} />`; break;
    default: body = html`<${ErrorBox} error=${{ message: 'This repository has no page “' + tab + '”.' }} />`;
  }
  const keepRef = (t) => (['objects', 'changes', 'commits'].includes(t) && queryParam('ref') ? { ref } : {});
  return html`<main class="page">
    <div class="title-row">
      <h1><a href="/repositories" class="muted">Repositories</a> / ${repo}</h1>
      ${withRef && !(tab === 'commits' && rest.length) && html`<${RefSelector} repo=${repo} value=${ref} label=${tab === 'changes' ? 'branch' : 'ref'}
        branchesOnly=${tab === 'changes'}
        onChange=${(v) => navigate(href(repoPath(repo, tab === 'object' ? 'objects' : tab), { ref: v }))} />`}
    </div>
    <nav class="tabs">${TABS.map(([t, label]) => html`<a key=${t} class=${t === active ? 'active' : ''} href=${href(repoPath(repo, t), keepRef(t))}>${label}</a>`)}</nav>
    ${body}
  </main>`;
}
