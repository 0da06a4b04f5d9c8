package dev.fleetgate.agent.nginx.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.certificates.testing.OcspResponder;

/**
 * What the Lua certificate phase staples, through a real nginx, with responses of OpenSSL's OCSP responder
 * ({@link OcspResponder}): a good one is stapled; garbage, a response of another CA and a revoked one past the
 * nextUpdate the core sent are not (the handshake goes on without a staple); a revoked one before it is. Ports
 * 22705 (http), 22706 (https), 22707 (admin), responders 22708 and 22709.
 */
class OcspStapleIT extends WithNginx {
    private static final int HTTP = 22705;
    private static final int ADMIN = 22707;
    private static final long SERIAL = 4097;

    private OcspResponder ca;
    private OcspResponder other;

    OcspStapleIT() {
        super(HTTP, ADMIN);
    }

    @BeforeEach
    void start() throws Exception {
        ca = closeAfter(new OcspResponder(22708, 5));
        other = closeAfter(new OcspResponder(22709, 5));
    }

    @Test
    void onlyAVerifiedResponseIsStapled() throws Exception {
        OcspResponder.Issued issued = ca.issue("a.test", SERIAL, true);
        long later = System.currentTimeMillis() / 1000 + 300;

        apply(1, issued, ca.responseFor(SERIAL), later);
        String good = status("a.test");
        assertTrue(good.contains("OCSP Response Status: successful") && good.contains("Cert Status: good"), good);

        apply(2, issued, new byte[] {1, 2, 3}, later);
        assertNotStapled(status("a.test"));

        other.issue("a.test", SERIAL, true); // same serial, another CA: its response names another issuer
        apply(3, issued, other.responseFor(SERIAL), later);
        assertNotStapled(status("a.test"));

        ca.revoke(SERIAL);
        byte[] revoked = ca.responseFor(SERIAL);
        apply(4, issued, revoked, later);
        String stapledRevoked = status("a.test");
        assertTrue(stapledRevoked.contains("Cert Status: revoked"), stapledRevoked);

        apply(5, issued, revoked, System.currentTimeMillis() / 1000 - 10);
        assertNotStapled(status("a.test"));
    }

    private void apply(long revision, OcspResponder.Issued issued, byte[] ocsp, long nextUpdate) throws Exception {
        Specs.Service s = Specs.service("s1", "a.test");
        s.site.withArray("listen").addObject().put("tls", true);
        ObjectNode tls = s.site.putObject("tls")
                .put("certificateId", "cert-" + revision) // a new id: no worker keeps the last check
                .put("certificatePem", issued.chainPem())
                .put("privateKeyPem", issued.keyPem())
                .put("ocspResponse", Base64.getEncoder().encodeToString(ocsp))
                .put("ocspNextUpdate", nextUpdate);
        assertTrue(tls.has("ocspResponse"));
        driver.apply(revision, Specs.spec(s));
    }

    private static void assertNotStapled(String out) {
        assertTrue(out.contains("CN = a.test"), "the certificate is still served: " + out);
        assertTrue(out.contains("OCSP response: no response sent"), out);
    }

    /** {@code openssl s_client -status} with SNI against nginx's HTTPS port. */
    private static String status(String host) throws Exception {
        Process p = new ProcessBuilder(
                        "openssl", "s_client", "-connect", "127.0.0.1:" + (HTTP + 1), "-servername", host, "-status")
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "s_client ended");
        return out;
    }
}
