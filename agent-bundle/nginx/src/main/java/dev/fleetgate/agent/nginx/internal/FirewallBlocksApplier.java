package dev.fleetgate.agent.nginx.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.agent.AgentContext;
import dev.fleetgate.agent.StateApplier;
import dev.fleetgate.agent.sdk.MetricSink;
import dev.fleetgate.agent.sdk.MetricSource;

/**
 * The {@code firewall-blocks} section (firewall module): {@code {"blocks":[{"ip","serviceId"?,"action":"block"|"limit",
 * "expiresAt"}]}} ({@code expiresAt} in epoch seconds), written to {@code <workDir>/firewall-blocks.json} (0600) and
 * POSTed to nginx's admin {@code /firewall}: the Lua access phase answers 403 ({@code block}) or 429
 * ({@code limit}) to those clients, fleet-wide or on one service, without a reload. A new nginx master restores
 * the file (see the firewall block of {@code fleetgate.lua}); when nginx is not running the file alone is written.
 * Metrics: {@code firewall_blocked_requests_total{service,status}} (requests refused since nginx started).
 */
@Component(
        service = {StateApplier.class, MetricSource.class},
        property = {StateApplier.SECTION + "=firewall-blocks", MetricSource.NAME + "=firewall-blocks"},
        configurationPid = NginxConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class FirewallBlocksApplier implements StateApplier, MetricSource {
    static final String FILE = "firewall-blocks.json";
    static final int MAX_BLOCKS = 100_000;
    private static final Pattern ADDRESS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern SERVICE = Pattern.compile("[0-9a-f-]{36}");
    /** The dict value of a challenge ({@code fleetgate.lua}: a page whose script sets a cookie). */
    static final int CHALLENGE = 1;

    private final Path file;
    private final AdminClient admin;
    private volatile int blocks;
    private volatile boolean loaded;

    @Activate
    public FirewallBlocksApplier(@Reference AgentContext agent, NginxConfiguration config) {
        this(NginxSettings.from(config, agent.stateDir()));
    }

    FirewallBlocksApplier(NginxSettings settings) {
        this.file = settings.workDir().resolve(FILE);
        this.admin = new AdminClient(settings.adminSocket());
    }

    @Override
    public void apply(long revision, JsonNode body) throws Exception {
        JsonNode list = body == null ? null : body.get("blocks");
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        if (list != null && !list.isNull()) {
            if (!list.isArray() || list.size() > MAX_BLOCKS) {
                throw new IllegalArgumentException("firewall-blocks.blocks must be an array of at most " + MAX_BLOCKS);
            }
            for (JsonNode b : list) {
                String ip = b.path("ip").asText("");
                String service =
                        b.path("serviceId").isTextual() ? b.path("serviceId").asText() : null;
                String action = b.path("action").asText("block");
                if (!ADDRESS.matcher(ip).matches()
                        || service != null && !SERVICE.matcher(service).matches()
                        || !b.path("expiresAt").canConvertToLong()
                        || !("block".equals(action) || "limit".equals(action) || "challenge".equals(action))) {
                    throw new IllegalArgumentException("firewall-blocks: refused a malformed block");
                }
                ObjectNode o = out.addObject().put("ip", ip);
                if (service != null) {
                    o.put("serviceId", service);
                }
                o.put("status", "limit".equals(action) ? 429 : "challenge".equals(action) ? CHALLENGE : 403)
                        .put("expiresAt", b.path("expiresAt").asLong());
            }
        }
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.set("blocks", out);
        String json = Spec.JSON.writeValueAsString(doc);
        StateFile.writePrivate(file, json);
        blocks = out.size();
        try {
            AdminClient.Response r = admin.post("/firewall", json);
            if (r.status() != 200) {
                loaded = false;
                throw new IllegalStateException("nginx refused the blocks: " + r.status() + " " + r.body());
            }
            loaded = true;
        } catch (IOException notRunning) {
            loaded = false; // nginx restores the file when it starts
        }
    }

    /** Reads nginx's counts of refused requests ({@code GET /firewall}); nothing when nginx is not running. */
    @Override
    public void collect(MetricSink sink) throws IOException {
        AdminClient.Response r;
        try {
            r = admin.get("/firewall");
        } catch (IOException notRunning) {
            return;
        }
        if (r.status() != 200) {
            throw new IOException("GET /firewall answered " + r.status());
        }
        for (JsonNode row : Spec.JSON.readTree(r.body()).path("blocked")) {
            sink.counter(
                    "firewall_blocked_requests_total",
                    row.path(2).asDouble(),
                    "service",
                    row.path(0).asText(),
                    "status",
                    row.path(1).asText());
        }
    }

    @Override
    public JsonNode status() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("blocks", blocks);
        o.put("loaded", loaded);
        return o;
    }
}
