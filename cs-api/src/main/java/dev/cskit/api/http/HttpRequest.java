/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.http;

import dev.cskit.api.annotation.Nullable;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP request as a host hands it to a plugin route: fully read, body bounded by the host.
 * Immutable and thread-safe. Header names are matched case-insensitively.
 */
public final class HttpRequest {

    private final String method;
    private final String path;
    private final Map<String, String> pathParams;
    private final Map<String, List<String>> query;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final InetSocketAddress remoteAddress;

    private HttpRequest(Builder b) {
        this.method = b.method;
        this.path = b.path;
        this.pathParams = Collections.unmodifiableMap(new LinkedHashMap<>(b.pathParams));
        this.query = copy(b.query);
        this.headers = copy(b.headers);
        this.body = b.body;
        this.remoteAddress = b.remoteAddress;
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> source) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        source.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return Collections.unmodifiableMap(out);
    }

    public static Builder newBuilder(String method, String path) {
        return new Builder(method, path);
    }

    /** A copy of this request with the path parameters a matched route extracted. */
    public HttpRequest withPathParams(Map<String, String> params) {
        Builder b = toBuilder();
        b.pathParams.clear();
        b.pathParams.putAll(params);
        return new HttpRequest(b);
    }

    public Builder toBuilder() {
        Builder b = new Builder(method, path);
        b.pathParams.putAll(pathParams);
        query.forEach((k, v) -> b.query.put(k, new ArrayList<>(v)));
        headers.forEach((k, v) -> b.headers.put(k, new ArrayList<>(v)));
        b.body = body;
        b.remoteAddress = remoteAddress;
        return b;
    }

    /** Upper-case method, e.g. {@code GET}. */
    public String method() {
        return method;
    }

    /** The decoded path without the query string, e.g. {@code /customer-service/sessions/cs_1}. */
    public String path() {
        return path;
    }

    /** A parameter of the matched route pattern, e.g. {@code id} of {@code /sessions/{id}}. */
    public String pathParam(String name) {
        String v = pathParams.get(name);
        if (v == null) {
            throw new IllegalArgumentException("the matched route has no path parameter '" + name + "'");
        }
        return v;
    }

    /** The first value of a query parameter. */
    public Optional<String> queryParam(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    public Map<String, List<String>> queryParams() {
        return query;
    }

    /** The first value of a header, matched case-insensitively. */
    public Optional<String> header(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    /** The token of an {@code Authorization: Bearer <token>} header. */
    public Optional<String> bearerToken() {
        return header("authorization")
                .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> h.substring(7).trim())
                .filter(t -> !t.isEmpty());
    }

    /** The body; a fresh copy each call. */
    public byte[] body() {
        return body.clone();
    }

    public int bodyLength() {
        return body.length;
    }

    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** Whether the client connects from a loopback address (127.0.0.0/8 or ::1). */
    public boolean fromLoopback() {
        return remoteAddress.getAddress() != null && remoteAddress.getAddress().isLoopbackAddress();
    }

    @Override
    public String toString() {
        return method + " " + path;
    }

    /** Builds an {@link HttpRequest}; not thread-safe. */
    public static final class Builder {
        private final String method;
        private final String path;
        private final Map<String, String> pathParams = new LinkedHashMap<>();
        private final Map<String, List<String>> query = new LinkedHashMap<>();
        private final Map<String, List<String>> headers = new LinkedHashMap<>();
        private byte[] body = new byte[0];
        private InetSocketAddress remoteAddress = new InetSocketAddress("127.0.0.1", 0);

        private Builder(String method, String path) {
            this.method = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
            this.path = Objects.requireNonNull(path, "path");
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("path must start with '/', was '" + path + "'");
            }
        }

        public Builder queryParam(String name, String value) {
            query.computeIfAbsent(name, k -> new ArrayList<>()).add(Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder header(String name, String value) {
            headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(Objects.requireNonNull(value, "value"));
            return this;
        }

        /** The body; the builder keeps a copy. */
        public Builder body(byte[] body) {
            this.body = body.clone();
            return this;
        }

        public Builder body(String body) {
            this.body = body.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        public Builder remoteAddress(InetSocketAddress remoteAddress) {
            this.remoteAddress = Objects.requireNonNull(remoteAddress, "remoteAddress");
            return this;
        }

        public Builder pathParam(String name, @Nullable String value) {
            if (value == null) {
                pathParams.remove(name);
            } else {
                pathParams.put(name, value);
            }
            return this;
        }

        public HttpRequest build() {
            return new HttpRequest(this);
        }
    }
}
