package dev.fleetgate.agents.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.fleetgate.api.ApiException;

class SyncReportTest {

    @Test
    void parsesTheProtocolExampleAndIgnoresUnknownFields() {
        SyncReport r = SyncReport.parse(Json.parse("""
                {"version":"0.1.0","hostname":"web-1.lan","address":"127.0.0.1","future":1,
                 "applied":{"bundles":{"revision":3,"error":null},"proxy":{"revision":5,"error":"nginx: [emerg]"}},
                 "taskResults":[{"id":"6F9619FF-8B86-D011-B42D-00C04FC964FF","status":"SUCCEEDED","result":{"x":1}}],
                 "metrics":[{"name":"m"}],"status":{"bundles":[]}}"""));
        assertEquals(Map.of("bundles", 3L, "proxy", 5L), r.reportedRevisions());
        assertEquals("nginx: [emerg]", r.applied().get("proxy").error());
        assertEquals(
                "6f9619ff-8b86-d011-b42d-00c04fc964ff", r.taskResults().get(0).id());
        assertEquals("127.0.0.1", r.address());
    }

    @Test
    void emptyBodyIsAnEmptyReport() {
        assertTrue(SyncReport.parse(null).applied().isEmpty());
    }

    @Test
    void malformedFieldsAreRejectedWithTheirPath() {
        ApiException e = assertThrows(
                ApiException.class,
                () -> SyncReport.parse(
                        Json.parse(
                                "{\"applied\":{\"proxy\":{\"revision\":\"x\"}},\"taskResults\":[{\"id\":\"nope\",\"status\":\"SUCCEEDED\"}]}")));
        assertEquals(400, e.status());
        assertEquals("applied.proxy.revision", e.errors().get(0).field());
        assertEquals("taskResults[0].id", e.errors().get(1).field());
    }
}
