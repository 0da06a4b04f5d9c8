package dev.fleetgate.agent.probe.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import javax.naming.CommunicationException;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.InitialDirContext;

import org.osgi.service.component.annotations.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.agent.Task;
import dev.fleetgate.agent.TaskHandler;

/**
 * Task type {@code dns.probe}: payload {@code {"name", "recordType"?: "A", "expectValues"?: [..],
 * "resolver"?: "host[:port]" (53; default: the host's resolvers), "timeoutMs"?: 5000}} →
 * {@code {"ok", "status": null, "latencyMs", "recordType", "values": [..], "resolver", "timing": {"totalMs"},
 * "errorKind"?, "error"?}}.
 *
 * <p>Uses the JDK's JNDI DNS provider (module {@code jdk.naming.dns}: UDP, TCP on truncation), so
 * the agent needs no DNS library. Values are compared lower-case without a trailing dot and
 * without TXT quotes; every expected value must be in the answer ({@code content} otherwise), and
 * without expectations at least one record must come back. No such name, or no record of the
 * type: {@code dns}; no answer in time: {@code timeout}; resolver unreachable: {@code connect}.
 */
@Component(property = TaskHandler.TYPE + "=dns.probe")
public final class DnsProbeHandler implements TaskHandler {
    static final Set<String> TYPES = Set.of("A", "AAAA", "CNAME", "MX", "NS", "TXT", "SRV", "PTR", "SOA", "CAA");
    private static final Pattern NAME =
            Pattern.compile("(?i)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)*\\.?");

    @Override
    public JsonNode handle(Task task) {
        JsonNode p = task.payload();
        String name = p.path("name").asText("");
        if (name.isEmpty() || name.length() > 253 || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: a DNS name");
        }
        String type = p.path("recordType").asText("A").toUpperCase(Locale.ROOT);
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("recordType: one of " + TYPES);
        }
        List<String> expected = new ArrayList<>();
        JsonNode ev = p.get("expectValues");
        if (ev != null && !ev.isNull()) {
            if (!ev.isArray() || ev.size() > 50) {
                throw new IllegalArgumentException("expectValues: an array of at most 50 values");
            }
            ev.forEach(v -> expected.add(normalise(v.asText())));
        }
        String resolver = p.path("resolver").asText("");
        int timeout =
                ProbeRequest.integer(p, "timeoutMs", 1, ProbeRequest.MAX_TIMEOUT_MS, ProbeRequest.DEFAULT_TIMEOUT_MS);
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.putNull("status");
        result.put("recordType", type);
        result.put("resolver", resolver.isEmpty() ? "system" : resolver);
        long started = System.nanoTime();
        String url = "dns:";
        if (!resolver.isEmpty()) {
            String host = resolver;
            int colon = resolver.lastIndexOf(':');
            if (colon > 0 && colon > resolver.lastIndexOf(']')) {
                host = resolver.substring(0, colon);
            }
            try {
                String refused = Targets.refused(InetAddress.getAllByName(Targets.bare(host)), host);
                if (refused != null) {
                    return HttpProbeHandler.failed(result, started, "refused", refused);
                }
            } catch (UnknownHostException e) {
                return HttpProbeHandler.failed(result, started, "dns", "unknown resolver " + host);
            }
            url = "dns://" + resolver;
        }
        List<String> values;
        try {
            values = lookup(url, name, type, timeout);
        } catch (NameNotFoundException e) {
            return done(result, started, HttpProbeHandler.verdict(result, "dns", "no such name: " + name));
        } catch (CommunicationException e) {
            String why = e.getRootCause() == null
                    ? String.valueOf(e.getMessage())
                    : e.getRootCause().toString();
            boolean timedOut = e.getRootCause() instanceof java.net.SocketTimeoutException
                    || why.toLowerCase(Locale.ROOT).contains("timed out");
            return done(
                    result,
                    started,
                    HttpProbeHandler.verdict(
                            result,
                            timedOut ? "timeout" : "connect",
                            (timedOut ? "no answer within " + timeout + " ms: " : "resolver unreachable: ") + why));
        } catch (NamingException e) {
            return done(result, started, HttpProbeHandler.verdict(result, "dns", String.valueOf(e.getExplanation())));
        }
        ArrayNode out = result.putArray("values");
        values.forEach(out::add);
        if (values.isEmpty()) {
            return done(result, started, HttpProbeHandler.verdict(result, "dns", "no " + type + " record for " + name));
        }
        List<String> missing =
                expected.stream().filter(v -> !values.contains(v)).toList();
        if (!missing.isEmpty()) {
            return done(
                    result,
                    started,
                    HttpProbeHandler.verdict(
                            result, "content", type + " " + name + " is " + values + ", expected " + missing));
        }
        result.put("ok", true);
        return done(result, started, result);
    }

    private static ObjectNode done(ObjectNode result, long started, ObjectNode verdict) {
        long total = HttpProbeHandler.elapsedMs(started);
        result.put("latencyMs", total);
        result.putObject("timing").put("totalMs", total);
        return verdict;
    }

    /**
     * One query. JNDI finds its provider through the thread's context class loader, which in
     * an OSGi bundle does not see the JDK's {@code com.sun.jndi.dns}: the system loader is set
     * for the call.
     */
    static List<String> lookup(String url, String name, String type, int timeoutMs) throws NamingException {
        Hashtable<String, String> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        env.put(Context.PROVIDER_URL, url);
        env.put("com.sun.jndi.dns.timeout.initial", Integer.toString(Math.max(1, timeoutMs)));
        env.put("com.sun.jndi.dns.timeout.retries", "1");
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(ClassLoader.getSystemClassLoader());
        InitialDirContext ctx = null;
        try {
            ctx = new InitialDirContext(env);
            Attributes attrs = ctx.getAttributes(name.endsWith(".") ? name : name + ".", new String[] {type});
            List<String> values = new ArrayList<>();
            Attribute a = attrs.get(type);
            if (a != null) {
                NamingEnumeration<?> all = a.getAll();
                while (all.hasMore()) {
                    values.add(normalise(String.valueOf(all.next())));
                }
            }
            values.sort(null);
            return values;
        } finally {
            t.setContextClassLoader(before);
            if (ctx != null) {
                ctx.close();
            }
        }
    }

    /** Lower case, no trailing dot, no surrounding TXT quotes. */
    static String normalise(String v) {
        String s = v.strip();
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            return s.substring(1, s.length() - 1);
        }
        s = s.toLowerCase(Locale.ROOT);
        return s.endsWith(".") && s.length() > 1 ? s.substring(0, s.length() - 1) : s;
    }
}
