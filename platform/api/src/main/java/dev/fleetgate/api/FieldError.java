package dev.fleetgate.api;

/**
 * One invalid input field.
 *
 * @param field   the JSON path of the field, e.g. {@code upstream.targets[0].port}
 * @param message what is wrong with it, for a person
 */
public record FieldError(String field, String message) {}
