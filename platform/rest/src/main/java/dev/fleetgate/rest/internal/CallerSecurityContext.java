package dev.fleetgate.rest.internal;

import java.security.Principal;

import javax.ws.rs.core.SecurityContext;

import dev.fleetgate.api.Caller;

/** The authenticated caller as JAX-RS sees it: {@code getUserPrincipal()} is the {@link Caller}. */
final class CallerSecurityContext implements SecurityContext {
    private final Caller caller;
    private final boolean secure;

    CallerSecurityContext(Caller caller, boolean secure) {
        this.caller = caller;
        this.secure = secure;
    }

    @Override
    public Principal getUserPrincipal() {
        return caller;
    }

    @Override
    public boolean isUserInRole(String role) {
        return caller.hasRole(role);
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
    public String getAuthenticationScheme() {
        return "Bearer";
    }
}
