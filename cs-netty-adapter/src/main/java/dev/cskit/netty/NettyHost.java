/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty;

import dev.cskit.api.CsConfig;
import dev.cskit.api.CustomerServicePlugin;
import dev.cskit.api.PluginContext;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.health.Readiness;
import dev.cskit.api.http.HttpHandler;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.api.http.HttpRoutes;
import dev.cskit.api.http.RouteMatcher;
import dev.cskit.api.http.StreamingHttpHandler;
import dev.cskit.api.media.MediaTransport;
import dev.cskit.api.metrics.MeterRegistration;
import dev.cskit.api.metrics.Meters;
import dev.cskit.api.metrics.Tags;
import dev.cskit.api.room.RoomCallbacks;
import dev.cskit.api.room.RoomInfo;
import dev.cskit.api.room.RoomService;
import dev.cskit.api.room.RoomType;
import dev.cskit.api.http.WebOrigin;
import dev.cskit.netty.internal.BrowserPolicy;
import dev.cskit.netty.internal.HostChannelInitializer;
import dev.cskit.netty.internal.HostListeners;
import dev.cskit.netty.internal.HostSettings;
import dev.cskit.netty.internal.HostThreads;
import dev.cskit.netty.internal.Json;
import dev.cskit.netty.internal.RoomRegistry;
import dev.cskit.netty.internal.SerialStripes;
import dev.cskit.netty.internal.StaticFiles;
import dev.cskit.netty.stats.HostCounters;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reference host for cskit on Netty: one HTTP/1.1 port that serves plugin routes, static files from the
 * class path and the room WebSocket at {@code /room?type=<room type>}, with a room service that seats
 * users under each type's limit. It is the {@link RoomService} and {@link HttpRoutes} a plugin's
 * {@link PluginContext} carries.
 *
 * <p><b>HTTPS:</b> with {@link NettyHostBuilder#tls} the port serves HTTPS and WSS only (plain HTTP sent to it
 * is redirected), and an optional {@link NettyHostBuilder#httpRedirectPort} redirects plain HTTP to it. PEM
 * certificates are re-read when their files change. <b>Browsers and proxies:</b> only the {@code cors_origins} of
 * the plugins started here (and {@link NettyHostBuilder#corsOrigins}) get CORS headers; state-changing requests
 * from pages of other sites are refused with {@code 403}; forwarding headers count only from
 * {@link NettyHostBuilder#trustedProxies}. Requests
 * have header and body deadlines ({@code 408}); every parse error is answered and {@linkplain #counters counted}.
 *
 * <pre>{@code
 * NettyHost host = NettyHost.newBuilder().port(8080).build().start();
 * host.startPlugin(CustomerServicePlugin.load(), CsConfig.defaults());
 * ...
 * host.close();   // stops the plugin (calls end with reason shutdown), closes sockets and threads
 * }</pre>
 *
 * <p><b>Threads it owns</b> (all shut down by {@link #close()}; see {@code internal.HostThreads}): the Netty
 * I/O event loops ({@code cskit-io}, never blocked), a small pool for room callbacks ({@code cskit-room}, each
 * room's callbacks one at a time, in order), a single-thread {@linkplain #scheduler() scheduler} handed to
 * plugins as {@link PluginContext#scheduler()} for timers and short tasks, an elastic pool handed to plugins
 * as {@link PluginContext#blockingExecutor()} ({@code cskit-blocking}), a bounded pool handed to plugins as
 * {@link PluginContext#cpuExecutor()} ({@code cskit-cpu}, password hashing), and, unless the builder was given
 * one, a bounded pool for blocking HTTP handlers and static-file reads ({@code cskit-http}; when its queue is
 * full, requests get {@code 503}). An executor or scheduler passed to the builder stays the caller's: the
 * host neither shuts it down nor waits for it.
 *
 * <p><b>Health:</b> the host answers {@code GET /healthz} (200 while the process serves HTTP) and
 * {@code GET /readyz} (200 once a plugin has started and every component and plugin is
 * {@linkplain #readiness() ready}; 503 with the reason otherwise, and while {@linkplain #drain draining}).
 *
 * <p><b>Metrics:</b> the builder's {@link NettyHostBuilder#meters Meters} are handed to plugins
 * ({@link PluginContext#meters()}); the host itself records {@code cskit_websocket_connections}.
 *
 * <p><b>Thread-safety:</b> every method is thread-safe. {@link #start()}, {@link #startPlugin}, {@link #drain} and
 * {@link #close()} are meant to be called from one controlling thread.
 */
public final class NettyHost implements RoomService, HttpRoutes, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NettyHost.class);

    /** Stripes of the room-callback serializer; rooms hash onto them. */
    private static final int CALLBACK_STRIPES = 64;

    private final InetAddress bindAddress;
    private final int requestedPort;
    private final Clock clock;
    private final HostThreads threads;
    private final RouteMatcher routes = new RouteMatcher();
    private final RoomRegistry rooms;
    private final HostSettings settings;
    private final Set<Channel> openChannels = ConcurrentHashMap.newKeySet();
    private final List<HostComponent> components;
    // Copy-on-write: readiness probes read them without waiting for a plugin that is starting.
    private final List<HostComponent> startedComponents = new CopyOnWriteArrayList<>();
    private final List<CustomerServicePlugin> plugins = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean draining;
    private final Meters meters;
    private final MeterRegistration webSockets;
    private final @Nullable HostTls tls;
    private final Duration tlsReloadInterval;
    private final @Nullable Integer redirectPort;
    private final BrowserPolicy browser = new BrowserPolicy();
    private final HostCounters counters = new HostCounters();
    private final HostListeners listeners;
    private volatile @Nullable ScheduledFuture<?> tlsReload;

    NettyHost(NettyHostBuilder b) {
        this.bindAddress = b.bindAddress;
        this.requestedPort = b.port;
        this.clock = b.clock;
        this.threads = new HostThreads(b.ioThreads, b.scheduler, b.blockingExecutor, CALLBACK_STRIPES);
        this.listeners = new HostListeners(bindAddress, threads.io(), openChannels);
        SerialStripes stripes = new SerialStripes(CALLBACK_STRIPES, i -> threads.rooms());
        this.rooms = new RoomRegistry(stripes, clock);
        if (b.roomBus != null) {
            rooms.cluster(b.roomBus); // closed by rooms.shutdown()
        }
        ClassLoader loader = b.classLoader != null ? b.classLoader : NettyHost.class.getClassLoader();
        this.tls = b.tls;
        this.tlsReloadInterval = b.tlsReloadInterval;
        this.redirectPort = b.redirectPort;
        browser.allow(b.corsOrigins, List.of());
        HostTls t = b.tls;
        this.settings = new HostSettings(routes, rooms, new StaticFiles(loader, b.staticRoot), threads.http(),
                b.maxBodyBytes, b.maxFrameBytes, b.heartbeatTimeout, clock, openChannels, b.headerTimeout,
                b.bodyTimeout, browser, b.trustedProxies, counters, t == null ? null : t::context,
                () -> t == null ? 0 : httpsPort());
        this.components = List.copyOf(b.components);
        this.meters = b.meters;
        this.webSockets = meters.gauge("cskit_websocket_connections", "Open room WebSocket connections",
                Tags.empty(), listeners::webSockets);
        routes.add("GET", "/healthz", r -> status(200, "alive"));
        routes.add("GET", "/readyz", r -> {
            Readiness ready = readiness();
            return ready.ready() ? status(200, "ready")
                    : HttpResponse.json(503, Json.envelope(503, "not ready: " + ready.reason()));
        });
    }

    private static HttpResponse status(int code, String status) {
        return HttpResponse.json(code, "{\"code\":0,\"data\":{\"status\":\"" + status + "\"}}");
    }

    public static NettyHostBuilder newBuilder() {
        return new NettyHostBuilder();
    }

    /**
     * Binds the HTTP port and starts the components.
     *
     * @return this host
     * @throws IOException if the port cannot be bound or a component fails; the host is closed then
     * @throws IllegalStateException if already started or closed
     */
    public synchronized NettyHost start() throws IOException {
        if (closed.get()) {
            throw new IllegalStateException("this host is closed; build a new one");
        }
        if (listeners.server() != null) {
            throw new IllegalStateException("this host is started already");
        }
        try {
            rooms.startCluster(threads.scheduler());
            listeners.bindServer(new HostChannelInitializer(settings), requestedPort);
            if (redirectPort != null) {
                listeners.bindRedirect(new HostChannelInitializer(settings, false), redirectPort);
            }
        } catch (IOException e) {
            close();
            throw e;
        }
        if (tls != null && tls.watchesFiles()) {
            long ms = tlsReloadInterval.toMillis();
            tlsReload = threads.scheduler().scheduleWithFixedDelay(this::reloadTls, ms, ms, TimeUnit.MILLISECONDS);
        }
        for (HostComponent c : components) {
            try {
                c.start(this);
                startedComponents.add(c);
            } catch (Exception e) {
                close();
                throw new IOException("component " + c.name() + " failed to start: " + e.getMessage(), e);
            }
        }
        if (tls != null) {
            LOG.info("HTTPS, WSS and WHIP/WHEP listening on {}; TLS {}", localAddress(), tls.describe());
        } else {
            LOG.info("HTTP and room WebSocket listening on {}", localAddress());
        }
        Channel redirect = listeners.redirect();
        if (redirect != null) {
            LOG.info("plain HTTP on {} redirects to HTTPS on port {}", redirect.localAddress(), port());
        }
        return this;
    }

    private void reloadTls() {
        try {
            tls.reloadIfChanged();
        } catch (RuntimeException e) {
            LOG.error("TLS certificate reload failed; keeping the current certificate", e);
        }
    }

    /** The port HTTPS is on: the bound one, or the requested one before binding. */
    private int httpsPort() {
        Integer bound = HostListeners.portOf(listeners.server());
        return bound == null ? requestedPort : bound;
    }

    /**
     * Starts a plugin with a context made of this host and {@code config}; the host stops it on
     * {@link #close()}.
     *
     * @throws IllegalStateException if the host is not started or closed
     * @throws Exception             what the plugin's {@code start} threw
     */
    public synchronized void startPlugin(CustomerServicePlugin plugin, CsConfig config) throws Exception {
        Objects.requireNonNull(plugin, "plugin");
        if (listeners.server() == null || closed.get()) {
            throw new IllegalStateException("start the host before starting plugins on it");
        }
        // The plugin's browser-facing settings: other sites it allows, and its public_url as one of our origins.
        browser.allow(config.corsOrigins(), config.publicUrl().flatMap(WebOrigin::ofUrl)
                .map(o -> List.of(o.toString())).orElse(List.of()));
        plugin.start(pluginContext(config));
        plugins.add(plugin);
        LOG.info("plugin {} started", plugin.name());
    }

    /** The context {@link #startPlugin} hands a plugin: this host, its scheduler and clock, and {@code config}. */
    public PluginContext pluginContext(CsConfig config) {
        MediaTransport media = null;
        for (HostComponent c : components) {
            if (c instanceof MediaTransport t) {
                media = t;
                break;
            }
        }
        return PluginContext.newBuilder()
                .rooms(this)
                .http(this)
                .scheduler(threads.scheduler())
                .clock(clock)
                .config(Objects.requireNonNull(config, "config"))
                .media(media)
                .blockingExecutor(threads.blocking())
                .meters(meters)
                .cpuExecutor(threads.cpu())
                .build();
    }

    /** The bound HTTP port (useful with port 0). */
    public int port() {
        return localAddress().getPort();
    }

    /** Whether the port serves HTTPS and WSS ({@link NettyHostBuilder#tls}). */
    public boolean secure() {
        return tls != null;
    }

    /** The bound port of the plain-HTTP redirect listener, if there is one. */
    public Optional<Integer> redirectPort() {
        return Optional.ofNullable(HostListeners.portOf(listeners.redirect()));
    }

    /** Where the host and its components record metrics (the builder's {@code meters}). */
    public Meters meters() {
        return meters;
    }

    /** What connections counted: parse errors, time-outs, resets, refused cross-site requests (for metrics). */
    public HostCounters counters() {
        return counters;
    }

    /** The bound HTTP address. */
    public InetSocketAddress localAddress() {
        Channel ch = listeners.server();
        if (ch == null) {
            throw new IllegalStateException("the host is not started");
        }
        return (InetSocketAddress) ch.localAddress();
    }

    /** The address the HTTP port (and components, by convention) bind to. */
    public InetAddress bindAddress() {
        return bindAddress;
    }

    /** The I/O event loops; components bind their channels (e.g. the UDP media port) on them. */
    public EventLoopGroup ioGroup() {
        return threads.io();
    }

    /** The scheduler plugins get; owned by the host unless the builder was given one. */
    public ScheduledExecutorService scheduler() {
        return threads.scheduler();
    }

    public Clock clock() {
        return clock;
    }

    /**
     * Whether the host takes traffic: not draining or closed, every component ready (the media port bound), at
     * least one plugin started and every plugin ready (e.g. its journal writable). What {@code GET /readyz}
     * answers. Never blocks.
     */
    public Readiness readiness() {
        if (closed.get()) {
            return Readiness.notReady("the server is closed");
        }
        if (draining) {
            return Readiness.notReady("draining: the server is shutting down");
        }
        if (listeners.server() == null) {
            return Readiness.notReady("the server is not started");
        }
        for (HostComponent c : startedComponents) {
            Readiness r = c.readiness();
            if (!r.ready()) {
                return r;
            }
        }
        if (plugins.isEmpty()) {
            return Readiness.notReady("no plugin has started");
        }
        for (CustomerServicePlugin p : plugins) {
            Readiness r = p.readiness();
            if (!r.ready()) {
                return r;
            }
        }
        return Readiness.READY;
    }

    /**
     * A graceful shutdown: from now on {@code /readyz} answers 503, each plugin {@linkplain
     * CustomerServicePlugin#drain drains} (refuses new sessions and waits for the calls in progress to end by
     * themselves) within one shared {@code grace}, then the host {@linkplain #close() closes} (calls still in
     * progress end with reason {@code shutdown}). A zero grace closes at once. Blocks up to {@code grace} plus the
     * close. Meant for the controlling thread or a JVM shutdown hook.
     */
    public void drain(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative, was " + grace);
        }
        if (closed.get()) {
            return;
        }
        draining = true;
        LOG.info("draining: /readyz answers 503; calls in progress have up to {} s to end", grace.toSeconds());
        long deadline = System.nanoTime() + grace.toNanos();
        for (CustomerServicePlugin p : plugins) {
            try {
                p.drain(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            } catch (RuntimeException e) {
                LOG.error("plugin {} failed to drain", p.name(), e);
            }
        }
        close();
    }

    /**
     * Stops the plugins (newest first; they end calls with reason {@code shutdown} and flush their
     * stores), closes the components, closes the rooms left, sends every room socket a close frame
     * ({@code 1001}), closes every connection and the port, then shuts down the threads the host owns.
     * Idempotent; waits a few seconds at most.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<CustomerServicePlugin> toStop;
        List<HostComponent> toClose;
        synchronized (this) {
            toStop = new ArrayList<>(plugins);
            toClose = new ArrayList<>(startedComponents);
            plugins.clear();
            startedComponents.clear();
        }
        for (int i = toStop.size() - 1; i >= 0; i--) {
            CustomerServicePlugin p = toStop.get(i);
            try {
                p.stop();
            } catch (RuntimeException e) {
                LOG.error("plugin {} failed to stop cleanly", p.name(), e);
            }
        }
        for (int i = toClose.size() - 1; i >= 0; i--) {
            HostComponent c = toClose.get(i);
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.error("component {} failed to close cleanly", c.name(), e);
            }
        }
        rooms.shutdown();
        ScheduledFuture<?> reload = tlsReload;
        if (reload != null) {
            reload.cancel(false);
        }
        listeners.close();
        threads.shutdown();
        webSockets.remove();
        LOG.info("host closed");
    }

    // ---------------------------------------------------------------- HttpRoutes

    @Override
    public void add(String method, String pattern, HttpHandler handler) {
        routes.add(method, pattern, handler);
    }

    /** Streams the route's body with backpressure (pieces of 8 KiB; see {@link HttpRoutes#addStreaming}). */
    @Override
    public void addStreaming(String method, String pattern, long maxBodyBytes, StreamingHttpHandler handler) {
        routes.addStreaming(method, pattern, maxBodyBytes, handler);
    }

    @Override
    public void removeAll(String prefix) {
        routes.removeAll(prefix);
    }

    // ---------------------------------------------------------------- RoomService

    @Override
    public void registerCallbacks(RoomType type, RoomCallbacks callbacks) {
        rooms.registerCallbacks(type, callbacks);
    }

    @Override
    public void unregisterCallbacks(RoomType type) {
        rooms.unregisterCallbacks(type);
    }

    @Override
    public boolean sendTo(String roomId, String userId, String json) {
        return rooms.sendTo(roomId, userId, json);
    }

    @Override
    public int broadcast(String roomId, String json) {
        return rooms.broadcast(roomId, json);
    }

    @Override
    public boolean removeUser(String roomId, String userId, String json) {
        return rooms.removeUser(roomId, userId, json);
    }

    @Override
    public boolean closeRoom(String roomId) {
        return rooms.closeRoom(roomId);
    }

    @Override
    public Optional<RoomInfo> room(String roomId) {
        return rooms.room(roomId);
    }

    @Override
    public List<RoomInfo> rooms(String prefix) {
        return rooms.rooms(prefix);
    }
}
