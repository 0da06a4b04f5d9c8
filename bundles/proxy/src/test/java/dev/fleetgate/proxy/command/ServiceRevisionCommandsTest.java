package dev.fleetgate.proxy.command;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.proxy.internal.ProxyServices;
import dev.fleetgate.proxy.internal.ServiceConfig;
import dev.fleetgate.proxy.internal.ServiceRevision;
import dev.fleetgate.proxy.internal.StoredService;

class ServiceRevisionCommandsTest {
    private final ProxyServices services = mock(ProxyServices.class);
    private final UUID id = UUID.randomUUID();
    private final StoredService shop =
            new StoredService(id, 3, mock(ServiceConfig.class), Instant.EPOCH, Instant.EPOCH);

    @Test
    void revisionsAreListedNewestFirstWithTheCurrentMarked() {
        when(services.findByNameOrId("shop")).thenReturn(Optional.of(shop));
        when(services.revisions(id))
                .thenReturn(List.of(
                        new ServiceRevision(3, Instant.EPOCH, "shell", ServiceRevision.ROLLED_BACK, 1L, null),
                        new ServiceRevision(2, Instant.EPOCH, "bob", ServiceRevision.UPDATED, null, null)));
        ServiceRevisionsCommand c = new ServiceRevisionsCommand();
        c.service = "shop";
        c.services = services;
        String out = captured(c::execute, false);
        assertTrue(out.contains("3 *") && out.contains("ROLLED_BACK (to 1)") && out.contains("bob"), out);
    }

    @Test
    void rollbackReportsTheNewRevisionOrTheErrors() {
        when(services.findByNameOrId("shop")).thenReturn(Optional.of(shop));
        when(services.rollback(eq(id), eq(1), eq(true), eq(ProxyServices.SHELL)))
                .thenReturn(new StoredService(id, 4, shop.config(), Instant.EPOCH, Instant.EPOCH));
        ServiceRollbackCommand c = new ServiceRollbackCommand();
        c.service = "shop";
        c.revision = 1;
        c.services = services;
        assertTrue(captured(c::execute, false).contains("now revision 4"));

        when(services.rollback(eq(id), eq(1), eq(true), eq(ProxyServices.SHELL)))
                .thenThrow(ApiException.invalid("revision", "is not a kept revision"));
        assertTrue(captured(c::execute, true).contains("revision: is not a kept revision"));
        c.service = "nope";
        assertTrue(captured(c::execute, true).contains("No service named or with id nope"));
    }

    private static String captured(Runnable r, boolean err) {
        PrintStream old = err ? System.err : System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(buf, true, StandardCharsets.UTF_8);
        if (err) {
            System.setErr(p);
        } else {
            System.setOut(p);
        }
        try {
            r.run();
        } finally {
            if (err) {
                System.setErr(old);
            } else {
                System.setOut(old);
            }
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
