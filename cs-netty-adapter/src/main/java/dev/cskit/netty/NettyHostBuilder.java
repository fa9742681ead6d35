/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty;

import dev.cskit.api.PluginContext;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.room.RoomBus;
import dev.cskit.api.http.WebOrigin;
import dev.cskit.api.metrics.Meters;
import dev.cskit.netty.internal.TrustedProxies;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/** Builds a {@link NettyHost} ({@link NettyHost#newBuilder()}); not thread-safe. */
public final class NettyHostBuilder {
    InetAddress bindAddress;
    int port = 8080;
    @Nullable String staticRoot = "/web";
    @Nullable ClassLoader classLoader;
    int maxBodyBytes = 64 * 1024;
    int maxFrameBytes = 64 * 1024;
    Duration heartbeatTimeout = Duration.ofSeconds(60);
    @Nullable ExecutorService blockingExecutor;
    @Nullable ScheduledExecutorService scheduler;
    int ioThreads;
    Clock clock = Clock.systemUTC();
    final List<HostComponent> components = new ArrayList<>();
    @Nullable RoomBus roomBus;
    Meters meters = Meters.none();
    @Nullable HostTls tls;
    Duration tlsReloadInterval = Duration.ofSeconds(30);
    @Nullable Integer redirectPort;
    TrustedProxies trustedProxies = TrustedProxies.NONE;
    List<String> corsOrigins = List.of();
    Duration headerTimeout = Duration.ofSeconds(10);
    Duration bodyTimeout = Duration.ofSeconds(30);

    NettyHostBuilder() {
        try {
            bindAddress = InetAddress.getByName("0.0.0.0");
        } catch (UnknownHostException e) {
            throw new IllegalStateException("cannot parse 0.0.0.0", e);
        }
    }

    /** The address to listen on; default {@code 0.0.0.0} (every interface). */
    public NettyHostBuilder bindAddress(InetAddress bindAddress) {
        this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
        return this;
    }

    /** The address to listen on, as a literal IP or host name. */
    public NettyHostBuilder bindAddress(String bindAddress) {
        try {
            this.bindAddress = InetAddress.getByName(Objects.requireNonNull(bindAddress, "bindAddress"));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve bind address '" + bindAddress + "'", e);
        }
        return this;
    }

    /** The HTTP port; default 8080, 0 picks a free one ({@link NettyHost#port()} tells which). */
    public NettyHostBuilder port(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        this.port = port;
        return this;
    }

    /** The class-path folder static files come from; default {@code /web}; {@code null} serves none. */
    public NettyHostBuilder staticRoot(@Nullable String staticRoot) {
        this.staticRoot = staticRoot;
        return this;
    }

    /** Where static files are looked up; default the class loader of this library. */
    public NettyHostBuilder classLoader(ClassLoader classLoader) {
        this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
        return this;
    }

    /** Largest HTTP request body; default 64 KiB; bigger gets {@code 413}. */
    public NettyHostBuilder maxBodyBytes(int maxBodyBytes) {
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive, was " + maxBodyBytes);
        }
        this.maxBodyBytes = maxBodyBytes;
        return this;
    }

    /** Largest WebSocket message; default 64 KiB; bigger closes the socket with {@code 1009}. */
    public NettyHostBuilder maxFrameBytes(int maxFrameBytes) {
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("maxFrameBytes must be positive, was " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
        return this;
    }

    /** A room socket that sends no frame for this long is closed; default 60 s. */
    public NettyHostBuilder heartbeatTimeout(Duration heartbeatTimeout) {
        if (heartbeatTimeout.isNegative() || heartbeatTimeout.isZero()) {
            throw new IllegalArgumentException("heartbeatTimeout must be positive, was " + heartbeatTimeout);
        }
        this.heartbeatTimeout = heartbeatTimeout;
        return this;
    }

    /** Runs blocking HTTP handlers; stays the caller's (not shut down by the host). Default: a host-owned pool. */
    public NettyHostBuilder blockingExecutor(ExecutorService blockingExecutor) {
        this.blockingExecutor = Objects.requireNonNull(blockingExecutor, "blockingExecutor");
        return this;
    }

    /** The scheduler handed to plugins; stays the caller's. Default: a host-owned single thread. */
    public NettyHostBuilder scheduler(ScheduledExecutorService scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        return this;
    }

    /** Number of I/O event loops; 0 (default) lets Netty choose (twice the cores). */
    public NettyHostBuilder ioThreads(int ioThreads) {
        if (ioThreads < 0) {
            throw new IllegalArgumentException("ioThreads must not be negative, was " + ioThreads);
        }
        this.ioThreads = ioThreads;
        return this;
    }

    /** Where every timestamp comes from; default the UTC system clock. */
    public NettyHostBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** Adds a component (e.g. the UDP media port) started with the host; see {@link HostComponent}. */
    /**
     * Shares the rooms with the other nodes of a cluster through {@code bus}: seats are claimed in it and frames to
     * seats go through it ({@link RoomBus}). The host starts it with itself and closes it when it closes.
     */
    public NettyHostBuilder roomBus(RoomBus bus) {
        this.roomBus = Objects.requireNonNull(bus, "bus");
        return this;
    }

    public NettyHostBuilder component(HostComponent component) {
        components.add(Objects.requireNonNull(component, "component"));
        return this;
    }

    /**
     * Where the host and its plugins record metrics ({@link PluginContext#meters()}); default
     * {@link Meters#none()}. Stays the caller's: the host only removes the meters it registered itself.
     */
    public NettyHostBuilder meters(Meters meters) {
        this.meters = Objects.requireNonNull(meters, "meters");
        return this;
    }

    /**
     * Serves HTTPS and WSS on the port with this certificate (default: plain HTTP). Certificates from files are
     * re-read every {@link #tlsReloadInterval} when the files changed.
     */
    public NettyHostBuilder tls(HostTls tls) {
        this.tls = Objects.requireNonNull(tls, "tls");
        return this;
    }

    /** How often the TLS files' modification times are looked at; default 30 s. */
    public NettyHostBuilder tlsReloadInterval(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("tlsReloadInterval must be positive, was " + interval);
        }
        this.tlsReloadInterval = interval;
        return this;
    }

    /**
     * Also listens for plain HTTP on this port (0 picks one) and redirects every request to HTTPS on the same
     * host name: {@code 301} for GET and HEAD, {@code 308} otherwise. Needs {@link #tls}.
     */
    public NettyHostBuilder httpRedirectPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("httpRedirectPort must be 0..65535, was " + port);
        }
        this.redirectPort = port;
        return this;
    }

    /**
     * Reverse proxies (CIDR blocks, e.g. {@code 127.0.0.1/32}, {@code 10.0.0.0/8}) whose {@code Forwarded} or
     * {@code X-Forwarded-For/-Proto/-Host/-Port} headers name the client, its scheme and host; default none.
     *
     * @throws IllegalArgumentException naming an entry that is not an IP address or CIDR block
     */
    public NettyHostBuilder trustedProxies(List<String> cidrs) {
        this.trustedProxies = TrustedProxies.parse(cidrs);
        return this;
    }

    /**
     * Origins of other sites whose pages may call the API (e.g. {@code https://app.example.com}), besides the
     * {@code cors_origins} of plugins started on the host; default none.
     */
    public NettyHostBuilder corsOrigins(List<String> origins) {
        origins.forEach(WebOrigin::require);
        this.corsOrigins = List.copyOf(origins);
        return this;
    }

    /** A request's headers must be complete this long after its first byte, else {@code 408}; default 10 s. */
    public NettyHostBuilder headerTimeout(Duration headerTimeout) {
        if (headerTimeout.isNegative() || headerTimeout.isZero()) {
            throw new IllegalArgumentException("headerTimeout must be positive, was " + headerTimeout);
        }
        this.headerTimeout = headerTimeout;
        return this;
    }

    /** A request's body must be complete this long after its headers, else {@code 408}; default 30 s. */
    public NettyHostBuilder bodyTimeout(Duration bodyTimeout) {
        if (bodyTimeout.isNegative() || bodyTimeout.isZero()) {
            throw new IllegalArgumentException("bodyTimeout must be positive, was " + bodyTimeout);
        }
        this.bodyTimeout = bodyTimeout;
        return this;
    }

    /** Creates the host and its threads; nothing is bound until {@link NettyHost#start()}. */
    public NettyHost build() {
        if (redirectPort != null && tls == null) {
            throw new IllegalStateException("httpRedirectPort redirects to HTTPS: set tls too");
        }
        return new NettyHost(this);
    }
}
