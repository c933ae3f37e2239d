// Setting up a new server (the first admin and its key) and logging in.
import { useEffect, useState } from 'preact/hooks';
import { get, request } from './api.js';
import { navigate, queryParam } from './router.js';
import { html, ErrorBox, CopyButton, Loading } from './ui.js';

export function SetupPage() {
  const [state, setState] = useState(null);
  const [username, setUsername] = useState('admin');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [key, setKey] = useState(null);
  useEffect(() => {
    get(['setup_lakefs'], null, { auth: false }).then((s) => setState(s.state), setError);
  }, []);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setKey(await request('POST', ['setup_lakefs'], { body: { username: username.trim() }, auth: false }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  if (key) {
    return html`<main class="page narrow"><h1>Tarn is set up</h1>
      <p>The admin user <strong>${username}</strong> has this key. <strong>Copy the secret now: it is shown only once.</strong></p>
      <dl class="key">
        <dt>Access key ID</dt><dd><code id="access-key-id">${key.access_key_id}</code> <${CopyButton} text=${key.access_key_id} /></dd>
        <dt>Secret access key</dt><dd><code id="secret-access-key">${key.secret_access_key}</code> <${CopyButton} text=${key.secret_access_key} /></dd>
      </dl>
      <p><a class="button primary" href="/auth/login">Go to login</a></p>
    </main>`;
  }
  if (state === null && !error) return html`<main class="page narrow"><${Loading} /></main>`;
  if (state === 'initialized') {
    return html`<main class="page narrow"><h1>Setup</h1><p>This server is already set up. <a href="/auth/login">Log in</a>.</p></main>`;
  }
  return html`<main class="page narrow"><h1>Set up Tarn</h1>
    <p>This server has no users yet. Create the first admin: you get its access key once.</p>
    <form onSubmit=${submit} class="form">
      <label>Admin user name <input name="username" value=${username} required onInput=${(e) => setUsername(e.target.value)} /></label>
      <${ErrorBox} error=${error} />
      <button type="submit" class="primary" disabled=${busy}>Create the admin</button>
    </form>
  </main>`;
}

export function LoginPage({ onLogin }) {
  const [accessKeyId, setAccessKeyId] = useState('');
  const [secret, setSecret] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const expired = queryParam('expired') === '1';
  useEffect(() => {
    get(['setup_lakefs'], null, { auth: false }).then((s) => {
      if (s.state !== 'initialized') navigate('/setup', { replace: true });
    }, () => {});
  }, []);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await request('POST', ['auth', 'login'], { body: { access_key_id: accessKeyId.trim(), secret_access_key: secret }, auth: false });
      const me = await get(['user']);
      onLogin(me.user);
      const next = queryParam('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/auth/login') ? next : '/repositories', { replace: true });
    } catch (err) {
      setError(err.status === 401 ? { message: 'Wrong access key ID or secret access key.' } : err);
      setBusy(false);
    }
  };
  return html`<main class="page narrow"><h1>Log in</h1>
    ${expired && !error && html`<div class="notice" role="status">Your session has expired. Log in again.</div>`}
    <form onSubmit=${submit} class="form">
      <label>Access key ID <input name="access_key_id" autocomplete="username" required value=${accessKeyId} onInput=${(e) => setAccessKeyId(e.target.value)} /></label>
      <label>Secret access key <input name="secret_access_key" type="password" autocomplete="current-password" required value=${secret} onInput=${(e) => setSecret(e.target.value)} /></label>
      <${ErrorBox} error=${error} />
      <button type="submit" class="primary" disabled=${busy}>Log in</button>
    </form>
  </main>`;
}
