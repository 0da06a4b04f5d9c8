package dev.fleetgate.certificates.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/**
 * Bench (prints figures, asserts only the documented window): when 1,000 certificates are renewed if they were
 * issued together. {@link Orders#twoThirds} is the renewal time the scheduler stores for every certificate when
 * the CA offers no ARI (Pebble, and Let's Encrypt clients without ARI): 2/3 of the lifetime plus up to 1/12 of it
 * at random. Printed: the busiest minute and hour of the renewals, for three issuance patterns, over two renewal
 * cycles (a renewed certificate's lifetime starts at its renewal). Command: see the module README.
 */
class RenewalSpreadTest {
    private static final int CERTIFICATES = 1000;
    private static final Duration LIFETIME = Duration.ofDays(90);

    private static int busiest(List<Instant> times, Duration bucket) {
        Map<Long, Integer> counts = new TreeMap<>();
        for (Instant t : times) {
            counts.merge(t.toEpochMilli() / bucket.toMillis(), 1, Integer::sum);
        }
        return Collections.max(counts.values());
    }

    private static String figures(String what, List<Instant> issued) {
        List<Instant> first = new ArrayList<>();
        List<Instant> second = new ArrayList<>();
        for (Instant notBefore : issued) {
            Instant renew = Orders.twoThirds(notBefore, notBefore.plus(LIFETIME));
            long offset = Duration.between(notBefore, renew).toMillis();
            assertTrue(
                    offset >= LIFETIME.toMillis() * 2 / 3 && offset < LIFETIME.toMillis() * 3 / 4,
                    "renewal within [2/3, 3/4) of the lifetime");
            first.add(renew);
            second.add(Orders.twoThirds(renew, renew.plus(LIFETIME)));
        }
        Collections.sort(first);
        Collections.sort(second);
        String line = String.format(
                "[renewal-spread] %d certificates of %d days %s: 1st renewals over %.1f days, "
                        + "busiest minute %d, busiest hour %d (mean %.1f/h); 2nd renewals over %.1f days, busiest minute %d, "
                        + "busiest hour %d",
                CERTIFICATES,
                LIFETIME.toDays(),
                what,
                Duration.between(first.get(0), first.get(first.size() - 1)).toMinutes() / 1440.0,
                busiest(first, Duration.ofMinutes(1)),
                busiest(first, Duration.ofHours(1)),
                CERTIFICATES
                        / (Duration.between(first.get(0), first.get(first.size() - 1))
                                        .toMinutes()
                                / 60.0),
                Duration.between(second.get(0), second.get(second.size() - 1)).toMinutes() / 1440.0,
                busiest(second, Duration.ofMinutes(1)),
                busiest(second, Duration.ofHours(1)));
        System.out.println(line);
        return line;
    }

    @Test
    void renewalsOfAThousandCertificatesIssuedTogetherAreSpread() {
        Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
        List<Instant> sameSecond = new ArrayList<>();
        List<Instant> oneHour = new ArrayList<>();
        List<Instant> oneDay = new ArrayList<>();
        for (int i = 0; i < CERTIFICATES; i++) {
            sameSecond.add(t0);
            oneHour.add(t0.plusMillis(i * 3_600_000L / CERTIFICATES));
            oneDay.add(t0.plusMillis(i * 86_400_000L / CERTIFICATES));
        }
        figures("issued in the same second (restore, import)", sameSecond);
        figures("issued within one hour (first rollout)", oneHour);
        figures("issued over one day", oneDay);
    }
}
