/** JSON shapes of the core's REST API (docs/openapi.yaml). */

export type Role = 'admin' | 'operator' | 'viewer';

export interface Me {
  username: string;
  roles: Role[];
}

export interface LoginAnswer {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export interface Agent {
  id: string;
  name: string;
  hostname: string;
  role: 'host' | 'edge';
  status: 'ONLINE' | 'OFFLINE';
  lastSeenAt: string | null;
  version: string;
  address?: string | null;
}

export interface Target {
  host: string;
  port: number;
  weight?: number;
}

export interface HealthCheck {
  path: string;
  intervalSeconds?: number;
  timeoutSeconds?: number;
  fall?: number;
  rise?: number;
}

export interface ContainerSpec {
  image: string;
  command?: string | string[] | null;
  env?: Record<string, string>;
  port?: number | null;
  replicas?: number;
  cpus?: number | null;
  memory?: string | number | null;
  /** What GET answers for the memory limit. */
  memoryBytes?: number | null;
  restartPolicy?: 'no' | 'on-failure' | 'always' | 'unless-stopped';
  network?: 'host' | 'bridge';
}

/** One kept revision of a service (`config` only when asked for one revision). */
export interface ServiceRevision {
  revision: number;
  changedAt: string;
  changedBy: string | null;
  action: 'CREATED' | 'UPDATED' | 'SCALED' | 'ROLLED_BACK' | 'MIGRATED';
  sourceRevision: number | null;
  config?: Record<string, unknown>;
}

export interface Service {
  id: string;
  name: string;
  revision: number;
  /** In the list only. */
  health?: ServiceHealth;
  domains: string[];
  agentIds: string[];
  upstream: {
    targets: Target[];
    lbMethod: 'round_robin' | 'least_conn' | 'ip_hash';
    keepalive?: number;
    healthCheck: HealthCheck | null;
  };
  timeouts?: { connectSeconds: number; readSeconds: number; sendSeconds: number };
  maxBodySize?: string;
  requestHeaders?: Record<string, string>;
  responseHeaders?: Record<string, string>;
  websockets?: boolean;
  containers: ContainerSpec | null;
  /** Absent from cores before the service carried it; served by the certificates module. */
  tls?: ServiceTls;
  createdAt?: string;
  updatedAt?: string;
}

/** A service's TLS: auto = an ACME certificate of its domains; custom = an uploaded certificate. */
export interface ServiceTls {
  mode: 'off' | 'auto' | 'custom';
  certificateId?: string | null;
  redirectHttp?: boolean;
  hstsMaxAgeSeconds?: number | null;
}

/** How well a service serves, derived by the core (config state, target health, replicas). */
export type ServiceHealth = 'HEALTHY' | 'DEGRADED' | 'DOWN' | 'UNKNOWN';
export type RolloutState = 'APPLIED' | 'PENDING' | 'FAILED';

export interface ServiceStatus {
  revision: number;
  /** Absent from cores before service health. */
  health?: ServiceHealth;
  agents: {
    agentId: string;
    appliedRevision: number | null;
    state: RolloutState;
    error: string | null;
    /** The replicas on that host, for a service with containers. */
    containers?: { desired: number; running: number; ready: number; state: string; error: string | null } | null;
  }[];
  targets: { host: string; port: number; healthy: boolean | null }[];
  replicas?: Replica[];
  /** Null when the service's tls is off; `problem` says why it is not served over HTTPS. */
  tls?: { mode: 'auto' | 'custom'; problem: string | null } | null;
}

export interface Replica {
  agentId: string;
  containerId: string;
  name: string;
  state: string;
  health: string;
  host?: string | null;
  port?: number | null;
  ready: boolean;
}

export interface Container {
  id: string;
  name: string;
  image: string;
  state: string;
  health: string;
  serviceId: string | null;
  replica?: number | null;
  hostPort?: number | null;
  restartCount?: number;
  startedAt?: string | null;
  ready?: boolean;
}

export interface LogLine {
  timestamp: string;
  stream: string;
  text: string;
}

export interface LogPage {
  lines: LogLine[];
  cursor: string;
  truncated?: boolean;
}

export interface Module {
  name: string;
  bundle: string;
  version: string;
  state: string;
}

export interface AgentBundle {
  id: string;
  symbolicName: string;
  version: string;
  sha256: string;
  size: number;
  uploadedAt: string;
  uploadedBy?: string;
  deployments?: { allAgents: boolean; agentIds: string[] };
}

export interface ReportedBundle {
  symbolicName: string;
  version: string;
  state: string;
  error?: string | null;
}

/** An open (unused, unexpired) enrolment token as listed: never the token itself. */
export interface OpenEnrolmentToken {
  id: string;
  name: string | null;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string;
}

export interface EnrolmentToken {
  token: string;
  expiresAt: string;
  /** SHA-256 of the core's HTTPS certificate, which the agent pins (absent when the core serves no HTTPS). */
  coreFingerprint?: string | null;
  /** The agent command line the core suggests: its HTTPS URL and the fingerprint to pin. */
  command?: string | null;
}

export interface Series {
  name: string;
  labels: Record<string, string>;
  points: [number, number][];
}

export interface MetricsQueryAnswer {
  series: Series[];
}

/** One value per group (agent, container…) from /metrics/latest or /metrics/top. */
export interface MetricValue {
  labels?: Record<string, string>;
  key?: string;
  value: number;
  timestamp?: number | string;
  [group: string]: unknown;
}

export interface Task {
  id: string;
  agentId: string;
  type: string;
  status: string;
  error: string | null;
  createdAt: string;
  completedAt: string | null;
}

export interface DnsZone {
  id: string;
  zone: string;
  provider: string;
  server: string;
  port: number;
  ttl: number;
  tsigKeyName?: string | null;
  tsigAlgorithm?: string | null;
  tsigSecretSet?: boolean;
  status?: {
    state: string;
    lastSyncAt: string | null;
    lastError: string | null;
    records?: { synced: number; pending: number; failed: number; deleting: number };
  };
}

export interface DnsRecord {
  domain: string;
  type: string;
  value: string;
  zone: string;
  state: string;
  lastError?: string | null;
  serviceId?: string | null;
}

/** An incident (module alerts). */
export interface Incident {
  id: string;
  ruleId: string;
  rule: string;
  kind: string;
  subject: string;
  state: 'OPEN' | 'RESOLVED';
  severity: 'info' | 'warning' | 'critical';
  value: number | null;
  threshold: number | null;
  op?: string;
  metric?: string;
  message: string | null;
  labels: Record<string, string>;
  openedAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
  ackedAt: string | null;
  ackedBy: string | null;
  flapping: boolean;
}

export interface AlertDelivery {
  id: number;
  incidentId: string | null;
  channelId: string;
  channel: string;
  event: string;
  state: 'PENDING' | 'SENT' | 'FAILED';
  attempts: number;
  createdAt: string;
  sentAt: string | null;
  nextAttemptAt: string | null;
  error: string | null;
}

export interface IncidentDetail extends Incident {
  timeline: { at: string; type: string; detail: string | null }[];
  deliveries: AlertDelivery[];
}

export interface AlertRule {
  id: string;
  name: string;
  kind: 'metric' | 'event';
  enabled: boolean;
  severity: string;
  metric?: string;
  labels?: Record<string, string>;
  aggregate?: string;
  windowSeconds?: number;
  op?: string;
  threshold?: number | null;
  clearThreshold?: number | null;
  forSeconds?: number;
  eventKind?: string;
  clearForSeconds: number;
  repeatIntervalSeconds: number;
  channelIds: string[];
  builtin: boolean;
}

export interface AlertChannel {
  id: string;
  name: string;
  type: string;
  settings: Record<string, unknown>;
  ratePerMinute: number;
  enabled: boolean;
  blockedUntil: string | null;
}

export interface TemplatePreview {
  title: string;
  text: string;
}

export interface User {
  username: string;
  roles: string[];
  createdAt: string;
}

/** One write through the API (`GET /activity`). */
export interface ActivityEntry {
  id: number;
  at: string;
  user: string;
  /** Method and path, e.g. "PUT /services/6f1f…". */
  action: string;
  target: string | null;
  status: number;
}

/** An uptime monitor (module monitors). */
export interface Monitor {
  id: string;
  name: string;
  type: 'http' | 'tls' | 'dns' | 'json';
  target: string;
  intervalSeconds: number;
  agentIds: string[];
  expect: {
    statuses?: number[];
    maxLatencyMs?: number;
    bodyContains?: string;
    minDaysLeft?: number;
    values?: string[];
  };
  followRedirects: boolean;
  confirmations: number;
  confirmAgents: number | null;
  serviceId: string | null;
  recordType?: string;
  resolver?: string;
  timeoutMs: number;
  state: 'PENDING' | 'UP' | 'DOWN' | 'DEGRADED' | 'UNKNOWN';
  stateSince: string;
}

export interface MonitorTiming {
  dnsMs?: number;
  connectMs?: number;
  tlsMs?: number;
  firstByteMs?: number;
  redirectMs?: number;
  totalMs?: number;
}

export interface MonitorResult {
  agentId: string;
  ok: boolean | null;
  status: number | null;
  latencyMs: number | null;
  errorKind: string | null;
  error: string | null;
  checkedAt: string | null;
  tlsExpiresAt: string | null;
  timing?: MonitorTiming;
  values?: string[];
  fields?: Record<string, number>;
}

export interface MonitorStatus {
  id: string;
  name: string;
  state: Monitor['state'];
  stateSince: string;
  agents: (MonitorResult & { agentName: string | null; online: boolean })[];
  uptime: { '24h': number | null; '7d': number | null; '30d'?: number | null };
}

export interface MonitorHour {
  hour: string;
  checks: number;
  ok: number;
  uptime: number;
  avgLatencyMs: number | null;
}
