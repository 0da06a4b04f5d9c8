import { useQuery } from '@tanstack/react-query';
import * as endpoints from '../api/endpoints';
import { uptimeBars } from '../lib/monitors';
import { formatPercent } from '../lib/format';

/** The last 24 hours of a monitor, one bar an hour (colour and title carry the uptime). */
export function UptimeBars({ monitorId }: { monitorId: string }) {
  const q = useQuery({
    queryKey: ['monitors', monitorId, 'uptime'],
    queryFn: () => endpoints.monitorUptime(monitorId, 24),
    refetchInterval: 60_000,
  });
  if (!q.data) return <span className="muted small">{q.error ? 'unavailable' : '…'}</span>;
  const bars = uptimeBars(q.data.hours);
  const checked = bars.filter((b) => b.tone !== 'none');
  const label = checked.length
    ? `Uptime by hour over 24 h: ${checked.filter((b) => b.tone === 'up').length} of ${checked.length} hours without failure`
    : 'No check in the last 24 h';
  return (
    <span className="uptime-bars" role="img" aria-label={label} data-testid="uptime-bars">
      {bars.map((b) => (
        <span
          key={b.hour}
          className={`uptime-bar ${b.tone}`}
          title={`${new Date(b.hour).toLocaleString()}: ${b.uptime === null ? 'no check' : `${formatPercent(b.uptime)} of ${b.checks} checks`}`}
        />
      ))}
    </span>
  );
}
