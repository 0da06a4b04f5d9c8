package dev.fleetgate.agent.nginx.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.agent.AgentContext;
import dev.fleetgate.agent.StateApplier;

/**
 * The {@code acme} section (certificates module): {@code {"tokens":{"<token>":"<key authorization>"}}}, written as
 * {@code <workDir>/acme/<token>}, which nginx serves at {@code /.well-known/acme-challenge/} of the sites that
 * carry the {@code acme-challenge} location. Tokens no longer in the section are deleted. Key authorizations are
 * public (the CA fetches them over plain HTTP): files are {@code 0644} in a {@code 0755} directory so that
 * nginx's unprivileged workers can read them. No nginx reload is needed.
 */
@Component(
        service = StateApplier.class,
        property = StateApplier.SECTION + "=acme",
        configurationPid = NginxConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class AcmeTokenApplier implements StateApplier {
    /** RFC 8555 tokens are base64url; a key authorization is token "." thumbprint. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{16,256}");

    private static final Pattern KEY_AUTHORIZATION = Pattern.compile("[A-Za-z0-9_-]{16,256}\\.[A-Za-z0-9_-]{16,256}");

    private final Path dir;
    private volatile int served;

    @Activate
    public AcmeTokenApplier(@Reference AgentContext agent, NginxConfiguration config, Map<String, Object> properties) {
        this(NginxSettings.from(config, agent.stateDir()).workDir().resolve("acme"));
    }

    AcmeTokenApplier(Path dir) {
        this.dir = dir;
    }

    @Override
    public void apply(long revision, JsonNode body) throws Exception {
        Map<String, String> tokens = new TreeMap<>();
        JsonNode t = body == null ? null : body.get("tokens");
        if (t != null && !t.isNull()) {
            if (!t.isObject()) {
                throw new IllegalArgumentException("acme.tokens must be an object");
            }
            Iterator<Map.Entry<String, JsonNode>> it = t.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!TOKEN.matcher(e.getKey()).matches()
                        || !e.getValue().isTextual()
                        || !KEY_AUTHORIZATION.matcher(e.getValue().asText()).matches()
                        || !e.getValue().asText().startsWith(e.getKey() + ".")) {
                    throw new IllegalArgumentException("acme.tokens: refused a malformed token or key authorization");
                }
                tokens.put(e.getKey(), e.getValue().asText());
            }
        }
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Map.Entry<String, String> e : tokens.entrySet()) {
            Path file = dir.resolve(e.getKey());
            byte[] content = e.getValue().getBytes(StandardCharsets.US_ASCII);
            if (Files.isRegularFile(file) && java.util.Arrays.equals(Files.readAllBytes(file), content)) {
                continue;
            }
            Path tmp = dir.resolve("." + e.getKey() + ".tmp");
            Files.write(tmp, content);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (!tokens.containsKey(f.getFileName().toString())) {
                    delete(f);
                }
            }
        }
        served = tokens.size();
    }

    private static void delete(Path f) throws IOException {
        if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(f)) {
            Files.deleteIfExists(f);
        }
    }

    @Override
    public JsonNode status() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("tokens", served);
        return o;
    }
}
