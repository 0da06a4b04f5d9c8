package dev.fleetgate.agents.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The agent's install script and the one-line command that runs it. Every value embedded in the
 * script is checked against a pattern of characters that mean nothing to a shell (and is
 * single-quoted besides): a value that does not match is refused, never escaped.
 */
public final class InstallScript {
    /** {@code https://host:port} with a DNS name, an IPv4 address or a bracketed IPv6 address. */
    static final Pattern CORE = Pattern.compile("https://([A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\]):[0-9]{1,5}");

    static final Pattern PIN = Pattern.compile("sha256//[A-Za-z0-9+/]{43}=");
    static final Pattern FINGERPRINT = Pattern.compile("sha256:[0-9a-f]{64}");
    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final String TEMPLATE = "install.sh";

    /**
     * @param core        the core's HTTPS URL the host reaches it by
     * @param pin         curl's pin of the core's public key ({@link CoreCertificate#publicKeyPin()})
     * @param fingerprint the certificate's SHA-256 the agent pins ({@link CoreCertificate#fingerprint()})
     * @param sha256      the agent distribution's SHA-256
     * @param token       the enrolment token, or null (the script then takes {@code FLEETGATE_AGENT_TOKEN})
     * @param name        the token's agent name, or null
     */
    public record Values(String core, String pin, String fingerprint, String sha256, String token, String name) {
        public Values {
            check("core", core, CORE);
            check("pin", pin, PIN);
            check("fingerprint", fingerprint, FINGERPRINT);
            check("sha256", sha256, SHA256);
            if (token != null) {
                check("token", token, Enrolment.TOKEN);
            }
            if (name != null) {
                check("name", name, Enrolment.NAME);
            }
        }
    }

    private InstallScript() {}

    private static void check(String what, String value, Pattern pattern) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " is not shell-safe: must match " + pattern.pattern());
        }
    }

    /** @return the install script for these values */
    public static String render(Values v) {
        String template;
        try (InputStream in = InstallScript.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException(TEMPLATE + " is missing from the bundle");
            }
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return template.replace("@CORE@", v.core())
                .replace("@PIN@", v.pin())
                .replace("@FINGERPRINT@", v.fingerprint())
                .replace("@SHA256@", v.sha256())
                .replace("@TOKEN@", v.token() == null ? "" : v.token())
                .replace("@NAME@", v.name() == null ? "" : v.name());
    }

    /**
     * @return the one-line command a new host runs: fetches the script with the token, pinned to the core's key
     */
    public static String command(String core, String pin, String token) {
        check("core", core, CORE);
        check("pin", pin, PIN);
        check("token", token, Enrolment.TOKEN);
        return "curl -fsSk --pinnedpubkey '" + pin + "' '" + core + "/api/v1/agents/install.sh?token=" + token
                + "' | sudo sh";
    }
}
