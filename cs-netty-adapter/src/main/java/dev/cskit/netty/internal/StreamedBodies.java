/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.http.RouteMatcher;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * Which requests on a connection take their body as it arrives (a route mounted with
 * {@link dev.cskit.api.http.HttpRoutes#addStreaming}) instead of being read whole: decided once per request head,
 * from the host's routes, and asked by each handler that treats the two apart (the body deadline, {@code Expect},
 * the aggregator). The dispatcher matches the route again and copes with a head whose route went away meanwhile.
 *
 * <p>One instance per channel, event loop only. Unsupported API.
 */
public final class StreamedBodies {

    private final RouteMatcher routes;
    private @Nullable HttpRequest lastHead;
    private boolean lastStreams;

    public StreamedBodies(RouteMatcher routes) {
        this.routes = routes;
    }

    /** Whether this request head's body streams to its route. */
    public boolean streams(HttpRequest head) {
        if (head != lastHead) {
            lastHead = head;
            lastStreams = decide(head);
        }
        return lastStreams;
    }

    private boolean decide(HttpRequest head) {
        if (head instanceof FullHttpMessage || !head.decoderResult().isSuccess()) {
            return false; // a whole request (e.g. one the decoder refused) has nothing left to stream
        }
        String path;
        try {
            path = new QueryStringDecoder(head.uri()).path();
        } catch (IllegalArgumentException e) {
            return false; // the dispatcher answers the malformed target
        }
        return routes.match(head.method().name(), path).streams();
    }
}
