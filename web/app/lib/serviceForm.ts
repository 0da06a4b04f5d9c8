import type { FieldError } from '../api/http';
import type { Service } from '../api/types';

/** The service form's state: text as typed, converted to the API body on submit. */
export interface ServiceForm {
  name: string;
  domains: string;
  agentIds: string[];
  targets: { host: string; port: string; weight: string }[];
  lbMethod: string;
  healthEnabled: boolean;
  health: { path: string; intervalSeconds: string; timeoutSeconds: string; fall: string; rise: string };
  containersEnabled: boolean;
  containers: { image: string; command: string; env: string; port: string; replicas: string };
  timeouts: { connectSeconds: string; readSeconds: string; sendSeconds: string };
  maxBodySize: string;
  websockets: boolean;
  requestHeaders: string;
  responseHeaders: string;
}

/** Every input key of the form (what API field errors can be placed on). */
export function inputKeys(form: ServiceForm): string[] {
  const keys = [
    'name', 'domains', 'agentIds', 'upstream.targets', 'upstream.lbMethod',
    'upstream.healthCheck.path', 'upstream.healthCheck.intervalSeconds', 'upstream.healthCheck.timeoutSeconds',
    'upstream.healthCheck.fall', 'upstream.healthCheck.rise',
    'containers', 'containers.image', 'containers.command', 'containers.env', 'containers.port', 'containers.replicas',
    'timeouts.connectSeconds', 'timeouts.readSeconds', 'timeouts.sendSeconds',
    'maxBodySize', 'websockets', 'requestHeaders', 'responseHeaders',
  ];
  form.targets.forEach((_, i) => {
    for (const f of ['host', 'port', 'weight']) keys.push(`upstream.targets[${i}].${f}`);
  });
  return keys;
}

export function emptyForm(): ServiceForm {
  return {
    name: '',
    domains: '',
    agentIds: [],
    targets: [{ host: '127.0.0.1', port: '', weight: '1' }],
    lbMethod: 'round_robin',
    healthEnabled: false,
    health: { path: '/health', intervalSeconds: '5', timeoutSeconds: '2', fall: '3', rise: '2' },
    containersEnabled: false,
    containers: { image: '', command: '', env: '', port: '', replicas: '1' },
    timeouts: { connectSeconds: '5', readSeconds: '60', sendSeconds: '60' },
    maxBodySize: '10m',
    websockets: false,
    requestHeaders: '',
    responseHeaders: '',
  };
}

const str = (v: unknown, fallback = '') => (v === null || v === undefined ? fallback : String(v));

export function fromService(s: Service): ServiceForm {
  const base = emptyForm();
  const hc = s.upstream?.healthCheck;
  const c = s.containers;
  return {
    name: s.name,
    domains: s.domains.join('\n'),
    agentIds: [...(s.agentIds ?? [])],
    targets: (s.upstream?.targets ?? []).map((t) => ({ host: t.host, port: str(t.port), weight: str(t.weight, '1') })),
    lbMethod: s.upstream?.lbMethod ?? 'round_robin',
    healthEnabled: !!hc,
    health: hc
      ? {
          path: hc.path,
          intervalSeconds: str(hc.intervalSeconds, '5'),
          timeoutSeconds: str(hc.timeoutSeconds, '2'),
          fall: str(hc.fall, '3'),
          rise: str(hc.rise, '2'),
        }
      : base.health,
    containersEnabled: !!c,
    containers: c
      ? {
          image: c.image,
          command: Array.isArray(c.command) ? JSON.stringify(c.command) : str(c.command),
          env: Object.entries(c.env ?? {}).map(([k, v]) => `${k}=${v}`).join('\n'),
          port: str(c.port),
          replicas: str(c.replicas, '1'),
        }
      : base.containers,
    timeouts: s.timeouts
      ? {
          connectSeconds: str(s.timeouts.connectSeconds),
          readSeconds: str(s.timeouts.readSeconds),
          sendSeconds: str(s.timeouts.sendSeconds),
        }
      : base.timeouts,
    maxBodySize: s.maxBodySize ?? base.maxBodySize,
    websockets: !!s.websockets,
    requestHeaders: headerLines(s.requestHeaders),
    responseHeaders: headerLines(s.responseHeaders),
  };
}

function headerLines(h: Record<string, string> | undefined): string {
  return Object.entries(h ?? {}).map(([k, v]) => `${k}: ${v}`).join('\n');
}

/**
 * The API body, or the errors the form can tell without asking the core (required
 * fields, numbers that are not whole numbers, lines that are not `NAME=value`). Anything
 * finer (domain syntax, ranges, header characters) is left to the core's validation, whose
 * answer is placed on the same inputs.
 */
export function toBody(form: ServiceForm): { body?: Record<string, unknown>; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const int = (field: string, text: string, required: boolean): number | undefined => {
    const t = text.trim();
    if (!t) {
      if (required) errors.push({ field, message: 'is required' });
      return undefined;
    }
    if (!/^-?\d+$/.test(t)) {
      errors.push({ field, message: 'must be a whole number' });
      return undefined;
    }
    return Number(t);
  };

  if (!form.name.trim()) errors.push({ field: 'name', message: 'is required' });
  const domains = form.domains.split(/[\s,]+/).map((d) => d.trim()).filter(Boolean);
  if (domains.length === 0) errors.push({ field: 'domains', message: 'at least one domain is required' });

  const targets = form.targets
    .map((t, i) => ({ t, i }))
    .filter(({ t }) => t.host.trim() || t.port.trim())
    .map(({ t, i }) => {
      const target: Record<string, unknown> = { host: t.host.trim() };
      if (!t.host.trim()) errors.push({ field: `upstream.targets[${i}].host`, message: 'is required' });
      target.port = int(`upstream.targets[${i}].port`, t.port, true);
      const w = int(`upstream.targets[${i}].weight`, t.weight, false);
      if (w !== undefined) target.weight = w;
      return target;
    });
  if (targets.length === 0 && !form.containersEnabled) {
    errors.push({ field: 'upstream.targets', message: 'add a target, or run containers' });
  }

  const upstream: Record<string, unknown> = { targets, lbMethod: form.lbMethod };
  if (form.healthEnabled) {
    const h = form.health;
    const hc: Record<string, unknown> = { path: h.path.trim() };
    if (!h.path.trim()) errors.push({ field: 'upstream.healthCheck.path', message: 'is required' });
    for (const k of ['intervalSeconds', 'timeoutSeconds', 'fall', 'rise'] as const) {
      const v = int(`upstream.healthCheck.${k}`, h[k], false);
      if (v !== undefined) hc[k] = v;
    }
    upstream.healthCheck = hc;
  } else {
    upstream.healthCheck = null;
  }

  let containers: Record<string, unknown> | null = null;
  if (form.containersEnabled) {
    const c = form.containers;
    containers = { image: c.image.trim() };
    if (!c.image.trim()) errors.push({ field: 'containers.image', message: 'is required' });
    const command = c.command.trim();
    if (command) {
      containers.command = command.startsWith('[') ? parseArray(command, errors) : command;
    }
    const env: Record<string, string> = {};
    c.env.split('\n').map((l) => l.trim()).filter(Boolean).forEach((line) => {
      const eq = line.indexOf('=');
      if (eq <= 0) errors.push({ field: 'containers.env', message: `"${line}" is not NAME=value` });
      else env[line.slice(0, eq).trim()] = line.slice(eq + 1);
    });
    containers.env = env;
    const port = int('containers.port', c.port, false);
    if (port !== undefined) containers.port = port;
    const replicas = int('containers.replicas', c.replicas, false);
    if (replicas !== undefined) containers.replicas = replicas;
  }

  const timeouts: Record<string, unknown> = {};
  for (const k of ['connectSeconds', 'readSeconds', 'sendSeconds'] as const) {
    const v = int(`timeouts.${k}`, form.timeouts[k], false);
    if (v !== undefined) timeouts[k] = v;
  }

  const body: Record<string, unknown> = {
    name: form.name.trim(),
    domains,
    agentIds: form.agentIds,
    upstream,
    containers,
    timeouts,
    websockets: form.websockets,
    requestHeaders: parseHeaders(form.requestHeaders, 'requestHeaders', errors),
    responseHeaders: parseHeaders(form.responseHeaders, 'responseHeaders', errors),
  };
  if (form.maxBodySize.trim()) body.maxBodySize = form.maxBodySize.trim();
  return errors.length ? { errors } : { body, errors };
}

function parseArray(text: string, errors: FieldError[]): unknown {
  try {
    const v = JSON.parse(text);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
  } catch {
    // below
  }
  errors.push({ field: 'containers.command', message: 'starts with [ but is not a JSON array of strings' });
  return undefined;
}

function parseHeaders(text: string, field: string, errors: FieldError[]): Record<string, string> {
  const out: Record<string, string> = {};
  text.split('\n').map((l) => l.trim()).filter(Boolean).forEach((line) => {
    const colon = line.indexOf(':');
    if (colon <= 0) errors.push({ field, message: `"${line}" is not "Name: value"` });
    else out[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  });
  return out;
}
