package dev.fleetgate.agents.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.persistence.testing.MutableClock;

class BundlesIT {
    @RegisterExtension
    static final MigratedDatabase db = new MigratedDatabase();

    @Test
    void uploadAndDeployProduceTheBundlesSection() throws Exception {
        try (Core core = new Core(db.dataSource(), Settings.defaults(), new MutableClock())) {
            Enrolment.Enrolled a = core.enroll("bundles-a");
            Enrolment.Enrolled b = core.enroll("bundles-b");
            core.idle();
            byte[] jar = JarManifestTest.jar("dev.fleetgate.agent.probe;singleton:=true", "0.1.0.SNAPSHOT");
            BundleRepository.Upload up = core.bundles.upload(new ByteArrayInputStream(jar), "admin");
            assertTrue(up.created());
            assertFalse(
                    core.bundles.upload(new ByteArrayInputStream(jar), "admin").created(), "idempotent by sha256");
            String sha = Secrets.sha256Hex(jar);
            assertEquals(sha, up.artifact().sha256());

            core.bundles.deploy(up.artifact().id(), List.of(a.agentId()));
            core.idle();
            JsonNode section = core.sync
                    .syncNow(a.agentId(), a.apiKey(), null)
                    .sections()
                    .get("bundles")
                    .body();
            JsonNode entry = section.get("bundles").get(0);
            assertEquals("dev.fleetgate.agent.probe", entry.get("symbolicName").asText());
            assertEquals("0.1.0.SNAPSHOT", entry.get("version").asText());
            assertEquals(jar.length, entry.get("size").asLong());
            assertEquals(
                    "/api/v1/agents/" + a.agentId() + "/bundles/" + sha,
                    entry.get("url").asText());
            // signed with the key the agent received at enrolment
            assertEquals(a.bundleSigningKey(), section.get("signingKey").asText());
            java.security.Signature v = java.security.Signature.getInstance("Ed25519");
            v.initVerify(java.security.KeyFactory.getInstance("Ed25519")
                    .generatePublic(new java.security.spec.X509EncodedKeySpec(
                            java.util.Base64.getDecoder().decode(a.bundleSigningKey()))));
            v.update(BundleSigner.message("dev.fleetgate.agent.probe", sha));
            assertTrue(
                    v.verify(java.util.Base64.getDecoder()
                            .decode(entry.get("signature").asText())),
                    "signature verifies");
            assertArrayEquals(jar, core.bundles.content(a.agentId(), sha).orElseThrow());
            assertTrue(core.bundles.content(b.agentId(), sha).isEmpty(), "not deployed to b");
            assertEquals(0, bundlesListed(core, b));

            core.bundles.deploy(up.artifact().id(), null);
            core.idle();
            assertEquals(1, bundlesListed(core, b));
            assertTrue(core.bundles.get(up.artifact().id()).orElseThrow().deployedToAll());

            assertEquals(
                    409,
                    assertThrows(
                                    ApiException.class,
                                    () -> core.bundles.delete(up.artifact().id()))
                            .status());
            core.bundles.undeploy(up.artifact().id());
            core.idle();
            assertEquals(0, bundlesListed(core, b));
            core.bundles.delete(up.artifact().id());
            assertTrue(core.bundles.list().isEmpty());
        }
    }

    @Test
    void theFleetWideComputationMatchesThePerAgentOne() throws Exception {
        dev.fleetgate.persistence.testing.MutableClock clock = new dev.fleetgate.persistence.testing.MutableClock();
        try (Core core = new Core(db.dataSource(), Settings.defaults(), clock)) {
            Enrolment.Enrolled a = core.enroll("all-a-" + System.nanoTime());
            Enrolment.Enrolled b = core.enroll("all-b-" + System.nanoTime());
            Enrolment.Enrolled c = core.enroll("all-c-" + System.nanoTime());
            String common = core.bundles
                    .upload(
                            new ByteArrayInputStream(JarManifestTest.jar("dev.fleetgate.bench.common", "1.0.0")),
                            "admin")
                    .artifact()
                    .id();
            core.bundles.deploy(common, null);
            clock.advance(java.time.Duration.ofSeconds(1)); // a later upload
            String newer = core.bundles
                    .upload(
                            new ByteArrayInputStream(JarManifestTest.jar("dev.fleetgate.bench.common", "2.0.0")),
                            "admin")
                    .artifact()
                    .id();
            core.bundles.deploy(newer, List.of(a.agentId()));
            String own = core.bundles
                    .upload(new ByteArrayInputStream(JarManifestTest.jar("dev.fleetgate.bench.own", "1.0.0")), "admin")
                    .artifact()
                    .id();
            core.bundles.deploy(own, List.of(b.agentId()));
            BundlesContributor contributor = new BundlesContributor(core.bundles);
            List<dev.fleetgate.api.AgentInfo> agents = List.of(
                    core.registry.get(a.agentId()).orElseThrow(),
                    core.registry.get(b.agentId()).orElseThrow(),
                    core.registry.get(c.agentId()).orElseThrow());
            java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> all = contributor.computeAll(agents);
            for (dev.fleetgate.api.AgentInfo agent : agents) {
                assertEquals(contributor.compute(agent), all.get(agent.id()), agent.name());
            }
            assertEquals("2.0.0", all.get(a.agentId()).at("/bundles/0/version").asText(), "the newest upload wins");
            assertEquals(2, all.get(b.agentId()).get("bundles").size());
            assertEquals(1, all.get(c.agentId()).get("bundles").size());
            for (String id : List.of(common, newer, own)) { // the other tests of this database see none
                core.bundles.undeploy(id);
                core.bundles.delete(id);
            }
        }
    }

    @Test
    void nonBundlesAreRejected() throws Exception {
        try (Core core = new Core(db.dataSource(), Settings.defaults(), new MutableClock())) {
            byte[] plain = JarManifestTest.jar(null, null);
            assertEquals(
                    400,
                    assertThrows(
                                    ApiException.class,
                                    () -> core.bundles.upload(new ByteArrayInputStream(plain), "admin"))
                            .status());
        }
    }

    /** @return how many bundles the agent's {@code bundles} section lists */
    private static int bundlesListed(Core core, Enrolment.Enrolled agent) throws Exception {
        return core.sync
                .syncNow(agent.agentId(), agent.apiKey(), null)
                .sections()
                .get("bundles")
                .body()
                .get("bundles")
                .size();
    }
}
