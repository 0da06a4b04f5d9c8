package dev.fleetgate.alerts.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

import javax.annotation.security.RolesAllowed;
import javax.ws.rs.GET;

import org.junit.jupiter.api.Test;

/** Operators manage rules and silences, admins manage channels, every role reads. */
class RolesTest {

    private static Set<String> roles(Class<?> type, String method) {
        Method m = Arrays.stream(type.getMethods())
                .filter(x -> x.getName().equals(method))
                .findFirst()
                .orElseThrow();
        RolesAllowed r = m.getAnnotation(RolesAllowed.class);
        return r == null ? null : new TreeSet<>(Arrays.asList(r.value()));
    }

    @Test
    void writes() {
        for (String m : new String[] {"createChannel", "updateChannel", "deleteChannel"}) {
            assertEquals(Set.of("admin"), roles(AlertsResource.class, m), m);
        }
        for (String m : new String[] {
            "createRule",
            "updateRule",
            "deleteRule",
            "createSilence",
            "deleteSilence",
            "putTemplate",
            "deleteTemplate",
            "testChannel"
        }) {
            assertEquals(Set.of("admin", "operator"), roles(AlertsResource.class, m), m);
        }
        assertEquals(Set.of("admin", "operator"), roles(IncidentsResource.class, "ack"));
    }

    @Test
    void readsAreForEveryRole() {
        for (Class<?> type : new Class<?>[] {AlertsResource.class, IncidentsResource.class}) {
            for (Method m : type.getDeclaredMethods()) {
                if (m.isAnnotationPresent(GET.class)) {
                    assertNull(m.getAnnotation(RolesAllowed.class), m.getName());
                }
            }
        }
        assertEquals(
                Set.of("admin", "operator", "viewer"),
                roles(AlertsResource.class, "preview"),
                "a POST, but a preview changes nothing");
    }
}
