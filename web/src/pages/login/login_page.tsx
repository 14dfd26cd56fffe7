// Logging in. A wrong password and a locked account say so next to the field
// the server names; what was typed stays. On a demo company (and only
// there: the server says which, GET /demo-logins) the page lists a login
// per role, and choosing one fills the form.
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ApiError, api } from '../../api/client';
import type { DemoLogins } from '../../api/types';
import { Field } from '../../components/field';
import { safeNext } from '../../lib/next_url';
import { useSession } from '../../session';

export function LoginPage() {
  const { login, state } = useSession();
  const location = useLocation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(location.query['next']);
  const [demo, setDemo] = useState<DemoLogins | null>(null);

  useEffect(() => {
    api.get<DemoLogins>('/demo-logins').then(
      (answer) => setDemo(answer.demo && answer.users.length > 0 ? answer : null),
      () => setDemo(null),
    );
  }, []);

  // Logged in (just now, or already): on to the page the user came for.
  useEffect(() => {
    if (state.status === 'in') location.route(next, true);
  }, [state.status, next]);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username, password);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'error', 'Logging in failed.', null));
    } finally {
      setBusy(false);
    }
  };

  const fieldError = (field: string) => (error && error.field === field ? error.message : null);
  const generalError = error && error.field !== 'username' && error.field !== 'password' ? error.message : null;

  return (
    <main class="login" id="main">
      <form class="login-card" onSubmit={submit} noValidate>
        <h1>
          <span class="brand">Tenure</span> Log in
        </h1>
        {generalError ? (
          <p class="form-error" role="alert" id="login-error">
            {generalError}
          </p>
        ) : null}
        <Field id="username" label="Username" autocomplete="username" value={username} onValue={setUsername} error={fieldError('username')} required autofocus />
        <Field id="password" type="password" label="Password" autocomplete="current-password" value={password} onValue={setPassword} error={fieldError('password')} required />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
        {demo ? (
          <section class="demo-logins" aria-labelledby="demo-title">
            <h2 id="demo-title">Demo company</h2>
            <p class="muted">
              Log in as one of these{demo.password ? (
                <>
                  {' '}
                  with the password <code>{demo.password}</code>
                </>
              ) : null}
              :
            </p>
            <ul>
              {demo.users.map((u) => (
                <li key={u.username}>
                  <button
                    type="button"
                    class="link"
                    onClick={() => {
                      setUsername(u.username);
                      if (demo.password) setPassword(demo.password);
                    }}
                  >
                    {u.username}
                  </button>{' '}
                  <span class="muted">{u.role}</span>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </form>
    </main>
  );
}
