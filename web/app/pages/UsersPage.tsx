import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import * as endpoints from '../api/endpoints';
import { ApiError } from '../api/http';
import type { User } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { ConfirmButton } from '../components/ConfirmButton';
import { Field } from '../components/Field';
import { QueryState } from '../components/QueryState';
import { placeErrors } from '../lib/fieldErrors';
import { formatTime } from '../lib/format';
import { useTitle } from '../lib/title';

const ROLES = ['admin', 'operator', 'viewer'] as const;

function describe(err: unknown): string {
  if (err instanceof ApiError && err.errors.length) return err.errors.map((x) => `${x.field}: ${x.message}`).join('; ');
  return err instanceof Error ? err.message : String(err);
}

/** User administration (admins): list, create, roles, password reset, delete. */
export default function UsersPage() {
  useTitle('Users');
  const { isAdmin } = useAuth();
  const users = useQuery({ queryKey: ['users'], queryFn: endpoints.users, enabled: isAdmin });
  if (!isAdmin) {
    return (
      <section>
        <h1>Users</h1>
        <p className="notice info">Only an admin can manage users.</p>
      </section>
    );
  }
  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">Users</h1>
      <CreateUser />
      <QueryState what="users" pending={users.isPending} error={users.error}>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Roles</th>
                <th scope="col">Created</th>
                <th scope="col">Reset password</th>
                <th scope="col">
                  <span className="sr-only">Delete</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {(users.data ?? []).map((u) => (
                <UserRow key={u.username} user={u} />
              ))}
            </tbody>
          </table>
        </div>
      </QueryState>
    </section>
  );
}

function RolePicker({ name, value, onChange }: { name: string; value: string[]; onChange: (roles: string[]) => void }) {
  return (
    <span className="roles" role="group" aria-label={`Roles of ${name}`}>
      {ROLES.map((r) => (
        <label key={r} className="inline">
          <input
            type="checkbox"
            checked={value.includes(r)}
            onChange={(e) => onChange(e.target.checked ? [...value, r] : value.filter((x) => x !== r))}
          />
          {r}
        </label>
      ))}
    </span>
  );
}

function CreateUser() {
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [roles, setRoles] = useState<string[]>(['viewer']);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setMessage(null);
    setErrors({});
    try {
      const u = await endpoints.createUser(username.trim(), password, roles);
      setUsername('');
      setPassword('');
      setRoles(['viewer']);
      setMessage({ ok: true, text: `User ${u.username} created.` });
      await queryClient.invalidateQueries({ queryKey: ['users'] });
    } catch (err) {
      if (err instanceof ApiError && err.errors.length) {
        const placed = placeErrors(err.errors, ['username', 'password', 'roles']);
        setErrors(placed);
        if (placed['']) setMessage({ ok: false, text: placed[''].join('; ') });
      } else {
        setMessage({ ok: false, text: describe(err) });
      }
    }
  };

  return (
    <form className="card" onSubmit={submit} aria-labelledby="new-user-title" noValidate>
      <h2 id="new-user-title">New user</h2>
      {message && (
        <p className={`notice ${message.ok ? 'info' : 'error'}`} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
      <div className="row">
        <Field name="username" label="Username" errors={errors}>
          {(p) => <input {...p} autoComplete="off" value={username} onChange={(e) => setUsername(e.target.value)} />}
        </Field>
        <Field name="password" label="Password" errors={errors} hint="At least 10 characters.">
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <Field name="roles" label="Roles" errors={errors}>
          {() => <RolePicker name="the new user" value={roles} onChange={setRoles} />}
        </Field>
        <button type="submit" className="primary">
          Create user
        </button>
      </div>
    </form>
  );
}

function UserRow({ user }: { user: User }) {
  const queryClient = useQueryClient();
  const { user: me } = useAuth();
  const [roles, setRoles] = useState(user.roles);
  const [password, setPassword] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const changed = [...roles].sort().join() !== [...user.roles].sort().join();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['users'] });
  const run = async (what: () => Promise<unknown>, done: string) => {
    setMessage(null);
    try {
      await what();
      setMessage({ ok: true, text: done });
      await refresh();
    } catch (err) {
      setMessage({ ok: false, text: describe(err) });
    }
  };
  const self = me?.username === user.username;

  return (
    <tr>
      <th scope="row">
        {user.username}
        {self && <small className="muted"> (you)</small>}
        {message && (
          <div className={message.ok ? 'ok-text' : 'bad-text'} role={message.ok ? 'status' : 'alert'}>
            {message.text}
          </div>
        )}
      </th>
      <td>
        <RolePicker name={user.username} value={roles} onChange={setRoles} />
        {changed && (
          <button
            type="button"
            onClick={() =>
              void run(() => endpoints.changeRoles(user.username, roles), 'Roles saved; the user signs in again.')
            }
          >
            Save roles
          </button>
        )}
      </td>
      <td>{formatTime(user.createdAt)}</td>
      <td>
        {self ? (
          <Link to="/account">Change on your account page</Link>
        ) : (
          <form
            className="inline"
            onSubmit={(e) => {
              e.preventDefault();
              void run(
                () => endpoints.changePassword(user.username, password),
                'Password reset; the user signs in again.',
              ).then(() => setPassword(''));
            }}
          >
            <label className="sr-only" htmlFor={`reset-${user.username}`}>
              New password for {user.username}
            </label>
            <input
              id={`reset-${user.username}`}
              type="password"
              autoComplete="new-password"
              placeholder="new password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            <button type="submit" disabled={!password}>
              Reset
            </button>
          </form>
        )}
      </td>
      <td>
        <ConfirmButton
          label={`Delete ${user.username}`}
          disabled={self}
          onConfirm={() => void run(() => endpoints.deleteUser(user.username), 'Deleted.')}
        />
      </td>
    </tr>
  );
}
