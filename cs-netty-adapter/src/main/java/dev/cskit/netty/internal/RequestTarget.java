/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import dev.cskit.api.http.HttpRequest;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * A request's path and query, decoded once (decoding fails on a malformed %-escape), and the plugin's view of the
 * request built from it. Unsupported API.
 */
record RequestTarget(String path, Map<String, List<String>> query) {

    /** @throws IllegalArgumentException on a malformed %-escape */
    static RequestTarget parse(String uri) {
        QueryStringDecoder d = new QueryStringDecoder(uri);
        return new RequestTarget(d.path(), d.parameters());
    }

    /** The first value of a query parameter, or "". */
    String first(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? "" : values.get(0);
    }

    /**
     * The request as a plugin route sees it: the client's address and scheme as the trusted proxies tell them,
     * the socket's peer, query, headers, path parameters and (for a whole request) the body.
     */
    HttpRequest toApiRequest(io.netty.handler.codec.http.HttpRequest req, Map<String, String> params,
                             TrustedProxies.Client client, String scheme, InetSocketAddress peer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(req.method().name(), path)
                .remoteAddress(client.address())
                .peerAddress(peer)
                .scheme(scheme)
                .authority(client.authority())
                .viaTrustedProxy(client.viaTrustedProxy());
        for (Map.Entry<String, List<String>> q : query.entrySet()) {
            q.getValue().forEach(v -> b.queryParam(q.getKey(), v));
        }
        for (Map.Entry<String, String> h : req.headers()) {
            b.header(h.getKey(), h.getValue());
        }
        params.forEach(b::pathParam);
        if (req instanceof FullHttpRequest full) {
            b.body(ByteBufUtil.getBytes(full.content()));
        }
        return b.build();
    }
}
