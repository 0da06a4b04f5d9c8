package dev.fleetgate.api.alerts;

import java.util.Locale;

/** How bad an alert is. The wire form is the lower-case name. */
public enum Severity {
    INFO,
    WARNING,
    CRITICAL;

    /** @return the wire form, e.g. {@code critical} */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param text a wire form, any case
     * @return the severity, or null when {@code text} is not one
     */
    public static Severity parse(String text) {
        if (text == null) {
            return null;
        }
        for (Severity s : values()) {
            if (s.name().equalsIgnoreCase(text)) {
                return s;
            }
        }
        return null;
    }
}
