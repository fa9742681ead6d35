/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty;

import dev.cskit.api.health.Readiness;

/**
 * A part of a server that runs beside the HTTP port on a {@link NettyHost}'s resources; the place for the
 * WebRTC task's one UDP media port. A component binds its own channels on {@link NettyHost#ioGroup()}
 * (e.g. a {@code Bootstrap} with {@code NioDatagramChannel} on {@link NettyHost#bindAddress()} and its
 * port), or on event loops it owns and shuts down in {@link #close} ({@link UdpMediaPort} does, to run on
 * native epoll), schedules timers on {@link NettyHost#scheduler()}, reads time from {@link NettyHost#clock()} and
 * may mount HTTP routes (the host is an {@code HttpRoutes}), e.g. {@code /webrtc/whip/{path...}}.
 *
 * <p><b>Lifecycle and threading:</b> {@link NettyHost#start()} calls {@link #start} once, after the HTTP
 * port is bound and before any plugin is started, on the thread that called {@code start()}; it may block
 * (binding a port). {@link NettyHost#close()} calls {@link #close} once, after every plugin was stopped and
 * before the event loops shut down, so the component can still flush and close its channels. Components
 * start in the order they were added and close in reverse order.
 */
public interface HostComponent {

    /** A short name for logs, e.g. {@code webrtc-udp}. */
    String name();

    /**
     * Binds and starts what the component serves.
     *
     * @throws Exception if it cannot start; the host then fails to start and closes what it opened
     */
    void start(NettyHost host) throws Exception;

    /** Closes what {@link #start} opened; must not throw. */
    void close();

    /**
     * Whether the component serves now (for {@code GET /readyz}); called from any thread, must be cheap and must not
     * block. The default: ready.
     */
    default Readiness readiness() {
        return Readiness.READY;
    }
}
