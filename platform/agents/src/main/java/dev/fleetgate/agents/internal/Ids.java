package dev.fleetgate.agents.internal;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Id parsing: ids are UUIDs in canonical lower-case text. */
public final class Ids {
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Ids() {}

    /** @return the UUID, or empty when {@code text} is not one */
    public static Optional<UUID> parse(String text) {
        if (text == null || !UUID_TEXT.matcher(text).matches()) {
            return Optional.empty();
        }
        return Optional.of(UUID.fromString(text));
    }

    /** @return the canonical text of the id, or empty when {@code text} is not a UUID */
    public static Optional<String> canonical(String text) {
        return parse(text).map(UUID::toString);
    }
}
