// Administration: users, groups, policies and access keys (the auth operations of /api/v1).
// Every call may be refused (403) for a user without the policy for it: the refusal is shown where
// the answer would have been.
import { useState } from 'preact/hooks';
import { get, listAll, request } from './api.js';
import { href, navigate, queryParam, useLocation } from './router.js';
import { html, Confirm, CopyButton, ErrorBox, Loading, Modal, Pager, fmtDate, useAsync } from './ui.js';

const TABS = [['users', 'Users'], ['groups', 'Groups'], ['policies', 'Policies'], ['credentials', 'My access keys']];

const authPath = (...parts) => '/auth/' + parts.map(encodeURIComponent).join('/');

/** The frame of every administration page: its tabs (only the own keys for a user who is no admin). */
function AdminFrame({ tab, canAdmin, children }) {
  const tabs = canAdmin ? TABS : TABS.filter(([t]) => t === 'credentials');
  return html`<main class="page admin">
    <div class="title-row"><h1>${canAdmin || tab !== 'credentials' ? 'Administration' : 'Access keys'}</h1></div>
    ${tabs.length > 1 && html`<nav class="tabs">${tabs.map(([t, label]) => html`<a key=${t} class=${t === tab ? 'active' : ''} href=${authPath(t)}>${label}</a>`)}</nav>`}
    ${children}
  </main>`;
}

/** A form of a few named text fields in a dialog whose action may fail (the error stays in it). */
function CreateDialog({ title, fields, action, onClose, submitText = 'Create' }) {
  const [values, setValues] = useState(Object.fromEntries(fields.map((f) => [f.name, f.value || ''])));
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action(values);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return html`<${Modal} title=${title} onClose=${onClose}>
    <form class="form" onSubmit=${submit}>
      ${fields.map((f) => html`<label key=${f.name}>${f.label}
        ${f.multiline
          ? html`<textarea name=${f.name} rows="14" class="mono" spellcheck="false" required=${f.required} value=${values[f.name]}
              onInput=${(e) => setValues({ ...values, [f.name]: e.target.value })}></textarea>`
          : html`<input name=${f.name} required=${f.required} placeholder=${f.placeholder || ''} value=${values[f.name]}
              onInput=${(e) => setValues({ ...values, [f.name]: e.target.value })} />`}
        ${f.help && html`<span class="muted help">${f.help}</span>`}</label>`)}
      <${ErrorBox} error=${error} />
      <div class="actions">
        <button type="button" onClick=${onClose}>Cancel</button>
        <button type="submit" class="primary" disabled=${busy}>${submitText}</button>
      </div>
    </form>
  <//>`;
}

/** A paged list of one kind (users, groups, policies) with a prefix search, create and delete. */
function AuthList({ kind, plural, columns, row, create, canDelete = () => true }) {
  useLocation();
  const prefix = queryParam('prefix');
  const after = queryParam('after');
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState(null);
  const list = useAsync(() => get(['auth', plural], { prefix, after, amount: 100 }), [plural, prefix, after]);
  const go = (query) => navigate(href(authPath(plural), { prefix, ...query }));
  return html`<section class=${'auth-list ' + plural}>
    <div class="toolbar">
      <input type="search" class="search" placeholder=${'Find ' + plural + ' by prefix'} aria-label=${'Find ' + plural}
        value=${prefix} onChange=${(e) => go({ prefix: e.target.value, after: '' })} />
      <span class="spacer"></span>
      ${!(list.error && list.error.status === 403) && html`<button type="button" class="primary" onClick=${() => setCreating(true)}>Create ${kind}</button>`}
    </div>
    <${ErrorBox} error=${list.error} />
    ${list.loading && !list.data && html`<${Loading} />`}
    ${list.data && (list.data.results.length === 0
      ? html`<p class="muted empty">No ${plural}${prefix ? ' starting with ' + prefix : ''}.</p>`
      : html`<table class="listing">
        <thead><tr>${columns.map((c) => html`<th>${c}</th>`)}<th></th></tr></thead>
        <tbody>${list.data.results.map((item) => html`<tr key=${item.id}>
          ${row(item)}
          <td class="row-actions">${canDelete(item) && html`<button type="button" class="small danger" onClick=${() => setDeleting(item.id)}>Delete</button>`}</td>
        </tr>`)}</tbody>
      </table>`)}
    ${list.data && html`<${Pager} hasMore=${list.data.pagination.has_more} after=${after}
      onNext=${() => go({ after: list.data.pagination.next_offset })} onFirst=${() => go({ after: '' })} />`}
    ${creating && create(() => setCreating(false))}
    ${deleting && html`<${Confirm} title=${'Delete ' + kind}
      message=${html`Delete the ${kind} <strong>${deleting}</strong>?`}
      action=${() => request('DELETE', ['auth', plural, deleting])}
      onDone=${() => { setDeleting(null); list.reload(); }} onClose=${() => setDeleting(null)} />`}
  </section>`;
}

export function UsersPage({ canAdmin, me }) {
  return html`<${AdminFrame} tab="users" canAdmin=${canAdmin}>
    <${AuthList} kind="user" plural="users" columns=${['user', 'email', 'friendly name', 'created']}
      canDelete=${(u) => u.id !== me}
      row=${(u) => html`<td><a href=${authPath('users', u.id)}>${u.id}</a>${u.id === me && html` <span class="badge">you</span>`}</td>
        <td>${u.email || ''}</td><td>${u.friendly_name || ''}</td><td>${fmtDate(u.creation_date)}</td>`}
      create=${(close) => html`<${CreateDialog} title="Create user" onClose=${close}
        fields=${[{ name: 'id', label: 'User ID', required: true }, { name: 'email', label: 'Email (optional)' },
          { name: 'friendly_name', label: 'Friendly name (optional)' }]}
        action=${async (v) => {
          const body = { id: v.id.trim() };
          if (v.email.trim()) body.email = v.email.trim();
          if (v.friendly_name.trim()) body.friendly_name = v.friendly_name.trim();
          await request('POST', ['auth', 'users'], { body });
          navigate(authPath('users', body.id));
        }} />`} />
  <//>`;
}

export function GroupsPage({ canAdmin }) {
  return html`<${AdminFrame} tab="groups" canAdmin=${canAdmin}>
    <${AuthList} kind="group" plural="groups" columns=${['group', 'description', 'created']}
      row=${(g) => html`<td><a href=${authPath('groups', g.id)}>${g.id}</a></td><td>${g.description || ''}</td><td>${fmtDate(g.creation_date)}</td>`}
      create=${(close) => html`<${CreateDialog} title="Create group" onClose=${close}
        fields=${[{ name: 'id', label: 'Group ID', required: true, help: 'letters, digits and _+=,.@-' },
          { name: 'description', label: 'Description (optional)' }]}
        action=${async (v) => {
          const body = { id: v.id.trim() };
          if (v.description.trim()) body.description = v.description.trim();
          await request('POST', ['auth', 'groups'], { body });
          navigate(authPath('groups', body.id));
        }} />`} />
  <//>`;
}

const EXAMPLE_STATEMENTS = JSON.stringify([{ effect: 'allow', action: ['fs:Read*', 'fs:List*'], resource: '*' }], null, 2);

/**
 * The statements typed as JSON: an array of statements, or a whole policy object with `statement`.
 * Only the JSON syntax is checked here; what the statements mean the server checks (its 400 says what
 * is wrong), so the rules live in one place.
 */
function parseStatements(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw { message: 'The statements are not valid JSON: ' + e.message };
  }
  if (value && !Array.isArray(value) && typeof value === 'object' && 'statement' in value) return value.statement;
  return value;
}

const statementsText = (policy) => JSON.stringify(policy.statement, null, 2);

const actionsOf = (policy) => (policy.statement || []).map((s) => (s.effect === 'deny' ? 'deny ' : '') + (s.action || []).join(', ')).join('; ');

export function PoliciesPage({ canAdmin }) {
  return html`<${AdminFrame} tab="policies" canAdmin=${canAdmin}>
    <${AuthList} kind="policy" plural="policies" columns=${['policy', 'statements', 'created']}
      row=${(p) => html`<td><a href=${authPath('policies', p.id)}>${p.id}</a></td>
        <td class="mono summary" title=${statementsText(p)}>${actionsOf(p)}</td><td>${fmtDate(p.creation_date)}</td>`}
      create=${(close) => html`<${CreateDialog} title="Create policy" onClose=${close}
        fields=${[{ name: 'id', label: 'Policy ID', required: true },
          { name: 'statement', label: 'Statements (JSON)', multiline: true, required: true, value: EXAMPLE_STATEMENTS,
            help: 'effect allow or deny, actions such as fs:ReadObject or fs:Read*, a resource ARN or *' }]}
        action=${async (v) => {
          const id = v.id.trim();
          await request('POST', ['auth', 'policies'], { body: { id, statement: parseStatements(v.statement) } });
          navigate(authPath('policies', id));
        }} />`} />
  <//>`;
}

export function PolicyPage({ id, canAdmin }) {
  const policy = useAsync(() => get(['auth', 'policies', id]), [id]);
  const [text, setText] = useState(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState(null);
  const [saved, setSaved] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const value = text === null && policy.data ? statementsText(policy.data) : text;
  const save = async (e) => {
    e.preventDefault();
    setSaving(true);
    setError(null);
    setSaved(false);
    try {
      const updated = await request('PUT', ['auth', 'policies', id], { body: { id, statement: parseStatements(value) } });
      setText(statementsText(updated));
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };
  return html`<${AdminFrame} tab="policies" canAdmin=${canAdmin}>
    <div class="toolbar"><h2><a href=${authPath('policies')}>Policies</a> / ${id}</h2><span class="spacer"></span>
      ${policy.data && html`<button type="button" class="danger" onClick=${() => setDeleting(true)}>Delete policy</button>`}</div>
    <${ErrorBox} error=${policy.error} />
    ${policy.loading && !policy.data && html`<${Loading} what="the policy" />`}
    ${policy.data && html`<form class="form policy-editor" onSubmit=${save}>
      <p class="muted">Created ${fmtDate(policy.data.creation_date)}. Each statement allows or denies its actions on its resource; a deny wins.</p>
      <label>Statements (JSON)
        <textarea name="statement" rows="16" class="mono" spellcheck="false" value=${value}
          onInput=${(e) => { setText(e.target.value); setSaved(false); }}></textarea></label>
      <${ErrorBox} error=${error} />
      ${saved && html`<div class="notice" role="status">Saved.</div>`}
      <div class="actions"><button type="submit" class="primary" disabled=${saving}>Save policy</button></div>
    </form>`}
    <p class="muted">Attach it on a <a href=${authPath('users')}>user's</a> or a <a href=${authPath('groups')}>group's</a> page.</p>
    ${deleting && html`<${Confirm} title="Delete policy" message=${html`Delete the policy <strong>${id}</strong>? Users and groups it is attached to lose what it allows.`}
      action=${() => request('DELETE', ['auth', 'policies', id])}
      onDone=${() => navigate(authPath('policies'))} onClose=${() => setDeleting(false)} />`}
  <//>`;
}

/**
 * A list that belongs to one user or group (its groups, members, policies) with an add field (typed,
 * with the existing names offered) and a remove button per row.
 */
function MemberList({ title, load, deps, columns, row, addLabel, options, add, removeText, remove, empty }) {
  const list = useAsync(load, deps);
  const [name, setName] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [removing, setRemoving] = useState(null);
  const choices = useAsync(() => (options ? options() : Promise.resolve([])), deps);
  const listId = 'options-' + title.toLowerCase().replace(/[^a-z]+/g, '-');
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await add(name.trim());
      setName('');
      list.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const present = new Set((list.data || []).map((x) => x.id));
  return html`<section class="member-list" aria-label=${title}>
    <h2>${title}</h2>
    <${ErrorBox} error=${list.error} />
    ${list.loading && !list.data && html`<${Loading} />`}
    ${list.data && (list.data.length === 0 ? html`<p class="muted">${empty}</p>` : html`<table class="listing">
      <thead><tr>${columns.map((c) => html`<th>${c}</th>`)}<th></th></tr></thead>
      <tbody>${list.data.map((item) => html`<tr key=${item.id}>${row(item)}
        <td class="row-actions">${remove && html`<button type="button" class="small" onClick=${() => setRemoving(item.id)}>${removeText}</button>`}</td></tr>`)}</tbody>
    </table>`)}
    ${add && html`<form class="form inline" onSubmit=${submit}><div class="row">
      <label>${addLabel}<input value=${name} required list=${listId} autocomplete="off" onInput=${(e) => setName(e.target.value)} /></label>
      <datalist id=${listId}>${(choices.data || []).filter((c) => !present.has(c)).map((c) => html`<option value=${c} />`)}</datalist>
      <button type="submit" disabled=${busy}>Add</button>
    </div></form>`}
    <${ErrorBox} error=${error} />
    ${removing && html`<${Confirm} title=${removeText} confirmText=${removeText}
      message=${html`${removeText} <strong>${removing}</strong>?`}
      action=${() => remove(removing)} onDone=${() => { setRemoving(null); list.reload(); }} onClose=${() => setRemoving(null)} />`}
  </section>`;
}

const names = (kind) => () => listAll(['auth', kind], {}, 1000).then((items) => items.map((x) => x.id));

export function UserPage({ id, canAdmin, me }) {
  const user = useAsync(() => get(['auth', 'users', id]), [id]);
  const [effective, setEffective] = useState(false);
  const [deleting, setDeleting] = useState(false);
  return html`<${AdminFrame} tab="users" canAdmin=${canAdmin}>
    <div class="toolbar"><h2><a href=${authPath('users')}>Users</a> / ${id}</h2><span class="spacer"></span>
      ${user.data && id !== me && html`<button type="button" class="danger" onClick=${() => setDeleting(true)}>Delete user</button>`}</div>
    <${ErrorBox} error=${user.error} />
    ${user.data && html`<dl class="props">
      <dt>Created</dt><dd>${fmtDate(user.data.creation_date)}</dd>
      ${user.data.email && html`<dt>Email</dt><dd>${user.data.email}</dd>`}
      ${user.data.friendly_name && html`<dt>Friendly name</dt><dd>${user.data.friendly_name}</dd>`}
    </dl>`}
    ${user.data && html`<div class="columns">
      <${MemberList} title="Groups" deps=${[id]} load=${() => listAll(['auth', 'users', id, 'groups'], {}, 1000)}
        columns=${['group']} row=${(g) => html`<td><a href=${authPath('groups', g.id)}>${g.id}</a></td>`}
        empty="Not in any group." addLabel="Add to group" options=${names('groups')}
        add=${(g) => request('PUT', ['auth', 'groups', g, 'members', id])}
        removeText="Remove from group" remove=${(g) => request('DELETE', ['auth', 'groups', g, 'members', id])} />
      <div>
        <label class="muted toggle"><input type="checkbox" checked=${effective} onChange=${(e) => setEffective(e.target.checked)} />
          with the policies of its groups (effective)</label>
        <${MemberList} key=${effective ? 'effective' : 'own'} title=${effective ? 'Effective policies' : 'Policies'} deps=${[id, effective]}
          load=${() => listAll(['auth', 'users', id, 'policies'], { effective: effective ? 'true' : '' }, 1000)}
          columns=${['policy', 'statements']}
          row=${(p) => html`<td><a href=${authPath('policies', p.id)}>${p.id}</a></td><td class="mono summary">${actionsOf(p)}</td>`}
          empty=${effective ? 'No policy allows this user anything.' : 'No policy attached to the user itself.'}
          addLabel="Attach policy" options=${effective ? null : names('policies')}
          add=${effective ? null : (p) => request('PUT', ['auth', 'users', id, 'policies', p])}
          removeText="Detach" remove=${effective ? null : (p) => request('DELETE', ['auth', 'users', id, 'policies', p])} />
      </div>
    </div>
    <${KeysSection} userId=${id} own=${id === me} />`}
    ${deleting && html`<${Confirm} title="Delete user" message=${html`Delete the user <strong>${id}</strong> and all its access keys?`}
      action=${() => request('DELETE', ['auth', 'users', id])}
      onDone=${() => navigate(authPath('users'))} onClose=${() => setDeleting(false)} />`}
  <//>`;
}

export function GroupPage({ id, canAdmin }) {
  const group = useAsync(() => get(['auth', 'groups', id]), [id]);
  const [deleting, setDeleting] = useState(false);
  return html`<${AdminFrame} tab="groups" canAdmin=${canAdmin}>
    <div class="toolbar"><h2><a href=${authPath('groups')}>Groups</a> / ${id}</h2><span class="spacer"></span>
      ${group.data && html`<button type="button" class="danger" onClick=${() => setDeleting(true)}>Delete group</button>`}</div>
    <${ErrorBox} error=${group.error} />
    ${group.data && html`<p class="muted">${group.data.description ? group.data.description + ' · ' : ''}created ${fmtDate(group.data.creation_date)}</p>
    <div class="columns">
      <${MemberList} title="Members" deps=${[id]} load=${() => listAll(['auth', 'groups', id, 'members'], {}, 1000)}
        columns=${['user']} row=${(u) => html`<td><a href=${authPath('users', u.id)}>${u.id}</a></td>`}
        empty="No members." addLabel="Add member" options=${names('users')}
        add=${(u) => request('PUT', ['auth', 'groups', id, 'members', u])}
        removeText="Remove member" remove=${(u) => request('DELETE', ['auth', 'groups', id, 'members', u])} />
      <${MemberList} title="Attached policies" deps=${[id]} load=${() => listAll(['auth', 'groups', id, 'policies'], {}, 1000)}
        columns=${['policy', 'statements']}
        row=${(p) => html`<td><a href=${authPath('policies', p.id)}>${p.id}</a></td><td class="mono summary">${actionsOf(p)}</td>`}
        empty="No policies attached." addLabel="Attach policy" options=${names('policies')}
        add=${(p) => request('PUT', ['auth', 'groups', id, 'policies', p])}
        removeText="Detach" remove=${(p) => request('DELETE', ['auth', 'groups', id, 'policies', p])} />
    </div>`}
    ${deleting && html`<${Confirm} title="Delete group" message=${html`Delete the group <strong>${id}</strong>? Its members lose the policies attached to it.`}
      action=${() => request('DELETE', ['auth', 'groups', id])}
      onDone=${() => navigate(authPath('groups'))} onClose=${() => setDeleting(false)} />`}
  <//>`;
}

/** A user's access keys: list, create (the secret shown once, with copy buttons), delete. */
function KeysSection({ userId, own }) {
  const keys = useAsync(() => listAll(['auth', 'users', userId, 'credentials'], {}, 1000), [userId]);
  const [created, setCreated] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState(null);
  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      setCreated(await request('POST', ['auth', 'users', userId, 'credentials']));
      keys.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<section class="keys" aria-label="Access keys">
    <div class="toolbar"><h2>${own ? 'Your access keys' : 'Access keys of ' + userId}</h2><span class="spacer"></span>
      <button type="button" class="primary" disabled=${busy} onClick=${create}>Create access key</button></div>
    <${ErrorBox} error=${error} />
    ${created && html`<div class="new-key notice" role="status">
      <p><strong>A new access key. Copy the secret now: it is shown only once.</strong></p>
      <dl class="key">
        <dt>Access key ID</dt><dd><code class="new-access-key-id">${created.access_key_id}</code> <${CopyButton} text=${created.access_key_id} /></dd>
        <dt>Secret access key</dt><dd><code class="new-secret-access-key">${created.secret_access_key}</code> <${CopyButton} text=${created.secret_access_key} /></dd>
      </dl>
      <p><button type="button" class="small" onClick=${() => setCreated(null)}>I have copied it</button></p>
    </div>`}
    <${ErrorBox} error=${keys.error} />
    ${keys.loading && !keys.data && html`<${Loading} what="the keys" />`}
    ${keys.data && (keys.data.length === 0 ? html`<p class="muted">No access keys.</p>` : html`<table class="listing keys-table">
      <thead><tr><th>access key ID</th><th>created</th><th></th></tr></thead>
      <tbody>${keys.data.map((k) => html`<tr key=${k.access_key_id}>
        <td class="mono">${k.access_key_id}</td><td>${fmtDate(k.creation_date)}</td>
        <td class="row-actions"><button type="button" class="small danger" onClick=${() => setDeleting(k.access_key_id)}>Delete</button></td>
      </tr>`)}</tbody></table>`)}
    ${deleting && html`<${Confirm} title="Delete access key"
      message=${html`Delete the access key <code>${deleting}</code>? Clients using it stop working at once.`}
      action=${() => request('DELETE', ['auth', 'users', userId, 'credentials', deleting])}
      onDone=${() => { setDeleting(null); if (created && created.access_key_id === deleting) setCreated(null); keys.reload(); }}
      onClose=${() => setDeleting(null)} />`}
  </section>`;
}

export function CredentialsPage({ canAdmin, me }) {
  return html`<${AdminFrame} tab="credentials" canAdmin=${canAdmin}>
    <p class="muted">Access keys authenticate clients (the lakeFS SDKs, the S3 gateway, lakectl) as <strong>${me}</strong>.</p>
    <${KeysSection} userId=${me} own=${true} />
  <//>`;
}

/** Whether the user may administer users (asked once per load of the app: a 403 just means no). */
export async function mayAdminister() {
  try {
    await get(['auth', 'users'], { amount: 1 });
    return true;
  } catch (e) {
    if (e.status === 403) return false;
    throw e;
  }
}
