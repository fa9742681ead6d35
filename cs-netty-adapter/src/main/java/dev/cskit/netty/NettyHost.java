/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty;

import dev.cskit.api.CsConfig;
import dev.cskit.api.CustomerServicePlugin;
import dev.cskit.api.PluginContext;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.http.HttpHandler;
import dev.cskit.api.http.HttpRoutes;
import dev.cskit.api.http.RouteMatcher;
import dev.cskit.api.media.MediaTransport;
import dev.cskit.api.room.RoomCallbacks;
import dev.cskit.api.room.RoomInfo;
import dev.cskit.api.room.RoomService;
import dev.cskit.api.room.RoomType;
import dev.cskit.netty.internal.HostChannelInitializer;
import dev.cskit.netty.internal.HostSettings;
import dev.cskit.netty.internal.HostThreads;
import dev.cskit.netty.internal.RoomRegistry;
import dev.cskit.netty.internal.SerialStripes;
import dev.cskit.netty.internal.StaticFiles;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
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
 * <p><b>Thread-safety:</b> every method is thread-safe. {@link #start()}, {@link #startPlugin} and
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
    private final List<HostComponent> startedComponents = new ArrayList<>();
    private final List<CustomerServicePlugin> plugins = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile @Nullable Channel serverChannel;

    private NettyHost(Builder b) {
        this.bindAddress = b.bindAddress;
        this.requestedPort = b.port;
        this.clock = b.clock;
        this.threads = new HostThreads(b.ioThreads, b.scheduler, b.blockingExecutor, CALLBACK_STRIPES);
        SerialStripes stripes = new SerialStripes(CALLBACK_STRIPES, i -> threads.rooms());
        this.rooms = new RoomRegistry(stripes, clock);
        ClassLoader loader = b.classLoader != null ? b.classLoader : NettyHost.class.getClassLoader();
        this.settings = new HostSettings(routes, rooms, new StaticFiles(loader, b.staticRoot), threads.http(),
                b.maxBodyBytes, b.maxFrameBytes, b.heartbeatTimeout, clock, openChannels);
        this.components = List.copyOf(b.components);
    }

    public static Builder newBuilder() {
        return new Builder();
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
        if (serverChannel != null) {
            throw new IllegalStateException("this host is started already");
        }
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(threads.io())
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 256)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // Signaling is small; a peer 1 MiB behind is not reading and gets disconnected.
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(new HostChannelInitializer(settings));
        ChannelFuture bound = bootstrap.bind(bindAddress, requestedPort).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            close();
            throw new IOException("cannot listen on " + bindAddress.getHostAddress() + ":" + requestedPort
                    + ": " + bound.cause().getMessage() + " (is the port in use? choose another with --port)",
                    bound.cause());
        }
        serverChannel = bound.channel();
        for (HostComponent c : components) {
            try {
                c.start(this);
                startedComponents.add(c);
            } catch (Exception e) {
                close();
                throw new IOException("component " + c.name() + " failed to start: " + e.getMessage(), e);
            }
        }
        LOG.info("HTTP and room WebSocket listening on {}", localAddress());
        return this;
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
        if (serverChannel == null || closed.get()) {
            throw new IllegalStateException("start the host before starting plugins on it");
        }
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
                .cpuExecutor(threads.cpu())
                .build();
    }

    /** The bound HTTP port (useful with port 0). */
    public int port() {
        return localAddress().getPort();
    }

    /** The bound HTTP address. */
    public InetSocketAddress localAddress() {
        Channel ch = serverChannel;
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
        Channel server = serverChannel;
        if (server != null) {
            server.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        List<ChannelFuture> closing = new ArrayList<>();
        for (Channel ch : openChannels) {
            if (ch.pipeline().get(WebSocketFrameEncoder.class) != null) {
                closing.add(ch.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE,
                        "server shutting down")).addListener(ChannelFutureListener.CLOSE));
            } else {
                closing.add(ch.close());
            }
        }
        for (ChannelFuture f : closing) {
            f.channel().closeFuture().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        threads.shutdown();
        LOG.info("host closed");
    }

    // ---------------------------------------------------------------- HttpRoutes

    @Override
    public void add(String method, String pattern, HttpHandler handler) {
        routes.add(method, pattern, handler);
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

    /** Builds a {@link NettyHost}; not thread-safe. */
    public static final class Builder {
        private InetAddress bindAddress;
        private int port = 8080;
        private @Nullable String staticRoot = "/web";
        private @Nullable ClassLoader classLoader;
        private int maxBodyBytes = 64 * 1024;
        private int maxFrameBytes = 64 * 1024;
        private Duration heartbeatTimeout = Duration.ofSeconds(60);
        private @Nullable ExecutorService blockingExecutor;
        private @Nullable ScheduledExecutorService scheduler;
        private int ioThreads;
        private Clock clock = Clock.systemUTC();
        private final List<HostComponent> components = new ArrayList<>();

        private Builder() {
            try {
                bindAddress = InetAddress.getByName("0.0.0.0");
            } catch (UnknownHostException e) {
                throw new IllegalStateException("cannot parse 0.0.0.0", e);
            }
        }

        /** The address to listen on; default {@code 0.0.0.0} (every interface). */
        public Builder bindAddress(InetAddress bindAddress) {
            this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
            return this;
        }

        /** The address to listen on, as a literal IP or host name. */
        public Builder bindAddress(String bindAddress) {
            try {
                this.bindAddress = InetAddress.getByName(Objects.requireNonNull(bindAddress, "bindAddress"));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("cannot resolve bind address '" + bindAddress + "'", e);
            }
            return this;
        }

        /** The HTTP port; default 8080, 0 picks a free one ({@link NettyHost#port()} tells which). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** The class-path folder static files come from; default {@code /web}; {@code null} serves none. */
        public Builder staticRoot(@Nullable String staticRoot) {
            this.staticRoot = staticRoot;
            return this;
        }

        /** Where static files are looked up; default the class loader of this library. */
        public Builder classLoader(ClassLoader classLoader) {
            this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
            return this;
        }

        /** Largest HTTP request body; default 64 KiB; bigger gets {@code 413}. */
        public Builder maxBodyBytes(int maxBodyBytes) {
            if (maxBodyBytes < 1) {
                throw new IllegalArgumentException("maxBodyBytes must be positive, was " + maxBodyBytes);
            }
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /** Largest WebSocket message; default 64 KiB; bigger closes the socket with {@code 1009}. */
        public Builder maxFrameBytes(int maxFrameBytes) {
            if (maxFrameBytes < 1) {
                throw new IllegalArgumentException("maxFrameBytes must be positive, was " + maxFrameBytes);
            }
            this.maxFrameBytes = maxFrameBytes;
            return this;
        }

        /** A room socket that sends no frame for this long is closed; default 60 s. */
        public Builder heartbeatTimeout(Duration heartbeatTimeout) {
            if (heartbeatTimeout.isNegative() || heartbeatTimeout.isZero()) {
                throw new IllegalArgumentException("heartbeatTimeout must be positive, was " + heartbeatTimeout);
            }
            this.heartbeatTimeout = heartbeatTimeout;
            return this;
        }

        /** Runs blocking HTTP handlers; stays the caller's (not shut down by the host). Default: a host-owned pool. */
        public Builder blockingExecutor(ExecutorService blockingExecutor) {
            this.blockingExecutor = Objects.requireNonNull(blockingExecutor, "blockingExecutor");
            return this;
        }

        /** The scheduler handed to plugins; stays the caller's. Default: a host-owned single thread. */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Number of I/O event loops; 0 (default) lets Netty choose (twice the cores). */
        public Builder ioThreads(int ioThreads) {
            if (ioThreads < 0) {
                throw new IllegalArgumentException("ioThreads must not be negative, was " + ioThreads);
            }
            this.ioThreads = ioThreads;
            return this;
        }

        /** Where every timestamp comes from; default the UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Adds a component (e.g. the UDP media port) started with the host; see {@link HostComponent}. */
        public Builder component(HostComponent component) {
            components.add(Objects.requireNonNull(component, "component"));
            return this;
        }

        /** Creates the host and its threads; nothing is bound until {@link NettyHost#start()}. */
        public NettyHost build() {
            return new NettyHost(this);
        }
    }
}
