import { useState, type FormEvent } from 'react';
import * as endpoints from '../api/endpoints';
import { ApiError } from '../api/http';
import { useAuth } from '../auth/AuthContext';
import { Field } from '../components/Field';
import { placeErrors } from '../lib/fieldErrors';
import { useTitle } from '../lib/title';

/** The signed-in user's own account: change the password, sign out everywhere. */
export default function AccountPage() {
  useTitle('Your account');
  const { user, login, logout } = useAuth();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  if (!user) return null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setMessage(null);
    const found: Record<string, string[]> = {};
    if (!current) found.currentPassword = ['is required'];
    if (next.length < 10) found.password = ['must have at least 10 characters'];
    if (repeat !== next) found.repeat = ['does not match the new password'];
    setErrors(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      await endpoints.changePassword(user.username, next, current);
      // The change revoked every token of ours, this one included: sign in with the new password.
      await login(user.username, next);
      setCurrent('');
      setNext('');
      setRepeat('');
      setMessage({ ok: true, text: 'Password changed. Every other session of yours is signed out.' });
    } catch (err) {
      if (err instanceof ApiError && err.errors.length) {
        const placed = placeErrors(err.errors, ['currentPassword', 'password']);
        setErrors(placed);
        if (placed['']) setMessage({ ok: false, text: placed[''].join('; ') });
      } else {
        setMessage({
          ok: false,
          text:
            err instanceof ApiError && err.status === 403 ? 'The current password is wrong.' : (err as Error).message,
        });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title">Your account</h1>
      <dl className="facts">
        <div>
          <dt>User</dt>
          <dd>{user.username}</dd>
        </div>
        <div>
          <dt>Roles</dt>
          <dd>{user.roles.join(', ')}</dd>
        </div>
      </dl>
      <form className="card" onSubmit={submit} aria-labelledby="password-title" noValidate>
        <h2 id="password-title">Change your password</h2>
        {message && (
          <p className={`notice ${message.ok ? 'info' : 'error'}`} role={message.ok ? 'status' : 'alert'}>
            {message.text}
          </p>
        )}
        <Field name="currentPassword" label="Current password" errors={errors}>
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="current-password"
              value={current}
              onChange={(e) => setCurrent(e.target.value)}
            />
          )}
        </Field>
        <Field name="password" label="New password" errors={errors} hint="At least 10 characters.">
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="new-password"
              value={next}
              onChange={(e) => setNext(e.target.value)}
            />
          )}
        </Field>
        <Field name="repeat" label="New password again" errors={errors}>
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="new-password"
              value={repeat}
              onChange={(e) => setRepeat(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="primary" disabled={busy}>
          Change password
        </button>
      </form>
      <div className="card">
        <h2>Sign out everywhere</h2>
        <p>Revokes every session of yours: this browser, other browsers and any script using one of your tokens.</p>
        <button type="button" onClick={() => void logout()}>
          Sign out everywhere
        </button>
      </div>
    </section>
  );
}
