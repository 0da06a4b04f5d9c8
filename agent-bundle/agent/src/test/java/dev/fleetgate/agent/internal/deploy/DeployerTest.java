package dev.fleetgate.agent.internal.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class DeployerTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, String> served = new HashMap<>();
    private final FakeBundleOps ops = new FakeBundleOps();
    private int downloads;

    @TempDir
    Path state;

    private Deployer deployer;
    private static final KeyPair CORE_KEY = keyPair();
    /** What the agent stored at enrolment; tests replace it. */
    private PublicKey agentKey = CORE_KEY.getPublic();

    private static KeyPair keyPair() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(PrivateKey key, String name, String sha) throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key);
        s.update(BundleSignature.message(name, sha));
        return Base64.getEncoder().encodeToString(s.sign());
    }

    @BeforeEach
    void setUp() {
        deployer = newDeployer(ops);
    }

    private Deployer newDeployer(BundleOps bundleOps) {
        JarStore jars = new JarStore(
                state.resolve("bundles"),
                url -> {
                    String body = served.get(url);
                    if (body == null) {
                        throw new FileNotFoundException(url);
                    }
                    downloads++;
                    return new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
                },
                () -> agentKey);
        return new Deployer(bundleOps, jars, state.resolve("bundles.json"), mapper);
    }

    /** A desired bundle whose jar "content" is its version; served by the fake core. */
    private DesiredBundle bundle(String name, String version) throws Exception {
        String sha = sha256(version);
        served.put("/bundles/" + sha, version);
        return new DesiredBundle(
                name, version, sha, version.length(), "/bundles/" + sha, sign(CORE_KEY.getPrivate(), name, sha));
    }

    @Test
    void installsUpdatesUninstallsAndLeavesOthersAlone() throws Exception {
        deployer.apply(List.of(bundle("probe", "1.0"), bundle("extra", "1.0")));
        assertEquals(List.of("install probe", "install extra", "refresh"), ops.log);
        assertEquals("ACTIVE", ops.bundles.get("fleetgate:probe").state());

        ops.log.clear();
        deployer.apply(List.of(bundle("probe", "1.1")));
        assertEquals(List.of("uninstall extra", "update probe", "refresh"), ops.log);
        assertEquals("1.1", ops.content.get("probe"));
        assertTrue(ops.bundles.containsKey("dist:scr.jar"), "bundles of the distribution are never touched");

        ops.log.clear();
        deployer.apply(List.of(bundle("probe", "1.1")));
        assertEquals(List.of(), ops.log, "same list twice: nothing to do");
    }

    @Test
    void refusesAJarWhoseHashDoesNotMatch() throws Exception {
        DesiredBundle good = bundle("probe", "1.0");
        deployer.apply(List.of(good));
        DesiredBundle evil = new DesiredBundle(
                "probe",
                "2.0",
                sha256("2.0"),
                -1,
                "/bundles/evil",
                sign(CORE_KEY.getPrivate(), "probe", sha256("2.0")));
        served.put("/bundles/evil", "tampered");
        ops.log.clear();

        DeployException e = assertThrows(DeployException.class, () -> deployer.apply(List.of(evil)));
        assertTrue(e.getMessage().contains("SHA-256 mismatch"), e.getMessage());
        assertEquals(List.of(), ops.log, "never installed");
        assertEquals("1.0", ops.content.get("probe"), "the last good version keeps running");
        assertFalse(Files.exists(state.resolve("bundles").resolve(evil.sha256() + ".jar")));
        JsonNode status = entry(deployer.status(), "probe");
        assertEquals("ACTIVE", status.get("state").asText());
        assertTrue(status.get("error").asText().contains("SHA-256 mismatch"));
    }

    /** Deploys 1.0, then offers {@code next}: refused before any download, 1.0 keeps running. */
    private void assertRefused(DesiredBundle next, String why) throws Exception {
        deployer.apply(List.of(bundle("probe", "1.0")));
        served.put(next.url(), next.version());
        ops.log.clear();
        int before = downloads;

        DeployException e = assertThrows(DeployException.class, () -> deployer.apply(List.of(next)));
        assertTrue(e.getMessage().contains(why), e.getMessage());
        assertEquals(List.of(), ops.log, "never installed");
        assertEquals(before, downloads, "not even downloaded");
        assertEquals("1.0", ops.content.get("probe"), "the last good version keeps running");
        assertTrue(entry(deployer.status(), "probe").get("error").asText().contains(why), "reported back to the core");
    }

    @Test
    void refusesAnUnsignedBundle() throws Exception {
        String sha = sha256("2.0");
        assertRefused(
                new DesiredBundle("probe", "2.0", sha, 3, "/bundles/" + sha, null), "unsigned bundle probe refused");
    }

    @Test
    void refusesABundleSignedByAnotherKey() throws Exception {
        String sha = sha256("2.0");
        assertRefused(
                new DesiredBundle(
                        "probe",
                        "2.0",
                        sha,
                        3,
                        "/bundles/" + sha,
                        sign(keyPair().getPrivate(), "probe", sha)),
                "invalid signature for bundle probe");
    }

    @Test
    void refusesASignatureOfAnotherJarOrName() throws Exception {
        String sha = sha256("2.0");
        // a genuine signature, replayed for another jar
        assertRefused(
                new DesiredBundle(
                        "probe", "2.0", sha, 3, "/bundles/" + sha, sign(CORE_KEY.getPrivate(), "probe", sha256("1.0"))),
                "invalid signature for bundle probe");
    }

    @Test
    void refusesEverythingWithoutASigningKey() throws Exception {
        DesiredBundle signed = bundle("probe", "1.0");
        agentKey = null;
        DeployException e = assertThrows(DeployException.class, () -> deployer.apply(List.of(signed)));
        assertTrue(e.getMessage().contains("no bundle-signing key"), e.getMessage());
        assertEquals(List.of(), ops.log);
    }

    @Test
    void readsTheSignatureFromTheSection() throws Exception {
        String sha = sha256("1.0");
        JsonNode body = mapper.readTree("{\"bundles\":[{\"symbolicName\":\"probe\",\"sha256\":\"" + sha
                + "\",\"url\":\"/b\",\"signature\":\"" + sign(CORE_KEY.getPrivate(), "probe", sha) + "\"}]}");
        DesiredBundle parsed = DesiredBundle.parse(body).get(0);
        BundleSignature.verify(CORE_KEY.getPublic(), parsed);
        assertThrows(
                IllegalArgumentException.class,
                () -> DesiredBundle.parse(mapper.readTree("{\"bundles\":[{\"symbolicName\":\"p\",\"sha256\":\"" + sha
                        + "\",\"url\":\"/b\",\"signature\":\"<x>\"}]}")));
    }

    @Test
    void reportsBundlesThatDoNotResolveAndGoesOnWithTheOthers() throws Exception {
        ops.unresolvable.add("broken");
        DeployException e = assertThrows(
                DeployException.class, () -> deployer.apply(List.of(bundle("broken", "1.0"), bundle("fine", "1.0"))));
        assertTrue(
                e.getMessage().startsWith("1 of 2 bundle(s) failed: broken: start failed: Unable to resolve"),
                e.getMessage());
        assertEquals(
                "INSTALLED", entry(deployer.status(), "broken").get("state").asText());
        assertEquals("ACTIVE", entry(deployer.status(), "fine").get("state").asText());
        assertTrue(entry(deployer.status(), "fine").get("error").isNull());
    }

    @Test
    void rebuildsAWipedCacheFromItsRecordWithoutDownloading() throws Exception {
        deployer.apply(List.of(bundle("probe", "1.0")));
        int downloadsBefore = downloads;
        served.clear(); // core unreachable

        FakeBundleOps wiped = new FakeBundleOps();
        newDeployer(wiped).restore();
        assertEquals(List.of("install probe", "refresh"), wiped.log);
        assertEquals("ACTIVE", wiped.bundles.get("fleetgate:probe").state());
        assertEquals(downloadsBefore, downloads);
    }

    @Test
    void restoreWithAnIntactCacheChangesNothing() throws Exception {
        deployer.apply(List.of(bundle("probe", "1.0")));
        ops.log.clear();
        newDeployer(ops).restore();
        assertEquals(List.of(), ops.log);
    }

    @Test
    void planSortsDesiredAgainstPresent() throws Exception {
        DesiredBundle a = bundle("a", "1");
        DesiredBundle b = bundle("b", "2");
        DesiredBundle c = bundle("c", "3");
        DeployPlan plan = DeployPlan.of(
                List.of(a, b, c), java.util.Set.of("b", "c", "old"), Map.of("b", b.sha256(), "c", "other"));
        assertEquals(List.of(a), plan.install());
        assertEquals(List.of(c), plan.update());
        assertEquals(List.of(b), plan.unchanged());
        assertEquals(List.of("old"), plan.uninstall());
    }

    @Test
    void rejectsAnInvalidSection() throws Exception {
        assertThrows(
                IllegalArgumentException.class,
                () -> DesiredBundle.parse(
                        mapper.readTree("{\"bundles\":[{\"symbolicName\":\"a\",\"sha256\":\"xyz\",\"url\":\"/u\"}]}")));
        assertThrows(
                IllegalArgumentException.class,
                () -> DesiredBundle.parse(mapper.readTree(
                        "{\"bundles\":[{\"symbolicName\":\"a\",\"sha256\":\"" + sha256("1") + "\",\"url\":\"/u\"},"
                                + "{\"symbolicName\":\"a\",\"sha256\":\"" + sha256("2") + "\",\"url\":\"/v\"}]}")));
        assertEquals(List.of(), DesiredBundle.parse(mapper.readTree("{\"bundles\":[]}")));
    }

    private static JsonNode entry(JsonNode status, String name) {
        for (JsonNode entry : status) {
            if (entry.get("symbolicName").asText().equals(name)) {
                return entry;
            }
        }
        throw new AssertionError(name + " not in " + status);
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
