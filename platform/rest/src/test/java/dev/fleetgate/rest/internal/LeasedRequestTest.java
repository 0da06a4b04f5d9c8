package dev.fleetgate.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.servlet.AsyncContext;
import javax.servlet.AsyncEvent;
import javax.servlet.AsyncListener;
import javax.servlet.http.HttpServletRequest;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

class LeasedRequestTest {

    @Test
    void asyncRequestHoldsItsContainerUntilComplete() throws Exception {
        List<String> destroyed = new ArrayList<>();
        ContainerSwitch<String> containers =
                new ContainerSwitch<>(destroyed::add, Duration.ofSeconds(30), Runnable::run);
        containers.swap("v1");

        HttpServletRequest raw = mock(HttpServletRequest.class);
        AsyncContext async = mock(AsyncContext.class);
        when(raw.startAsync(any(), any())).thenReturn(async);
        LeasedRequest request = new LeasedRequest(raw, containers.acquire());

        request.startAsync(request, null); // what Jersey does for @Suspended
        assertTrue(request.isAsyncLeased(), "service() must leave the release to the listener");
        ArgumentCaptor<AsyncListener> listener = ArgumentCaptor.forClass(AsyncListener.class);
        verify(async).addListener(listener.capture());

        containers.swap("v2");
        assertTrue(destroyed.isEmpty(), "the long-poll still runs on v1");
        listener.getValue().onComplete(new AsyncEvent(async));
        assertEquals(List.of("v1"), destroyed);
    }

    @Test
    void plainRequestIsNotAsync() {
        ContainerSwitch<String> containers = new ContainerSwitch<>(c -> {}, Duration.ofSeconds(1), Runnable::run);
        containers.swap("v1");
        assertFalse(new LeasedRequest(mock(HttpServletRequest.class), containers.acquire()).isAsyncLeased());
    }
}
