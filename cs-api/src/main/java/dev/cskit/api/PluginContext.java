/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.http.HttpRoutes;
import dev.cskit.api.media.MediaTransport;
import dev.cskit.api.metrics.Meters;
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
    private final Meters meters;
    private final @Nullable Executor cpuExecutor;

    private PluginContext(Builder b) {
        this.rooms = Objects.requireNonNull(b.rooms, "rooms: the host must provide a RoomService");
        this.http = Objects.requireNonNull(b.http, "http: the host must provide HttpRoutes");
        this.scheduler = Objects.requireNonNull(b.scheduler, "scheduler: the host must provide a scheduler");
        this.clock = b.clock;
        this.config = b.config;
        this.media = b.media;
        this.blockingExecutor = b.blockingExecutor;
        this.meters = b.meters;
        this.cpuExecutor = b.cpuExecutor;
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
     * The host's scheduler for timers and short background work (ring timeouts, the trigger of the
     * session-timeout sweep). Tasks must not block: it is one thread shared with every timer, so the plugin
     * never writes its store there (scheduled work that changes sessions hands itself to
     * {@link #blockingExecutor()}). The host owns its lifecycle and shuts it down after stopping the plugin.
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
     * Where the plugin runs work that blocks (DTLS handshakes, which wait on the network for seconds; recording
     * writes; the journal writes of scheduled work such as the timeout sweep). Hosts should give one; without
     * it this is the scheduler, which then also carries that blocking work.
     */
    public Executor blockingExecutor() {
        return blockingExecutor != null ? blockingExecutor : scheduler;
    }

    /**
     * Where the plugin runs short CPU-heavy work that must stay off the threads serving HTTP (bcrypt password
     * checks and hashes, tens to hundreds of milliseconds each). Hosts should give a small bounded pool (about
     * one thread per core and a bounded queue that throws {@link java.util.concurrent.RejectedExecutionException}
     * when full; the plugin then answers 503 at once). Without one this is {@link #blockingExecutor()}. The plugin
     * also bounds how much work it queues here itself.
     */
    public Executor cpuExecutor() {
        return cpuExecutor != null ? cpuExecutor : blockingExecutor();
    }

    /** The host's UDP media sockets, if it has them; without them the plugin offers signaling only. */
    public Optional<MediaTransport> media() {
        return Optional.ofNullable(media);
    }

    /**
     * Where the plugin records its metrics (sessions, calls, agents, the queue, the journal, media); the host binds
     * it to its registry. {@link Meters#none()} unless the host gives one.
     */
    public Meters meters() {
        return meters;
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
        private Meters meters = Meters.none();
        private @Nullable Executor cpuExecutor;

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

        /** Where the plugin records its metrics; default {@link Meters#none()}. */
        public Builder meters(Meters meters) {
            this.meters = Objects.requireNonNull(meters, "meters");
            return this;
        }

        /** A small bounded pool for CPU-heavy work ({@link PluginContext#cpuExecutor()}), or {@code null}. */
        public Builder cpuExecutor(@Nullable Executor cpuExecutor) {
            this.cpuExecutor = cpuExecutor;
            return this;
        }

        public PluginContext build() {
            return new PluginContext(this);
        }
    }
}
