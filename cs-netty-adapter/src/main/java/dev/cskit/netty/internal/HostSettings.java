/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import dev.cskit.api.http.RouteMatcher;
import io.netty.channel.Channel;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * What every connection's pipeline shares: the routes, the rooms, the static files, the executor for
 * blocking work, the limits and the set of open channels (for shutdown). Immutable holder of thread-safe
 * parts. Unsupported API.
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
 */
public record HostSettings(RouteMatcher routes, RoomRegistry rooms, StaticFiles staticFiles, Executor blocking,
                           int maxBodyBytes, int maxFrameBytes, Duration heartbeat, Clock clock,
                           Set<Channel> openChannels) {
    public HostSettings {
        Objects.requireNonNull(routes, "routes");
        Objects.requireNonNull(rooms, "rooms");
        Objects.requireNonNull(staticFiles, "staticFiles");
        Objects.requireNonNull(blocking, "blocking");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(openChannels, "openChannels");
    }
}
