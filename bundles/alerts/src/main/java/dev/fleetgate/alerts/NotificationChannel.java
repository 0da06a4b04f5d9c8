package dev.fleetgate.alerts;

import java.util.List;
import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.FieldError;

/**
 * Whiteboard service: one notification channel type. The module stores each configured channel's
 * settings (the fields named by {@link #secretFields()} sealed with the core's SecretBox and never
 * returned by the API), renders the message from the channel type's template, and calls
 * {@link #send} from its delivery outbox, at most once per delivery across all cores (see the
 * module's README), with retries and a per-channel rate limit.
 */
@ConsumerType
public interface NotificationChannel {

    /** @return the type name used in the API, e.g. {@code telegram} (lower case, unique) */
    String type();

    /** @return the settings fields that hold secrets: stored sealed, write-only in the API */
    Set<String> secretFields();

    /**
     * @param settings the settings as the API received them, secrets in clear (for an update
     *                 without a secret, the stored secret is filled in before)
     * @return what is wrong, with fields as {@code settings.<name>}; empty when valid
     */
    List<FieldError> validate(ObjectNode settings);

    /**
     * Sends one message. Must time out by itself (a few seconds) and not retry: the module retries.
     *
     * @param settings the channel's settings with the secrets in clear
     * @param message  what to send
     * @throws DeliveryException when not delivered
     */
    void send(ObjectNode settings, Notification message) throws DeliveryException;
}
