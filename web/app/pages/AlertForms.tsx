import { useState, type FormEvent } from 'react';
import * as endpoints from '../api/endpoints';
import { ApiError } from '../api/http';
import type { AlertChannel, AlertRule } from '../api/types';
import { Field, FieldMessages } from '../components/Field';
import { placeErrors } from '../lib/fieldErrors';

type Errors = Record<string, string[]>;

/** What the API shows instead of a stored secret; sending it back keeps the secret. */
export const SECRET_MASK = '********';

const RULE_INPUTS = [
  'name',
  'kind',
  'severity',
  'enabled',
  'metric',
  'labels',
  'aggregate',
  'windowSeconds',
  'op',
  'threshold',
  'clearThreshold',
  'forSeconds',
  'clearForSeconds',
  'eventKind',
  'repeatIntervalSeconds',
  'channelIds',
];

/** `name=value` per line → labels; errors under `labels`. */
export function parseLabels(text: string): { labels: Record<string, string>; error?: string } {
  const labels: Record<string, string> = {};
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return { labels, error: `line ${i + 1}: write name=value` };
    labels[line.slice(0, eq).trim()] = line
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
  }
  return { labels };
}

/** A number input's text → number (undefined when empty); a message when it is not a number. */
function number(text: string, key: string, found: Errors): number | undefined {
  if (!text.trim()) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n)) found[key] = ['must be a number'];
  return n;
}

const text = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));

/** Shows the API's (or the form's) errors on the inputs; what matches none goes to the top. */
function apiErrors(err: unknown, inputs: string[]): Errors {
  if (err instanceof ApiError && err.errors.length) return placeErrors(err.errors, inputs);
  return {
    '': [err instanceof ApiError && err.status === 409 ? 'The name is used by another one.' : (err as Error).message],
  };
}

interface RuleProps {
  rule?: AlertRule;
  channels: AlertChannel[];
  onSaved: (rule: AlertRule) => void;
  onCancel: () => void;
}

/** Create or edit an alert rule (metric or event); the API's validation errors show per field. */
export function RuleForm({ rule, channels, onSaved, onCancel }: RuleProps) {
  const [v, setV] = useState({
    name: rule?.name ?? '',
    kind: rule?.kind ?? 'metric',
    severity: rule?.severity ?? 'warning',
    enabled: rule?.enabled ?? true,
    metric: rule?.metric ?? '',
    labels: Object.entries(rule?.labels ?? {})
      .map(([k, x]) => `${k}=${x}`)
      .join('\n'),
    aggregate: rule?.aggregate ?? 'last',
    windowSeconds: text(rule?.windowSeconds || undefined),
    op: rule?.op ?? '>',
    threshold: text(rule?.threshold),
    clearThreshold: text(rule?.clearThreshold),
    forSeconds: text(rule?.forSeconds || undefined),
    clearForSeconds: text(rule?.clearForSeconds || undefined),
    eventKind: rule?.eventKind ?? '',
    repeatIntervalSeconds: text(rule?.repeatIntervalSeconds || undefined),
    channelIds: rule?.channelIds ?? [],
  });
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV({ ...v, [k]: e.target.value });
  const metric = v.kind === 'metric';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: Errors = {};
    if (!v.name.trim()) found.name = ['is required'];
    const body: Record<string, unknown> = {
      name: v.name.trim(),
      kind: v.kind,
      severity: v.severity,
      enabled: v.enabled,
      channelIds: v.channelIds,
      forSeconds: number(v.forSeconds, 'forSeconds', found) ?? 0,
      repeatIntervalSeconds: number(v.repeatIntervalSeconds, 'repeatIntervalSeconds', found) ?? 0,
    };
    if (metric) {
      const labels = parseLabels(v.labels);
      if (labels.error) found.labels = [labels.error];
      Object.assign(body, {
        metric: v.metric.trim(),
        labels: labels.labels,
        aggregate: v.aggregate,
        op: v.op,
        windowSeconds: number(v.windowSeconds, 'windowSeconds', found) ?? 0,
        threshold: number(v.threshold, 'threshold', found) ?? null,
        clearThreshold: number(v.clearThreshold, 'clearThreshold', found) ?? null,
        clearForSeconds: number(v.clearForSeconds, 'clearForSeconds', found) ?? 0,
      });
    } else {
      body.eventKind = v.eventKind.trim();
    }
    setErrors(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      onSaved(rule ? await endpoints.updateAlertRule(rule.id, body) : await endpoints.createAlertRule(body));
    } catch (err) {
      setErrors(apiErrors(err, RULE_INPUTS));
    } finally {
      setBusy(false);
    }
  };

  const input = (k: keyof typeof v, label: string, hint?: string, type = 'text') => (
    <Field name={k} label={label} errors={errors} hint={hint}>
      {(p) => <input {...p} type={type} value={v[k] as string} onChange={set(k)} />}
    </Field>
  );
  const choice = (k: keyof typeof v, label: string, values: string[], disabled = false) => (
    <Field name={k} label={label} errors={errors}>
      {(p) => (
        <select {...p} value={v[k] as string} onChange={set(k)} disabled={disabled}>
          {values.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      )}
    </Field>
  );

  return (
    <form className="card" onSubmit={submit} aria-label={rule ? `Edit rule ${rule.name}` : 'New rule'} noValidate>
      <h3>{rule ? `Edit rule ${rule.name}` : 'New rule'}</h3>
      {errors[''] && (
        <p className="notice error" role="alert">
          {errors[''].join('; ')}
        </p>
      )}
      {input('name', 'Name')}
      {choice('kind', 'Kind', ['metric', 'event'], !!rule)}
      {choice('severity', 'Severity', ['info', 'warning', 'critical'])}
      {metric ? (
        <>
          {input('metric', 'Metric', 'e.g. host_cpu_usage_percent, service_5xx_ratio_percent')}
          <Field name="labels" label="Label filters" errors={errors} hint="name=value, one per line (e.g. cpu=total)">
            {(p) => <textarea {...p} rows={2} value={v.labels} onChange={set('labels')} />}
          </Field>
          {choice('aggregate', 'Aggregate', ['last', 'avg', 'max', 'min'])}
          {input('windowSeconds', 'Window (s)', 'for avg/max/min: the samples of this window before each sample')}
          {choice('op', 'Operator', ['>', '>=', '<', '<='])}
          {input('threshold', 'Threshold')}
          {input(
            'clearThreshold',
            'Clear threshold',
            'hysteresis: while firing, the value must pass this one to clear',
          )}
          {input(
            'forSeconds',
            'For (s)',
            'the condition must hold this long (sample time) to open; empty = any sample',
          )}
          {input('clearForSeconds', 'Clear for (s)', 'it must be clear this long to resolve')}
        </>
      ) : (
        <>
          {input('eventKind', 'Event kind', 'e.g. agent.offline, service.down, monitor.down')}
          {input('forSeconds', 'For (s)', 'the event must stay firing this long to open; empty = at once')}
        </>
      )}
      {input(
        'repeatIntervalSeconds',
        'Repeat every (s)',
        'remind of open, unacknowledged incidents; empty = never, else at least 60',
      )}
      <fieldset className={errors.channelIds ? 'invalid' : undefined}>
        <legend>Channels</legend>
        {channels.length === 0 && <span className="muted small">No channel yet.</span>}
        {channels.map((c) => (
          <label key={c.id} className="inline">
            <input
              type="checkbox"
              checked={v.channelIds.includes(c.id)}
              onChange={(e) =>
                setV({
                  ...v,
                  channelIds: e.target.checked ? [...v.channelIds, c.id] : v.channelIds.filter((x) => x !== c.id),
                })
              }
            />{' '}
            {c.name} ({c.type})
          </label>
        ))}
        {errors.channelIds && <FieldMessages id="f-channelIds-error" messages={errors.channelIds} />}
      </fieldset>
      <label className="inline">
        <input type="checkbox" checked={v.enabled} onChange={(e) => setV({ ...v, enabled: e.target.checked })} />{' '}
        Enabled
      </label>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {rule ? 'Save rule' : 'Create rule'}
        </button>{' '}
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

interface SettingSpec {
  key: string;
  label: string;
  secret?: boolean;
  list?: boolean;
  number?: boolean;
  choices?: string[];
  hint?: string;
}

/** The settings of each channel type (bundles/alerts README, "Channels"). */
export const CHANNEL_SETTINGS: Record<string, SettingSpec[]> = {
  telegram: [
    { key: 'botToken', label: 'Bot token', secret: true },
    { key: 'chatId', label: 'Chat id' },
    { key: 'apiBaseUrl', label: 'API base URL', hint: 'empty: https://api.telegram.org' },
  ],
  email: [
    { key: 'to', label: 'To', list: true, hint: 'one address per line' },
    { key: 'from', label: 'From' },
    { key: 'host', label: 'SMTP host' },
    { key: 'port', label: 'SMTP port', number: true, hint: 'empty: 25' },
    { key: 'security', label: 'Security', choices: ['none', 'starttls', 'ssl'] },
    { key: 'username', label: 'SMTP user' },
    { key: 'password', label: 'SMTP password', secret: true },
  ],
  webhook: [
    { key: 'url', label: 'URL' },
    { key: 'secret', label: 'HMAC secret', secret: true, hint: 'optional: signs the body (X-Fleetgate-Signature)' },
  ],
};

interface ChannelProps {
  channel?: AlertChannel;
  types: string[];
  onSaved: (channel: AlertChannel) => void;
  onCancel: () => void;
}

/**
 * Create or edit a notification channel (admins). Secrets are write-only: an empty secret input
 * keeps the stored one (the form sends the mask back).
 */
export function ChannelForm({ channel, types, onSaved, onCancel }: ChannelProps) {
  const [type, setType] = useState(channel?.type ?? types[0] ?? 'telegram');
  const [name, setName] = useState(channel?.name ?? '');
  const [rate, setRate] = useState(text(channel?.ratePerMinute));
  const [enabled, setEnabled] = useState(channel?.enabled ?? true);
  const [settings, setSettings] = useState<Record<string, string>>(() => {
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(channel?.settings ?? {})) {
      out[k] = x === SECRET_MASK ? '' : Array.isArray(x) ? x.join('\n') : text(x as number);
    }
    return out;
  });
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const specs = CHANNEL_SETTINGS[type] ?? [];
  const inputs = ['name', 'type', 'ratePerMinute', 'enabled', 'settings', ...specs.map((s) => `settings.${s.key}`)];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: Errors = {};
    if (!name.trim()) found.name = ['is required'];
    const out: Record<string, unknown> = {};
    for (const s of specs) {
      const raw = (settings[s.key] ?? '').trim();
      if (s.secret) {
        if (raw) out[s.key] = raw;
        else if (channel?.settings?.[s.key] === SECRET_MASK) out[s.key] = SECRET_MASK;
      } else if (s.list) {
        out[s.key] = raw
          .split('\n')
          .map((x) => x.trim())
          .filter(Boolean);
      } else if (s.number) {
        const n = number(raw, `settings.${s.key}`, found);
        if (n !== undefined) out[s.key] = n;
      } else if (raw) {
        out[s.key] = raw;
      }
    }
    const ratePerMinute = number(rate, 'ratePerMinute', found);
    setErrors(found);
    if (Object.keys(found).length) return;
    const body = {
      name: name.trim(),
      type,
      settings: out,
      enabled,
      ...(ratePerMinute !== undefined ? { ratePerMinute } : {}),
    };
    setBusy(true);
    try {
      onSaved(
        channel ? await endpoints.updateAlertChannel(channel.id, body) : await endpoints.createAlertChannel(body),
      );
    } catch (err) {
      setErrors(apiErrors(err, inputs));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="card"
      onSubmit={submit}
      aria-label={channel ? `Edit channel ${channel.name}` : 'New channel'}
      noValidate
    >
      <h3>{channel ? `Edit channel ${channel.name}` : 'New channel'}</h3>
      {(errors[''] || errors.settings) && (
        <p className="notice error" role="alert">
          {[...(errors[''] ?? []), ...(errors.settings ?? [])].join('; ')}
        </p>
      )}
      <Field name="name" label="Name" errors={errors}>
        {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field name="type" label="Type" errors={errors}>
        {(p) => (
          <select {...p} value={type} onChange={(e) => setType(e.target.value)} disabled={!!channel}>
            {(types.length ? types : Object.keys(CHANNEL_SETTINGS)).map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        )}
      </Field>
      {specs.map((s) => {
        const key = `settings.${s.key}`;
        const stored = channel?.settings?.[s.key] === SECRET_MASK;
        const hint = s.secret && stored ? 'set; empty keeps it (write-only)' : s.hint;
        const value = settings[s.key] ?? '';
        const change = (e: { target: { value: string } }) => setSettings({ ...settings, [s.key]: e.target.value });
        return (
          <Field key={key} name={key} label={s.label} errors={errors} hint={hint}>
            {(p) =>
              s.choices ? (
                <select {...p} value={value || s.choices[0]} onChange={change}>
                  {s.choices.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              ) : s.list ? (
                <textarea {...p} rows={2} value={value} onChange={change} />
              ) : (
                <input
                  {...p}
                  type={s.secret ? 'password' : 'text'}
                  autoComplete={s.secret ? 'new-password' : 'off'}
                  value={value}
                  onChange={change}
                />
              )
            }
          </Field>
        );
      })}
      <Field name="ratePerMinute" label="Messages per minute" errors={errors} hint="empty: 20">
        {(p) => <input {...p} value={rate} onChange={(e) => setRate(e.target.value)} />}
      </Field>
      <label className="inline">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Enabled
      </label>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {channel ? 'Save channel' : 'Create channel'}
        </button>{' '}
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
