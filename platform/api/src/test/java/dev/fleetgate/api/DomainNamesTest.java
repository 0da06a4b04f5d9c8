package dev.fleetgate.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class DomainNamesTest {

    @Test
    void latinWithCyrillicInOneLabelIsFlagged() {
        Optional<String> w = DomainNames.mixedScriptWarning("p\u0430ypal.com"); // Cyrillic а
        assertTrue(w.isPresent());
        assertTrue(w.get().contains("Cyrillic, Latin"), w.get());
        assertTrue(w.get().contains("p\u0430ypal"), w.get());
    }

    @Test
    void punycodeIsDecodedFirst() {
        String ascii = java.net.IDN.toASCII("p\u0430ypal") + ".com";
        assertTrue(ascii.startsWith("xn--"));
        assertTrue(DomainNames.mixedScriptWarning(ascii).isPresent());
    }

    @Test
    void singleScriptNamesPass() {
        assertEquals(Optional.empty(), DomainNames.mixedScriptWarning("shop-24.example.com"));
        assertEquals(Optional.empty(), DomainNames.mixedScriptWarning("*.example.org"));
        assertEquals(
                Optional.empty(), DomainNames.mixedScriptWarning("\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444"));
        assertEquals(Optional.empty(), DomainNames.mixedScriptWarning("b\u00fccher.de"));
        assertEquals(Optional.empty(), DomainNames.mixedScriptWarning(null));
    }

    @Test
    void scriptsOfDifferentLabelsMayDiffer() {
        assertEquals(
                Optional.empty(), DomainNames.mixedScriptWarning("\u043f\u0440\u0438\u043c\u0435\u0440.example.com"));
    }

    @Test
    void japaneseMixIsAllowedButGreekWithLatinIsNot() {
        assertEquals(Optional.empty(), DomainNames.mixedScriptWarning("abc\u6771\u4eac\u3072\u30ab.jp"));
        assertTrue(DomainNames.mixedScriptWarning("\u03bfpenai.com").isPresent()); // Greek ο
    }
}
