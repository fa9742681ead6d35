/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** An HTTP response a plugin route returns to the host. Immutable and thread-safe. */
public final class HttpResponse {

    public static final String JSON = "application/json; charset=utf-8";

    private final int status;
    private final String contentType;
    private final List<Map.Entry<String, String>> headers;
    private final byte[] body;

    private HttpResponse(int status, String contentType, List<Map.Entry<String, String>> headers, byte[] body) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("HTTP status must be 100..599, was " + status);
        }
        this.status = status;
        this.contentType = Objects.requireNonNull(contentType, "contentType");
        this.headers = Collections.unmodifiableList(new ArrayList<>(headers));
        this.body = body;
    }

    /** A JSON response with the given status and body text. */
    public static HttpResponse json(int status, String json) {
        return new HttpResponse(status, JSON, List.of(), json.getBytes(StandardCharsets.UTF_8));
    }

    /** A response with any content type; {@code body} is copied. */
    public static HttpResponse of(int status, String contentType, byte[] body) {
        return new HttpResponse(status, contentType, List.of(), body.clone());
    }

    /** A copy of this response with one more header. */
    public HttpResponse withHeader(String name, String value) {
        List<Map.Entry<String, String>> h = new ArrayList<>(headers);
        h.add(Map.entry(name, value));
        return new HttpResponse(status, contentType, h, body);
    }

    public int status() {
        return status;
    }

    public String contentType() {
        return contentType;
    }

    /** Extra headers in the order they were added (Content-Type and Content-Length are the host's). */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /** The body; a fresh copy each call. */
    public byte[] body() {
        return body.clone();
    }

    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "HttpResponse[" + status + ", " + contentType + ", " + body.length + " bytes]";
    }
}
