/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.http;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Takes one request body, piece by piece, for a {@link StreamingHttpHandler}. The host calls {@link #onData} for
 * each piece in order, then exactly one of: {@link #onEnd} (the whole body arrived), nothing more (an
 * {@code onData} answered early), or {@link #onAbort} (the body will not complete). A sink that keeps anything
 * (a partial file) removes it in {@code onAbort} and when it answers early with a refusal.
 *
 * <p><b>Threading:</b> as {@link StreamingHttpHandler}: the host's blocking executor, one call at a time. When the
 * host is stopping and its executor refuses work, {@code onAbort} may be called on the thread that found that.
 */
public interface BodySink {

    /**
     * The next bytes of the body. {@code data} is read-only and valid only during the call (the host reuses the
     * memory): copy what must be kept.
     *
     * @return empty to go on, or the response to answer now: the host then discards the rest of the body and calls
     *         nothing more on this sink
     */
    Optional<HttpResponse> onData(ByteBuffer data) throws Exception;

    /** The body is complete; the response to send. */
    HttpResponse onEnd() throws Exception;

    /**
     * The body will not complete: the host's size limit was crossed (it answers {@code 413} itself), the connection
     * closed (the client went away, or a deadline expired), or a call on this sink threw. Must not throw.
     */
    void onAbort(BodyAbort reason);
}
