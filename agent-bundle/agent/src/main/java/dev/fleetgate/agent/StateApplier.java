package dev.fleetgate.agent;

import org.osgi.annotation.versioning.ConsumerType;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Applies one section of the desired state sent by the core (whiteboard service).
 *
 * <p>Register it with the service property {@value #SECTION} set to the section name, for
 * example {@code @Component(property = StateApplier.SECTION + "=proxy")}. The runtime calls
 * {@link #apply} serially for a section (never concurrently with itself), with the newest
 * revision only: intermediate revisions may be skipped. A section received before its
 * applier is registered is kept and applied when the applier appears.
 *
 * <p>The body is the <em>whole</em> desired state of the section (level-triggered):
 * applying the same body twice must be harmless.
 */
@ConsumerType
public interface StateApplier {

    /** Service property naming the section this applier handles. */
    String SECTION = "fleetgate.section";

    /**
     * Makes the host match the desired state of the section.
     *
     * @param revision the section's revision
     * @param body     the section's desired state
     * @throws Exception the revision is reported failed with the exception's message; the
     *                   applier must then keep the last good state running
     */
    void apply(long revision, JsonNode body) throws Exception;

    /**
     * The current state of this section on the host, reported to the core on every sync as
     * {@code status.<section>}.
     *
     * @return a small JSON value, or {@code null} to report nothing
     */
    default JsonNode status() {
        return null;
    }
}
