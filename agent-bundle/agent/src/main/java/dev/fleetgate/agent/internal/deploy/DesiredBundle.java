package dev.fleetgate.agent.internal.deploy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One entry of the {@code bundles} section: a bundle this agent should run.
 *
 * @param symbolicName its symbolic name; the bundle is installed with location {@code fleetgate:<symbolicName>}
 * @param version      its version (informative)
 * @param sha256       the SHA-256 of the jar, lower-case hex
 * @param size         the jar's size in bytes, or -1 when unknown
 * @param url          where to download it, relative to the core URL
 * @param signature    the core's Ed25519 signature of {@link BundleSignature#message}, base64, or {@code null}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DesiredBundle(
        String symbolicName, String version, String sha256, long size, String url, String signature) {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    /**
     * Reads the section body {@code {"bundles":[...]}}.
     *
     * @throws IllegalArgumentException when an entry is invalid or a symbolic name is listed twice
     */
    public static List<DesiredBundle> parse(JsonNode body) {
        List<DesiredBundle> list = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonNode entry : body.path("bundles")) {
            String name = entry.path("symbolicName").asText("");
            String sha = entry.path("sha256").asText("").toLowerCase(Locale.ROOT);
            String url = entry.path("url").asText("");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("invalid symbolicName: '" + name + "'");
            }
            if (!SHA256.matcher(sha).matches()) {
                throw new IllegalArgumentException("invalid sha256 for " + name);
            }
            if (url.isEmpty()) {
                throw new IllegalArgumentException("no url for " + name);
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException(name + " is listed twice");
            }
            String signature = entry.path("signature").asText(null);
            if (signature != null && (signature.length() > 200 || !signature.matches("[A-Za-z0-9+/=]*"))) {
                throw new IllegalArgumentException("invalid signature for " + name);
            }
            list.add(new DesiredBundle(
                    name,
                    entry.path("version").asText(""),
                    sha,
                    entry.path("size").asLong(-1),
                    url,
                    signature));
        }
        return list;
    }
}
