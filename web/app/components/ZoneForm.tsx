import { useState, type FormEvent } from 'react';
import * as endpoints from '../api/endpoints';
import { ApiError, type FieldError } from '../api/http';
import type { DnsZone } from '../api/types';
import { placeErrors } from '../lib/fieldErrors';
import { Field } from './Field';

const KEYS = ['zone', 'server', 'port', 'ttl', 'tsigKeyName', 'tsigAlgorithm', 'tsigSecret'] as const;
type ZoneText = Record<(typeof KEYS)[number], string>;

/** The zone body for POST/PUT, or the errors the form can tell (required fields, whole numbers). */
export function zoneBody(z: ZoneText, editing: boolean): { body?: Record<string, unknown>; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!z.zone.trim()) errors.push({ field: 'zone', message: 'is required' });
  if (!z.server.trim()) errors.push({ field: 'server', message: 'is required' });
  const num = (k: 'port' | 'ttl') => {
    if (!/^\d+$/.test(z[k].trim())) errors.push({ field: k, message: 'must be a whole number' });
    return Number(z[k].trim());
  };
  const body: Record<string, unknown> = {
    zone: z.zone.trim(),
    server: z.server.trim(),
    port: num('port'),
    ttl: num('ttl'),
  };
  if (z.tsigKeyName.trim()) {
    body.tsigKeyName = z.tsigKeyName.trim();
    body.tsigAlgorithm = z.tsigAlgorithm;
    if (z.tsigSecret.trim()) body.tsigSecret = z.tsigSecret.trim();
    else if (!editing) errors.push({ field: 'tsigSecret', message: 'is required with a key name' });
  }
  return errors.length ? { errors } : { body, errors };
}

/** Add (no `zone`) or edit a DNS zone; the core's field errors are shown on the inputs. */
export function ZoneForm({
  zone,
  onDone,
  onCancel,
}: {
  zone?: DnsZone;
  onDone: (z: DnsZone) => void;
  onCancel: () => void;
}) {
  const [z, setZ] = useState<ZoneText>({
    zone: zone?.zone ?? '',
    server: zone?.server ?? '',
    port: String(zone?.port ?? 53),
    ttl: String(zone?.ttl ?? 60),
    tsigKeyName: zone?.tsigKeyName ?? '',
    tsigAlgorithm: zone?.tsigAlgorithm ?? 'hmac-sha256',
    tsigSecret: '',
  });
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [busy, setBusy] = useState(false);
  const set = (k: keyof ZoneText, v: string) => {
    setZ((old) => ({ ...old, [k]: v }));
    setErrors(({ [k]: _, ...rest }) => rest); // an edited input's error goes; the next save says if it is still wrong
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { body, errors: local } = zoneBody(z, !!zone);
    if (!body) {
      setErrors(placeErrors(local, KEYS));
      return;
    }
    setBusy(true);
    try {
      onDone(zone ? await endpoints.updateDnsZone(zone.id, body) : await endpoints.createDnsZone(body));
    } catch (err) {
      setBusy(false);
      setErrors(
        err instanceof ApiError && err.errors.length ? placeErrors(err.errors, KEYS) : { '': [(err as Error).message] },
      );
    }
  };
  const text =
    (k: keyof ZoneText, props: Record<string, unknown> = {}) =>
    (p: Record<string, unknown>) => (
      <input {...p} {...props} value={z[k]} onChange={(e) => set(k, e.target.value)} autoComplete="off" />
    );

  return (
    <form className="card" onSubmit={submit} noValidate aria-label={zone ? `Edit zone ${zone.zone}` : 'Add a zone'}>
      <h3>{zone ? `Edit ${zone.zone}` : 'Add a zone'}</h3>
      {errors[''] && (
        <p className="notice error" role="alert">
          {errors[''].join('; ')}
        </p>
      )}
      <div className="row">
        <Field name="zone" label="Zone" errors={errors} hint={zone ? 'cannot change' : 'e.g. example.com'}>
          {text('zone', { readOnly: !!zone })}
        </Field>
        <Field name="server" label="DNS server" errors={errors} hint="IP or host name taking RFC 2136 updates">
          {text('server')}
        </Field>
        <Field name="port" label="Port" errors={errors}>
          {text('port', { inputMode: 'numeric', className: 'short' })}
        </Field>
        <Field name="ttl" label="TTL (s)" errors={errors}>
          {text('ttl', { inputMode: 'numeric', className: 'short' })}
        </Field>
      </div>
      <div className="row">
        <Field name="tsigKeyName" label="TSIG key name" errors={errors} hint="empty = unsigned updates">
          {text('tsigKeyName')}
        </Field>
        <Field name="tsigAlgorithm" label="Algorithm" errors={errors}>
          {(p) => (
            <select {...p} value={z.tsigAlgorithm} onChange={(e) => set('tsigAlgorithm', e.target.value)}>
              <option>hmac-sha256</option>
              <option>hmac-sha384</option>
              <option>hmac-sha512</option>
            </select>
          )}
        </Field>
        <Field
          name="tsigSecret"
          label="TSIG secret"
          errors={errors}
          hint={zone?.tsigSecretSet ? 'base64; empty keeps the stored one' : 'base64; never shown again'}
        >
          {text('tsigSecret', { type: 'password' })}
        </Field>
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : zone ? 'Save zone' : 'Add zone'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
