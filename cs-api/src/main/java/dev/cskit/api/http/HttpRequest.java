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
 *
 * <p><b>Where it came from.</b> The host resolves the client once, so plugins never parse forwarding headers:
 * {@link #remoteAddress()} is the real client (the TCP peer, or the address a configured trusted proxy forwarded),
 * {@link #peerAddress()} the TCP peer itself, {@link #scheme()} and {@link #authority()} what the client used
 * (TLS to this host or to a trusted proxy that said so; the {@code Host} it asked for), and {@link #proxied()}
 * whether a proxy was involved at all. Without a proxy the first two are equal.
 */
public final class HttpRequest {

    private static final String HTTP = "http";
    private static final String HTTPS = "https";

    private final String method;
    private final String path;
    private final Map<String, String> pathParams;
    private final Map<String, List<String>> query;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final InetSocketAddress remoteAddress;
    private final InetSocketAddress peerAddress;
    private final String scheme;
    private final @Nullable String authority;
    private final boolean viaTrustedProxy;

    private HttpRequest(Builder b) {
        this.method = b.method;
        this.path = b.path;
        this.pathParams = Collections.unmodifiableMap(new LinkedHashMap<>(b.pathParams));
        this.query = copy(b.query);
        this.headers = copy(b.headers);
        this.body = b.body;
        this.remoteAddress = b.remoteAddress;
        this.peerAddress = b.peerAddress != null ? b.peerAddress : b.remoteAddress;
        this.scheme = b.scheme;
        this.authority = b.authority;
        this.viaTrustedProxy = b.viaTrustedProxy;
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
        b.peerAddress = peerAddress;
        b.scheme = scheme;
        b.authority = authority;
        b.viaTrustedProxy = viaTrustedProxy;
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

    /**
     * The client's address: the TCP peer, or, when the peer is one of the host's configured trusted proxies, the
     * client address that proxy forwarded ({@code X-Forwarded-For} or RFC 7239 {@code Forwarded}). Use it to
     * tell clients apart (throttling, logs). Forwarding headers from peers that are not trusted proxies are
     * ignored here.
     */
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** The TCP peer that sent the request: the client itself, or the proxy it came through. */
    public InetSocketAddress peerAddress() {
        return peerAddress;
    }

    /** Whether the client ({@link #remoteAddress()}) is on a loopback address (127.0.0.0/8 or ::1). */
    public boolean fromLoopback() {
        return remoteAddress.getAddress() != null && remoteAddress.getAddress().isLoopbackAddress();
    }

    /**
     * {@code "https"} when the client used TLS, to this host or to a trusted proxy that said so
     * ({@code X-Forwarded-Proto}, {@code Forwarded: proto=}); else {@code "http"}. Links built for the client use it.
     */
    public String scheme() {
        return scheme;
    }

    /** Whether {@link #scheme()} is {@code https}. */
    public boolean secure() {
        return HTTPS.equals(scheme);
    }

    /**
     * The {@code host[:port]} the client asked for: what a trusted proxy forwarded ({@code X-Forwarded-Host},
     * {@code Forwarded: host=}), else the {@code Host} header; empty if there is none.
     */
    public Optional<String> authority() {
        if (authority != null) {
            return Optional.of(authority);
        }
        return header("host").map(String::trim).filter(h -> !h.isEmpty());
    }

    /**
     * Whether the request came through a proxy: the TCP peer is one of the host's trusted proxies, or the request
     * carries any {@code Forwarded}, {@code X-Forwarded-*} or {@code X-Real-IP} header (from anyone). Shortcuts
     * that trust "a local client" must not apply then: the proxy is local, its client may not be.
     */
    public boolean proxied() {
        if (viaTrustedProxy) {
            return true;
        }
        for (String name : headers.keySet()) {
            if (name.equals("forwarded") || name.startsWith("x-forwarded-") || name.equals("x-real-ip")) {
                return true;
            }
        }
        return false;
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
        private @Nullable InetSocketAddress peerAddress;
        private String scheme = HTTP;
        private @Nullable String authority;
        private boolean viaTrustedProxy;

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

        /** The client's address (see {@link HttpRequest#remoteAddress()}). */
        public Builder remoteAddress(InetSocketAddress remoteAddress) {
            this.remoteAddress = Objects.requireNonNull(remoteAddress, "remoteAddress");
            return this;
        }

        /** The TCP peer, when it is not the client (a trusted proxy); default the remote address. */
        public Builder peerAddress(InetSocketAddress peerAddress) {
            this.peerAddress = Objects.requireNonNull(peerAddress, "peerAddress");
            return this;
        }

        /** {@code "http"} (default) or {@code "https"}, any case. */
        public Builder scheme(String scheme) {
            String s = Objects.requireNonNull(scheme, "scheme").toLowerCase(Locale.ROOT);
            if (!s.equals(HTTP) && !s.equals(HTTPS)) {
                throw new IllegalArgumentException("scheme must be http or https, was '" + scheme + "'");
            }
            this.scheme = s;
            return this;
        }

        /** The {@code host[:port]} a trusted proxy forwarded; without it {@code authority()} is the Host header. */
        public Builder authority(@Nullable String authority) {
            this.authority = authority == null || authority.isBlank() ? null : authority.trim();
            return this;
        }

        /** Marks the request as received from one of the host's trusted proxies. */
        public Builder viaTrustedProxy(boolean viaTrustedProxy) {
            this.viaTrustedProxy = viaTrustedProxy;
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
