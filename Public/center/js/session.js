// Login form and top bar: who is signed in, and the switch between the two views.
import { api } from './api.js';
import { byId } from './dom.js';

/** Shows the login form, with an optional notice above it (e.g. session expired). */
export function showLogin(notice = '') {
  byId('boot').hidden = true;
  byId('app-view').hidden = true;
  byId('login-view').hidden = false;
  const n = byId('login-notice');
  n.textContent = notice;
  n.hidden = !notice;
  setError('');
  byId('password').value = '';
  byId('login-button').disabled = false;
  byId(byId('username').value ? 'password' : 'username').focus();
}

/** Shows the working view for `me` (the answer of /auth/me). */
export function showApp(me) {
  const a = me.account;
  byId('user-name').textContent = a.displayName;
  byId('user-role').textContent = a.department ? `${a.department.name} · ${a.roleLabel}` : a.roleLabel;
  byId('user-territory').textContent = me.territory.name;
  byId('user-territory').title = `管辖范围：${me.territory.name}（${me.territory.code}）`;
  byId('nav-notify').hidden = !me.permissions?.includes('readAudit'); // the outbox: administrators only
  byId('nav-registers').hidden = !me.permissions?.includes('readRegisters'); // not departments
  byId('boot').hidden = true;
  byId('login-view').hidden = true;
  byId('app-view').hidden = false;
}

export const isLoggedInView = () => !byId('app-view').hidden;

function setError(text) {
  const e = byId('login-error');
  e.textContent = text;
  e.hidden = !text;
}

/** Wires the login form; `onLogin(me)` runs after a successful login. */
export function bindLogin(onLogin) {
  byId('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const username = byId('username').value.trim();
    const password = byId('password').value;
    if (!username) return setError('请输入用户名');
    if (!password) return setError('请输入密码');
    const button = byId('login-button');
    button.disabled = true;
    setError('');
    try {
      await api.login(username, password);
      const me = await api.me();
      byId('password').value = '';
      byId('login-notice').hidden = true;
      await onLogin(me);
    } catch (error) {
      setError(error.message);
      byId('password').value = '';
      byId('password').focus();
    } finally {
      button.disabled = false;
    }
  });
}

/** Wires 退出. */
export function bindLogout(onLogout) {
  byId('logout-button').addEventListener('click', async () => {
    try {
      await api.logout();
    } catch {
      // already signed out or server gone: leave the page anyway
    }
    onLogout();
  });
}
