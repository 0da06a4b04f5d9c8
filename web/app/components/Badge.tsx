const TONES: Record<string, string> = {
  ONLINE: 'ok',
  SENT: 'ok',
  OPEN: 'bad',
  critical: 'bad',
  warning: 'warn',
  APPLIED: 'ok',
  HEALTHY: 'ok',
  DEGRADED: 'warn',
  ACTIVE: 'ok',
  running: 'ok',
  healthy: 'ok',
  OK: 'ok',
  UP: 'ok',
  SYNCED: 'ok',
  NEW: 'warn',
  DELETING: 'warn',
  ERROR: 'bad',
  NO_ADDRESS: 'bad',
  PENDING: 'warn',
  SCALING: 'warn',
  starting: 'warn',
  RESOLVED: 'warn',
  INSTALLED: 'warn',
  created: 'warn',
  restarting: 'warn',
  OFFLINE: 'bad',
  FAILED: 'bad',
  unhealthy: 'bad',
  exited: 'bad',
  dead: 'bad',
  DOWN: 'bad',
};

/** A state as text with a colour; the text alone carries the meaning. */
export function Badge({ value, title }: { value: string | null | undefined; title?: string }) {
  const text = value ?? 'unknown';
  return (
    <span className={`badge ${TONES[text] ?? 'neutral'}`} title={title}>
      {text}
    </span>
  );
}

/**
 * A service's health (green HEALTHY, amber DEGRADED, red DOWN, grey UNKNOWN); where its
 * configuration stands (APPLIED/PENDING/FAILED) is the tooltip.
 */
export function HealthBadge({ health, config }: { health: string | null | undefined; config?: string }) {
  return <Badge value={health ?? 'UNKNOWN'} title={config ? `configuration ${config}` : undefined} />;
}
