package dev.fleetgate.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.servlet.Servlet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.http.context.ServletContextHelper;
import org.osgi.service.http.runtime.HttpServiceRuntime;
import org.osgi.service.http.runtime.dto.DTOConstants;
import org.osgi.service.http.runtime.dto.FailedServletDTO;
import org.osgi.service.http.runtime.dto.RuntimeDTO;
import org.osgi.service.http.runtime.dto.ServletContextDTO;
import org.osgi.service.http.runtime.dto.ServletDTO;

class WhiteboardWatchdogTest {
    private final BundleContext context = mock(BundleContext.class);
    private final HttpServiceRuntime runtime = mock(HttpServiceRuntime.class);
    private final AtomicLong now = new AtomicLong(1_000);
    private final List<ServiceReference<Servlet>> servlets = new ArrayList<>();

    @SuppressWarnings("unchecked")
    private final ServiceRegistration<ServletContextHelper> registration = mock(ServiceRegistration.class);

    private WhiteboardWatchdog watchdog;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void setUp() throws Exception {
        when(context.getBundle()).thenReturn(mock(Bundle.class));
        when(context.getServiceReferences(eq(Servlet.class), anyString())).thenAnswer(i -> servlets);
        when(context.registerService(
                        eq(ServletContextHelper.class), any(ServletContextHelper.class), any(Dictionary.class)))
                .thenReturn(registration);
        watchdog = new WhiteboardWatchdog(context, runtime, now::get);
    }

    @AfterEach
    void tearDown() {
        watchdog.deactivate();
    }

    @Test
    void aServletLeftOutPastTheGraceGetsOneNudgeAContextAddedAndRemoved() {
        servlets.add(servlet(7, "fleetgate-rest"));
        servlets.add(servlet(8, "fleetgate-web"));
        when(runtime.getRuntimeDTO()).thenReturn(runtime(List.of(8L), List.of()));

        assertEquals(List.of(), watchdog.check(), "first seen: within the grace");
        advance(WhiteboardWatchdog.GRACE_SECONDS - 1);
        assertEquals(List.of(), watchdog.check());
        advance(1);
        assertEquals(List.of("fleetgate-rest"), watchdog.check());

        @SuppressWarnings("unchecked")
        ArgumentCaptor<Dictionary<String, Object>> properties = ArgumentCaptor.forClass(Dictionary.class);
        verify(context)
                .registerService(eq(ServletContextHelper.class), any(ServletContextHelper.class), properties.capture());
        assertEquals(WhiteboardWatchdog.NUDGE_CONTEXT, properties.getValue().get("osgi.http.whiteboard.context.name"));
        assertEquals(
                "/" + WhiteboardWatchdog.NUDGE_CONTEXT, properties.getValue().get("osgi.http.whiteboard.context.path"));
        verify(registration).unregister();

        // still left out: logged again only after NUDGE_EVERY
        advance(WhiteboardWatchdog.CHECK_SECONDS);
        assertEquals(List.of(), watchdog.check());
        advance(WhiteboardWatchdog.NUDGE_EVERY.toSeconds());
        assertEquals(List.of("fleetgate-rest"), watchdog.check());
        verify(registration, times(2)).unregister();
    }

    @Test
    void servedFailedForItsOwnReasonOrNoDefaultContextMeansNoNudge() {
        servlets.add(servlet(7, "fleetgate-rest"));
        servlets.add(servlet(9, "shadowed"));
        // 9 failed for a reason of its own (its pattern shadowed): not this component's business
        when(runtime.getRuntimeDTO())
                .thenReturn(runtime(
                        List.of(7L), List.of(failed(9, DTOConstants.FAILURE_REASON_SHADOWED_BY_OTHER_SERVICE))));
        watchdog.check();
        advance(WhiteboardWatchdog.GRACE_SECONDS * 3L);
        assertEquals(List.of(), watchdog.check());

        // before the runtime has its default context there is nothing to match against
        RuntimeDTO empty = new RuntimeDTO();
        empty.servletContextDTOs = new ServletContextDTO[0];
        empty.failedServletDTOs = new FailedServletDTO[0];
        when(runtime.getRuntimeDTO()).thenReturn(empty);
        watchdog.check();
        advance(WhiteboardWatchdog.GRACE_SECONDS * 3L);
        assertEquals(List.of(), watchdog.check());
        verify(context, never())
                .registerService(eq(ServletContextHelper.class), any(ServletContextHelper.class), any());
    }

    @Test
    void aServletFailedForWantOfAContextCountsAsLeftOutAndOneServedInTimeIsForgotten() {
        servlets.add(servlet(7, "fleetgate-rest"));
        when(runtime.getRuntimeDTO())
                .thenReturn(runtime(
                        List.of(), List.of(failed(7, DTOConstants.FAILURE_REASON_NO_SERVLET_CONTEXT_MATCHING))));
        watchdog.check();
        advance(WhiteboardWatchdog.GRACE_SECONDS - 1);
        watchdog.check();
        // served just in time: the clock starts again if it is ever left out later
        when(runtime.getRuntimeDTO()).thenReturn(runtime(List.of(7L), List.of()));
        assertEquals(List.of(), watchdog.check());
        when(runtime.getRuntimeDTO())
                .thenReturn(runtime(
                        List.of(), List.of(failed(7, DTOConstants.FAILURE_REASON_NO_SERVLET_CONTEXT_MATCHING))));
        advance(WhiteboardWatchdog.GRACE_SECONDS - 1);
        assertEquals(List.of(), watchdog.check());
        advance(WhiteboardWatchdog.GRACE_SECONDS);
        assertEquals(List.of("fleetgate-rest"), watchdog.check());
    }

    private void advance(long seconds) {
        now.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    @SuppressWarnings("unchecked")
    private static ServiceReference<Servlet> servlet(long id, String name) {
        ServiceReference<Servlet> ref = mock(ServiceReference.class);
        when(ref.getProperty(Constants.SERVICE_ID)).thenReturn(id);
        when(ref.getProperty("osgi.http.whiteboard.servlet.name")).thenReturn(name);
        return ref;
    }

    private static RuntimeDTO runtime(List<Long> served, List<FailedServletDTO> failed) {
        ServletContextDTO c = new ServletContextDTO();
        c.name = "default";
        c.servletDTOs = served.stream()
                .map(id -> {
                    ServletDTO s = new ServletDTO();
                    s.serviceId = id;
                    return s;
                })
                .toArray(ServletDTO[]::new);
        RuntimeDTO dto = new RuntimeDTO();
        dto.servletContextDTOs = new ServletContextDTO[] {c};
        dto.failedServletDTOs = failed.toArray(FailedServletDTO[]::new);
        return dto;
    }

    private static FailedServletDTO failed(long id, int reason) {
        FailedServletDTO f = new FailedServletDTO();
        f.serviceId = id;
        f.failureReason = reason;
        return f;
    }
}
