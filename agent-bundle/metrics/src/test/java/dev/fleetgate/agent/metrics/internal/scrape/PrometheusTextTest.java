package dev.fleetgate.agent.metrics.internal.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    static final String EXPOSITION = """
            # HELP http_requests_total The total number of HTTP requests.
            # TYPE http_requests_total counter
            http_requests_total{method="post",code="200"} 1027 1395066363000
            http_requests_total{method="post",code="400"}    3 1395066363000

            # Escaping in label values:
            msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9
            metric_without_timestamp_and_labels 12.47
            # A weird metric from before the epoch:
            something_weird{problem="division by zero"} +Inf -3982045
            # TYPE http_request_duration_seconds histogram
            http_request_duration_seconds_bucket{le="0.05"} 24054
            http_request_duration_seconds_bucket{le="0.1"} 33444
            http_request_duration_seconds_bucket{le="+Inf"} 144320
            http_request_duration_seconds_sum 53423
            http_request_duration_seconds_count 144320
            # TYPE rpc_duration_seconds summary
            rpc_duration_seconds{quantile="0.5"} 4773
            go_gc_duration_seconds{quantile="0"} NaN
            this is not a sample
            """;

    @Test
    void parsesTheReferenceExample() {
        PrometheusText.Result result = PrometheusText.parse(EXPOSITION);
        List<PrometheusText.Sample> samples = result.samples();
        assertEquals(
                new PrometheusText.Sample("http_requests_total", Map.of("method", "post", "code", "200"), 1027),
                samples.get(0));
        assertEquals(3, samples.get(1).value());
        assertEquals(
                Map.of("path", "C:\\DIR\\FILE.TXT", "error", "Cannot find file:\n\"FILE.TXT\""),
                samples.get(2).labels());
        assertEquals(1.458255915e9, samples.get(2).value());
        assertEquals(new PrometheusText.Sample("metric_without_timestamp_and_labels", Map.of(), 12.47), samples.get(3));
        // +Inf and NaN values are skipped; each bucket, _sum and _count is its own series
        assertEquals(
                List.of(
                        "http_request_duration_seconds_bucket",
                        "http_request_duration_seconds_bucket",
                        "http_request_duration_seconds_bucket",
                        "http_request_duration_seconds_sum",
                        "http_request_duration_seconds_count",
                        "rpc_duration_seconds"),
                samples.subList(4, samples.size()).stream()
                        .map(PrometheusText.Sample::name)
                        .toList());
        assertEquals(Map.of("le", "+Inf"), samples.get(6).labels());
        assertEquals(144320, samples.get(6).value());
        assertEquals(1, result.invalidLines(), "the line that is no sample");
    }

    @Test
    void rejectsBadNamesAndLabels() {
        PrometheusText.Result result = PrometheusText.parse("""
                1bad 1
                ok{__reserved="x"} 2
                ok{unterminated="x} 3
                ok{a="1",} 4
                """);
        assertEquals(List.of(new PrometheusText.Sample("ok", Map.of("a", "1"), 4)), result.samples());
        assertEquals(3, result.invalidLines());
    }
}
