// The object browser at a ref (folders, breadcrumbs, paging, upload by drag and drop) and one
// object's details with a preview.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, get, objectUrl, upload } from './api.js';
import { href, navigate, queryParam, repoPath } from './router.js';
import { html, ErrorBox, Loading, Pager, fmtDate, fmtSize, isBranch, useAsync } from './ui.js';

const PAGE_SIZES = [100, 1000];

function Breadcrumbs({ repo, refId: ref, prefix }) {
  const parts = prefix.split('/').filter(Boolean);
  const link = (p) => href(repoPath(repo, 'objects'), { ref, prefix: p });
  return html`<div class="breadcrumbs">
    <a href=${link('')}>${repo}</a>
    ${parts.map((p, i) => html`<span class="sep">/</span><a href=${link(parts.slice(0, i + 1).join('/') + '/')}>${p}</a>`)}
  </div>`;
}

/** Files of a drop: folders are walked (webkitGetAsEntry), each file with its path relative to the drop. */
async function droppedFiles(dataTransfer) {
  const items = Array.from(dataTransfer.items || []);
  const entries = items.map((i) => (i.webkitGetAsEntry ? i.webkitGetAsEntry() : null));
  if (!entries.length || entries.some((e) => !e)) {
    return Array.from(dataTransfer.files).map((f) => ({ file: f, path: f.name }));
  }
  const out = [];
  const walk = async (entry, base) => {
    if (entry.isFile) {
      const file = await new Promise((res, rej) => entry.file(res, rej));
      out.push({ file, path: base + entry.name });
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      for (;;) {
        const batch = await new Promise((res, rej) => reader.readEntries(res, rej));
        if (!batch.length) break;
        for (const child of batch) await walk(child, base + entry.name + '/');
      }
    }
  };
  for (const entry of entries) await walk(entry, '');
  return out;
}

function Uploads({ uploads }) {
  if (!uploads.length) return null;
  return html`<ul class="uploads" aria-label="uploads">
    ${uploads.map((u) => html`<li key=${u.path} class=${u.error ? 'failed' : u.done ? 'done' : ''}>
      <span class="mono">${u.path}</span>
      <progress max="1" value=${u.progress}></progress>
      <span class="muted">${u.error ? u.error : u.done ? 'uploaded' : Math.round(u.progress * 100) + '%'}</span>
    </li>`)}
  </ul>`;
}

export function ObjectsPage({ repo, refId: ref }) {
  const prefix = queryParam('prefix');
  const after = queryParam('after');
  const amount = Number(queryParam('amount', '100')) || 100;
  const [uploads, setUploads] = useState([]);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef(null);
  const folderInput = useRef(null);
  const rendered = useRef(null);
  const branch = useAsync(() => isBranch(repo, ref), [repo, ref]);
  const listing = useAsync(async () => {
    const page = await get(['repositories', repo, 'refs', ref, 'objects', 'ls'], { prefix, after, amount, delimiter: '/' });
    rendered.current = performance.now();
    return page;
  }, [repo, ref, prefix, after, amount]);

  // How long the listing took from its data to the screen (read by the browser tests).
  useEffect(() => {
    if (!listing.data || rendered.current === null) return;
    const start = rendered.current;
    rendered.current = null;
    requestAnimationFrame(() => setTimeout(() => {
      performance.measure('tarn:listing-render', { start, end: performance.now(), detail: { entries: listing.data.results.length } });
    }, 0));
  }, [listing.data]);

  const startUploads = async (files) => {
    if (!files.length) return;
    const items = files.map((f) => ({ path: prefix + f.path, progress: 0, done: false, error: null }));
    setUploads((u) => [...items, ...u.filter((x) => !items.some((i) => i.path === x.path))]);
    const update = (path, change) => setUploads((u) => u.map((x) => (x.path === path ? { ...x, ...change } : x)));
    for (let i = 0; i < files.length; i++) {
      const path = items[i].path;
      try {
        await upload(repo, ref, path, files[i].file, (p) => update(path, { progress: p }));
        update(path, { done: true, progress: 1 });
      } catch (e) {
        update(path, { error: e.message });
      }
    }
    listing.reload();
  };

  const onDrop = async (e) => {
    e.preventDefault();
    setDragging(false);
    if (!branch.data) return;
    startUploads(await droppedFiles(e.dataTransfer));
  };
  const fromInput = (e, relative) => {
    const files = Array.from(e.target.files).map((f) => ({ file: f, path: relative && f.webkitRelativePath ? f.webkitRelativePath : f.name }));
    e.target.value = '';
    startUploads(files);
  };
  const go = (query) => navigate(href(repoPath(repo, 'objects'), { ref, prefix, amount: amount === 100 ? '' : amount, ...query }));

  return html`<section class=${'objects' + (dragging ? ' dragging' : '')}
      onDragOver=${(e) => { e.preventDefault(); if (branch.data) setDragging(true); }}
      onDragLeave=${(e) => { if (e.target === e.currentTarget) setDragging(false); }}
      onDrop=${onDrop}>
    <div class="toolbar">
      <${Breadcrumbs} repo=${repo} refId=${ref} prefix=${prefix} />
      <span class="spacer"></span>
      ${branch.data && html`<button type="button" onClick=${() => fileInput.current.click()}>Upload files</button>
        <button type="button" onClick=${() => folderInput.current.click()}>Upload a folder</button>
        <input type="file" multiple hidden ref=${fileInput} data-testid="file-input" onChange=${(e) => fromInput(e, false)} />
        <input type="file" multiple hidden webkitdirectory ref=${folderInput} onChange=${(e) => fromInput(e, true)} />`}
      <label class="muted">per page <select value=${amount} onChange=${(e) => go({ amount: Number(e.target.value) === 100 ? '' : e.target.value, after: '' })}>
        ${PAGE_SIZES.map((n) => html`<option value=${n}>${n}</option>`)}</select></label>
    </div>
    ${branch.data && html`<div class="dropzone" data-testid="dropzone">Drop files or folders here to upload them to <strong>${ref}</strong>${prefix ? html` under <code>${prefix}</code>` : ''}.</div>`}
    ${branch.data === false && html`<p class="muted">${ref} is not a branch: uploads go to a branch.</p>`}
    <${Uploads} uploads=${uploads} />
    <${ErrorBox} error=${listing.error || branch.error} />
    ${listing.loading && !listing.data && html`<${Loading} what="objects" />`}
    ${listing.data && html`<${Listing} repo=${repo} refId=${ref} prefix=${prefix} entries=${listing.data.results} />`}
    ${listing.data && html`<${Pager} hasMore=${listing.data.pagination.has_more} after=${after}
      onNext=${() => go({ after: listing.data.pagination.next_offset })} onFirst=${() => go({ after: '' })} />`}
  </section>`;
}

/**
 * The entries of one listing page as rows of a grid (not a table): each row skips layout and paint
 * while off screen (content-visibility), so a page of 1,000 entries costs about what one screen does.
 */
function Listing({ repo, refId: ref, prefix, entries }) {
  if (!entries.length) return html`<p class="muted empty">${prefix ? 'Nothing under ' + prefix + '.' : 'No objects at ' + ref + ' yet.'}</p>`;
  // the links of a row differ only in the path: their common start is built once, not per row
  // (URLSearchParams per link was the largest cost of a 1,000-row page)
  const folderBase = href(repoPath(repo, 'objects'), { ref }) + (ref ? '&prefix=' : '?prefix=');
  const objectBase = href(repoPath(repo, 'object'), { ref }) + (ref ? '&path=' : '?path=');
  const downloadBase = objectUrl(repo, ref, '') + '?path=';
  return html`<div class="grid objects-table" role="table" aria-label="objects">
    <div class="row head" role="row"><span role="columnheader">name</span><span role="columnheader" class="num">size</span>
      <span role="columnheader">modified</span><span role="columnheader">checksum</span><span role="columnheader"></span></div>
    <div class="rows" role="rowgroup">${entries.map((o) => {
      const name = o.path.slice(prefix.length);
      if (o.path_type === 'common_prefix') {
        return html`<div key=${o.path} class="row folder" role="row"><span role="cell"><a href=${folderBase + encodeURIComponent(o.path)}>${name}</a></span>
          <span role="cell"></span><span role="cell"></span><span role="cell"></span><span role="cell"></span></div>`;
      }
      return html`<div key=${o.path} class="row" role="row">
        <span role="cell"><a href=${objectBase + encodeURIComponent(o.path)}>${name}</a></span>
        <span role="cell" class="num">${fmtSize(o.size_bytes)}</span>
        <span role="cell">${fmtDate(o.mtime)}</span>
        <span role="cell" class="mono checksum">${o.checksum}</span>
        <span role="cell"><a class="button small" href=${downloadBase + encodeURIComponent(o.path)} download=${name}>Download</a></span>
      </div>`;
    })}</div>
  </div>`;
}

const PREVIEW_BYTES = 256 * 1024;

function kindOf(stat) {
  const type = (stat.content_type || '').toLowerCase();
  const path = stat.path.toLowerCase();
  if (type.startsWith('image/') || /\.(png|jpe?g|gif|webp|svg)$/.test(path)) return 'image';
  if (type.includes('csv') || path.endsWith('.csv')) return 'csv';
  if (type.includes('json') || path.endsWith('.json')) return 'json';
  if (type.startsWith('text/') || /\.(txt|md|log|ya?ml|xml|html?|py|sql|tsv|ini|toml)$/.test(path)) return 'text';
  return null;
}

/** A small CSV parser (quotes, doubled quotes, CRLF) for the preview table. */
export function parseCsv(text, maxRows) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length && rows.length < maxRows; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if ((field !== '' || row.length) && rows.length < maxRows) { row.push(field); rows.push(row); }
  return rows;
}

function Preview({ repo, refId: ref, stat }) {
  const kind = kindOf(stat);
  const content = useAsync(async () => {
    if (!kind || kind === 'image') return null;
    const response = await fetch(objectUrl(repo, ref, stat.path), { headers: { Range: 'bytes=0-' + (PREVIEW_BYTES - 1) }, credentials: 'same-origin' });
    if (!response.ok && response.status !== 206) throw new ApiError(response.status, 'The preview cannot be read (' + response.status + ').');
    return response.text();
  }, [repo, ref, stat.path, stat.checksum]);
  if (!kind) return html`<p class="muted">No preview for this type (${stat.content_type || 'unknown'}).</p>`;
  if (kind === 'image') return html`<img class="preview-image" alt=${stat.path} src=${objectUrl(repo, ref, stat.path)} />`;
  if (content.error) return html`<${ErrorBox} error=${content.error} />`;
  if (content.data === null) return html`<${Loading} what="the preview" />`;
  const cut = stat.size_bytes > PREVIEW_BYTES;
  const note = cut ? html`<p class="muted">The first ${fmtSize(PREVIEW_BYTES)} of ${fmtSize(stat.size_bytes)}.</p>` : null;
  if (kind === 'csv') {
    const rows = parseCsv(content.data, 201);
    const [head, ...body] = rows;
    return html`<div class="preview">${note}<table class="listing csv"><thead><tr>${(head || []).map((c) => html`<th>${c}</th>`)}</tr></thead>
      <tbody>${body.slice(0, 200).map((r) => html`<tr>${r.map((c) => html`<td>${c}</td>`)}</tr>`)}</tbody></table>
      ${body.length > 200 && html`<p class="muted">The first 200 rows.</p>`}</div>`;
  }
  if (kind === 'json' && !cut) {
    try {
      return html`<div class="preview"><pre class="code">${JSON.stringify(JSON.parse(content.data), null, 2)}</pre></div>`;
    } catch { /* not valid JSON: shown as text */ }
  }
  return html`<div class="preview">${note}<pre class="code">${content.data}</pre></div>`;
}

export function ObjectPage({ repo, refId: ref, path }) {
  const stat = useAsync(() => get(['repositories', repo, 'refs', ref, 'objects', 'stat'], { path }), [repo, ref, path]);
  const folder = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
  return html`<section class="object">
    <div class="toolbar"><${Breadcrumbs} repo=${repo} refId=${ref} prefix=${folder} /><span class="sep">/</span><strong>${path.slice(folder.length)}</strong></div>
    <${ErrorBox} error=${stat.error} />
    ${stat.data && html`<div class="object-details">
      <dl class="props">
        <dt>Path</dt><dd class="mono">${stat.data.path}</dd>
        <dt>Size</dt><dd>${fmtSize(stat.data.size_bytes)} (${stat.data.size_bytes} bytes)</dd>
        <dt>Modified</dt><dd>${fmtDate(stat.data.mtime)}</dd>
        <dt>Checksum</dt><dd class="mono">${stat.data.checksum}</dd>
        <dt>Content type</dt><dd>${stat.data.content_type}</dd>
        <dt>Physical address</dt><dd class="mono">${stat.data.physical_address}</dd>
        <dt>Metadata</dt><dd>${Object.keys(stat.data.metadata || {}).length
          ? html`<table class="kv">${Object.entries(stat.data.metadata).map(([k, v]) => html`<tr><td class="mono">${k}</td><td>${v}</td></tr>`)}</table>`
          : html`<span class="muted">none</span>`}</dd>
      </dl>
      <p><a class="button primary" href=${objectUrl(repo, ref, path)} download=${path.slice(folder.length)}>Download</a></p>
      <h2>Preview</h2>
      <${Preview} repo=${repo} refId=${ref} stat=${stat.data} />
    </div>`}
  </section>`;
}
