package dev.fleetgate.firewall.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The busiest clients per service over the last one to two periods, with bounded memory: per service a
 * space-saving sketch of {@value #COUNTERS} counters (a new client replaces the least counted one and inherits
 * its count, so the heavy hitters stay and a count is an upper bound by at most the replaced count), at most
 * {@value #MAX_SERVICES} services (least recently seen forgotten). Counts of the current period and the previous
 * one are added when read. Time is the requests' own clock. Not thread-safe.
 */
public final class TopClients {
    static final int COUNTERS = 64;
    static final int MAX_SERVICES = 512;
    /** The service key of requests without a service (nginx's default server). */
    public static final String NO_SERVICE = "";

    /** One client's counts: requests and answers ≥ 400. */
    public record Entry(String client, long requests, long errors) {}

    private static final class Sketch {
        long period = Long.MIN_VALUE;
        HashMap<String, long[]> current = new HashMap<>();
        Map<String, long[]> previous = Map.of();
    }

    private final long periodMillis;
    private final LinkedHashMap<String, Sketch> services = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Sketch> eldest) {
            return size() > MAX_SERVICES;
        }
    };

    /** @param periodMillis the length of one period (a read covers one to two of them) */
    public TopClients(long periodMillis) {
        if (periodMillis <= 0) {
            throw new IllegalArgumentException("periodMillis must be positive");
        }
        this.periodMillis = periodMillis;
    }

    public long periodMillis() {
        return periodMillis;
    }

    /** Counts one request of {@code client} on {@code serviceId} (null: {@link #NO_SERVICE}). */
    public void add(long timeMillis, String serviceId, String client, int status) {
        if (client == null || client.isEmpty()) {
            return;
        }
        String key = serviceId == null ? NO_SERVICE : serviceId;
        client = AddressRanges.canonicalClient(client);
        Sketch s = services.computeIfAbsent(key, k -> new Sketch());
        roll(s, Math.floorDiv(timeMillis, periodMillis));
        long[] c = s.current.get(client);
        if (c == null) {
            if (s.current.size() >= COUNTERS) {
                String least = null;
                long min = Long.MAX_VALUE;
                for (Map.Entry<String, long[]> e : s.current.entrySet()) {
                    if (e.getValue()[0] < min) {
                        min = e.getValue()[0];
                        least = e.getKey();
                    }
                }
                c = s.current.remove(least);
            } else {
                c = new long[2];
            }
            s.current.put(client, c);
        }
        c[0]++;
        if (status >= 400) {
            c[1]++;
        }
    }

    private static void roll(Sketch s, long period) {
        if (period == s.period) {
            return;
        }
        s.previous = period == s.period + 1 ? s.current : Map.of();
        s.current = new HashMap<>();
        s.period = period;
    }

    /**
     * @param nowMillis the requests' clock now (periods older than the previous one are dropped)
     * @param limit     clients per service at most
     * @return service key → its busiest clients, most requests first (services with none left out)
     */
    public Map<String, List<Entry>> top(long nowMillis, int limit) {
        long period = Math.floorDiv(nowMillis, periodMillis);
        Map<String, List<Entry>> out = new LinkedHashMap<>();
        for (Map.Entry<String, Sketch> e : services.entrySet()) {
            Sketch s = e.getValue();
            Map<String, long[]> sum = new HashMap<>();
            if (s.period == period || s.period == period - 1) {
                s.current.forEach((k, v) -> sum.put(k, v.clone()));
            }
            if (s.period == period) {
                s.previous.forEach((k, v) -> sum.merge(k, v.clone(), (a, b) -> {
                    a[0] += b[0];
                    a[1] += b[1];
                    return a;
                }));
            }
            if (sum.isEmpty()) {
                continue;
            }
            List<Entry> list = new ArrayList<>();
            sum.forEach((k, v) -> list.add(new Entry(k, v[0], v[1])));
            list.sort(Comparator.comparingLong(Entry::requests).reversed().thenComparing(Entry::client));
            out.put(e.getKey(), List.copyOf(list.subList(0, Math.min(limit, list.size()))));
        }
        return out;
    }
}
