/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.http;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Handles a route whose request body is taken as it arrives rather than read whole (file uploads): mounted with
 * {@link HttpRoutes#addStreaming}. The host calls {@link #open} with the request head (an empty body), then hands
 * the body to the {@link BodySink} it returned, piece by piece, with backpressure: it reads no more from the
 * client while the sink is behind, so a body is never held whole in memory.
 *
 * <p><b>Threading:</b> {@code open} and every {@link BodySink} method are called on the host's blocking executor
 * (never on a thread that serves connections' I/O), one at a time for one request and each happening-before the
 * next; they may block briefly (write to disk). Concurrent requests get concurrent calls. Should answer with an
 * error response rather than throw; a throw is answered {@code 500} like {@link HttpHandler}.
 */
@FunctionalInterface
public interface StreamingHttpHandler {

    /**
     * Decides on a request from its head: {@link BodyStart#read} to take the body, or {@link BodyStart#answer} to
     * answer at once (a refusal; the host then discards the body).
     */
    BodyStart open(HttpRequest head) throws Exception;

    /**
     * Runs this handler over a body that is already whole: {@code open} with the request, its body as one piece,
     * then the end. For hosts that read bodies whole ({@link HttpHandler}-only hosts, tests); the caller applies the
     * route's size limit first. Calls {@link BodySink#onAbort} with {@link BodyAbort#FAILED} if a sink method
     * throws, then rethrows.
     */
    default HttpResponse handleWhole(HttpRequest request) throws Exception {
        BodyStart start = open(request);
        if (start instanceof BodyStart.Answer a) {
            return a.response();
        }
        BodySink sink = ((BodyStart.Read) start).sink();
        try {
            byte[] body = request.body();
            if (body.length > 0) {
                Optional<HttpResponse> early = sink.onData(ByteBuffer.wrap(body).asReadOnlyBuffer());
                if (early.isPresent()) {
                    return early.get();
                }
            }
            return sink.onEnd();
        } catch (Exception | Error e) {
            sink.onAbort(BodyAbort.FAILED);
            throw e;
        }
    }
}
