/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import dev.cskit.api.annotation.Nullable;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads a host runs on, who owns each, and their orderly shutdown:
 * <ul>
 *   <li>{@code cskit-io}: the Netty event loops (HTTP, WebSocket frames); never blocks;</li>
 *   <li>{@code cskit-room}: room callbacks, serialized per room by {@link SerialStripes} (at most one task per
 *       stripe is queued, so the queue stays small); callbacks may block briefly (a journal write);</li>
 *   <li>{@code cskit-scheduler}: the plugins' timers and short tasks, one thread (or the caller's scheduler);</li>
 *   <li>{@code cskit-http}: blocking HTTP handlers and static files, bounded (or the caller's executor);</li>
 *   <li>{@code cskit-cpu}: the plugins' short CPU-heavy work (password hashing), one thread per core and a
 *       bounded queue, made when a plugin first asks for it;</li>
 *   <li>{@code cskit-blocking}: the plugins' long blocking work (DTLS handshakes, recordings, journal writes of
 *       scheduled work), elastic, made when a plugin first asks for it.</li>
 * </ul>
 * An executor or scheduler the caller passed stays the caller's: it is neither shut down nor waited for.
 * Thread-safe. Unsupported API.
 */
public final class HostThreads {

    private static final Logger LOG = LoggerFactory.getLogger(HostThreads.class);

    private final EventLoopGroup io;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final ExecutorService http;
    private final boolean ownsHttp;
    private final ExecutorService rooms;
    private @Nullable ExecutorService blocking; // guarded by this
    private @Nullable ExecutorService cpu; // guarded by this

    /**
     * @param ioThreads event loops, 0 for Netty's default (twice the cores)
     * @param scheduler the caller's scheduler, or {@code null} for a host-owned one
     * @param http      the caller's executor for blocking HTTP handlers, or {@code null} for a host-owned pool
     * @param stripes   how many room serializers there are (the room pool never needs more threads)
     */
    public HostThreads(int ioThreads, @Nullable ScheduledExecutorService scheduler, @Nullable ExecutorService http,
                       int stripes) {
        this.io = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("cskit-io"),
                NioIoHandler.newFactory());
        this.ownsScheduler = scheduler == null;
        this.scheduler = scheduler != null ? scheduler
                : Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("cskit-scheduler", true));
        int n = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        this.ownsHttp = http == null;
        if (http != null) {
            this.http = http;
        } else {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(n, n, 60, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(1024), new DefaultThreadFactory("cskit-http", true));
            pool.allowCoreThreadTimeOut(true);
            this.http = pool;
        }
        // Unbounded queue, but each stripe queues at most one drain at a time: never more than `stripes` tasks.
        ThreadPoolExecutor roomPool = new ThreadPoolExecutor(Math.min(n, stripes), Math.min(n, stripes), 60,
                TimeUnit.SECONDS, new LinkedBlockingQueue<>(), new DefaultThreadFactory("cskit-room", true));
        roomPool.allowCoreThreadTimeOut(true);
        this.rooms = roomPool;
    }

    public EventLoopGroup io() {
        return io;
    }

    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Blocking HTTP handlers and static-file reads. */
    public ExecutorService http() {
        return http;
    }

    /** Where room callbacks run, one stripe at a time. */
    public ExecutorService rooms() {
        return rooms;
    }

    /** The plugins' pool for long blocking work ({@code PluginContext.blockingExecutor()}). */
    public synchronized ExecutorService blocking() {
        if (blocking == null) {
            // Elastic: a few vanished DTLS clients wait out their timeouts without starving anything else.
            blocking = Executors.newCachedThreadPool(new DefaultThreadFactory("cskit-blocking", true));
        }
        return blocking;
    }

    /**
     * The plugins' pool for short CPU-heavy work ({@code PluginContext.cpuExecutor()}): bounded, so a burst of
     * password checks waits in a short queue or is refused at once, and never holds an HTTP thread.
     */
    public synchronized ExecutorService cpu() {
        if (cpu == null) {
            int n = Math.max(1, Runtime.getRuntime().availableProcessors());
            ThreadPoolExecutor pool = new ThreadPoolExecutor(n, n, 60, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(64), new DefaultThreadFactory("cskit-cpu", true));
            pool.allowCoreThreadTimeOut(true);
            cpu = pool;
        }
        return cpu;
    }

    /** Stops the host-owned threads (after the plugins stopped and the sockets closed); waits a few seconds at most. */
    public void shutdown() {
        if (ownsHttp) {
            shutdown(http, "HTTP handler pool");
        }
        shutdown(rooms, "room callback pool");
        ExecutorService b;
        ExecutorService c;
        synchronized (this) {
            b = blocking;
            c = cpu;
        }
        if (c != null) {
            shutdown(c, "CPU pool");
        }
        if (b != null) {
            shutdown(b, "blocking pool");
        }
        if (ownsScheduler) {
            shutdown(scheduler, "scheduler");
        }
        io.shutdownGracefully(50, 3000, TimeUnit.MILLISECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private static void shutdown(ExecutorService e, String what) {
        e.shutdown();
        try {
            if (!e.awaitTermination(3, TimeUnit.SECONDS)) {
                LOG.warn("{} did not finish within 3 s; interrupting it", what);
                e.shutdownNow();
            }
        } catch (InterruptedException ie) {
            e.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
