package dev.fleetgate.rest.internal;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.fleetgate.api.FieldError;

/** An RFC 7807 problem document; {@code errors} only appears when there are field errors. */
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<FieldError> errors) {}
