/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.cluster;

import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.core.web.Envelope;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards a WHIP/WHEP request to the session's media home node and answers with the home's answer, so that the
 * client keeps its bearer token (a redirect would lose it: browsers and Node drop {@code Authorization} on a
 * cross-origin redirect). The request keeps its method, path, query, body and its {@code Authorization},
 * {@code Content-Type}, {@code If-Match} and {@code Accept} headers, and is marked {@value #PROXIED_BY} so the home
 * answers it itself. The answer keeps the home's status, body, {@code ETag}, {@code Link} (ICE servers),
 * {@code Allow}, {@code Accept-Patch} and {@code Retry-After}; its {@code Location} is made absolute on the home's
 * URL (RFC 9725 §4.2: later PATCH and DELETE go to it).
 *
 * <p>Bounded: the home has {@code connectTimeout} to accept the connection and {@code timeout} to answer; an answer
 * over {@value #MAX_ANSWER} bytes is refused, and a body over {@value #MAX_REQUEST} bytes is not forwarded
 * ({@code 413}). A home that cannot be reached is {@code 502}, one that does not answer
 * in time {@code 504}, each with {@code Retry-After} and a message naming the node.
 *
 * <p><b>Threading:</b> thread-safe. The JDK {@link HttpClient} runs its callbacks and reads the answer on the
 * executor it is given (the host's blocking executor); it keeps one selector thread of its own.
 */
public final class MediaProxy {

    private static final Logger LOG = LoggerFactory.getLogger(MediaProxy.class);
    /** The header that marks a request one node forwarded to another; its value is the forwarding node's id. */
    public static final String PROXIED_BY = "X-Cskit-Proxied-By";
    /** The answer's header naming the node that holds the media. */
    public static final String MEDIA_NODE = "X-Cskit-Media-Node";
    /** The largest body forwarded to a home node: the gateway's limit of an SDP offer. */
    static final int MAX_REQUEST = 64 * 1024;
    /** The largest answer taken from a home node (an SDP answer is a few kB). */
    static final int MAX_ANSWER = 256 * 1024;
    private static final List<String> REQUEST_HEADERS = List.of("Authorization", "Content-Type", "If-Match", "Accept");
    private static final List<String> ANSWER_HEADERS = List.of("ETag", "Link", "Allow", "Accept-Patch", "Retry-After");
    private static final String RETRY_AFTER = "2";

    private final HttpClient client;
    private final Executor executor;
    private final String selfId;
    private final Duration timeout;
    private final java.util.concurrent.atomic.AtomicLong forwarded = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong failed = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param executor       where the answers are read (bounded; the host's blocking executor)
     * @param selfId         this node's id, sent as {@value #PROXIED_BY}
     * @param connectTimeout how long a home has to accept the connection
     * @param timeout        how long a home has to answer
     */
    public MediaProxy(Executor executor, String selfId, Duration connectTimeout, Duration timeout) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.client = HttpClient.newBuilder()
                .executor(executor)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** Forwards {@code r} to {@code home} (whose URL must be set); the stage completes on the executor, never fails. */
    public CompletionStage<HttpResponse> forward(HttpRequest r, NodeInfo home) {
        if (r.bodyLength() > MAX_REQUEST) {
            return CompletableFuture.completedFuture(Envelope.error(413, "the body exceeds " + MAX_REQUEST
                    + " bytes (an SDP offer or ICE fragment is a few kB)"));
        }
        URI base = Objects.requireNonNull(home.url(), "home url");
        URI target = target(base, r);
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(target)
                .timeout(timeout)
                .method(r.method(), r.bodyLength() == 0 ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofByteArray(r.body()))
                .header(PROXIED_BY, selfId);
        for (String name : REQUEST_HEADERS) {
            r.header(name).ifPresent(v -> b.header(name, v));
        }
        CompletableFuture<java.net.http.HttpResponse<InputStream>> sent;
        try {
            sent = client.sendAsync(b.build(), BodyHandlers.ofInputStream());
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(unreachable(home, 503, "this node is too busy to forward it"));
        }
        forwarded.incrementAndGet();
        return sent.thenApplyAsync(answer -> answer(answer, home, base), executor)
                .exceptionally(t -> failed(t, home, r));
    }

    /** Requests forwarded to a home node so far. */
    public long forwarded() {
        return forwarded.get();
    }

    /** Forwarded requests whose home could not be reached or did not answer in time. */
    public long failed() {
        return failed.get();
    }

    /** The home's URL with the request's path and query. */
    static URI target(URI base, HttpRequest r) {
        String root = base.toString().endsWith("/") ? base.toString().substring(0, base.toString().length() - 1)
                : base.toString();
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        for (Map.Entry<String, List<String>> e : r.queryParams().entrySet()) {
            for (String v : e.getValue()) {
                query.add(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        }
        return URI.create(root + r.path() + query);
    }

    private HttpResponse answer(java.net.http.HttpResponse<InputStream> a, NodeInfo home, URI base) {
        byte[] body;
        try (InputStream in = a.body()) {
            body = in.readNBytes(MAX_ANSWER + 1);
        } catch (IOException e) {
            throw new CompletionException(e);
        }
        if (body.length > MAX_ANSWER) {
            return unreachable(home, 502, "its answer exceeds " + MAX_ANSWER + " bytes");
        }
        String type = a.headers().firstValue("Content-Type").orElse("text/plain");
        HttpResponse out = HttpResponse.of(a.statusCode(), type, body);
        for (String name : ANSWER_HEADERS) {
            for (String v : a.headers().allValues(name)) {
                out = out.withHeader(name, v);
            }
        }
        for (String location : a.headers().allValues("Location")) {
            out = out.withHeader("Location", absolute(base, location));
        }
        return out.withHeader(MEDIA_NODE, home.nodeId());
    }

    /** {@code location} resolved against the home's URL (a home answers a path). */
    static String absolute(URI base, String location) {
        try {
            return base.resolve(location).toString();
        } catch (IllegalArgumentException e) {
            return location;
        }
    }

    private HttpResponse failed(Throwable t, NodeInfo home, HttpRequest r) {
        failed.incrementAndGet();
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (cause instanceof HttpConnectTimeoutException) {
            return unreachable(home, 502, "it did not accept a connection in time");
        }
        if (cause instanceof HttpTimeoutException) {
            return unreachable(home, 504, "it did not answer within " + timeout.toMillis() + " ms");
        }
        if (cause instanceof IOException) {
            return unreachable(home, 502, "it could not be reached (" + cause + ")");
        }
        LOG.error("forwarding {} {} to media node {} failed", r.method(), r.path(), home.nodeId(), cause);
        return unreachable(home, 502, "forwarding failed (" + cause + ")");
    }

    private static HttpResponse unreachable(NodeInfo home, int status, String why) {
        return Envelope.error(status, "the media of this session is on node " + home.nodeId() + " (" + home.url()
                        + "), and " + why + "; retry in a few seconds (a node that is gone is replaced as the "
                        + "session's media home once it leaves the node list)")
                .withHeader("Retry-After", RETRY_AFTER)
                .withHeader(MEDIA_NODE, home.nodeId());
    }
}
