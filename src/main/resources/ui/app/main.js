// The app: who is logged in, the routes, the frame around every page.
import { Component, render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { get, setUnauthorizedHandler } from './api.js';
import { navigate, useLocation, href, reloadCount } from './router.js';
import { html, ErrorBox, Loading } from './ui.js';
import { SetupPage, LoginPage } from './auth.js';
import { RepositoriesPage } from './repositories.js';
import { RepositoryPage } from './repository.js';

let currentUser = null;

// A 401 on any call means the session is gone (expired, or logged out elsewhere): back to login.
setUnauthorizedHandler(() => {
  if (location.pathname === '/auth/login' || location.pathname === '/setup') return;
  currentUser = null;
  navigate(href('/auth/login', { next: location.pathname + location.search, expired: 1 }), { replace: true });
});

function Header({ user }) {
  return html`<header class="top">
    <a class="brand" href="/repositories"><img src="/favicon.svg" alt="" width="22" height="22" /> Tarn</a>
    <nav><a href="/repositories">Repositories</a></nav>
    <span class="spacer"></span>
    ${user && html`<span class="user" title="logged in as">${user.id}</span>
      <a class="logout" href="/logout" data-native>Log out</a>`}
  </header>`;
}

function NotFound() {
  return html`<main class="page"><h1>Page not found</h1><p>Nothing lives at <code>${location.pathname}</code>. <a href="/repositories">Go to the repositories</a>.</p></main>`;
}

function App() {
  const loc = useLocation();
  const path = location.pathname;
  const [user, setUser] = useState(currentUser);
  const [state, setState] = useState({ checked: false, error: null });

  // Before any page: is the server set up, and who is logged in?
  useEffect(() => {
    if (path === '/setup' || path === '/auth/login') {
      setState({ checked: true, error: null });
      return;
    }
    if (currentUser) {
      setUser(currentUser);
      setState({ checked: true, error: null });
      return;
    }
    let live = true;
    (async () => {
      try {
        const setup = await get(['setup_lakefs'], null, { auth: false });
        if (setup.state !== 'initialized') {
          navigate('/setup', { replace: true });
          return;
        }
        const me = await get(['user'], null, { auth: false });
        currentUser = me.user;
        if (live) { setUser(me.user); setState({ checked: true, error: null }); }
      } catch (e) {
        if (e.status === 401) navigate(href('/auth/login', { next: location.pathname + location.search }), { replace: true });
        else if (live) setState({ checked: true, error: e });
      }
    })();
    return () => { live = false; };
  }, [loc]);

  if (path === '/setup') return html`<${Header} /><${SetupPage} />`;
  if (path === '/auth/login') {
    return html`<${Header} /><${LoginPage} onLogin=${(u) => { currentUser = u; setUser(u); }} />`;
  }
  if (!state.checked) return html`<${Header} /><main class="page"><${Loading} /></main>`;
  if (state.error) return html`<${Header} /><main class="page"><${ErrorBox} error=${state.error} /></main>`;

  let page;
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0 || (parts.length === 1 && parts[0] === 'repositories')) {
    if (parts.length === 0) { navigate('/repositories', { replace: true }); return null; }
    page = html`<${RepositoriesPage} />`;
  } else if (parts[0] === 'repositories' && parts.length >= 2) {
    page = html`<${RepositoryPage} repo=${parts[1]} tab=${parts[2] || 'objects'} rest=${parts.slice(3)} />`;
  } else {
    page = html`<${NotFound} />`;
  }
  return html`<${Header} user=${user} /><div key=${reloadCount()}>${page}</div>`;
}

/** Keeps a failing page from blanking the screen: its error is shown instead. */
class Boundary extends Component {
  componentDidCatch(error) { this.setState({ error }); }
  render() {
    if (this.state.error) {
      return html`<main class="page"><${ErrorBox} error=${{ message: 'This page failed: ' + this.state.error.message }} />
        <p><a href="/repositories" onClick=${() => this.setState({ error: null })}>Back to the repositories</a></p></main>`;
    }
    return this.props.children;
  }
}

render(html`<${Boundary}><${App} /><//>`, document.getElementById('app'));
