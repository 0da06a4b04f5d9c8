import { useState } from 'react';
import type { FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import * as endpoints from '../api/endpoints';
import { ApiError } from '../api/http';
import { Field } from './Field';
import { placeErrors } from '../lib/fieldErrors';
import { EMPTY_FORM, monitorBody } from '../lib/monitors';
import type { MonitorForm } from '../lib/monitors';

const INPUTS = [
  'name',
  'type',
  'target',
  'intervalSeconds',
  'agentIds',
  'confirmations',
  'confirmAgents',
  'expect.statuses',
  'expect.values',
  'recordType',
  'resolver',
  'serviceId',
];

/** The create form; the API validates, its field errors land on the inputs. */
export function MonitorCreateForm({ onDone, serviceId }: { onDone: () => void; serviceId?: string }) {
  const queryClient = useQueryClient();
  const agents = useQuery({ queryKey: ['agents'], queryFn: endpoints.agents });
  const [form, setForm] = useState<MonitorForm>({ ...EMPTY_FORM, serviceId: serviceId ?? '' });
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof MonitorForm>(k: K, v: MonitorForm[K]) => setForm((f) => ({ ...f, [k]: v }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await endpoints.createMonitor(monitorBody(form));
      await queryClient.invalidateQueries({ queryKey: ['monitors'] });
      setErrors({});
      onDone();
    } catch (err) {
      if (err instanceof ApiError && err.errors.length) setErrors(placeErrors(err.errors, INPUTS));
      else setErrors({ '': [(err as Error).message] });
    } finally {
      setBusy(false);
    }
  };

  const targetHint = {
    http: 'An http(s) URL (with a service: a path such as /health).',
    json: 'The URL of a JSON endpoint such as {"cpu": 60, "mem": "30%"}; its fields become metrics.',
    tls: 'host or host:port (443).',
    dns: 'The name to resolve.',
  }[form.type];

  return (
    <form className="card" onSubmit={submit} aria-label="Add a monitor" noValidate>
      {errors[''] && (
        <p role="alert" className="notice error">
          {errors[''].join('; ')}
        </p>
      )}
      <Field name="name" label="Name" errors={errors}>
        {(p) => <input {...p} value={form.name} onChange={(e) => set('name', e.target.value)} />}
      </Field>
      <Field name="type" label="Type" errors={errors}>
        {(p) => (
          <select {...p} value={form.type} onChange={(e) => set('type', e.target.value as MonitorForm['type'])}>
            <option value="http">http(s)</option>
            <option value="tls">tls certificate</option>
            <option value="dns">dns record</option>
            <option value="json">json resource endpoint</option>
          </select>
        )}
      </Field>
      <Field name="target" label="Target" errors={errors} hint={targetHint}>
        {(p) => <input {...p} value={form.target} onChange={(e) => set('target', e.target.value)} />}
      </Field>
      {form.type === 'dns' && (
        <>
          <Field name="recordType" label="Record type" errors={errors}>
            {(p) => (
              <select {...p} value={form.recordType} onChange={(e) => set('recordType', e.target.value)}>
                {['A', 'AAAA', 'CNAME', 'MX', 'NS', 'TXT', 'SRV', 'PTR', 'SOA', 'CAA'].map((t) => (
                  <option key={t}>{t}</option>
                ))}
              </select>
            )}
          </Field>
          <Field
            name="resolver"
            label="Resolver (optional)"
            errors={errors}
            hint="host[:port]; empty: the agent's own resolver."
          >
            {(p) => <input {...p} value={form.resolver} onChange={(e) => set('resolver', e.target.value)} />}
          </Field>
          <Field
            name="expect.values"
            label="Expected values (optional)"
            errors={errors}
            hint="One per line; each must be in the answer."
          >
            {(p) => <textarea {...p} rows={2} value={form.values} onChange={(e) => set('values', e.target.value)} />}
          </Field>
        </>
      )}
      {form.type === 'http' && (
        <Field
          name="expect.statuses"
          label="Expected statuses (optional)"
          errors={errors}
          hint="e.g. 200, 204; empty: any 2xx or 3xx."
        >
          {(p) => <input {...p} value={form.statuses} onChange={(e) => set('statuses', e.target.value)} />}
        </Field>
      )}
      <Field name="agentIds" label="Agents that run the checks" errors={errors}>
        {(p) => (
          <select
            {...p}
            multiple
            value={form.agentIds}
            onChange={(e) =>
              set(
                'agentIds',
                [...e.target.selectedOptions].map((o) => o.value),
              )
            }
          >
            {(agents.data ?? []).map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} ({a.status})
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field name="intervalSeconds" label="Every (seconds)" errors={errors} hint="10 to 86400.">
        {(p) => (
          <input
            {...p}
            inputMode="numeric"
            value={form.intervalSeconds}
            onChange={(e) => set('intervalSeconds', e.target.value)}
          />
        )}
      </Field>
      <Field name="confirmations" label="Failures in a row before an agent counts as failing" errors={errors}>
        {(p) => (
          <input
            {...p}
            inputMode="numeric"
            value={form.confirmations}
            onChange={(e) => set('confirmations', e.target.value)}
          />
        )}
      </Field>
      <Field
        name="confirmAgents"
        label="Failing agents needed for DOWN (optional)"
        errors={errors}
        hint="Empty: every agent that reported."
      >
        {(p) => (
          <input
            {...p}
            inputMode="numeric"
            value={form.confirmAgents}
            onChange={(e) => set('confirmAgents', e.target.value)}
          />
        )}
      </Field>
      {!serviceId && (
        <Field
          name="serviceId"
          label="Attach to service id (optional)"
          errors={errors}
          hint="The checks then follow the service's domain; the target becomes a path."
        >
          {(p) => <input {...p} value={form.serviceId} onChange={(e) => set('serviceId', e.target.value)} />}
        </Field>
      )}
      <button type="submit" disabled={busy}>
        {busy ? 'Adding…' : 'Add monitor'}
      </button>
    </form>
  );
}
