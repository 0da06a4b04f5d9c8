import { render, screen, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { rangeByKey } from '../lib/metrics';
import { mockApi } from '../test/helpers';
import { MetricChart, type MetricLine } from './MetricChart';

describe('metric chart legend', () => {
  it('names a host once its name is known, even when the data came first', async () => {
    const now = Date.now();
    mockApi({
      'GET /api/v1/metrics/query': () => ({
        series: [
          {
            name: 'service_requests_per_second',
            labels: { agent: 'a1b2c3d4-0000', service: 's1' },
            points: [
              [now - 20_000, 1],
              [now - 10_000, 2],
            ],
          },
        ],
      }),
    });
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const chart = (names: Map<string, string>) => {
      const lines: MetricLine[] = [
        {
          patterns: ['service_requests_per_second'],
          labels: { service: 's1' },
          legend: (s) => names.get(s.labels.agent) ?? s.labels.agent.slice(0, 8),
        },
      ];
      return (
        <QueryClientProvider client={client}>
          <MetricChart
            title="Requests per second"
            lines={lines}
            range={rangeByKey('15m')}
            known={['service_requests_per_second']}
          />
        </QueryClientProvider>
      );
    };
    const view = render(chart(new Map()));
    await waitFor(() => expect(document.querySelector('.u-legend')?.textContent).toContain('a1b2c3d4'));
    view.rerender(chart(new Map([['a1b2c3d4-0000', 'web-1']])));
    await waitFor(() => expect(document.querySelector('.u-legend')?.textContent).toContain('web-1'));
    expect(document.querySelector('.u-legend')!.textContent).not.toContain('a1b2c3d4');
    expect(screen.getByRole('img').getAttribute('aria-label')).toContain('web-1: 2.00');
    // Hovering shows values: the legend is live.
    expect(document.querySelector('.u-legend.u-inline.u-live')).not.toBeNull();
  });
});
