// The app: who is logged in, the routes, the frame around every page.
import { Component, render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { get, setUnauthorizedHandler } from './api.js';
import { navigate, useLocation, href, reloadCount } from './router.js';
import { html, ErrorBox, Loading } from './ui.js';
import { SetupPage, LoginPage } from './auth.js';
import { RepositoriesPage } from './repositories.js';
import { RepositoryPage } from './repository.js';
import { CredentialsPage, GroupPage, GroupsPage, PoliciesPage, PolicyPage, UserPage, UsersPage, mayAdminister } from './admin.js';

let currentUser = null;
// whether the user may administer users, groups and policies: null until the server said
let currentAdmin = null;

// A 401 on any call means the session is gone (expired, or logged out elsewhere): back to login.
setUnauthorizedHandler(() => {
  if (location.pathname === '/auth/login' || location.pathname === '/setup') return;
  currentUser = null;
  currentAdmin = null;
  navigate(href('/auth/login', { next: location.pathname + location.search, expired: 1 }), { replace: true });
});

function Header({ user, admin }) {
  return html`<header class="top">
    <a class="brand" href="/repositories"><img src="/favicon.svg" alt="" width="22" height="22" /> Tarn</a>
    <nav><a href="/repositories">Repositories</a>${user && admin && html`<a href="/auth/users">Administration</a>`}</nav>
    <span class="spacer"></span>
    ${user && html`<a class="user" title="logged in as; your access keys" href="/auth/credentials">${user.id}</a>
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
  const [admin, setAdmin] = useState(currentAdmin);
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

  // May this user administer? Asked once per user and load of the app, without holding up the page.
  useEffect(() => {
    if (!user || currentAdmin !== null) return;
    mayAdminister().then((yes) => {
      if (currentUser && currentUser.id === user.id) { currentAdmin = yes; setAdmin(yes); }
    }, () => {});
  }, [user]);

  if (path === '/setup') return html`<${Header} /><${SetupPage} />`;
  if (path === '/auth/login') {
    return html`<${Header} /><${LoginPage} onLogin=${(u) => { currentUser = u; currentAdmin = null; setAdmin(null); setUser(u); }} />`;
  }
  if (!state.checked) return html`<${Header} /><main class="page"><${Loading} /></main>`;
  if (state.error) return html`<${Header} /><main class="page"><${ErrorBox} error=${state.error} /></main>`;

  let page;
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0 || (parts.length === 1 && parts[0] === 'repositories')) {
    if (parts.length === 0) { navigate('/repositories', { replace: true }); return null; }
    page = html`<${RepositoriesPage} />`;
  } else if (parts[0] === 'auth' && parts.length >= 2) {
    page = adminPage(parts.slice(1), { canAdmin: admin === true, me: user.id });
  } else if (parts[0] === 'repositories' && parts.length >= 2) {
    page = html`<${RepositoryPage} repo=${parts[1]} tab=${parts[2] || 'objects'} rest=${parts.slice(3)} />`;
  } else {
    page = html`<${NotFound} />`;
  }
  return html`<${Header} user=${user} admin=${admin} /><div key=${reloadCount()}>${page}</div>`;
}

function adminPage([kind, id, ...rest], props) {
  if (rest.length) return html`<${NotFound} />`;
  switch (kind) {
    case 'users': return id ? html`<${UserPage} id=${id} ...${props} />` : html`<${UsersPage} ...${props} />`;
    case 'groups': return id ? html`<${GroupPage} id=${id} ...${props} />` : html`<${GroupsPage} ...${props} />`;
    case 'policies': return id ? html`<${PolicyPage} id=${id} ...${props} />` : html`<${PoliciesPage} ...${props} />`;
    case 'credentials': return id ? html`<${NotFound} />` : html`<${CredentialsPage} ...${props} />`;
    default: return html`<${NotFound} />`;
  }
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
