package dev.fleetgate.certificates.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.DesiredStateService;
import dev.fleetgate.certificates.CertificateState;
import dev.fleetgate.proxy.ProxySpec;

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

    /**
     * Waits for both sections a token needs: {@code acme} (the token file) and {@code proxy} (the site's
     * {@code acme-challenge} location; without it the CA gets the upstream's answer).
     */
    @Override
    public String awaitServed(Duration timeout) throws InterruptedException {
        Map<String, Long> acme = new HashMap<>(desired.recompute(CertificateState.ACME_SECTION));
        Map<String, Long> proxy = new HashMap<>(desired.recompute(ProxySpec.SECTION));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            acme.entrySet().removeIf(e -> applied(e.getKey(), CertificateState.ACME_SECTION, e.getValue()));
            proxy.entrySet().removeIf(e -> applied(e.getKey(), ProxySpec.SECTION, e.getValue()));
            if (acme.isEmpty() && proxy.isEmpty()) {
                return null;
            }
            if (System.nanoTime() > deadline) {
                return "agents " + acme.keySet() + " " + proxy.keySet() + " did not apply the tokens within "
                        + timeout.toSeconds() + " s";
            }
            Thread.sleep(100); // polling the agents' reports: there is no notification of an applied revision
        }
    }

    private boolean applied(String agentId, String section, long revision) {
        AgentInfo a = agents.get(agentId).orElse(null);
        if (a == null || a.status() != AgentInfo.Status.ONLINE) {
            return true; // an offline agent cannot be waited for; it gets the tokens when it comes back
        }
        DesiredStateService.SectionState s = desired.state(agentId).get(section);
        return s != null && (s.appliedRevision() >= revision || s.failedRevision() >= revision);
    }
}
