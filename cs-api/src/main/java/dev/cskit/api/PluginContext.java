/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api;

import dev.cskit.api.http.HttpRoutes;
import dev.cskit.api.media.MediaTransport;
import dev.cskit.api.room.RoomService;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a host hands a plugin when it starts it. The library starts no threads of its own: timers run on
 * the host's scheduler, time comes from the host's clock. Immutable; build with {@link #newBuilder()}.
 */
public final class PluginContext {

    private final RoomService rooms;
    private final HttpRoutes http;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final CsConfig config;
    private final @Nullable MediaTransport media;
    private final @Nullable Executor blockingExecutor;

    private PluginContext(Builder b) {
        this.rooms = Objects.requireNonNull(b.rooms, "rooms: the host must provide a RoomService");
        this.http = Objects.requireNonNull(b.http, "http: the host must provide HttpRoutes");
        this.scheduler = Objects.requireNonNull(b.scheduler, "scheduler: the host must provide a scheduler");
        this.clock = b.clock;
        this.config = b.config;
        this.media = b.media;
        this.blockingExecutor = b.blockingExecutor;
    }

    public static Builder newBuilder() {
        return new Builder();
    }

    /** The host's room service. */
    public RoomService rooms() {
        return rooms;
    }

    /** Where the plugin mounts its HTTP routes. */
    public HttpRoutes http() {
        return http;
    }

    /**
     * The host's scheduler for timers and short background work (e.g. the session-timeout sweep). Tasks
     * must not block for long; the host owns its lifecycle and shuts it down after stopping the plugin.
     */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Every timestamp and timeout is read from this clock. */
    public Clock clock() {
        return clock;
    }

    public CsConfig config() {
        return config;
    }

    /**
     * Where the plugin may run work that blocks for long (e.g. DTLS handshakes, which wait on the network for
     * seconds); the scheduler if the host gives none.
     */
    public Executor blockingExecutor() {
        return blockingExecutor != null ? blockingExecutor : scheduler;
    }

    /** The host's UDP media sockets, if it has them; without them the plugin offers signaling only. */
    public Optional<MediaTransport> media() {
        return Optional.ofNullable(media);
    }

    /** Builds a {@link PluginContext}; not thread-safe. */
    public static final class Builder {
        private RoomService rooms;
        private HttpRoutes http;
        private ScheduledExecutorService scheduler;
        private Clock clock = Clock.systemUTC();
        private CsConfig config = CsConfig.defaults();
        private @Nullable MediaTransport media;
        private @Nullable Executor blockingExecutor;

        private Builder() {
        }

        public Builder rooms(RoomService rooms) {
            this.rooms = Objects.requireNonNull(rooms, "rooms");
            return this;
        }

        public Builder http(HttpRoutes http) {
            this.http = Objects.requireNonNull(http, "http");
            return this;
        }

        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder config(CsConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        public Builder media(@Nullable MediaTransport media) {
            this.media = media;
            return this;
        }

        public Builder blockingExecutor(@Nullable Executor blockingExecutor) {
            this.blockingExecutor = blockingExecutor;
            return this;
        }

        public PluginContext build() {
            return new PluginContext(this);
        }
    }
}
