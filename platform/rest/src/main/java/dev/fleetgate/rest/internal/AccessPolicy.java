package dev.fleetgate.rest.internal;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.Set;

import javax.annotation.security.DenyAll;
import javax.annotation.security.PermitAll;
import javax.annotation.security.RolesAllowed;

import dev.fleetgate.api.Caller;
import dev.fleetgate.api.Roles;

/**
 * Who may call a resource method. JSR-250 annotations on the method win over those on the
 * class; without any, reads (GET, HEAD, OPTIONS) need any valid token and every other
 * method needs {@code operator} or {@code admin}.
 */
public record AccessPolicy(boolean open, Set<String> roles) {
    private static final AccessPolicy PUBLIC = new AccessPolicy(true, Set.of());
    private static final AccessPolicy NOBODY = new AccessPolicy(false, Set.of());
    private static final AccessPolicy ANY_ROLE = new AccessPolicy(false, null);
    private static final AccessPolicy WRITERS = new AccessPolicy(false, Set.of(Roles.ADMIN, Roles.OPERATOR));

    /**
     * @param method     the matched resource method (null when Jersey answers by itself)
     * @param type       the resource class (may be null)
     * @param httpMethod the request's method
     */
    public static AccessPolicy of(Method method, Class<?> type, String httpMethod) {
        AccessPolicy declared = method == null ? null : declared(method);
        if (declared == null && type != null) {
            declared = declared(type);
        }
        if (declared != null) {
            return declared;
        }
        return switch (httpMethod) {
            case "GET", "HEAD", "OPTIONS" -> ANY_ROLE;
            default -> WRITERS;
        };
    }

    private static AccessPolicy declared(AnnotatedElement e) {
        if (e.isAnnotationPresent(DenyAll.class)) {
            return NOBODY;
        }
        if (e.isAnnotationPresent(PermitAll.class)) {
            return PUBLIC;
        }
        RolesAllowed r = e.getAnnotation(RolesAllowed.class);
        return r == null ? null : new AccessPolicy(false, Set.of(r.value()));
    }

    /** @return whether the authenticated {@code caller} may go on */
    public boolean allows(Caller caller) {
        if (open || roles == null) {
            return true;
        }
        return roles.stream().anyMatch(caller::hasRole);
    }
}
