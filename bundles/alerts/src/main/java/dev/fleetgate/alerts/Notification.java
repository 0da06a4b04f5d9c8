package dev.fleetgate.alerts;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One message to send.
 *
 * @param event    {@code opened}, {@code resolved}, {@code repeat} or {@code test}
 * @param title    a one-line summary (the e-mail subject): the first line of the rendered template
 * @param text     the rendered template, title included
 * @param incident the incident as the REST API shows it (for structured channels such as webhooks)
 */
public record Notification(String event, String title, String text, ObjectNode incident) {}
