package dev.fleetgate.certificates.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.DesiredStateService;
import dev.fleetgate.api.TaskService;
import dev.fleetgate.api.TaskStatus;
import dev.fleetgate.api.TaskView;
import dev.fleetgate.proxy.ProxySpec;
import dev.fleetgate.proxy.ServiceDirectory;

/**
 * After a certificate is deployed, asks each online agent of its service (and each online edge agent, which
 * serves it too) which certificate its nginx presents
 * for the name (task {@code tls.served}: a TLS handshake with SNI from the agent itself) and compares the serial.
 * All equal: the version is recorded as served. Otherwise, once the deployment had a minute, the difference is
 * recorded and {@code certificate.served.mismatch} fires (cleared when they match again).
 */
final class ServedCheck {
    static final String KIND = "certificate.served.mismatch";
    private static final Duration RECHECK = Duration.ofSeconds(10);
    private static final Duration GRACE = Duration.ofSeconds(60);

    private final CertificateStore store;
    private final ServiceDirectory services;
    private final AgentDirectory agents;
    private final DesiredStateService desired;
    private final TaskService tasks;
    private final BiConsumer<StoredCertificate, String> result;

    /** @param result called with the certificate and null (served everywhere) or what differs */
    ServedCheck(
            CertificateStore store,
            ServiceDirectory services,
            AgentDirectory agents,
            DesiredStateService desired,
            TaskService tasks,
            BiConsumer<StoredCertificate, String> result) {
        this.store = store;
        this.services = services;
        this.agents = agents;
        this.desired = desired;
        this.tasks = tasks;
        this.result = result;
    }

    /** Checks every deployed certificate whose current version is not confirmed yet. */
    void run() throws InterruptedException {
        Instant now = Instant.now();
        for (StoredCertificate c : store.list()) {
            if (c.serviceId() != null
                    && c.certPem() != null
                    && c.servedVersion() != c.version()
                    && (c.servedCheckedAt() == null
                            || c.servedCheckedAt().plus(RECHECK).isBefore(now))) {
                check(c, now);
            }
        }
    }

    /**
     * The agents whose nginx serves the service's HTTPS: those it is placed on, and every edge agent when it is
     * placed somewhere (an edge gets a site, with the service's TLS, for each service placed on other agents).
     */
    List<String> servers(ServiceDirectory.ServiceInfo svc) {
        List<String> out = new ArrayList<>(svc.agentIds());
        if (!svc.agentIds().isEmpty()) {
            for (AgentInfo a : agents.list()) {
                if (a.role() == AgentInfo.Role.EDGE && !out.contains(a.id())) {
                    out.add(a.id());
                }
            }
        }
        return out;
    }

    void check(StoredCertificate c, Instant now) throws InterruptedException {
        Optional<ServiceDirectory.ServiceInfo> svc =
                services.service(c.serviceId().toString());
        if (svc.isEmpty() || c.domains().isEmpty()) {
            return;
        }
        String first = c.domains().get(0);
        String name = first.startsWith("*.") ? "fleetgate-check." + first.substring(2) : first;
        List<String> online = new ArrayList<>();
        for (String agentId : servers(svc.get())) {
            AgentInfo a = agents.get(agentId).orElse(null);
            if (a == null || a.status() != AgentInfo.Status.ONLINE) {
                continue;
            }
            DesiredStateService.SectionState s = desired.state(agentId).get(ProxySpec.SECTION);
            if (s == null || s.phase() != DesiredStateService.SectionState.Phase.APPLIED) {
                return; // not deployed everywhere yet
            }
            online.add(agentId);
        }
        List<String> differences = new ArrayList<>();
        for (String agentId : online) {
            TaskView t = tasks.submit(
                    agentId,
                    "tls.served",
                    JsonNodeFactory.instance.objectNode().put("serverName", name),
                    Duration.ofSeconds(30));
            Optional<TaskView> done = tasks.await(t.id(), Duration.ofSeconds(15));
            if (done.isEmpty() || done.get().status() != TaskStatus.SUCCEEDED) {
                differences.add(
                        "agent " + agentId + ": " + done.map(TaskView::error).orElse("no answer"));
            } else if (!String.valueOf(c.serial())
                    .equals(done.get().result().path("serial").asText())) {
                differences.add("agent " + agentId + " serves serial "
                        + done.get().result().path("serial").asText() + " for " + name + ", expected " + c.serial());
            }
        }
        if (differences.isEmpty()) {
            store.servedChecked(c.id(), c.version(), null);
            result.accept(c, null);
        } else if (c.updatedAt().plus(GRACE).isBefore(now)) {
            String error = String.join("; ", differences);
            store.servedChecked(c.id(), c.version(), error);
            result.accept(c, error);
        }
    }
}
