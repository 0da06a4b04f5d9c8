package dev.fleetgate.logs.rest;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import javax.ws.rs.container.AsyncResponse;
import javax.ws.rs.core.Response;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.logs.internal.LogFetcher;
import dev.fleetgate.logs.internal.LogPage;

/** Resumes a suspended request with a log page or its error (rendered as problem+json). */
final class Answers {
    private Answers() {}

    /** Suspends until the page is there; a safety timeout answers 504 should the wait itself never end. */
    static void resumeWith(AsyncResponse response, LogFetcher fetcher, CompletionStage<LogPage> page) {
        response.setTimeout(fetcher.waitTime().toSeconds() + 15, TimeUnit.SECONDS);
        response.setTimeoutHandler(r -> r.resume(new ApiException(504, "No answer from the agent in time")));
        page.whenComplete((p, failure) -> {
            if (failure == null) {
                try {
                    response.resume(
                            Response.ok(p).header("Cache-Control", "no-store").build());
                } catch (RuntimeException e) {
                    response.resume(e);
                }
            } else {
                response.resume(
                        failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause()
                                : failure);
            }
        });
    }
}
