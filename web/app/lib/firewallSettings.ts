/**
 * The firewall settings form (thresholds, allowlist, rules) as text the inputs hold, and back to the body of
 * PUT /api/v1/firewall/settings. Numbers that do not parse are sent as written, so the core's validation names
 * the field ("detectors.flood.threshold: must be a number between 10 and 1000000000"): one set of rules.
 */

export interface FirewallRule {
  id: string;
  target: 'path' | 'userAgent';
  regex: boolean;
  pattern: string;
  weight: number;
  missingOnly: boolean;
}

export interface FirewallSettingsBody {
  mode: 'enforce' | 'shadow';
  allow: string[];
  windowSeconds?: number;
  ttlSeconds?: number;
  maxTtlSeconds?: number;
  detectors: Record<string, { mode: 'enforce' | 'shadow' | 'off' | null; action: string } & Record<string, unknown>>;
  rules?: FirewallRule[];
  [key: string]: unknown;
}

export interface RuleDraft {
  id: string;
  target: string;
  regex: boolean;
  pattern: string;
  weight: string;
  missingOnly: boolean;
}

export interface SettingsDraft {
  windowSeconds: string;
  ttlSeconds: string;
  maxTtlSeconds: string;
  /** detector → action and parameter (threshold, ratio, …) → text. */
  detectors: Record<string, { action: string; params: Record<string, string> }>;
  /** One address or CIDR block per line. */
  allow: string;
  rules: RuleDraft[];
}

/** The top-level numbers the form edits. */
export const GLOBAL_NUMBERS = ['windowSeconds', 'ttlSeconds', 'maxTtlSeconds'] as const;

const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));

export function toDraft(s: FirewallSettingsBody): SettingsDraft {
  const detectors: SettingsDraft['detectors'] = {};
  for (const [name, d] of Object.entries(s.detectors)) {
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(d)) if (k !== 'mode' && k !== 'action') params[k] = text(v);
    detectors[name] = { action: d.action, params };
  }
  return {
    windowSeconds: text(s.windowSeconds),
    ttlSeconds: text(s.ttlSeconds),
    maxTtlSeconds: text(s.maxTtlSeconds),
    detectors,
    allow: (s.allow ?? []).join('\n'),
    rules: (s.rules ?? []).map((r) => ({ ...r, weight: text(r.weight) })),
  };
}

/** A number when the text is one, else the text itself (the core answers which field is wrong). */
export function number(value: string): number | string {
  const t = value.trim();
  return t !== '' && Number.isFinite(Number(t)) ? Number(t) : t;
}

/**
 * The body to PUT: the server's current settings (modes set elsewhere on the screen stay as they are) with the
 * draft's numbers, actions, allowlist and rules.
 */
export function toBody(server: FirewallSettingsBody, draft: SettingsDraft): FirewallSettingsBody {
  const detectors: FirewallSettingsBody['detectors'] = {};
  for (const [name, d] of Object.entries(server.detectors)) {
    const edit = draft.detectors[name];
    const next: Record<string, unknown> = { ...d };
    if (edit) {
      next.action = edit.action;
      for (const [k, v] of Object.entries(edit.params)) next[k] = number(v);
    }
    detectors[name] = next as FirewallSettingsBody['detectors'][string];
  }
  const body: FirewallSettingsBody = {
    ...server,
    detectors,
    allow: draft.allow
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== ''),
    rules: draft.rules.map((r) => ({
      id: r.id.trim(),
      target: r.target as FirewallRule['target'],
      regex: r.regex,
      pattern: r.pattern,
      weight: number(r.weight) as number,
      missingOnly: r.missingOnly,
    })),
  };
  for (const k of GLOBAL_NUMBERS) body[k] = number(draft[k]) as number;
  return body;
}

/** Every API field path an input of the form shows errors for. */
export function inputKeys(draft: SettingsDraft): string[] {
  const keys: string[] = [...GLOBAL_NUMBERS, 'allow', 'rules', 'detectors'];
  for (const [name, d] of Object.entries(draft.detectors)) {
    keys.push(`detectors.${name}`, `detectors.${name}.action`);
    for (const k of Object.keys(d.params)) keys.push(`detectors.${name}.${k}`);
  }
  draft.rules.forEach((_, i) => {
    for (const k of ['id', 'target', 'regex', 'pattern', 'weight', 'missingOnly']) keys.push(`rules[${i}].${k}`);
  });
  return keys;
}
