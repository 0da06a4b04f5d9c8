package dev.fleetgate.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.fleetgate.api.DomainNames.InvalidNameException;

/** The syntax checks of {@link DomainNames} (moved here from the proxy module). */
class DomainNameSyntaxTest {

    @Test
    void idnBecomesLowerCasePunycode() throws Exception {
        assertEquals("xn--bcher-kva.example", DomainNames.normalizeDomain("Bücher.Example"));
        assertEquals("xn--mnchen-3ya.xn--tst-qla.de", DomainNames.normalizeDomain("MÜNCHEN.täst.de"));
        assertEquals("shop.example.test", DomainNames.normalizeDomain("SHOP.Example.TEST"));
    }

    @Test
    void wildcardOnlyAsLeadingLabel() throws Exception {
        assertEquals("*.example.com", DomainNames.normalizeDomain("*.Example.COM"));
        assertEquals("*.xn--bcher-kva.example", DomainNames.normalizeDomain("*.bücher.example"));
        assertThrows(InvalidNameException.class, () -> DomainNames.normalizeDomain("a.*.example.com"));
        assertThrows(InvalidNameException.class, () -> DomainNames.normalizeDomain("*example.com"));
        assertThrows(InvalidNameException.class, () -> DomainNames.normalizeDomain("example.*"));
        assertThrows(InvalidNameException.class, () -> DomainNames.normalizeDomain("*"));
        assertThrows(InvalidNameException.class, () -> DomainNames.normalizeDomain("*.*.example.com"));
    }

    @Test
    void oneTrailingDotIsDropped() throws Exception {
        assertEquals("example.com", DomainNames.normalizeDomain("example.com."));
        assertThrows(InvalidNameException.class, () -> DomainNames.normalizeDomain("example.com.."));
    }

    @Test
    void labelAndNameLengths() throws Exception {
        String l63 = "a".repeat(63);
        assertEquals(l63 + ".com", DomainNames.normalizeDomain(l63 + ".com"));
        assertThrows(InvalidNameException.class, () -> DomainNames.normalizeDomain("a".repeat(64) + ".com"));
        String name253 = (l63 + ".").repeat(3) + "a".repeat(61); // 3*64 + 61 = 253
        assertEquals(253, DomainNames.normalizeDomain(name253).length());
        assertThrows(InvalidNameException.class, () -> DomainNames.normalizeDomain(name253 + "a"));
        assertThrows(InvalidNameException.class, () -> DomainNames.normalizeDomain("*." + name253));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "-a.com",
                "a-.com",
                "a..com",
                ".a.com",
                "a_b.com",
                "a b.com",
                "a;b.com",
                "a}.com",
                "a\"b.com",
                "a$b.com",
                "a\r\nb.com",
                "a\nb",
                "a/b.com",
                "a:80",
                "a'b.com",
                "a\\b.com",
                "a{b.com"
            })
    void invalidDomains(String d) {
        assertThrows(InvalidNameException.class, () -> DomainNames.normalizeDomain(d));
    }

    @Test
    void hostnames() throws Exception {
        DomainNames.checkHostname("localhost");
        DomainNames.checkHostname("app-1.internal");
        assertThrows(InvalidNameException.class, () -> DomainNames.checkHostname("1.2.3.999"));
        assertThrows(InvalidNameException.class, () -> DomainNames.checkHostname("bücher.example"));
        assertThrows(InvalidNameException.class, () -> DomainNames.checkHostname("*.example"));
        assertThrows(InvalidNameException.class, () -> DomainNames.checkHostname("a_b"));
    }

    @Test
    void namesWithoutWildcard() throws Exception {
        assertEquals("xn--bcher-kva.example", DomainNames.normalizeName("Bücher.Example."));
        InvalidNameException e = assertThrows(InvalidNameException.class, () -> DomainNames.normalizeName("*.example"));
        assertEquals("must not contain '*'", e.getMessage());
        assertThrows(InvalidNameException.class, () -> DomainNames.normalizeName("a b.example"));
    }

    @Test
    void labelsWithUnderscore() throws Exception {
        DomainNames.checkLabels("_acme.key", true);
        InvalidNameException e =
                assertThrows(InvalidNameException.class, () -> DomainNames.checkLabels("_acme.key", false));
        assertEquals("may contain only letters, digits, '-' and '.'", e.getMessage());
        e = assertThrows(InvalidNameException.class, () -> DomainNames.checkLabels("a..b", true));
        assertEquals("has an empty label", e.getMessage());
    }
}
