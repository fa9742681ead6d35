/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Handles one matched HTTP route.
 *
 * <p><b>Threading:</b> called by the host on a thread it chooses that may block briefly (a handler may
 * write to disk, e.g. fsync a journal record); hosts must not call it on a thread that serves other
 * connections' I/O. Called concurrently for concurrent requests. Should return an error response rather
 * than throw; if it throws, the host answers {@code 500} with the envelope
 * {@code {"code":500,"message":"internal error"}} and logs the exception.
 */
@FunctionalInterface
public interface HttpHandler {
    HttpResponse handle(HttpRequest request) throws Exception;

    /**
     * The response, possibly later: a handler whose work runs elsewhere (e.g. a password check on a CPU pool)
     * returns a stage that completes there, so the host's thread is free meanwhile. Hosts that can write a
     * response later call this instead of {@link #handle} and must not block a thread waiting for the stage;
     * they treat a stage completed exceptionally, or with {@code null}, as {@link #handle} throwing. The default
     * runs {@link #handle} on the calling thread. A handler that overrides this still implements
     * {@link #handle} (waiting for the stage), for hosts that only call that.
     */
    default CompletionStage<HttpResponse> handleAsync(HttpRequest request) {
        try {
            return CompletableFuture.completedFuture(handle(request));
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
