import type { FieldError } from '../api/http';
import type { Service } from '../api/types';
import { placeErrors } from './fieldErrors';

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
  containers: {
    image: string;
    command: string;
    env: string;
    port: string;
    replicas: string;
    cpus: string;
    memory: string;
    restartPolicy: string;
  };
  timeouts: { connectSeconds: string; readSeconds: string; sendSeconds: string };
  maxBodySize: string;
  websockets: boolean;
  requestHeaders: string;
  responseHeaders: string;
  /** `hstsMaxAgeSeconds` as typed; empty = no HSTS header. */
  tls: { mode: 'off' | 'auto' | 'custom'; certificateId: string; redirectHttp: boolean; hstsMaxAgeSeconds: string };
}

/** Every input key of the form (what API field errors can be placed on). */
export function inputKeys(form: ServiceForm): string[] {
  const keys = [
    'name',
    'domains',
    'agentIds',
    'upstream.targets',
    'upstream.lbMethod',
    'upstream.healthCheck.path',
    'upstream.healthCheck.intervalSeconds',
    'upstream.healthCheck.timeoutSeconds',
    'upstream.healthCheck.fall',
    'upstream.healthCheck.rise',
    'containers',
    'containers.image',
    'containers.command',
    'containers.env',
    'containers.port',
    'containers.replicas',
    'containers.cpus',
    'containers.memory',
    'containers.memoryBytes',
    'containers.restartPolicy',
    'timeouts.connectSeconds',
    'timeouts.readSeconds',
    'timeouts.sendSeconds',
    'maxBodySize',
    'websockets',
    'requestHeaders',
    'responseHeaders',
    'tls',
    'tls.mode',
    'tls.certificateId',
    'tls.redirectHttp',
    'tls.hstsMaxAgeSeconds',
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
    containers: { image: '', command: '', env: '', port: '', replicas: '1', cpus: '', memory: '', restartPolicy: 'no' },
    timeouts: { connectSeconds: '5', readSeconds: '60', sendSeconds: '60' },
    maxBodySize: '10m',
    websockets: false,
    requestHeaders: '',
    responseHeaders: '',
    tls: { mode: 'off', certificateId: '', redirectHttp: true, hstsMaxAgeSeconds: '' },
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
          env: Object.entries(c.env ?? {})
            .map(([k, v]) => `${k}=${v}`)
            .join('\n'),
          port: str(c.port),
          replicas: str(c.replicas, '1'),
          cpus: str(c.cpus),
          memory: memoryText(c.memoryBytes ?? c.memory),
          restartPolicy: c.restartPolicy ?? 'no',
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
    tls: s.tls
      ? {
          mode: s.tls.mode,
          certificateId: s.tls.certificateId ?? '',
          redirectHttp: s.tls.redirectHttp ?? true,
          hstsMaxAgeSeconds: str(s.tls.hstsMaxAgeSeconds),
        }
      : base.tls,
  };
}

/** 268435456 → "256m", 1073741824 → "1g"; what is not a whole number of units stays bytes. */
export function memoryText(v: string | number | null | undefined): string {
  if (v === null || v === undefined || v === '') return '';
  if (typeof v === 'string') return v;
  for (const [unit, size] of [
    ['g', 1024 ** 3],
    ['m', 1024 ** 2],
    ['k', 1024],
  ] as const) {
    if (v >= size && v % size === 0) return `${v / size}${unit}`;
  }
  return String(v);
}

function headerLines(h: Record<string, string> | undefined): string {
  return Object.entries(h ?? {})
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
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
  const domains = domainLines(form.domains, errors);

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
    c.env
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .forEach((line) => {
        const eq = line.indexOf('=');
        if (eq <= 0) errors.push({ field: 'containers.env', message: `"${line}" is not NAME=value` });
        else env[line.slice(0, eq).trim()] = line.slice(eq + 1);
      });
    containers.env = env;
    const port = int('containers.port', c.port, false);
    if (port !== undefined) containers.port = port;
    const replicas = int('containers.replicas', c.replicas, false);
    if (replicas !== undefined) containers.replicas = replicas;
    const cpus = c.cpus.trim();
    if (cpus) {
      if (!/^\d+(\.\d+)?$/.test(cpus))
        errors.push({ field: 'containers.cpus', message: 'must be a number like 0.5 or 2' });
      else containers.cpus = Number(cpus);
    }
    const memory = c.memory.trim().toLowerCase();
    if (memory) {
      if (!/^\d+[kmg]?$/.test(memory)) errors.push({ field: 'containers.memory', message: 'must be like 256m or 1g' });
      else containers.memory = memory;
    }
    containers.restartPolicy = c.restartPolicy;
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
  // Always sent: a PUT without tls would turn it off.
  const tls: Record<string, unknown> = { mode: form.tls.mode, redirectHttp: form.tls.redirectHttp };
  if (form.tls.mode === 'custom') {
    if (!form.tls.certificateId) errors.push({ field: 'tls.certificateId', message: 'choose an uploaded certificate' });
    else tls.certificateId = form.tls.certificateId;
  }
  const hsts = int('tls.hstsMaxAgeSeconds', form.tls.hstsMaxAgeSeconds, false);
  tls.hstsMaxAgeSeconds = hsts ?? null;
  body.tls = tls;
  return errors.length ? { errors } : { body, errors };
}

/**
 * One domain per line. A line is one domain: "not a domain" is an error on that line
 * (`domains[i]`, i counting the non-empty lines as the core counts the list), never three domains. Only what is plainly not a host name is refused here
 * (spaces, commas, characters no domain has); IDN, label lengths and duplicates are the core's.
 */
function domainLines(text: string, errors: FieldError[]): string[] {
  const lines = text.split('\n').map((l) => l.trim());
  const domains: string[] = [];
  lines.forEach((line) => {
    if (!line) return;
    if (!DOMAIN.test(line)) {
      errors.push({
        field: `domains[${domains.length}]`,
        message: `"${line}" is not a domain name${/[\s,;]/.test(line) ? ' (one domain per line)' : ''}`,
      });
    }
    domains.push(line);
  });
  if (lines.every((l) => !l)) errors.push({ field: 'domains', message: 'at least one domain is required' });
  return domains;
}

/** Labels of letters (any script), digits and dashes, dot-separated; a leading "*." and one trailing dot allowed. */
const DOMAIN = /^(\*\.)?[\p{L}\p{N}]([\p{L}\p{N}-]*[\p{L}\p{N}])?(\.[\p{L}\p{N}]([\p{L}\p{N}-]*[\p{L}\p{N}])?)*\.?$/u;

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
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .forEach((line) => {
      const colon = line.indexOf(':');
      if (colon <= 0) errors.push({ field, message: `"${line}" is not "Name: value"` });
      else out[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
    });
  return out;
}

/** What the input shown for an error key holds (to tell whether the user changed it since). */
export function fieldValue(form: ServiceForm, key: string): string {
  const target = /^upstream\.targets\[(\d+)]\.(host|port|weight)$/.exec(key);
  if (target) return form.targets[Number(target[1])]?.[target[2] as 'host'] ?? '';
  const dot = key.indexOf('.');
  const head = dot < 0 ? key : key.slice(0, dot);
  const tail = dot < 0 ? '' : key.slice(dot + 1);
  if (head === 'upstream' && tail.startsWith('healthCheck.')) {
    return form.health[tail.slice('healthCheck.'.length) as keyof ServiceForm['health']] ?? '';
  }
  if (head === 'containers') {
    const k = tail === 'memoryBytes' ? 'memory' : tail;
    return form.containers[k as keyof ServiceForm['containers']] ?? '';
  }
  if (head === 'timeouts') return form.timeouts[tail as keyof ServiceForm['timeouts']] ?? '';
  if (head === 'tls') return tail ? String(form.tls[tail as keyof ServiceForm['tls']] ?? '') : JSON.stringify(form.tls);
  switch (key) {
    case 'upstream.targets':
      return JSON.stringify([form.targets, form.containersEnabled]);
    case 'upstream.lbMethod':
      return form.lbMethod;
    case 'containers':
      return JSON.stringify([form.containers, form.containersEnabled]);
    case 'agentIds':
      return form.agentIds.join(',');
    case '':
      return '';
    default: {
      const v = form[key as keyof ServiceForm];
      return typeof v === 'string' ? v : JSON.stringify(v);
    }
  }
}

/**
 * The errors to show now: those given for `shownFor` (the form as submitted), except that an
 * input changed since shows what the form can tell of its new value — nothing once it is
 * fixed. The core's errors on untouched inputs stay.
 */
export function currentErrors(
  errors: Record<string, string[]>,
  shownFor: ServiceForm | null,
  form: ServiceForm,
): Record<string, string[]> {
  if (!shownFor || shownFor === form) return errors;
  let local: Record<string, string[]> | null = null;
  const out: Record<string, string[]> = {};
  for (const [key, messages] of Object.entries(errors)) {
    if (key === '' || fieldValue(form, key) === fieldValue(shownFor, key)) {
      out[key] = messages;
      continue;
    }
    local ??= placeErrors(toBody(form).errors, inputKeys(form));
    if (local[key]?.length) out[key] = local[key];
  }
  return out;
}
