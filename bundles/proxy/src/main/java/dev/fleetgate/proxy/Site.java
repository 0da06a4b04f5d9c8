package dev.fleetgate.proxy;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One virtual host.
 *
 * @param id              unique within the spec, {@code [a-z0-9-]+} (safe for file names);
 *                        the service id for service sites
 * @param serviceId       the service this site serves, or null for a site of a module
 * @param serviceName     the service's name (for logs and labels), or null
 * @param serverNames     host names, lower-case ASCII (punycode); a leading {@code *.} is a
 *                        wildcard; the first is the primary name
 * @param listen          listeners; a null port means the agent's configured port
 * @param locations       request routing, most specific first is the agent's job
 * @param tls             the certificate, or null for plain HTTP (certificates module)
 * @param errorPages      pages served instead of upstream errors (pages module)
 * @param accessRules     first match wins; none = everyone allowed (firewall module)
 * @param maxBodyBytes    largest request body, 0 = unlimited
 * @param timeouts        upstream timeouts
 * @param requestHeaders  headers set on requests to the upstream (name → value, sorted)
 * @param responseHeaders headers added to responses (name → value, sorted)
 * @param websockets      whether connection upgrades are passed through
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Site(
        String id,
        String serviceId,
        String serviceName,
        List<String> serverNames,
        List<Listen> listen,
        List<Location> locations,
        Tls tls,
        List<ErrorPage> errorPages,
        List<AccessRule> accessRules,
        long maxBodyBytes,
        Timeouts timeouts,
        Map<String, String> requestHeaders,
        Map<String, String> responseHeaders,
        boolean websockets) {

    public Site {
        serverNames = Specs.list(serverNames);
        listen = Specs.list(listen);
        locations = Specs.list(locations);
        errorPages = Specs.list(errorPages);
        accessRules = Specs.list(accessRules);
        requestHeaders = Specs.map(requestHeaders);
        responseHeaders = Specs.map(responseHeaders);
        timeouts = timeouts == null ? Timeouts.DEFAULT : timeouts;
    }

    public Site withListen(List<Listen> l) {
        return copy(c -> c.listen = l);
    }

    public Site withLocations(List<Location> l) {
        return copy(c -> c.locations = l);
    }

    public Site withTls(Tls t) {
        return copy(c -> c.tls = t);
    }

    public Site withErrorPages(List<ErrorPage> p) {
        return copy(c -> c.errorPages = p);
    }

    public Site withAccessRules(List<AccessRule> r) {
        return copy(c -> c.accessRules = r);
    }

    /** @return this site with what {@code change} sets on a mutable copy of its components */
    private Site copy(Consumer<Copy> change) {
        Copy c = new Copy(this);
        change.accept(c);
        return new Site(
                id,
                serviceId,
                serviceName,
                serverNames,
                c.listen,
                c.locations,
                c.tls,
                c.errorPages,
                c.accessRules,
                maxBodyBytes,
                timeouts,
                requestHeaders,
                responseHeaders,
                websockets);
    }

    /** The components the {@code with…} methods replace. */
    private static final class Copy {
        List<Listen> listen;
        List<Location> locations;
        Tls tls;
        List<ErrorPage> errorPages;
        List<AccessRule> accessRules;

        Copy(Site s) {
            listen = s.listen;
            locations = s.locations;
            tls = s.tls;
            errorPages = s.errorPages;
            accessRules = s.accessRules;
        }
    }
}
