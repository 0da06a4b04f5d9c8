package dev.fleetgate.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class StorableTextTest {

    @Test
    void nulAndUnpairedSurrogatesBecomeReplacementCharacters() {
        assertEquals("a\uFFFDb\tc\u001b[0m", StorableText.clean("a\u0000b\tc\u001b[0m"));
        assertEquals("x\uFFFD", StorableText.clean("x\uD83D"));
        assertEquals("\uFFFDy", StorableText.clean("\uDE00y"));
        String ok = "ok \uD83D\uDE00 é";
        assertSame(ok, StorableText.clean(ok));
    }
}
