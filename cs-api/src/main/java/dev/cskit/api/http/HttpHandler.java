/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.http;

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
}
