package dev.fleetgate.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The whole reverse-proxy configuration of one agent: the body of its {@code proxy}
 * desired-state section. Applying the same spec twice must be harmless.
 *
 * @param sites       virtual hosts, in a stable order
 * @param upstreams   target groups the sites' locations forward to, referenced by name
 * @param accessRules rules applied to every site before the site's own (firewall)
 * @param extensions  room for modules whose data has no field yet, keyed by module name
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProxySpec(
        List<Site> sites, List<Upstream> upstreams, List<AccessRule> accessRules, Map<String, JsonNode> extensions) {

    /** The desired-state section this spec is sent in. */
    public static final String SECTION = "proxy";

    public static final ProxySpec EMPTY = new ProxySpec(List.of(), List.of(), List.of(), Map.of());

    public ProxySpec {
        sites = Specs.list(sites);
        upstreams = Specs.list(upstreams);
        accessRules = Specs.list(accessRules);
        extensions = Specs.map(extensions);
    }

    public ProxySpec withSites(List<Site> newSites) {
        return new ProxySpec(newSites, upstreams, accessRules, extensions);
    }

    public ProxySpec withUpstreams(List<Upstream> newUpstreams) {
        return new ProxySpec(sites, newUpstreams, accessRules, extensions);
    }

    public ProxySpec withAccessRules(List<AccessRule> rules) {
        return new ProxySpec(sites, upstreams, rules, extensions);
    }

    /** @return a copy with {@code value} under {@code key} (null removes it) */
    public ProxySpec withExtension(String key, JsonNode value) {
        Map<String, JsonNode> m = new TreeMap<>(extensions);
        if (value == null) {
            m.remove(key);
        } else {
            m.put(key, value);
        }
        return new ProxySpec(sites, upstreams, accessRules, m);
    }

    /** @return a copy where every site is replaced by {@code f(site)} */
    public ProxySpec mapSites(UnaryOperator<Site> f) {
        List<Site> out = new ArrayList<>(sites.size());
        for (Site s : sites) {
            out.add(f.apply(s));
        }
        return withSites(out);
    }

    public Optional<Site> site(String id) {
        return sites.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    public Optional<Upstream> upstream(String name) {
        return upstreams.stream().filter(u -> u.name().equals(name)).findFirst();
    }
}
