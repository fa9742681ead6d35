/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty;

import dev.cskit.netty.internal.IceTcpConnection;
import dev.cskit.netty.internal.Rfc4571FrameDecoder;
import dev.cskit.netty.stats.IceTcpCounter;
import dev.cskit.netty.stats.IceTcpCounters;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The passive ICE-TCP listener of one media socket (RFC 6544): accepted on, and every connection served by, the
 * socket's own event loop, so a connection's frames reach the media loop that owns the call as the socket's
 * datagrams do. Connections are named by the client's address and port; see {@link IceTcpConnection} for the limits
 * each one lives under. Packets the engine sends over TCP go back as frames on the connection they name.
 *
 * <p>Thread-safety: the connection table and counts are the event loop's; {@link #send} and {@link #checked} are
 * called there (the transport posts them from elsewhere); {@link #candidates} from any thread.
 */
final class IceTcpListener implements IceTcpConnection.Sink {

    private final NettyMediaTransport transport;
    private final IceTcp settings;
    private final IceTcpCounters counters;
    // Set once bound, before the transport publishes the listener (a volatile write).
    private Channel server;
    private List<InetSocketAddress> candidates = List.of();
    // Event loop only.
    private final Map<InetSocketAddress, IceTcpConnection> connections = new HashMap<>();
    private int pending;
    private final byte[] scratch;

    private IceTcpListener(NettyMediaTransport transport, IceTcp settings, IceTcpCounters counters) {
        this.transport = transport;
        this.settings = settings;
        this.counters = counters;
        this.scratch = new byte[settings.maxFrame()];
    }

    /**
     * Binds the listener of {@code transport} on its address at {@code port} (0: a free one), on its event loop; the
     * candidates are the transport's UDP candidates with the bound TCP port.
     */
    static IceTcpListener bind(NettyMediaTransport transport, int port, IceTcp settings, IceTcpCounters counters)
            throws InterruptedException {
        EventLoop loop = transport.eventLoop();
        // Made before the bind: a client may connect the moment the port is bound.
        IceTcpListener l = new IceTcpListener(transport, settings, counters);
        ServerBootstrap b = new ServerBootstrap()
                .group(loop, loop)
                .channel(transport.isNative() ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
                .childOption(ChannelOption.RECVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(64, 2048, 16 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(
                                new Rfc4571FrameDecoder(settings.maxFrame(), counters),
                                new IdleStateHandler(settings.idleTimeout().toNanos(), 0, 0, TimeUnit.NANOSECONDS),
                                new IceTcpConnection(l, counters, settings.checkTimeout()));
                    }
                });
        InetSocketAddress at = new InetSocketAddress(transport.localAddress().getAddress(), port);
        Channel server = b.bind(at).sync().channel();
        int bound = ((InetSocketAddress) server.localAddress()).getPort();
        List<InetSocketAddress> candidates = new ArrayList<>();
        for (InetSocketAddress a : transport.candidates()) {
            candidates.add(new InetSocketAddress(a.getAddress(), bound));
        }
        l.server = server;
        l.candidates = List.copyOf(candidates);
        return l;
    }

    /** The passive host candidates: each advertised address with the listener's port. */
    List<InetSocketAddress> candidates() {
        return candidates;
    }

    /** The bound TCP port. */
    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    boolean isOpen() {
        return server.isActive();
    }

    @Override
    public boolean opened(IceTcpConnection c) {
        if (pending >= settings.maxPending()) {
            return false;
        }
        pending++;
        counters.open(1, 0);
        IceTcpConnection old = connections.put(c.remote(), c);
        if (old != null) {
            old.close(IceTcpCounter.CLOSED); // cannot happen with TCP (a 4-tuple is unique); keep the table right
        }
        return true;
    }

    @Override
    public void frame(IceTcpConnection c, ByteBuf frame) {
        int len = frame.readableBytes(); // at most maxFrame: the decoder closes on longer ones
        frame.getBytes(frame.readerIndex(), scratch, 0, len);
        transport.deliverTcp(scratch, len, c.remote());
    }

    @Override
    public void closed(IceTcpConnection c, boolean wasChecked) {
        connections.remove(c.remote(), c);
        if (wasChecked) {
            counters.open(0, -1);
        } else {
            pending--;
            counters.open(-1, 0);
        }
    }

    /** Sends one packet as a frame on the connection from {@code to}; on the event loop. */
    boolean send(byte[] buf, int off, int len, InetSocketAddress to) {
        IceTcpConnection c = connections.get(to);
        if (c == null) {
            counters.increment(IceTcpCounter.SEND_DROPPED);
            return false;
        }
        return c.send(buf, off, len);
    }

    /** A STUN check passed on the connection from {@code remote}: it is no longer pending; on the event loop. */
    void checked(InetSocketAddress remote) {
        IceTcpConnection c = connections.get(remote);
        if (c != null && !c.isChecked()) {
            c.markChecked();
            if (c.isChecked()) {
                pending--;
                counters.open(-1, 1);
            }
        }
    }

    /** Open connections, pending or checked; on the event loop. */
    int connectionCount() {
        return connections.size();
    }

    /** Closes the listener and every connection; from any thread, returns when done. */
    void close() {
        server.close().syncUninterruptibly();
        if (transport.eventLoop().inEventLoop()) {
            closeConnections();
        } else {
            transport.eventLoop().submit(this::closeConnections).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private void closeConnections() {
        for (IceTcpConnection c : new ArrayList<>(connections.values())) {
            c.close(IceTcpCounter.CLOSED);
        }
    }
}
