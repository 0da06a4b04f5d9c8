package dev.fleetgate.agents.internal;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.ApiException;

/**
 * A sync request body split in one streaming pass: the report without its {@code metrics}
 * array (a small tree), and the array's place in the raw bytes, handed to the metrics sink
 * as it came ({@link dev.fleetgate.api.MetricsSink#acceptJson}) — a batch of 100,000 points
 * is never built as a tree. A {@code metrics} value that is not an array stays in the tree
 * (the report's validation refuses it).
 *
 * @param report        the body without an array {@code metrics} (null for an empty body)
 * @param raw           the request bytes
 * @param metricsOffset where the {@code metrics} array starts in {@code raw} (-1: none or empty)
 * @param metricsLength its length in bytes
 */
public record SyncBody(JsonNode report, byte[] raw, int metricsOffset, int metricsLength) {
    /** The REST host's limits for JSON bodies (nesting, string, name and number lengths). */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(200)
                    .maxStringLength(32 * 1024 * 1024)
                    .maxNameLength(1024)
                    .maxNumberLength(100)
                    .build())
            .build();

    static {
        FACTORY.setCodec(Json.MAPPER);
    }

    /** A body already parsed as a tree (tests, embedding): metrics stay in the tree. */
    public static SyncBody of(JsonNode body) {
        return new SyncBody(body, null, -1, 0);
    }

    public boolean hasRawMetrics() {
        return metricsOffset >= 0;
    }

    /** @throws ApiException 400 when the body is not JSON */
    public static SyncBody parse(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return new SyncBody(null, bytes, -1, 0);
        }
        int[] span = MetricsSpan.find(bytes);
        if (span != null) { // the report alone through Jackson: the body with the array left empty
            byte[] rest = new byte[bytes.length - (span[1] - span[0]) + 2];
            System.arraycopy(bytes, 0, rest, 0, span[0]);
            rest[span[0]] = '[';
            rest[span[0] + 1] = ']';
            System.arraycopy(bytes, span[1], rest, span[0] + 2, bytes.length - span[1]);
            return new SyncBody(tokens(rest).report(), bytes, span[0], span[1] - span[0]);
        }
        return tokens(bytes);
    }

    /** The body split by Jackson's tokenizer (every shape of JSON, and its errors). */
    static SyncBody tokens(byte[] bytes) {
        try (JsonParser p = FACTORY.createParser(bytes)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return new SyncBody(null, bytes, -1, 0);
            }
            if (first != JsonToken.START_OBJECT) {
                JsonNode other = p.readValueAsTree();
                end(p);
                return new SyncBody(other, bytes, -1, 0);
            }
            ObjectNode report = Json.MAPPER.createObjectNode();
            int offset = -1;
            int length = 0;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if ("metrics".equals(field) && v == JsonToken.START_ARRAY) {
                    long start = p.currentTokenLocation().getByteOffset();
                    boolean empty = p.nextToken() == JsonToken.END_ARRAY;
                    if (!empty) {
                        p.skipChildren(); // the first element
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            p.skipChildren();
                        }
                    }
                    long end = p.currentLocation().getByteOffset();
                    report.remove(field);
                    offset = empty ? -1 : (int) start;
                    length = empty ? 0 : (int) (end - start);
                } else {
                    if ("metrics".equals(field)) {
                        offset = -1;
                        length = 0;
                    }
                    report.set(field, p.readValueAsTree());
                }
            }
            end(p);
            return new SyncBody(report, bytes, offset, length);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.invalid("", "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.invalid("", "malformed JSON");
        }
    }

    private static void end(JsonParser p) throws IOException {
        if (p.nextToken() != null) {
            throw ApiException.invalid("", "malformed JSON: content after the end of the body");
        }
    }
}
