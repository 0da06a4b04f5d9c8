package dev.fleetgate.web.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What to answer for a path of the web admin, decided without a servlet container.
 *
 * <ul>
 * <li>{@code /api}, {@code /api/*}, {@code /metrics}, {@code /metrics/*}: never the app (404):
 * those belong to the REST host and the metrics module, and a missing module must look
 * missing, not like an HTML page.</li>
 * <li>A path whose last segment has a dot is a file: served if the build has it, else 404
 * (a stale hashed chunk must fail loudly, not parse index.html as JavaScript).</li>
 * <li>Anything else is a client route: index.html (the single-page app's fallback).</li>
 * </ul>
 * Hashed files under {@code /assets/} are cached for a year as immutable; index.html must be
 * revalidated ({@code no-cache}) so that a new build is picked up at once. Files the build
 * pre-compressed ({@code name.gz}) are sent gzipped to clients that accept it.
 */
final class StaticSite {
    static final String INDEX = "/index.html";
    /** The page editor's preview frame: a policy of its own (see {@link #previewPolicy}). */
    static final String PREVIEW = "/preview.html";

    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    static final String REVALIDATE = "no-cache";

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("webp", "image/webp"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("txt", "text/plain; charset=utf-8"));

    /** One file of the build, with its gzipped variant when the build made one. */
    record Asset(String path, byte[] body, byte[] gzip, String contentType, String etag, String cacheControl) {}

    /**
     * @param status HTTP status; {@code asset} is null for anything but 200 and 304
     * @param gzip whether to send {@code asset.gzip()} with {@code Content-Encoding: gzip}
     */
    record Answer(int status, Asset asset, boolean gzip, Map<String, String> headers) {}

    private final Function<String, byte[]> loader;
    private final String contentSecurityPolicy;
    private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

    /**
     * @param loader reads a file of the build by its path ("/index.html"), null when absent;
     *        the build does not change while this object lives, so answers are cached
     */
    StaticSite(Function<String, byte[]> loader, String contentSecurityPolicy) {
        this.loader = loader;
        this.contentSecurityPolicy = contentSecurityPolicy;
    }

    Answer answer(String method, String path, String acceptEncoding, String ifNoneMatch) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Content-Type-Options", "nosniff");
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            headers.put("Allow", "GET, HEAD");
            return new Answer(405, null, false, headers);
        }
        String p = path == null || path.isEmpty() ? "/" : path;
        if (reserved(p) || !safe(p)) {
            return new Answer(404, null, false, headers);
        }
        boolean file = p.substring(p.lastIndexOf('/') + 1).contains(".");
        Asset asset = file ? asset(p) : asset(INDEX);
        if (asset == null) {
            return new Answer(404, null, false, headers);
        }
        headers.put("Cache-Control", asset.cacheControl());
        headers.put("ETag", asset.etag());
        if (asset.gzip() != null) {
            headers.put("Vary", "Accept-Encoding");
        }
        if (asset.path().equals(INDEX)) {
            if (contentSecurityPolicy != null && !contentSecurityPolicy.isBlank()) {
                headers.put("Content-Security-Policy", contentSecurityPolicy);
            }
            headers.put("X-Frame-Options", "DENY");
            headers.put("Referrer-Policy", "same-origin");
        } else if (asset.path().equals(PREVIEW)) {
            headers.put("Content-Security-Policy", previewPolicy(asset.body()));
            headers.put("X-Frame-Options", "SAMEORIGIN");
            headers.put("Referrer-Policy", "no-referrer");
        }
        boolean gzip = asset.gzip() != null && acceptsGzip(acceptEncoding);
        if (ifNoneMatch != null && matches(ifNoneMatch, asset.etag())) {
            return new Answer(304, asset, false, headers);
        }
        return new Answer(200, asset, gzip, headers);
    }

    /** Paths that belong to other servlets (or to modules that may be absent). */
    static boolean reserved(String p) {
        return p.equals("/api") || p.startsWith("/api/") || p.equals("/metrics") || p.startsWith("/metrics/");
    }

    /** No traversal, no backslashes or control characters: the path names a file of the build or a route. */
    static boolean safe(String p) {
        if (!p.startsWith("/") || p.indexOf('\\') >= 0 || p.contains("//")) {
            return false;
        }
        for (int i = 0; i < p.length(); i++) {
            if (p.charAt(i) < 0x20 || p.charAt(i) == 0x7f) {
                return false;
            }
        }
        for (String segment : p.split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                return false;
            }
        }
        return true;
    }

    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.toLowerCase(Locale.ROOT).split(",")) {
            String[] bits = part.trim().split(";");
            if (bits[0].trim().equals("gzip") || bits[0].trim().equals("*")) {
                return !(bits.length > 1 && bits[1].replace(" ", "").matches("q=0(\\.0+)?"));
            }
        }
        return false;
    }

    /**
     * The preview frame shows an operator's page template with its inline CSS, which the admin's own policy
     * refuses (a srcdoc frame would inherit it). Its document may run only its own inline script (allowed by
     * hash) and use inline styles and data: images; it loads nothing, and only the admin may frame it.
     */
    static String previewPolicy(byte[] html) {
        String s = new String(html, StandardCharsets.UTF_8);
        int open = s.indexOf("<script>");
        int close = open < 0 ? -1 : s.indexOf("</script>", open);
        String script = "'none'";
        if (close > 0) {
            try {
                byte[] hash = MessageDigest.getInstance("SHA-256")
                        .digest(utf8(s.substring(open + "<script>".length(), close)));
                script = "'sha256-" + Base64.getEncoder().encodeToString(hash) + "'";
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return "default-src 'none'; script-src " + script + "; style-src 'unsafe-inline'; img-src data:;"
                + " base-uri 'none'; form-action 'none'; frame-ancestors 'self'";
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.trim();
            if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    private Asset asset(String path) {
        return cache.computeIfAbsent(path, p -> Optional.ofNullable(load(p))).orElse(null);
    }

    private Asset load(String path) {
        byte[] body = loader.apply(path);
        if (body == null) {
            return null;
        }
        String ext = path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        String type = TYPES.getOrDefault(ext, "application/octet-stream");
        String cacheControl = path.startsWith("/assets/") ? IMMUTABLE : REVALIDATE;
        return new Asset(path, body, loader.apply(path + ".gz"), type, etag(body), cacheControl);
    }

    private static String etag(byte[] body) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(body);
            return '"' + HexFormat.of().formatHex(hash, 0, 12) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
