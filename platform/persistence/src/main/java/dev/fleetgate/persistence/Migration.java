package dev.fleetgate.persistence;

/**
 * One versioned schema change of a module.
 *
 * @param version     strictly increasing per module, from 1
 * @param description short text, from the file name
 * @param sql         the statements, run in one transaction
 */
public record Migration(int version, String description, String sql) {}
