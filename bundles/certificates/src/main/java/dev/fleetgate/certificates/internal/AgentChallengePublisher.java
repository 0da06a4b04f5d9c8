package dev.fleetgate.certificates.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.DesiredStateService;
import dev.fleetgate.certificates.CertificateState;

/**
 * http-01 through the agents: tokens go to the database (shared by every core), every agent gets them in its
 * {@code acme} section and serves them at {@code /.well-known/acme-challenge/} of every site; propagation is
 * waiting until each online agent applied the section revision that carries them.
 */
final class AgentChallengePublisher implements ChallengePublisher {
    private final CertificateStore store;
    private final DesiredStateService desired;
    private final AgentDirectory agents;

    AgentChallengePublisher(CertificateStore store, DesiredStateService desired, AgentDirectory agents) {
        this.store = store;
        this.desired = desired;
        this.agents = agents;
    }

    @Override
    public void publish(UUID certificateId, String domain, String token, String keyAuthorization) {
        store.addChallenge(token, keyAuthorization, certificateId, domain);
    }

    @Override
    public String awaitServed(Duration timeout) throws InterruptedException {
        Map<String, Long> revisions = new HashMap<>(desired.recompute(CertificateState.ACME_SECTION));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            revisions.entrySet().removeIf(e -> applied(e.getKey(), e.getValue()));
            if (revisions.isEmpty()) {
                return null;
            }
            if (System.nanoTime() > deadline) {
                return "agents " + revisions.keySet() + " did not apply the tokens within " + timeout.toSeconds() + " s";
            }
            Thread.sleep(100); // polling the agents' reports: there is no notification of an applied revision
        }
    }

    private boolean applied(String agentId, long revision) {
        AgentInfo a = agents.get(agentId).orElse(null);
        if (a == null || a.status() != AgentInfo.Status.ONLINE) {
            return true; // an offline agent cannot be waited for; it gets the tokens when it comes back
        }
        DesiredStateService.SectionState s = desired.state(agentId).get(CertificateState.ACME_SECTION);
        return s != null && (s.appliedRevision() >= revision || s.failedRevision() >= revision);
    }
}
