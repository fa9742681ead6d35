/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StreamingHttpHandlerTest {

    /** Records what the host called. */
    static final class Recorder implements BodySink {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<String> calls = new ArrayList<>();
        boolean failOnEnd;

        @Override
        public Optional<HttpResponse> onData(ByteBuffer data) {
            calls.add("data");
            byte[] b = new byte[data.remaining()];
            data.get(b);
            bytes.writeBytes(b);
            return Optional.empty();
        }

        @Override
        public HttpResponse onEnd() {
            calls.add("end");
            if (failOnEnd) {
                throw new IllegalStateException("disk full");
            }
            return HttpResponse.json(201, "{\"size\":" + bytes.size() + "}");
        }

        @Override
        public void onAbort(BodyAbort reason) {
            calls.add("abort " + reason);
        }
    }

    @Test
    void aWholeBodyIsOnePieceThenTheEnd() throws Exception {
        Recorder sink = new Recorder();
        StreamingHttpHandler h = head -> BodyStart.read(sink);
        HttpResponse r = h.handleWhole(HttpRequest.newBuilder("POST", "/u").body("hello").build());
        assertEquals(201, r.status());
        assertEquals("{\"size\":5}", r.bodyAsString());
        assertEquals(List.of("data", "end"), sink.calls);
    }

    @Test
    void anEmptyBodyIsOnlyTheEndAndARefusalReadsNothing() throws Exception {
        Recorder sink = new Recorder();
        assertEquals(201, ((StreamingHttpHandler) head -> BodyStart.read(sink))
                .handleWhole(HttpRequest.newBuilder("POST", "/u").build()).status());
        assertEquals(List.of("end"), sink.calls);
        HttpResponse no = ((StreamingHttpHandler) head -> BodyStart.answer(HttpResponse.json(401, "{}")))
                .handleWhole(HttpRequest.newBuilder("POST", "/u").body("x").build());
        assertEquals(401, no.status());
    }

    @Test
    void aSinkThatThrowsIsAbortedAsFailed() {
        Recorder sink = new Recorder();
        sink.failOnEnd = true;
        StreamingHttpHandler h = head -> BodyStart.read(sink);
        assertThrows(IllegalStateException.class,
                () -> h.handleWhole(HttpRequest.newBuilder("POST", "/u").body("x").build()));
        assertEquals(List.of("data", "end", "abort FAILED"), sink.calls);
    }
}
