package dev.fleetgate.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the operations of docs/openapi.yaml, so security tests cover every documented endpoint. */
final class OpenApi {
    /** Operations that need no access token. */
    static final Set<String> PUBLIC =
            Set.of("GET /health", "POST /auth/login", "POST /agents/enroll", "GET /openapi.yaml");

    /** @param contentType the first media type of its request body, or null */
    record Operation(String method, String path, String contentType) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static final Pattern PATH = Pattern.compile("^  (/[^:]*):\\s*$");
    private static final Pattern METHOD = Pattern.compile("^    (get|post|put|delete|patch):\\s*$");
    private static final Pattern CONTENT = Pattern.compile("^\\s+content: \\{([a-z]+/[a-z0-9.+-]+):.*");

    private OpenApi() {}

    static List<Operation> operations() throws IOException {
        Path file = Path.of(System.getProperty("fleetgate.root", "../..")).resolve("docs/openapi.yaml");
        List<Operation> ops = new ArrayList<>();
        String current = null;
        boolean inBody = false;
        for (String line : Files.readAllLines(file)) {
            Matcher p = PATH.matcher(line);
            if (p.matches()) {
                current = p.group(1);
                continue;
            }
            Matcher m = METHOD.matcher(line);
            if (m.matches() && current != null) {
                ops.add(new Operation(m.group(1).toUpperCase(), current, null));
                inBody = false;
                continue;
            }
            if (line.trim().equals("requestBody:")) {
                inBody = true;
                continue;
            }
            Matcher c = CONTENT.matcher(line);
            if (inBody && c.matches() && !ops.isEmpty()) {
                Operation last = ops.remove(ops.size() - 1);
                ops.add(new Operation(last.method(), last.path(), c.group(1)));
                inBody = false;
            }
        }
        return ops;
    }
}
