import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../api/http';
import { Field, FieldMessages } from './Field';
import { inputId, placeErrors } from '../lib/fieldErrors';
import {
  inputKeys,
  toBody,
  toDraft,
  type FirewallSettingsBody,
  type RuleDraft,
  type SettingsDraft,
} from '../lib/firewallSettings';

const GLOBAL_LABELS: Record<string, string> = {
  windowSeconds: 'Window (s)',
  ttlSeconds: 'First block TTL (s)',
  maxTtlSeconds: 'Longest TTL (s)',
};

/**
 * Thresholds per detector, the allowlist and the known-bad rules of the firewall (PUT /firewall/settings); the
 * core's field errors land on their inputs. Detector modes are switched in the table above it.
 */
export function FirewallSettingsForm({ settings, canWrite }: { settings: FirewallSettingsBody; canWrite: boolean }) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<SettingsDraft>(() => toDraft(settings));
  const [dirty, setDirty] = useState(false);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!dirty) setDraft(toDraft(settings));
  }, [settings, dirty]);

  const edit = (f: (d: SettingsDraft) => SettingsDraft) => {
    setDraft((d) => f(d));
    setDirty(true);
    setSaved(false);
  };
  const setRule = (i: number, patch: Partial<RuleDraft>) =>
    edit((d) => ({ ...d, rules: d.rules.map((r, j) => (j === i ? { ...r, ...patch } : r)) }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const next = await api<FirewallSettingsBody>('/firewall/settings', {
        method: 'PUT',
        body: toBody(settings, draft),
      });
      setErrors({});
      setDirty(false);
      setDraft(toDraft(next));
      setSaved(true);
      queryClient.setQueryData(['firewall', 'settings'], next);
    } catch (err) {
      setSaved(false);
      if (err instanceof ApiError && err.errors.length) setErrors(placeErrors(err.errors, inputKeys(draft)));
      else setErrors({ '': [(err as Error).message] });
    } finally {
      setBusy(false);
    }
  };

  const top = errors[''] ?? [];
  return (
    <form className="card" onSubmit={submit} aria-label="Thresholds, allowlist and rules" noValidate>
      <fieldset disabled={!canWrite || busy} className="plain">
        {top.length > 0 && (
          <p role="alert" className="notice error">
            {top.join('; ')}
          </p>
        )}
        <div className="toolbar">
          {Object.entries(GLOBAL_LABELS).map(([key, label]) => (
            <Field key={key} name={key} label={label} errors={errors}>
              {(p) => (
                <input
                  {...p}
                  inputMode="numeric"
                  value={draft[key as 'windowSeconds']}
                  onChange={(e) => edit((d) => ({ ...d, [key]: e.target.value }))}
                />
              )}
            </Field>
          ))}
        </div>
        <h3>Thresholds</h3>
        {Object.entries(draft.detectors).map(([name, d]) => (
          <fieldset key={name} className="toolbar" aria-label={`Thresholds of ${name}`}>
            <legend>
              <strong>{name}</strong>
            </legend>
            <Field name={`detectors.${name}.action`} label="Action" errors={errors}>
              {(p) => (
                <select
                  {...p}
                  aria-label={`Action of ${name}`}
                  value={d.action}
                  onChange={(e) =>
                    edit((x) => ({
                      ...x,
                      detectors: { ...x.detectors, [name]: { ...x.detectors[name], action: e.target.value } },
                    }))
                  }
                >
                  <option value="block">block (403)</option>
                  <option value="limit">limit (429)</option>
                  <option value="challenge">challenge (a browser check page)</option>
                </select>
              )}
            </Field>
            {Object.entries(d.params).map(([param, value]) => (
              <Field key={param} name={`detectors.${name}.${param}`} label={param} errors={errors}>
                {(p) => (
                  <input
                    {...p}
                    aria-label={`${name} ${param}`}
                    inputMode="decimal"
                    size={10}
                    value={value}
                    onChange={(e) =>
                      edit((x) => ({
                        ...x,
                        detectors: {
                          ...x.detectors,
                          [name]: {
                            ...x.detectors[name],
                            params: { ...x.detectors[name].params, [param]: e.target.value },
                          },
                        },
                      }))
                    }
                  />
                )}
              </Field>
            ))}
            {(errors[`detectors.${name}`] ?? []).length > 0 && (
              <FieldMessages id={inputId(`detectors.${name}`)} messages={errors[`detectors.${name}`]} />
            )}
          </fieldset>
        ))}
        <h3>Allowlist</h3>
        <Field
          name="allow"
          label="Never blocked"
          errors={errors}
          hint="one address or CIDR block per line (IPv4 or IPv6); the core and the agents are never blocked anyway"
        >
          {(p) => (
            <textarea
              {...p}
              rows={4}
              value={draft.allow}
              onChange={(e) => edit((d) => ({ ...d, allow: e.target.value }))}
            />
          )}
        </Field>
        <h3>Known-bad rules</h3>
        {(errors.rules ?? []).length > 0 && <FieldMessages id={inputId('rules')} messages={errors.rules} />}
        <div className="table-wrap">
          <table aria-label="Rules">
            <thead>
              <tr>
                <th scope="col">Id</th>
                <th scope="col">Matches</th>
                <th scope="col">Pattern</th>
                <th scope="col">Regex</th>
                <th scope="col">Weight</th>
                <th scope="col">Only 403/404/410</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {draft.rules.map((r, i) => (
                <tr key={i}>
                  <td>
                    <RuleInput i={i} k="id" errors={errors}>
                      {(p) => (
                        <input {...p} value={r.id} size={14} onChange={(e) => setRule(i, { id: e.target.value })} />
                      )}
                    </RuleInput>
                  </td>
                  <td>
                    <RuleInput i={i} k="target" errors={errors}>
                      {(p) => (
                        <select {...p} value={r.target} onChange={(e) => setRule(i, { target: e.target.value })}>
                          <option value="path">path</option>
                          <option value="userAgent">user agent</option>
                        </select>
                      )}
                    </RuleInput>
                  </td>
                  <td>
                    <RuleInput i={i} k="pattern" errors={errors}>
                      {(p) => (
                        <input
                          {...p}
                          value={r.pattern}
                          size={24}
                          onChange={(e) => setRule(i, { pattern: e.target.value })}
                        />
                      )}
                    </RuleInput>
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`rule ${i + 1} regex`}
                      checked={r.regex}
                      onChange={(e) => setRule(i, { regex: e.target.checked })}
                    />
                  </td>
                  <td>
                    <RuleInput i={i} k="weight" errors={errors}>
                      {(p) => (
                        <input
                          {...p}
                          value={r.weight}
                          size={4}
                          inputMode="numeric"
                          onChange={(e) => setRule(i, { weight: e.target.value })}
                        />
                      )}
                    </RuleInput>
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`rule ${i + 1} only when missing`}
                      checked={r.missingOnly}
                      onChange={(e) => setRule(i, { missingOnly: e.target.checked })}
                    />
                  </td>
                  <td>
                    <button
                      type="button"
                      aria-label={`Remove rule ${i + 1}`}
                      onClick={() => edit((d) => ({ ...d, rules: d.rules.filter((_, j) => j !== i) }))}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="toolbar">
          <button
            type="button"
            onClick={() =>
              edit((d) => ({
                ...d,
                rules: [
                  ...d.rules,
                  { id: '', target: 'path', regex: false, pattern: '', weight: '1', missingOnly: false },
                ],
              }))
            }
          >
            Add a rule
          </button>
          {canWrite && (
            <button type="submit" className="primary">
              Save settings
            </button>
          )}
          {dirty && <span className="muted small">unsaved changes</span>}
          {saved && (
            <span role="status" className="notice ok">
              Thresholds, allowlist and rules saved.
            </span>
          )}
        </div>
      </fieldset>
    </form>
  );
}

/** An input of rule i's member k, labelled for screen readers, with its errors under it. */
function RuleInput({
  i,
  k,
  errors,
  children,
}: {
  i: number;
  k: string;
  errors: Record<string, string[]>;
  children: (p: { id: string; 'aria-label': string; 'aria-invalid': boolean }) => ReactNode;
}) {
  const key = `rules[${i}].${k}`;
  const messages = errors[key] ?? [];
  return (
    <div className={`field${messages.length ? ' invalid' : ''}`}>
      {children({ id: inputId(key), 'aria-label': `rule ${i + 1} ${k}`, 'aria-invalid': messages.length > 0 })}
      {messages.length > 0 && <FieldMessages id={`${inputId(key)}-error`} messages={messages} />}
    </div>
  );
}
