package dev.fleetgate.agents.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import dev.fleetgate.api.Topics;
import dev.fleetgate.persistence.Database;
import dev.fleetgate.persistence.Jdbc;
import dev.fleetgate.persistence.SchemaMigrator;

/**
 * The containers each agent last reported ({@code status.containers.containers}, every
 * container of the host), from the sync reports on EventAdmin {@value Topics#AGENT_REPORT}.
 * Stored in PostgreSQL so every core answers alike, but written only when an agent's list
 * differs from what this core last saw: a sync that changes nothing writes nothing. The
 * write happens on the event thread, never in the sync request.
 */
@Component(
        service = {EventHandler.class, ContainerInventory.class},
        property = EventConstants.EVENT_TOPIC + "=" + Topics.AGENT_REPORT)
public final class ContainerInventory implements EventHandler {
    public static final String MODULE = "agents-containers";
    public static final String FOLDER = "db/agents-containers";
    /** More containers than this on one host are cut from the stored list. */
    static final int MAX_CONTAINERS = 2000;

    private static final Logger LOG = LoggerFactory.getLogger(ContainerInventory.class);

    private final DataSource dataSource;
    private final Clock clock;
    private final Map<String, JsonNode> last = new ConcurrentHashMap<>();

    @Activate
    public ContainerInventory(
            @Reference(target = Database.TARGET) DataSource dataSource,
            @Reference AgentsSchema schema,
            @Reference SchemaMigrator migrator,
            BundleContext context) {
        this(dataSource, Clock.systemUTC());
        migrator.migrate(MODULE, context.getBundle(), FOLDER);
    }

    /** For tests: the schema must exist. */
    ContainerInventory(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    @Override
    public void handleEvent(Event event) {
        if (event.getProperty("agentId") instanceof String agentId
                && event.getProperty("status") instanceof JsonNode status) {
            JsonNode list = status.path("containers").path("containers");
            if (list.isArray()) {
                try {
                    record(agentId, list);
                } catch (RuntimeException e) {
                    LOG.warn("Could not store the containers of agent {}: {}", agentId, e.getMessage());
                }
            }
        }
    }

    /** Stores the agent's list when it differs from the last one seen here; @return whether it wrote */
    public boolean record(String agentId, JsonNode containers) {
        Optional<UUID> id = Ids.parse(agentId);
        if (id.isEmpty() || containers == null || !containers.isArray()) {
            return false;
        }
        JsonNode list = bounded(containers);
        if (Objects.equals(last.get(agentId), list)) {
            return false;
        }
        Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO agent_container_status (agent_id, body,"
                    + " updated_at) SELECT ?, ?::jsonb, ? WHERE EXISTS (SELECT 1 FROM agents WHERE id = ?)"
                    + " ON CONFLICT (agent_id) DO UPDATE SET body = EXCLUDED.body, updated_at = EXCLUDED.updated_at")) {
                ps.setObject(1, id.get());
                SqlJson.setJson(ps, 2, list);
                Jdbc.setInstant(ps, 3, clock.instant());
                ps.setObject(4, id.get());
                return ps.executeUpdate();
            }
        });
        last.put(agentId, list);
        return true;
    }

    /** @return the agent's last reported containers, or an empty array when none were reported */
    public JsonNode containers(String agentId) {
        Optional<UUID> id = Ids.parse(agentId);
        if (id.isEmpty()) {
            return Json.MAPPER.createArrayNode();
        }
        JsonNode stored = Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT body FROM agent_container_status WHERE agent_id = ?")) {
                ps.setObject(1, id.get());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? SqlJson.json(rs, "body") : null;
                }
            }
        });
        return stored == null || !stored.isArray() ? Json.MAPPER.createArrayNode() : stored;
    }

    private static JsonNode bounded(JsonNode containers) {
        if (containers.size() <= MAX_CONTAINERS) {
            return containers.deepCopy();
        }
        ArrayNode cut = Json.MAPPER.createArrayNode();
        for (int i = 0; i < MAX_CONTAINERS; i++) {
            cut.add(containers.get(i).deepCopy());
        }
        return cut;
    }
}
