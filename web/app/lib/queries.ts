import { useQueries, useQuery } from '@tanstack/react-query';
import * as endpoints from '../api/endpoints';
import { ApiError } from '../api/http';
import type { RolloutState, ServiceStatus } from '../api/types';
import { latestValues } from './metrics';

/** Fleet views refresh on their own every few seconds. */
export const REFRESH_MS = 5_000;

export const useAgents = () =>
  useQuery({ queryKey: ['agents'], queryFn: endpoints.agents, refetchInterval: REFRESH_MS });

export const useServices = () =>
  useQuery({ queryKey: ['services'], queryFn: endpoints.services, refetchInterval: REFRESH_MS });

/**
 * The latest value of a metric per group, or an empty map while the metrics module is
 * absent (404) or has nothing yet: columns just show "—".
 */
export function useLatest(name: string, by: string, labels: Record<string, string> = {}) {
  return useQuery({
    queryKey: ['metrics', 'latest', name, by, labels],
    queryFn: async () => {
      try {
        return latestValues(await endpoints.metricsLatest(name, by, labels), by);
      } catch (e) {
        if (e instanceof ApiError && (e.status === 404 || e.status === 400)) return new Map<string, number>();
        throw e;
      }
    },
    refetchInterval: REFRESH_MS * 2,
  });
}

/** Status of each listed service (one request each: callers pass only what is on screen). */
export function useServiceStatuses(ids: string[]) {
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: ['service-status', id],
      queryFn: () => endpoints.serviceStatus(id),
      refetchInterval: REFRESH_MS,
    })),
  });
}

/** One word for a service across its agents: FAILED beats PENDING beats APPLIED. */
export function rollup(status: ServiceStatus | undefined): RolloutState | 'NOT PLACED' | undefined {
  if (!status) return undefined;
  if (status.agents.length === 0) return 'NOT PLACED';
  if (status.agents.some((a) => a.state === 'FAILED')) return 'FAILED';
  if (status.agents.some((a) => a.state === 'PENDING')) return 'PENDING';
  return 'APPLIED';
}
