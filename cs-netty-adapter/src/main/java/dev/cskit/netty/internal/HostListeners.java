/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import dev.cskit.api.annotation.Nullable;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A host's TCP listeners (the HTTP/HTTPS port and the optional plain-HTTP redirect port) and the connections they
 * accepted: binding them, counting the room WebSockets among the connections, and closing it all at shutdown
 * (each room socket gets a {@code 1001} close frame first).
 *
 * <p>Thread-safe: {@link #bindServer} and {@link #bindRedirect} are called by the host's controlling thread
 * before traffic, {@link #close} once; the rest from any thread. Unsupported API.
 */
public final class HostListeners {

    private final InetAddress bindAddress;
    private final EventLoopGroup io;
    private final Set<Channel> openChannels;
    private volatile @Nullable Channel server;
    private volatile @Nullable Channel redirect;

    /** @param openChannels the connections the channel initializers register (see {@link HostSettings}) */
    public HostListeners(InetAddress bindAddress, EventLoopGroup io, Set<Channel> openChannels) {
        this.bindAddress = bindAddress;
        this.io = io;
        this.openChannels = openChannels;
    }

    /** Listens on the HTTP (or HTTPS) port; 0 picks one. */
    public void bindServer(HostChannelInitializer initializer, int port) throws IOException {
        server = bind(initializer, port, "--port");
    }

    /** Listens for plain HTTP to redirect; 0 picks a port. */
    public void bindRedirect(HostChannelInitializer initializer, int port) throws IOException {
        redirect = bind(initializer, port, "server.http_redirect_port");
    }

    private Channel bind(HostChannelInitializer initializer, int port, String setting) throws IOException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(io)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 256)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // Signaling is small; a peer 1 MiB behind is not reading and gets disconnected.
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(initializer);
        ChannelFuture bound = bootstrap.bind(bindAddress, port).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IOException("cannot listen on " + bindAddress.getHostAddress() + ":" + port
                    + ": " + bound.cause().getMessage() + " (is the port in use? choose another with " + setting + ")",
                    bound.cause());
        }
        return bound.channel();
    }

    /** The HTTP listener, or null before {@link #bindServer}. */
    public @Nullable Channel server() {
        return server;
    }

    /** The bound port of a listener, or null if it is not bound. */
    public static @Nullable Integer portOf(@Nullable Channel ch) {
        return ch == null ? null : ((InetSocketAddress) ch.localAddress()).getPort();
    }

    /** The redirect listener, or null. */
    public @Nullable Channel redirect() {
        return redirect;
    }

    /** Open room WebSocket connections. */
    public int webSockets() {
        int n = 0;
        for (Channel ch : openChannels) {
            if (ch.pipeline().get(WebSocketFrameEncoder.class) != null) {
                n++;
            }
        }
        return n;
    }

    /**
     * Closes the listeners, sends every room socket a close frame ({@code 1001}) and closes every connection;
     * waits a few seconds at most.
     */
    public void close() {
        for (Channel listener : new Channel[] {redirect, server}) {
            if (listener != null) {
                listener.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            }
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
    }
}
