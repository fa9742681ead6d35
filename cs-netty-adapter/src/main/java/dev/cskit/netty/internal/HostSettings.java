/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.http.RouteMatcher;
import dev.cskit.netty.stats.HostCounters;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * What every connection's pipeline shares: the routes, the rooms, the static files, the executor for
 * blocking work, the limits, the set of open channels (for shutdown), and the browser-facing rules. Immutable
 * holder of thread-safe parts. Unsupported API.
 *
 * @param routes         plugin routes
 * @param rooms          the room service
 * @param staticFiles    class-path files
 * @param blocking       runs route handlers and static-file reads, never the event loop
 * @param maxBodyBytes   largest request body
 * @param maxFrameBytes  largest WebSocket message
 * @param heartbeat      a room socket silent this long is closed
 * @param clock          timestamps on frames
 * @param openChannels   every accepted channel until it closes
 * @param headerTimeout  a request's headers must be complete this long after its first byte
 * @param bodyTimeout    a request's body must be complete this long after its headers
 * @param browser        CORS origins and the cross-site rule
 * @param proxies        trusted reverse proxies and their forwarding headers
 * @param counters       what connections count (parse errors, time-outs, resets)
 * @param tls            the TLS context for each new connection on the main port, or null for plain HTTP
 * @param httpsPort      the port HTTPS is served on (plain HTTP requests are redirected there), 0 without TLS
 */
public record HostSettings(RouteMatcher routes, RoomRegistry rooms, StaticFiles staticFiles, Executor blocking,
                           int maxBodyBytes, int maxFrameBytes, Duration heartbeat, Clock clock,
                           Set<Channel> openChannels, Duration headerTimeout, Duration bodyTimeout,
                           BrowserPolicy browser, TrustedProxies proxies, HostCounters counters,
                           @Nullable Supplier<SslContext> tls, IntSupplier httpsPort) {
    public HostSettings {
        Objects.requireNonNull(routes, "routes");
        Objects.requireNonNull(rooms, "rooms");
        Objects.requireNonNull(staticFiles, "staticFiles");
        Objects.requireNonNull(blocking, "blocking");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(openChannels, "openChannels");
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        Objects.requireNonNull(bodyTimeout, "bodyTimeout");
        Objects.requireNonNull(browser, "browser");
        Objects.requireNonNull(proxies, "proxies");
        Objects.requireNonNull(counters, "counters");
        Objects.requireNonNull(httpsPort, "httpsPort");
    }
}
