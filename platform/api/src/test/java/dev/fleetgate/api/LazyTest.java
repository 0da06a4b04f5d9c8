package dev.fleetgate.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

class LazyTest {
    @Test
    void getsOnFirstUseOnly() {
        AtomicInteger calls = new AtomicInteger();
        Supplier<String> s = Lazy.once(() -> "v" + calls.incrementAndGet());
        assertEquals(0, calls.get());
        assertEquals("v1", s.get());
        assertEquals("v1", s.get());
        assertEquals(1, calls.get());
    }

    @Test
    void asksAgainAfterNull() {
        AtomicInteger calls = new AtomicInteger();
        Supplier<String> s = Lazy.once(() -> calls.incrementAndGet() == 1 ? null : "later");
        assertNull(s.get());
        assertEquals("later", s.get());
        assertEquals("later", s.get());
        assertEquals(2, calls.get());
    }
}
