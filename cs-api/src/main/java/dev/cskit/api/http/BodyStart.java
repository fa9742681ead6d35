/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.http;

import java.util.Objects;

/** What a {@link StreamingHttpHandler} decided from a request head: read the body, or answer at once. */
public sealed interface BodyStart permits BodyStart.Read, BodyStart.Answer {

    /** Take the body through {@code sink}. */
    static BodyStart read(BodySink sink) {
        return new Read(sink);
    }

    /** Answer now without the body (e.g. 401, 404); the host discards the body. */
    static BodyStart answer(HttpResponse response) {
        return new Answer(response);
    }

    /** @param sink where the body goes */
    record Read(BodySink sink) implements BodyStart {
        public Read {
            Objects.requireNonNull(sink, "sink");
        }
    }

    /** @param response the answer, sent before the body is read */
    record Answer(HttpResponse response) implements BodyStart {
        public Answer {
            Objects.requireNonNull(response, "response");
        }
    }
}
