/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import dev.cskit.api.annotation.Nullable;
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
 * {@code Content-Length}, and the CORS headers for an allowed origin ({@link BrowserPolicy}). Stateless.
 * Unsupported API.
 */
public final class HttpResponses {

    public static final String JSON = "application/json; charset=utf-8";
    public static final String ALLOW_METHODS = "GET, POST, PATCH, DELETE, OPTIONS";
    public static final String ALLOW_HEADERS = "Authorization, Content-Type, If-Match";
    public static final String EXPOSE_HEADERS = "Location, ETag, Link, Cskit-Ice-Transport-Policy";

    private HttpResponses() {
    }

    /** A response with a body, Content-Type and Content-Length. */
    public static FullHttpResponse of(HttpResponseStatus status, String contentType, byte[] body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return r;
    }

    /** The error envelope {@code {"code":<status>,"message":...}} with the matching HTTP status. */
    public static FullHttpResponse error(HttpResponseStatus status, String message) {
        return of(status, JSON, Json.envelope(status.code(), message).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The answer to any {@code OPTIONS} request: {@code Allow}, and for an allowed origin the CORS preflight
     * headers (Fetch standard §3.2.3); the origin header itself is added by {@link #cors}.
     */
    public static FullHttpResponse preflight(boolean allowedOrigin) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT,
                Unpooled.EMPTY_BUFFER);
        r.headers().set(HttpHeaderNames.ALLOW, ALLOW_METHODS);
        if (allowedOrigin) {
            r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, ALLOW_METHODS);
            r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, ALLOW_HEADERS);
            r.headers().set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "600");
        }
        // RFC 9110 §8.6: no Content-Length on a 204.
        return r;
    }

    /**
     * Adds the CORS headers for an allowed origin: that origin (never {@code *}) and the exposed headers.
     *
     * @param origin the allowed origin of the request, or null for none
     * @param vary   whether answers depend on {@code Origin} at all (some origins are allowed): {@code Vary: Origin}
     */
    public static void cors(FullHttpResponse r, @Nullable String origin, boolean vary) {
        if (origin != null) {
            r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            r.headers().set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSE_HEADERS);
        }
        if (vary || origin != null) {
            r.headers().add(HttpHeaderNames.VARY, "Origin");
        }
    }

    /** {@code 100 Continue} (RFC 9110 §15.2.1): the client may send the body it announced. */
    public static FullHttpResponse continueResponse() {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER);
    }

    /** Marks a response as the last on its connection. */
    public static FullHttpResponse closing(FullHttpResponse r) {
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return r;
    }
}
