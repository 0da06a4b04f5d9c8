package dev.fleetgate.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class TimeTextTest {
    @Test
    void durations() {
        assertEquals(10_000L, TimeText.duration("10s"));
        assertEquals(10_000L, TimeText.duration("10"));
        assertEquals(250L, TimeText.duration("250ms"));
        assertEquals(300_000L, TimeText.duration("5m"));
        assertEquals(7_200_000L, TimeText.duration("2h"));
        assertEquals(86_400_000L, TimeText.duration("1d"));
        assertEquals(604_800_000L, TimeText.duration("1w"));
        assertNull(TimeText.duration("1.5m"));
        assertNull(TimeText.duration("-5s"));
        assertNull(TimeText.duration("5 minutes"));
        assertNull(TimeText.duration("1234567890s"));
    }

    @Test
    void times() {
        long now = 1_800_000_000_000L;
        assertEquals(now, TimeText.time("now", now));
        assertEquals(now - 90_000, TimeText.time("now-90s", now));
        assertEquals(1_700_000_000_123L, TimeText.time("1700000000123", now));
        assertEquals(1_700_000_000_000L, TimeText.time("2023-11-14T22:13:20Z", now));
        assertEquals(1_700_000_000_000L, TimeText.time("2023-11-14T23:13:20+01:00", now));
        assertEquals(1_700_000_000_500L, TimeText.time("2023-11-14T22:13:20.5Z", now));
        assertNull(TimeText.time("2023-11-14", now));
        assertNull(TimeText.time("now+1h", now));
        assertNull(TimeText.time("tomorrow", now));
    }

    @Test
    void format() {
        assertEquals("1d", TimeText.format(86_400_000L));
        assertEquals("2h", TimeText.format(7_200_000L));
        assertEquals("90s", TimeText.format(90_000L));
        assertEquals("5m", TimeText.format(300_000L));
        assertEquals("1500ms", TimeText.format(1500L));
    }
}
