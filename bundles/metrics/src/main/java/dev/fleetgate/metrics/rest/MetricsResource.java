package dev.fleetgate.metrics.rest;

import java.util.List;
import java.util.Map;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.UriInfo;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.RestResource;
import dev.fleetgate.metrics.internal.Exposition;
import dev.fleetgate.metrics.internal.Json;
import dev.fleetgate.metrics.internal.MetricsStorage;
import dev.fleetgate.metrics.internal.QueryEngine;
import dev.fleetgate.metrics.internal.QueryParams;
import dev.fleetgate.metrics.internal.Summaries;

/**
 * {@code /api/v1/metrics}: range queries, names, top-N, latest values, and the Prometheus
 * text (also served at the root {@code /metrics}). Reads only: any signed-in user.
 */
@Component(service = RestResource.class)
@Path("metrics")
@Produces(MediaType.APPLICATION_JSON)
public final class MetricsResource implements RestResource {
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final MetricsStorage storage;
    private final QueryEngine engine;
    private final Summaries summaries;
    private final Exposition exposition;

    @Activate
    public MetricsResource(@Reference MetricsStorage storage, @Reference Exposition exposition) {
        this.storage = storage;
        this.engine = new QueryEngine(storage);
        this.summaries = new Summaries(storage);
        this.exposition = exposition;
    }

    /** The Prometheus exposition, with a user token (the root {@code /metrics} also takes the scrape token). */
    @GET
    @Produces(PROMETHEUS_TEXT)
    public String exposition() {
        return exposition.render();
    }

    @GET
    @Path("query")
    public ObjectNode query(@Context UriInfo uri) {
        QueryParams.Range q = QueryParams.range(params(uri), storage.clock().millis(), storage.settings());
        List<QueryEngine.Series> series = engine.query(q);
        ObjectNode out = Json.object();
        out.put("name", q.name())
                .put("from", q.from())
                .put("to", q.to())
                .put("step", q.step())
                .put("agg", q.agg().label())
                .put("resolution", q.resolution().label());
        ArrayNode list = out.putArray("series");
        for (QueryEngine.Series s : series) {
            ObjectNode o = list.addObject().put("name", s.name());
            labels(o.putObject("labels"), s.labels());
            ArrayNode points = o.putArray("points");
            for (double[] p : s.points()) {
                points.addArray().add((long) p[0]).add(p[1]);
            }
        }
        return out;
    }

    @GET
    @Path("names")
    public ObjectNode names() {
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("names");
        for (QueryEngine.NameInfo n : summaries.names()) {
            ObjectNode o = list.addObject().put("name", n.name()).put("series", n.series());
            n.labels().forEach(o.putArray("labels")::add);
        }
        return out;
    }

    @GET
    @Path("top")
    public ObjectNode top(@Context UriInfo uri) {
        QueryParams.Top q = QueryParams.top(params(uri), storage.clock().millis(), storage.settings());
        ObjectNode out = Json.object();
        out.put("name", q.name())
                .put("by", q.by())
                .put("from", q.from())
                .put("to", q.to())
                .put("agg", q.agg().label())
                .put("resolution", q.resolution().label());
        items(out.putArray("items"), summaries.top(q));
        return out;
    }

    @GET
    @Path("latest")
    public ObjectNode latest(@Context UriInfo uri) {
        QueryParams.Latest q = QueryParams.latest(params(uri), storage.settings());
        ObjectNode out = Json.object();
        out.put("name", q.name());
        if (q.by() != null) {
            out.put("by", q.by());
        }
        items(out.putArray("items"), summaries.latest(q));
        return out;
    }

    private static void items(ArrayNode list, List<QueryEngine.Item> items) {
        for (QueryEngine.Item i : items) {
            ObjectNode o = list.addObject();
            labels(o.putObject("labels"), i.labels());
            o.put("value", i.value());
            if (i.timestamp() != null) {
                o.put("timestamp", i.timestamp());
            }
            o.put("series", i.series());
        }
    }

    private static void labels(ObjectNode o, Map<String, String> labels) {
        labels.forEach(o::put);
    }

    private static Map<String, List<String>> params(UriInfo uri) {
        return uri.getQueryParameters();
    }
}
