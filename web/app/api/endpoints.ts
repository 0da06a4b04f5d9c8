import { api } from './http';
import type {
  ActivityEntry,
  Agent,
  AlertChannel,
  AlertRule,
  Incident,
  IncidentDetail,
  TemplatePreview,
  AgentBundle,
  Container,
  DnsRecord,
  DnsZone,
  EnrolmentToken,
  OpenEnrolmentToken,
  LoginAnswer,
  LogPage,
  Me,
  MetricsQueryAnswer,
  Module,
  Monitor,
  MonitorHour,
  MonitorResult,
  MonitorStatus,
  ReportedBundle,
  Service,
  ServiceRevision,
  ServiceStatus,
  Task,
  User,
} from './types';

const enc = encodeURIComponent;

export const login = (username: string, password: string) =>
  api<LoginAnswer>('/auth/login', { body: { username, password } });
export const me = () => api<Me>('/auth/me');
/** Revokes every token of the caller (all browsers and devices). */
export const logout = () => api<void>('/auth/logout', { method: 'POST', body: {} });

export const activity = (limit: number, before?: number) =>
  api<ActivityEntry[]>('/activity', { query: before === undefined ? { limit } : { limit, before } });

export const users = () => api<User[]>('/users');
export const createUser = (username: string, password: string, roles: string[]) =>
  api<User>('/users', { body: { username, password, roles } });
export const changeRoles = (username: string, roles: string[]) =>
  api<User>(`/users/${enc(username)}/roles`, { method: 'PUT', body: { roles } });
export const changePassword = (username: string, password: string, currentPassword?: string) =>
  api<void>(`/users/${enc(username)}/password`, {
    method: 'PUT',
    body: currentPassword === undefined ? { password } : { password, currentPassword },
  });
export const deleteUser = (username: string) => api<void>(`/users/${enc(username)}`, { method: 'DELETE' });

export const agents = () => api<Agent[]>('/agents');
export const agent = (id: string) => api<Agent>(`/agents/${enc(id)}`);
export const agentContainers = (id: string) => api<Container[]>(`/agents/${enc(id)}/containers`);
export const agentBundles = (id: string) => api<ReportedBundle[]>(`/agents/${enc(id)}/bundles`);
export const agentTasks = (id: string, limit = 20) => api<Task[]>(`/agents/${enc(id)}/tasks`, { query: { limit } });
export const openEnrolmentTokens = () => api<OpenEnrolmentToken[]>('/agents/enrollment-tokens');
export const revokeEnrolmentToken = (id: string) =>
  api<void>(`/agents/enrollment-tokens/${enc(id)}`, { method: 'DELETE' });
export const createEnrolmentToken = (name: string | undefined, ttlMinutes: number) =>
  api<EnrolmentToken>('/agents/enrollment-tokens', { body: { ...(name ? { name } : {}), ttlMinutes } });
export const removeAgent = (id: string) => api<void>(`/agents/${enc(id)}`, { method: 'DELETE' });

export const services = () => api<Service[]>('/services');
export const service = (id: string) => api<Service>(`/services/${enc(id)}`);
export const serviceStatus = (id: string) => api<ServiceStatus>(`/services/${enc(id)}/status`);
export const createService = (body: unknown) => api<Service>('/services', { method: 'POST', body });
export const updateService = (id: string, body: unknown) =>
  api<Service>(`/services/${enc(id)}`, { method: 'PUT', body });
export const deleteService = (id: string) => api<void>(`/services/${enc(id)}`, { method: 'DELETE' });
export const serviceRevisions = (id: string) => api<ServiceRevision[]>(`/services/${enc(id)}/revisions`);
export const serviceRevision = (id: string, revision: number) =>
  api<ServiceRevision>(`/services/${enc(id)}/revisions/${revision}`);
export const rollbackService = (id: string, revision: number) =>
  api<Service>(`/services/${enc(id)}/rollback`, { method: 'POST', body: { revision } });
export const scaleService = (id: string, replicas: number) =>
  api<Service>(`/services/${enc(id)}/replicas`, { method: 'PUT', body: { replicas } });

export const modules = () => api<Module[]>('/modules');
export const bundles = () => api<AgentBundle[]>('/bundles');
export const uploadBundle = (file: File) =>
  api<AgentBundle>('/bundles', { method: 'POST', raw: { data: file, contentType: 'application/java-archive' } });
export const deployBundle = (id: string, agentIds?: string[]) =>
  api<AgentBundle>(`/bundles/${enc(id)}/deployments`, { method: 'POST', body: agentIds?.length ? { agentIds } : {} });
export const undeployBundle = (id: string) => api<void>(`/bundles/${enc(id)}/deployments`, { method: 'DELETE' });
export const deleteBundle = (id: string) => api<void>(`/bundles/${enc(id)}`, { method: 'DELETE' });

export interface LogQuery {
  tail?: number;
  cursor?: string | null;
  filter?: string;
  limit?: number;
}

/** `source` is `container:<id>` or `nginx:access` / `nginx:error`. */
export function logs(agentId: string, source: string, q: LogQuery, signal?: AbortSignal) {
  const [kind, name] = splitSource(source);
  const path =
    kind === 'nginx'
      ? `/agents/${enc(agentId)}/nginx/logs/${enc(name)}`
      : `/agents/${enc(agentId)}/containers/${enc(name)}/logs`;
  return api<LogPage>(path, {
    query: { tail: q.tail, cursor: q.cursor ?? undefined, filter: q.filter, limit: q.limit },
    signal,
  });
}

function splitSource(source: string): [string, string] {
  const i = source.indexOf(':');
  return i < 0 ? ['container', source] : [source.slice(0, i), source.slice(i + 1)];
}

export interface MetricsQuery {
  name: string;
  from: number;
  to: number;
  step: string;
  agg?: string;
  labels?: Record<string, string>;
}

export const metricsQuery = (q: MetricsQuery, signal?: AbortSignal) =>
  api<MetricsQueryAnswer>('/metrics/query', {
    query: { name: q.name, from: q.from, to: q.to, step: q.step, agg: q.agg, ...(q.labels ?? {}) },
    signal,
  });
export const metricsLatest = (name: string, by: string, labels: Record<string, string> = {}) =>
  api<unknown>('/metrics/latest', { query: { name, by, ...labels } });
export const metricsTop = (name: string, by: string, n: number, window: string) =>
  api<unknown>('/metrics/top', { query: { name, by, n, window } });
export const metricsNames = () => api<unknown>('/metrics/names');

export const dnsZones = () => api<DnsZone[]>('/dns/zones');
export const createDnsZone = (body: unknown) => api<DnsZone>('/dns/zones', { method: 'POST', body });
export const updateDnsZone = (id: string, body: unknown) =>
  api<DnsZone>(`/dns/zones/${enc(id)}`, { method: 'PUT', body });
export const deleteDnsZone = (id: string, force = false) =>
  api<void>(`/dns/zones/${enc(id)}`, { method: 'DELETE', query: force ? { force: 'true' } : undefined });
export const dnsRecords = () => api<DnsRecord[]>('/dns/records');
export const dnsSync = () => api<unknown>('/dns/sync', { method: 'POST', body: {} });

export interface IncidentFilter {
  state?: string;
  severity?: string;
  subject?: string;
}

export const incidents = (f: IncidentFilter = {}) =>
  api<Incident[]>('/incidents', {
    query: { state: f.state || undefined, severity: f.severity || undefined, subject: f.subject || undefined },
  });
export const incident = (id: string) => api<IncidentDetail>(`/incidents/${enc(id)}`);
export const ackIncident = (id: string) => api<Incident>(`/incidents/${enc(id)}/ack`, { method: 'POST', body: {} });
export const alertRules = () => api<AlertRule[]>('/alerts/rules');
export const updateAlertRule = (id: string, body: unknown) =>
  api<AlertRule>(`/alerts/rules/${enc(id)}`, { method: 'PUT', body });
export const createAlertRule = (body: unknown) => api<AlertRule>('/alerts/rules', { body });
export const alertChannels = () => api<AlertChannel[]>('/alerts/channels');
export const alertChannelTypes = () => api<string[]>('/alerts/channel-types');
export const createAlertChannel = (body: unknown) => api<AlertChannel>('/alerts/channels', { body });
export const updateAlertChannel = (id: string, body: unknown) =>
  api<AlertChannel>(`/alerts/channels/${enc(id)}`, { method: 'PUT', body });
export const testAlertChannel = (id: string) =>
  api<{ ok: boolean; error: string | null }>(`/alerts/channels/${enc(id)}/test`, { method: 'POST', body: {} });
export const previewTemplate = (body: { channelType: string; event: string; kind?: string; body?: string }) =>
  api<TemplatePreview>('/alerts/templates/preview', { method: 'POST', body });
export const saveTemplate = (body: { kind: string; channelType: string; event: string; body: string }) =>
  api<TemplatePreview>('/alerts/templates', { method: 'PUT', body });

export type AlertRuleView = AlertRule;

export const monitors = (serviceId?: string) => api<Monitor[]>('/monitors', { query: serviceId ? { serviceId } : {} });
export const monitor = (id: string) => api<Monitor>(`/monitors/${enc(id)}`);
export const createMonitor = (body: Record<string, unknown>) => api<Monitor>('/monitors', { body });
export const deleteMonitor = (id: string) => api<void>(`/monitors/${enc(id)}`, { method: 'DELETE' });
export const monitorStatus = (id: string) => api<MonitorStatus>(`/monitors/${enc(id)}/status`);
export const monitorResults = (id: string, limit = 500) =>
  api<MonitorResult[]>(`/monitors/${enc(id)}/results`, { query: { limit } });
export const monitorUptime = (id: string, hours = 24) =>
  api<{ from: string; hours: MonitorHour[] }>(`/monitors/${enc(id)}/uptime`, { query: { hours } });
