import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router-dom';
import * as endpoints from '../api/endpoints';
import { ApiError } from '../api/http';
import { useAuth } from '../auth/AuthContext';
import { Field } from '../components/Field';
import { QueryState } from '../components/QueryState';
import { placeErrors } from '../lib/fieldErrors';
import { useAgents } from '../lib/queries';
import { emptyForm, fromService, inputKeys, toBody, type ServiceForm } from '../lib/serviceForm';
import { TargetRows } from './TargetRows';
import { useTitle } from '../lib/title';

export default function ServiceFormPage() {
  const { id } = useParams();
  useTitle(id ? 'Edit service' : 'New service');
  const editing = !!id;
  const existing = useQuery({ queryKey: ['service', id], queryFn: () => endpoints.service(id!), enabled: editing });
  const { canWrite } = useAuth();

  if (!canWrite) {
    return (
      <section>
        <h1>{editing ? 'Edit service' : 'New service'}</h1>
        <p className="notice info">Your role is read-only: ask an operator or an admin to change services.</p>
      </section>
    );
  }
  if (editing) {
    return (
      <QueryState what="the service" pending={existing.isPending} error={existing.error} module="proxy">
        {existing.data && <ServiceEditor key={existing.data.id} id={id} initial={fromService(existing.data)} />}
      </QueryState>
    );
  }
  return <ServiceEditor initial={emptyForm()} />;
}

function ServiceEditor({ id, initial }: { id?: string; initial: ServiceForm }) {
  const [form, setForm] = useState<ServiceForm>(initial);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [busy, setBusy] = useState(false);
  const agents = useAgents();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const title = id ? `Edit ${initial.name}` : 'New service';

  useEffect(() => {
    if (Object.keys(errors).length === 0) return;
    const first = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    (first ?? formRef.current?.querySelector<HTMLElement>('[data-error-summary]'))?.focus();
  }, [errors]);

  const set = <K extends keyof ServiceForm>(key: K, value: ServiceForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const setIn = <K extends 'health' | 'containers' | 'timeouts'>(key: K, field: keyof ServiceForm[K], value: string) =>
    setForm((f) => ({ ...f, [key]: { ...f[key], [field]: value } }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { body, errors: local } = toBody(form);
    if (!body) {
      setErrors(placeErrors(local, inputKeys(form)));
      return;
    }
    setBusy(true);
    try {
      const saved = id ? await endpoints.updateService(id, body) : await endpoints.createService(body);
      await queryClient.invalidateQueries({ queryKey: ['services'] });
      queryClient.removeQueries({ queryKey: ['service', saved.id] });
      navigate(`/services/${saved.id}`);
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.errors.length) {
        setErrors(placeErrors(err.errors, inputKeys(form)));
      } else {
        setErrors({ '': [err instanceof Error ? err.message : String(err)] });
      }
    }
  };

  const general = errors[''] ?? [];
  const count = Object.values(errors).reduce((n, m) => n + m.length, 0);
  const text = (value: string, onChange: (v: string) => void, props: Record<string, unknown> = {}) =>
    (p: Record<string, unknown>) => <input {...p} {...props} value={value} onChange={(e) => onChange(e.target.value)} />;

  return (
    <section aria-labelledby="form-title">
      <p className="crumbs"><Link to="/services">Services</Link> /</p>
      <h1 id="form-title">{title}</h1>
      <form ref={formRef} onSubmit={submit} noValidate className="service-form">
        {count > 0 && (
          <div className="notice error" role="alert" tabIndex={-1} data-error-summary>
            <strong>The service was not saved: {count} problem{count > 1 ? 's' : ''}.</strong>
            {general.length > 0 && <ul>{general.map((m) => <li key={m}>{m}</li>)}</ul>}
          </div>
        )}

        <fieldset>
          <legend>Service</legend>
          <Field name="name" label="Name" errors={errors} hint="lower case letters, digits and dashes">
            {text(form.name, (v) => set('name', v), { autoComplete: 'off', required: true })}
          </Field>
          <Field name="domains" label="Domains" errors={errors} hint="one per line; a wildcard only as a leading *.">
            {(p) => <textarea {...p} rows={3} value={form.domains} onChange={(e) => set('domains', e.target.value)} />}
          </Field>
          <div className={`field${errors.agentIds ? ' invalid' : ''}`} role="group" aria-labelledby="hosts-label">
            <span id="hosts-label" className="label">Hosts that serve it</span>
            {(agents.data ?? []).length === 0 && <span className="muted">No host enrolled yet.</span>}
            <div className="checks">
              {(agents.data ?? []).map((a) => (
                <label key={a.id} className="check">
                  <input type="checkbox" checked={form.agentIds.includes(a.id)}
                    onChange={(e) => set('agentIds', e.target.checked ? [...form.agentIds, a.id] : form.agentIds.filter((x) => x !== a.id))} />
                  {a.name} <small className="muted">({a.status})</small>
                </label>
              ))}
            </div>
            {errors.agentIds && <span className="field-error" data-field-error>{errors.agentIds.join('; ')}</span>}
          </div>
        </fieldset>

        <fieldset>
          <legend>Upstream</legend>
          <TargetRows targets={form.targets} errors={errors} onChange={(t) => set('targets', t)} />
          <Field name="upstream.lbMethod" label="Load balancing" errors={errors}>
            {(p) => (
              <select {...p} value={form.lbMethod} onChange={(e) => set('lbMethod', e.target.value)}>
                <option value="round_robin">round robin</option>
                <option value="least_conn">least connections</option>
                <option value="ip_hash">client IP hash</option>
              </select>
            )}
          </Field>
          <label className="check">
            <input type="checkbox" checked={form.healthEnabled} onChange={(e) => set('healthEnabled', e.target.checked)} />
            Active health check
          </label>
          {form.healthEnabled && (
            <div className="row">
              <Field name="upstream.healthCheck.path" label="Path" errors={errors}>
                {text(form.health.path, (v) => setIn('health', 'path', v))}
              </Field>
              {(['intervalSeconds', 'timeoutSeconds', 'fall', 'rise'] as const).map((k) => (
                <Field key={k} name={`upstream.healthCheck.${k}`} label={HEALTH_LABELS[k]} errors={errors}>
                  {text(form.health[k], (v) => setIn('health', k, v), { inputMode: 'numeric', className: 'short' })}
                </Field>
              ))}
            </div>
          )}
        </fieldset>

        <fieldset>
          <legend>
            <label className="check">
              <input type="checkbox" checked={form.containersEnabled} onChange={(e) => set('containersEnabled', e.target.checked)} />
              Run containers for this service
            </label>
          </legend>
          {form.containersEnabled && (
            <>
              <Field name="containers.image" label="Image" errors={errors}>
                {text(form.containers.image, (v) => setIn('containers', 'image', v))}
              </Field>
              <Field name="containers.command" label="Command" errors={errors} hint={'a string, or a JSON array like ["/bin/httpd","-f","-p","127.0.0.1:${PORT}"]'}>
                {text(form.containers.command, (v) => setIn('containers', 'command', v))}
              </Field>
              <Field name="containers.env" label="Environment" errors={errors} hint="NAME=value, one per line">
                {(p) => <textarea {...p} rows={3} value={form.containers.env} onChange={(e) => setIn('containers', 'env', e.target.value)} />}
              </Field>
              <div className="row">
                <Field name="containers.port" label="Container port" errors={errors}>
                  {text(form.containers.port, (v) => setIn('containers', 'port', v), { inputMode: 'numeric', className: 'short' })}
                </Field>
                <Field name="containers.replicas" label="Replicas" errors={errors}>
                  {text(form.containers.replicas, (v) => setIn('containers', 'replicas', v), { inputMode: 'numeric', className: 'short' })}
                </Field>
              </div>
            </>
          )}
        </fieldset>

        <details>
          <summary>Timeouts, body size, headers, websockets</summary>
          <div className="row">
            {(['connectSeconds', 'readSeconds', 'sendSeconds'] as const).map((k) => (
              <Field key={k} name={`timeouts.${k}`} label={`${k.replace('Seconds', '')} timeout (s)`} errors={errors}>
                {text(form.timeouts[k], (v) => setIn('timeouts', k, v), { inputMode: 'numeric', className: 'short' })}
              </Field>
            ))}
            <Field name="maxBodySize" label="Max body size" errors={errors} hint="e.g. 10m; 0 = unlimited">
              {text(form.maxBodySize, (v) => set('maxBodySize', v), { className: 'short' })}
            </Field>
          </div>
          <Field name="requestHeaders" label="Request headers to the upstream" errors={errors} hint="Name: value, one per line">
            {(p) => <textarea {...p} rows={2} value={form.requestHeaders} onChange={(e) => set('requestHeaders', e.target.value)} />}
          </Field>
          <Field name="responseHeaders" label="Response headers to the client" errors={errors} hint="Name: value, one per line">
            {(p) => <textarea {...p} rows={2} value={form.responseHeaders} onChange={(e) => set('responseHeaders', e.target.value)} />}
          </Field>
          <label className="check">
            <input type="checkbox" checked={form.websockets} onChange={(e) => set('websockets', e.target.checked)} />
            WebSockets
          </label>
        </details>

        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>{busy ? 'Saving…' : id ? 'Save changes' : 'Create service'}</button>
          <Link to={id ? `/services/${id}` : '/services'} className="button">Cancel</Link>
        </div>
      </form>
    </section>
  );
}

const HEALTH_LABELS = { intervalSeconds: 'Interval (s)', timeoutSeconds: 'Timeout (s)', fall: 'Fall', rise: 'Rise' };
