package dev.fleetgate.proxy;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A page served instead of the given statuses (filled by the pages module).
 *
 * @param statuses    HTTP statuses, 400..599
 * @param contentType e.g. {@code text/html; charset=utf-8}
 * @param body        the rendered page
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ErrorPage(List<Integer> statuses, String contentType, String body) {
    public ErrorPage {
        statuses = Specs.list(statuses);
    }
}
