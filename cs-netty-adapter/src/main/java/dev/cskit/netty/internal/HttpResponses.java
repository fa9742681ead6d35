/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * Builds the host's own responses: JSON error envelopes and CORS preflight answers, each with
 * {@code Content-Length} and {@code Access-Control-Allow-Origin: *}. Stateless. Unsupported API.
 */
public final class HttpResponses {

    public static final String JSON = "application/json; charset=utf-8";
    public static final String ALLOW_METHODS = "GET, POST, PATCH, DELETE, OPTIONS";
    public static final String ALLOW_HEADERS = "Authorization, Content-Type, If-Match";
    public static final String EXPOSE_HEADERS = "Location, ETag, Link";

    private HttpResponses() {
    }

    /** A response with a body, Content-Type, Content-Length and the CORS origin header. */
    public static FullHttpResponse of(HttpResponseStatus status, String contentType, byte[] body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        cors(r);
        return r;
    }

    /** The error envelope {@code {"code":<status>,"message":...}} with the matching HTTP status. */
    public static FullHttpResponse error(HttpResponseStatus status, String message) {
        return of(status, JSON, Json.envelope(status.code(), message).getBytes(StandardCharsets.UTF_8));
    }

    /** The answer to any {@code OPTIONS} request (CORS preflight, Fetch standard §3.2). */
    public static FullHttpResponse preflight() {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT,
                Unpooled.EMPTY_BUFFER);
        r.headers().set(HttpHeaderNames.ALLOW, ALLOW_METHODS);
        r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, ALLOW_METHODS);
        r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, ALLOW_HEADERS);
        r.headers().set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "600");
        // RFC 9110 §8.6: no Content-Length on a 204.
        cors(r);
        return r;
    }

    /** Adds the CORS headers every response carries. */
    public static void cors(FullHttpResponse r) {
        r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        r.headers().set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSE_HEADERS);
    }

    /** Marks a response as the last on its connection. */
    public static FullHttpResponse closing(FullHttpResponse r) {
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return r;
    }
}
