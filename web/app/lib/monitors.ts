import type { MonitorHour, MonitorResult, Series } from '../api/types';

/** One bar of the 24 h uptime strip: an hour and how it went. */
export interface UptimeBar {
  /** Epoch ms of the hour's start. */
  hour: number;
  /** 'none' (no check), 'up' (all passed), 'partial' (some failed), 'down' (none passed). */
  tone: 'none' | 'up' | 'partial' | 'down';
  uptime: number | null;
  checks: number;
}

/** The last `count` hours ending with the current one, filled from the API's buckets (hours without checks are 'none'). */
export function uptimeBars(hours: MonitorHour[], now: number = Date.now(), count = 24): UptimeBar[] {
  const current = Math.floor(now / 3_600_000) * 3_600_000;
  const byHour = new Map(hours.map((h) => [Date.parse(h.hour), h]));
  const bars: UptimeBar[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const hour = current - i * 3_600_000;
    const h = byHour.get(hour);
    if (!h || h.checks === 0) {
      bars.push({ hour, tone: 'none', uptime: null, checks: 0 });
    } else {
      const tone = h.ok === h.checks ? 'up' : h.ok === 0 ? 'down' : 'partial';
      bars.push({ hour, tone, uptime: h.uptime, checks: h.checks });
    }
  }
  return bars;
}

/** Response time per agent, for the chart: one series per agent, oldest point first, failures without latency left out. */
export function latencySeries(results: MonitorResult[], names: Record<string, string> = {}): Series[] {
  const byAgent = new Map<string, [number, number][]>();
  for (const r of results) {
    if (r.latencyMs == null || !r.checkedAt) continue;
    const points = byAgent.get(r.agentId) ?? [];
    points.push([Date.parse(r.checkedAt), r.latencyMs]);
    byAgent.set(r.agentId, points);
  }
  return [...byAgent.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([agent, points]) => ({
      name: 'latency_ms',
      labels: { agent: names[agent] ?? agent },
      points: points.sort((a, b) => a[0] - b[0]),
    }));
}

/** "dns 1 · connect 2 · tls 5 · first byte 30 · total 40 ms" from a result's timing. */
export function describeTiming(t: MonitorResult['timing']): string {
  if (!t) return '—';
  const parts: string[] = [];
  const add = (label: string, v: number | undefined) => {
    if (v !== undefined && v !== null) parts.push(`${label} ${v}`);
  };
  add('dns', t.dnsMs);
  add('connect', t.connectMs);
  add('tls', t.tlsMs);
  add('first byte', t.firstByteMs);
  add('total', t.totalMs);
  return parts.length ? `${parts.join(' · ')} ms` : '—';
}

/** What the create form holds, as text (inputs). */
export interface MonitorForm {
  name: string;
  type: 'http' | 'tls' | 'dns' | 'json';
  target: string;
  intervalSeconds: string;
  agentIds: string[];
  confirmations: string;
  confirmAgents: string;
  statuses: string;
  values: string;
  recordType: string;
  resolver: string;
  serviceId: string;
}

export const EMPTY_FORM: MonitorForm = {
  name: '',
  type: 'http',
  target: '',
  intervalSeconds: '60',
  agentIds: [],
  confirmations: '2',
  confirmAgents: '',
  statuses: '',
  values: '',
  recordType: 'A',
  resolver: '',
  serviceId: '',
};

const list = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
/** A number when the text is one, else the text itself: the API names what is wrong. */
const num = (text: string): number | string => (/^-?\d+$/.test(text.trim()) ? Number(text.trim()) : text.trim());

/** The POST body of a form: empty optional inputs are left out, the API validates the rest. */
export function monitorBody(f: MonitorForm): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: f.name,
    type: f.type,
    intervalSeconds: num(f.intervalSeconds),
    agentIds: f.agentIds,
    confirmations: num(f.confirmations),
  };
  if (f.target.trim()) body.target = f.target.trim();
  if (f.serviceId.trim()) body.serviceId = f.serviceId.trim();
  if (f.confirmAgents.trim()) body.confirmAgents = num(f.confirmAgents);
  const expect: Record<string, unknown> = {};
  if (f.type === 'http' && f.statuses.trim()) expect.statuses = list(f.statuses).map(num);
  if (f.type === 'dns') {
    body.recordType = f.recordType;
    if (f.resolver.trim()) body.resolver = f.resolver.trim();
    // record values may hold spaces (MX "10 mail.example.test."): one per line or comma
    if (f.values.trim())
      expect.values = f.values
        .split(/[\n,]+/)
        .map((s) => s.trim())
        .filter(Boolean);
  }
  if (Object.keys(expect).length) body.expect = expect;
  return body;
}
