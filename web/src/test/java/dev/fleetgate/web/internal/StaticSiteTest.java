package dev.fleetgate.web.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class StaticSiteTest {
    private static final byte[] INDEX = StaticSite.utf8("<!doctype html><title>Fleetgate</title>");
    private static final byte[] APP = StaticSite.utf8("console.log('app')");
    private static final byte[] APP_GZ = {31, -117, 8, 0};

    private final Map<String, byte[]> files = new HashMap<>(Map.of(
            "/index.html",
            INDEX,
            "/assets/index-abc123.js",
            APP,
            "/assets/index-abc123.js.gz",
            APP_GZ,
            "/assets/index-abc123.css",
            StaticSite.utf8("body{}")));
    private final AtomicInteger loads = new AtomicInteger();
    private final StaticSite site = new StaticSite(
            p -> {
                loads.incrementAndGet();
                return files.get(p);
            },
            "default-src 'self'");

    private StaticSite.Answer get(String path) {
        return site.answer("GET", path, null, null);
    }

    @Test
    void rootAndClientRoutesServeIndexRevalidated() {
        for (String path : new String[] {"/", "", "/services", "/services/8b9c/edit", "/hosts/x", "/login"}) {
            StaticSite.Answer a = get(path);
            assertEquals(200, a.status(), path);
            assertArrayEquals(INDEX, a.asset().body(), path);
            assertEquals("text/html; charset=utf-8", a.asset().contentType());
            assertEquals("no-cache", a.headers().get("Cache-Control"), path);
            assertEquals("default-src 'self'", a.headers().get("Content-Security-Policy"));
            assertEquals("DENY", a.headers().get("X-Frame-Options"));
        }
    }

    @Test
    void thePreviewFrameHasAPolicyOfItsOwn() throws Exception {
        String script = "\n      addEventListener('message', function (e) {});\n    ";
        files.put("/preview.html", StaticSite.utf8("<!doctype html><body><script>" + script + "</script></body>"));
        StaticSite.Answer a = get("/preview.html");
        assertEquals(200, a.status());
        String policy = a.headers().get("Content-Security-Policy");
        String hash = java.util.Base64.getEncoder()
                .encodeToString(
                        java.security.MessageDigest.getInstance("SHA-256").digest(StaticSite.utf8(script)));
        assertEquals(
                "default-src 'none'; script-src 'sha256-" + hash + "'; style-src 'unsafe-inline'; img-src data:;"
                        + " base-uri 'none'; form-action 'none'; frame-ancestors 'self'",
                policy);
        assertEquals("SAMEORIGIN", a.headers().get("X-Frame-Options"));
        // the admin itself keeps its strict policy and cannot be framed
        assertEquals("default-src 'self'", get("/").headers().get("Content-Security-Policy"));
        assertEquals("DENY", get("/").headers().get("X-Frame-Options"));
    }

    @Test
    void hashedAssetsAreImmutableForAYear() {
        StaticSite.Answer a = get("/assets/index-abc123.css");
        assertEquals(200, a.status());
        assertEquals("public, max-age=31536000, immutable", a.headers().get("Cache-Control"));
        assertEquals("text/css; charset=utf-8", a.asset().contentType());
        assertNull(a.headers().get("Content-Security-Policy"));
        assertEquals("nosniff", a.headers().get("X-Content-Type-Options"));
    }

    @Test
    void apiAndMetricsNeverFallBackToTheApp() {
        for (String path :
                new String[] {"/api", "/api/", "/api/v2/things", "/api/v1/unknown", "/metrics", "/metrics/x"}) {
            StaticSite.Answer a = get(path);
            assertEquals(404, a.status(), path);
            assertNull(a.asset(), path);
        }
        // Routes that only start with the same letters are the app's.
        assertEquals(200, get("/apis").status());
        assertEquals(200, get("/metrics-dashboard").status());
    }

    @Test
    void missingFilesAre404NotIndex() {
        assertEquals(404, get("/assets/index-old999.js").status());
        assertEquals(404, get("/favicon.ico").status());
    }

    @Test
    void traversalAndOddPathsAreRefused() {
        for (String path : new String[] {
            "/../etc/passwd", "/assets/../index.html", "/./index.html", "/a\\b", "//index.html", "/a\u0000b", "relative"
        }) {
            assertEquals(404, get(path).status(), path);
        }
    }

    @Test
    void gzipOnlyWhenAcceptedAndBuilt() {
        StaticSite.Answer zipped = site.answer("GET", "/assets/index-abc123.js", "br, gzip, deflate", null);
        assertTrue(zipped.gzip());
        assertEquals("Accept-Encoding", zipped.headers().get("Vary"));
        assertFalse(site.answer("GET", "/assets/index-abc123.js", "br", null).gzip());
        assertFalse(
                site.answer("GET", "/assets/index-abc123.js", "gzip;q=0", null).gzip());
        assertFalse(site.answer("GET", "/assets/index-abc123.css", "gzip", null).gzip(), "no .gz was built");
    }

    @Test
    void etagRevalidationAnswers304() {
        String etag = get("/").headers().get("ETag");
        assertTrue(etag.matches("\"[0-9a-f]{24}\""), etag);
        assertEquals(304, site.answer("GET", "/services", null, etag).status());
        assertEquals(304, site.answer("GET", "/", null, "\"other\", W/" + etag).status());
        assertEquals(200, site.answer("GET", "/", null, "\"other\"").status());
    }

    @Test
    void onlyGetAndHead() {
        assertEquals(200, site.answer("HEAD", "/", null, null).status());
        StaticSite.Answer post = site.answer("POST", "/", null, null);
        assertEquals(405, post.status());
        assertEquals("GET, HEAD", post.headers().get("Allow"));
    }

    @Test
    void filesAreReadOnce() {
        get("/");
        get("/services");
        get("/hosts");
        int after = loads.get();
        get("/");
        get("/assets/index-old999.js");
        get("/assets/index-old999.js");
        assertEquals(after + 1, loads.get(), "index cached; a missing file is looked up once (and its .gz never)");
    }

    @Test
    void noIndexMeans404() {
        StaticSite empty = new StaticSite(p -> null, "");
        assertEquals(404, empty.answer("GET", "/", null, null).status());
    }
}
