import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router-dom';
import * as endpoints from '../api/endpoints';
import { ApiError, api } from '../api/http';
import { useAuth } from '../auth/AuthContext';
import { Field } from '../components/Field';
import { QueryState } from '../components/QueryState';
import { placeErrors } from '../lib/fieldErrors';
import { useAgents } from '../lib/queries';
import type { Agent } from '../api/types';
import { currentErrors, emptyForm, fromService, inputKeys, toBody, type ServiceForm } from '../lib/serviceForm';
import { useUnsavedWarning } from '../lib/unsaved';
import { flash } from '../components/Flash';
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
  const [shown, setShown] = useState<{ errors: Record<string, string[]>; form: ServiceForm | null }>({
    errors: {},
    form: null,
  });
  const [busy, setBusy] = useState(false);
  const agents = useAgents();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const title = id ? `Edit ${initial.name}` : 'New service';
  const errors = currentErrors(shown.errors, shown.form, form);
  // What counts as unchanged: the initial form, with the host the page chose by itself.
  const [baseline, setBaseline] = useState<ServiceForm>(initial);
  const allowLeave = useUnsavedWarning(!busy && JSON.stringify(form) !== JSON.stringify(baseline));
  const hosts = agents.data ?? [];

  // A new service on a fleet of one host goes on that host.
  useEffect(() => {
    if (id || hosts.length !== 1) return;
    const only = (f: ServiceForm) => (f.agentIds.length ? f : { ...f, agentIds: [hosts[0].id] });
    setForm(only);
    setBaseline(only);
  }, [id, hosts.length === 1 ? hosts[0].id : '']); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (Object.keys(shown.errors).length === 0) return;
    const first = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    (first ?? formRef.current?.querySelector<HTMLElement>('[data-error-summary]'))?.focus();
  }, [shown]);

  const set = <K extends keyof ServiceForm>(key: K, value: ServiceForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const setIn = <K extends 'health' | 'containers' | 'timeouts'>(key: K, field: keyof ServiceForm[K], value: string) =>
    setForm((f) => ({ ...f, [key]: { ...f[key], [field]: value } }));
  const setContainers = (on: boolean) =>
    setForm((f) => ({
      ...f,
      containersEnabled: on,
      // The replicas are the targets: an untouched empty row would only be an error to clear.
      targets: on
        ? f.targets.filter((t) => t.port.trim() || (t.host.trim() && t.host.trim() !== '127.0.0.1'))
        : f.targets,
    }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { body, errors: local } = toBody(form);
    if (!body) {
      setShown({ errors: placeErrors(local, inputKeys(form)), form });
      return;
    }
    setBusy(true);
    try {
      const saved = id ? await endpoints.updateService(id, body) : await endpoints.createService(body);
      await queryClient.invalidateQueries({ queryKey: ['services'] });
      queryClient.removeQueries({ queryKey: ['service', saved.id] });
      allowLeave();
      navigate(
        `/services/${saved.id}`,
        flash(
          `${id ? 'Saved' : 'Created'} ${saved.name}: revision ${saved.revision}. The hosts apply it within seconds.`,
        ),
      );
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.errors.length) {
        setShown({ errors: placeErrors(err.errors, inputKeys(form)), form });
      } else {
        setShown({ errors: { '': [err instanceof Error ? err.message : String(err)] }, form });
      }
    }
  };

  const general = errors[''] ?? [];
  const count = Object.values(errors).reduce((n, m) => n + m.length, 0);
  const text =
    (value: string, onChange: (v: string) => void, props: Record<string, unknown> = {}) =>
    (p: Record<string, unknown>) => (
      <input {...p} {...props} value={value} onChange={(e) => onChange(e.target.value)} />
    );
  const area = (value: string, onChange: (v: string) => void, rows: number) => (p: Record<string, unknown>) => (
    <textarea {...p} rows={rows} value={value} onChange={(e) => onChange(e.target.value)} />
  );

  return (
    <section aria-labelledby="form-title">
      <p className="crumbs">
        <Link to="/services">Services</Link> /
      </p>
      <h1 id="form-title">{title}</h1>
      <form ref={formRef} onSubmit={submit} noValidate className="service-form">
        {count > 0 && (
          <div className="notice error" role="alert" tabIndex={-1} data-error-summary>
            <strong>
              The service was not saved: {count} problem{count > 1 ? 's' : ''}.
            </strong>
            {general.length > 0 && (
              <ul>
                {general.map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
            )}
          </div>
        )}

        <fieldset>
          <legend>Service</legend>
          <Field name="name" label="Name" errors={errors} hint="lower case letters, digits and dashes">
            {text(form.name, (v) => set('name', v), { autoComplete: 'off', required: true })}
          </Field>
          <Field name="domains" label="Domains" errors={errors} hint="one per line; a wildcard only as a leading *.">
            {area(form.domains, (v) => set('domains', v), 3)}
          </Field>
          <HostChoice hosts={hosts} chosen={form.agentIds} errors={errors} onChange={(ids) => set('agentIds', ids)} />
        </fieldset>

        <fieldset>
          <legend>Upstream</legend>
          {form.containersEnabled && (
            <p className="hint" id="targets-containers">
              The containers below are the targets: each running replica is added on its host by itself. Add a target
              here only for a server outside them.
            </p>
          )}
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
            <input
              type="checkbox"
              checked={form.healthEnabled}
              onChange={(e) => set('healthEnabled', e.target.checked)}
            />
            Active health check
          </label>
          {form.healthEnabled && (
            <div className="row">
              <Field name="upstream.healthCheck.path" label="Path" errors={errors}>
                {text(form.health.path, (v) => setIn('health', 'path', v))}
              </Field>
              {(['intervalSeconds', 'timeoutSeconds', 'fall', 'rise'] as const).map((k) => (
                <Field
                  key={k}
                  name={`upstream.healthCheck.${k}`}
                  label={HEALTH_LABELS[k]}
                  errors={errors}
                  hint={HEALTH_HINTS[k]}
                >
                  {text(form.health[k], (v) => setIn('health', k, v), { inputMode: 'numeric', className: 'short' })}
                </Field>
              ))}
            </div>
          )}
        </fieldset>

        <fieldset>
          <legend>
            <label className="check">
              <input
                type="checkbox"
                checked={form.containersEnabled}
                onChange={(e) => setContainers(e.target.checked)}
              />
              Run containers for this service
            </label>
          </legend>
          {form.containersEnabled && (
            <>
              <Field name="containers.image" label="Image" errors={errors}>
                {text(form.containers.image, (v) => setIn('containers', 'image', v))}
              </Field>
              <Field
                name="containers.command"
                label="Command"
                errors={errors}
                hint={'a string, or a JSON array like ["/bin/httpd","-f","-p","127.0.0.1:${PORT}"]'}
              >
                {text(form.containers.command, (v) => setIn('containers', 'command', v))}
              </Field>
              <Field name="containers.env" label="Environment" errors={errors} hint="NAME=value, one per line">
                {area(form.containers.env, (v) => setIn('containers', 'env', v), 3)}
              </Field>
              <div className="row">
                <Field name="containers.port" label="Container port" errors={errors}>
                  {text(form.containers.port, (v) => setIn('containers', 'port', v), {
                    inputMode: 'numeric',
                    className: 'short',
                  })}
                </Field>
                <Field name="containers.replicas" label="Replicas" errors={errors}>
                  {text(form.containers.replicas, (v) => setIn('containers', 'replicas', v), {
                    inputMode: 'numeric',
                    className: 'short',
                  })}
                </Field>
                <Field name="containers.cpus" label="CPU limit" errors={errors} hint="cores, e.g. 0.5; empty = none">
                  {text(form.containers.cpus, (v) => setIn('containers', 'cpus', v), {
                    inputMode: 'decimal',
                    className: 'short',
                  })}
                </Field>
                <Field name="containers.memory" label="Memory limit" errors={errors} hint="e.g. 256m, 1g; empty = none">
                  {text(form.containers.memory, (v) => setIn('containers', 'memory', v), { className: 'short' })}
                </Field>
                <Field
                  name="containers.restartPolicy"
                  label="Restart policy"
                  errors={errors}
                  hint="Docker's; the agent replaces dead replicas anyway"
                >
                  {(p) => (
                    <select
                      {...p}
                      value={form.containers.restartPolicy}
                      onChange={(e) => setIn('containers', 'restartPolicy', e.target.value)}
                    >
                      <option value="no">no</option>
                      <option value="on-failure">on failure</option>
                      <option value="always">always</option>
                      <option value="unless-stopped">unless stopped</option>
                    </select>
                  )}
                </Field>
              </div>
            </>
          )}
        </fieldset>

        <TlsSection tls={form.tls} errors={errors} onChange={(t) => set('tls', { ...form.tls, ...t })} />

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
          {(
            [
              ['requestHeaders', 'Request headers to the upstream'],
              ['responseHeaders', 'Response headers to the client'],
            ] as const
          ).map(([k, label]) => (
            <Field key={k} name={k} label={label} errors={errors} hint="Name: value, one per line">
              {area(form[k], (v) => set(k, v), 2)}
            </Field>
          ))}
          <label className="check">
            <input type="checkbox" checked={form.websockets} onChange={(e) => set('websockets', e.target.checked)} />
            WebSockets
          </label>
        </details>

        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Saving…' : id ? 'Save changes' : 'Create service'}
          </button>
          <Link to={id ? `/services/${id}` : '/services'} className="button">
            Cancel
          </Link>
        </div>
      </form>
    </section>
  );
}

/** A certificate the custom mode can use (GET /certificates, module certificates). */
interface CertificateChoice {
  id: string;
  source: 'acme' | 'custom';
  domains: string[];
  state: string;
  notAfter: string | null;
}

/**
 * HTTPS for the service (module certificates): off, auto (an ACME certificate of all its domains) or custom
 * (an uploaded certificate, picked from GET /certificates), HTTP→HTTPS redirect and HSTS.
 */
function TlsSection({
  tls,
  errors,
  onChange,
}: {
  tls: ServiceForm['tls'];
  errors: Record<string, string[]>;
  onChange: (t: Partial<ServiceForm['tls']>) => void;
}) {
  const certs = useQuery({
    queryKey: ['certificates'],
    queryFn: () => api<CertificateChoice[]>('/certificates'),
    enabled: tls.mode === 'custom',
  });
  const uploaded = (certs.data ?? []).filter((c) => c.source === 'custom' || c.id === tls.certificateId);
  return (
    <fieldset>
      <legend>HTTPS</legend>
      <Field
        name="tls.mode"
        label="TLS"
        errors={errors}
        hint="auto orders a certificate of all the domains (Let's Encrypt or the configured CA)"
      >
        {(p) => (
          <select
            {...p}
            value={tls.mode}
            onChange={(e) => onChange({ mode: e.target.value as ServiceForm['tls']['mode'] })}
          >
            <option value="off">off (plain HTTP)</option>
            <option value="auto">automatic certificate</option>
            <option value="custom">uploaded certificate</option>
          </select>
        )}
      </Field>
      {tls.mode === 'custom' && (
        <Field
          name="tls.certificateId"
          label="Certificate"
          errors={errors}
          hint={
            <>
              upload one on the <Link to="/certificates">certificates page</Link>
            </>
          }
        >
          {(p) => (
            <select {...p} value={tls.certificateId} onChange={(e) => onChange({ certificateId: e.target.value })}>
              <option value="">
                {certs.isPending ? 'loading…' : certs.error ? 'certificates unavailable' : 'choose…'}
              </option>
              {uploaded.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.domains.join(', ')}
                  {c.notAfter ? ` (until ${c.notAfter.slice(0, 10)})` : ''}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {tls.mode !== 'off' && (
        <>
          <label className="check">
            <input
              type="checkbox"
              checked={tls.redirectHttp}
              onChange={(e) => onChange({ redirectHttp: e.target.checked })}
            />
            Redirect HTTP to HTTPS
          </label>
          {errors['tls.redirectHttp'] && (
            <span className="field-error" data-field-error>
              {errors['tls.redirectHttp'].join('; ')}
            </span>
          )}
          <Field
            name="tls.hstsMaxAgeSeconds"
            label="HSTS max-age (s)"
            errors={errors}
            hint="e.g. 31536000; empty = no Strict-Transport-Security header"
          >
            {(p) => (
              <input
                {...p}
                inputMode="numeric"
                className="short"
                value={tls.hstsMaxAgeSeconds}
                onChange={(e) => onChange({ hstsMaxAgeSeconds: e.target.value })}
              />
            )}
          </Field>
        </>
      )}
    </fieldset>
  );
}

const HEALTH_LABELS = { intervalSeconds: 'Interval (s)', timeoutSeconds: 'Timeout (s)', fall: 'Fall', rise: 'Rise' };
const HEALTH_HINTS = {
  intervalSeconds: 'seconds between checks',
  timeoutSeconds: 'a slower answer fails',
  fall: 'failed checks in a row before a target is taken out (1–10)',
  rise: 'passed checks in a row before it is put back (1–10)',
};

/** The hosts to place the service on; OFFLINE ones are flagged (they apply it when back). */
function HostChoice({
  hosts,
  chosen,
  errors,
  onChange,
}: {
  hosts: Agent[];
  chosen: string[];
  errors: Record<string, string[]>;
  onChange: (ids: string[]) => void;
}) {
  const offline = hosts.filter((a) => chosen.includes(a.id) && a.status !== 'ONLINE');
  return (
    <div
      className={`field${errors.agentIds ? ' invalid' : ''}`}
      role="group"
      aria-labelledby="hosts-label"
      aria-describedby="hosts-hint"
    >
      <span id="hosts-label" className="label">
        Hosts that serve it
      </span>
      {hosts.length === 0 && <span className="muted">No host enrolled yet.</span>}
      <div className="checks">
        {hosts.map((a) => (
          <label key={a.id} className="check">
            <input
              type="checkbox"
              checked={chosen.includes(a.id)}
              onChange={(e) => onChange(e.target.checked ? [...chosen, a.id] : chosen.filter((x) => x !== a.id))}
            />
            {a.name} <small className={a.status === 'ONLINE' ? 'muted' : 'bad-text'}>({a.status})</small>
          </label>
        ))}
      </div>
      <small id="hosts-hint" className="hint">
        with none ticked, no host serves it yet (edge hosts forward to the ticked ones)
      </small>
      {offline.length > 0 && (
        <p className="notice warn" role="status">
          {offline.map((a) => a.name).join(', ')} {offline.length > 1 ? 'are' : 'is'}{' '}
          {offline.map((a) => a.status).includes('OFFLINE') ? 'OFFLINE' : 'not online'}: the service is saved, but{' '}
          {offline.length > 1 ? 'they serve' : 'it serves'} it only once back online.
        </p>
      )}
      {errors.agentIds && (
        <span className="field-error" data-field-error>
          {errors.agentIds.join('; ')}
        </span>
      )}
    </div>
  );
}
