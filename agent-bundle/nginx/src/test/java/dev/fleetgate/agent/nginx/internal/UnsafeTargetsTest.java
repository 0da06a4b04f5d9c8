package dev.fleetgate.agent.nginx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The agent never health-checks or proxies to link-local or metadata addresses, whatever the core sent. */
class UnsafeTargetsTest {

    private static final List<String> UNSAFE = List.of(
            "169.254.169.254", "169.254.0.1", "fe80::1", "100.100.100.200", "fd00:ec2::254", "::ffff:169.254.169.254");

    @Test
    void linkLocalAndMetadataAddressesAreRecognised() throws Exception {
        for (String a : UNSAFE) {
            assertTrue(SafeValues.isLinkLocalOrMetadata(InetAddress.getByName(a)), a);
        }
        for (String a : List.of("127.0.0.1", "::1", "10.0.0.1", "100.100.100.201", "fd00:ec2::253", "192.168.1.1")) {
            assertFalse(SafeValues.isLinkLocalOrMetadata(InetAddress.getByName(a)), a);
        }
    }

    @Test
    void theHealthCheckRefusesThemBeforeConnecting() {
        for (String a : UNSAFE) {
            String error = HealthChecker.httpGet(a, 80, "/", 1);
            assertTrue(error != null && error.startsWith("refused: "), a + ": " + error);
        }
    }

    @Test
    void theyNeverBecomePeers() {
        for (String a : UNSAFE) {
            assertEquals(List.of(), PeerTable.addresses(a), a);
        }
        assertEquals(List.of("127.0.0.1"), PeerTable.addresses("127.0.0.1"));
    }
}
