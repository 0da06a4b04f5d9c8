package dev.fleetgate.metrics.internal;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.DesiredStateContributor;
import dev.fleetgate.api.DesiredStateService;

/**
 * The {@code metrics} section of every agent's desired state:
 * {@code {"intervalSeconds", "scrapes": [{"serviceId", "serviceName", "format", "path",
 * "intervalSeconds", "targets": [{"host", "port"}]}]}} — the scrapes of the services placed
 * on that agent, with their static targets (the agent adds container replicas).
 */
@Component(
        service = DesiredStateContributor.class,
        configurationPid = MetricsConfig.PID,
        property = DesiredStateContributor.SECTION + "=" + MetricsStateContributor.SECTION)
public final class MetricsStateContributor implements DesiredStateContributor {
    public static final String SECTION = "metrics";

    private final ScrapeStore store;
    private final int intervalSeconds;
    private volatile ServiceCatalog catalog;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile DesiredStateService desiredState;

    @Activate
    public MetricsStateContributor(@Reference ScrapeStore store, MetricsConfig config) {
        this(store, Settings.of(config).intervalSeconds());
    }

    MetricsStateContributor(ScrapeStore store, int intervalSeconds) {
        this.store = store;
        this.intervalSeconds = intervalSeconds;
    }

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unsetCatalog")
    void setCatalog(ServiceCatalog catalog) {
        this.catalog = catalog;
        signal();
    }

    void unsetCatalog(ServiceCatalog catalog) {
        if (this.catalog == catalog) {
            this.catalog = null;
            signal();
        }
    }

    @Override
    public JsonNode compute(AgentInfo agent) {
        return computeAll(List.of(agent)).get(agent.id());
    }

    @Override
    public Map<String, JsonNode> computeAll(List<AgentInfo> agents) {
        ServiceCatalog c = catalog;
        List<ScrapeStore.Scrape> scrapes = store.list();
        Map<String, ServiceCatalog.Service> services = c == null || scrapes.isEmpty()
                ? Map.of()
                : c.services().stream().collect(Collectors.toMap(ServiceCatalog.Service::id, Function.identity()));
        List<ScrapeStore.Scrape> known = scrapes.stream()
                .filter(s -> services.containsKey(s.serviceId()))
                .sorted(Comparator.comparing(
                        (ScrapeStore.Scrape s) -> services.get(s.serviceId()).name()))
                .toList();
        Map<String, JsonNode> out = new HashMap<>();
        for (AgentInfo agent : agents) {
            ObjectNode section = Json.object().put("intervalSeconds", intervalSeconds);
            ArrayNode list = section.putArray("scrapes");
            for (ScrapeStore.Scrape s : known) {
                ServiceCatalog.Service svc = services.get(s.serviceId());
                if (!svc.agentIds().contains(agent.id())) {
                    continue;
                }
                ObjectNode o = list.addObject()
                        .put("serviceId", s.serviceId())
                        .put("serviceName", svc.name())
                        .put("format", s.format())
                        .put("path", s.path())
                        .put("intervalSeconds", s.intervalSeconds());
                ArrayNode targets = o.putArray("targets");
                svc.targets()
                        .forEach(t -> targets.addObject().put("host", t.host()).put("port", t.port()));
            }
            out.put(agent.id(), section);
        }
        return out;
    }

    private void signal() {
        DesiredStateService d = desiredState;
        if (d != null) {
            d.changed(SECTION);
        }
    }
}
