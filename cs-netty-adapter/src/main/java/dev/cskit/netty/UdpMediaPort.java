/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty;

import dev.cskit.api.health.Readiness;
import dev.cskit.api.media.MediaTransport;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one UDP media port as a {@link HostComponent}: bound on the host's bind address when the host starts,
 * and handed to plugins as their {@link MediaTransport} ({@link NettyHost#pluginContext}).
 *
 * <p>The port has an event loop of its own (one thread, {@code cskit-udp}), so forwarding never waits
 * behind HTTP or WebSocket work and signaling never waits behind media. With {@link Transport#AUTO} that loop
 * is Linux epoll when Netty's native transport loads ({@code recvmmsg}/{@code sendmmsg} batches, see
 * {@link NettyMediaTransport}), and NIO otherwise; the log says which.
 *
 * <p>Thread-safe. Before {@link #start} the transport has no candidates and drops what it is asked to send.
 */
public final class UdpMediaPort implements HostComponent, MediaTransport {

    private static final Logger log = LoggerFactory.getLogger(UdpMediaPort.class);

    /** Which Netty transport serves the port. */
    public enum Transport {
        /** Native epoll where it is available (Linux x86_64 and aarch64), NIO elsewhere. */
        AUTO,
        /** The JDK's NIO, everywhere. */
        NIO
    }

    private final int port;
    private final String advertise;
    private final Transport kind;
    private volatile NettyMediaTransport transport;
    private volatile EventLoopGroup group;
    private volatile DatagramReceiver receiver = (buf, off, len, from) -> { };

    /**
     * @param port      the UDP port to bind; 0 picks a free one
     * @param advertise the address clients reach the port at (the host candidate), e.g. the public IP
     */
    public UdpMediaPort(int port, String advertise) {
        this(port, advertise, Transport.AUTO);
    }

    /**
     * @param port      the UDP port to bind; 0 picks a free one
     * @param advertise the address clients reach the port at (the host candidate), e.g. the public IP
     * @param transport which Netty transport serves the port
     */
    public UdpMediaPort(int port, String advertise, Transport transport) {
        this.kind = Objects.requireNonNull(transport, "transport");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("media port must be 0..65535, was " + port);
        }
        this.port = port;
        this.advertise = Objects.requireNonNull(advertise, "advertise");
    }

    @Override
    public String name() {
        return "webrtc-udp";
    }

    @Override
    public void start(NettyHost host) throws Exception {
        boolean epoll = kind == Transport.AUTO && Epoll.isAvailable();
        if (kind == Transport.AUTO && !epoll) {
            log.info("native epoll is not available ({}); the media port uses NIO",
                    String.valueOf(Epoll.unavailabilityCause()));
        }
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        EventLoopGroup g = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("cskit-udp"), io);
        NettyMediaTransport t;
        try {
            t = NettyMediaTransport.bind(g, new InetSocketAddress(host.bindAddress(), port), advertise);
        } catch (Exception | Error e) {
            g.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            throw e;
        }
        group = g;
        t.setReceiver(receiver);
        transport = t;
    }

    /** Whether the port runs on native epoll; false before start. */
    public boolean isNative() {
        NettyMediaTransport t = transport;
        return t != null && t.isNative();
    }

    /** The bound port; 0 before start. */
    public int boundPort() {
        NettyMediaTransport t = transport;
        return t == null ? 0 : t.localAddress().getPort();
    }

    /** Ready while the port is bound and open. */
    @Override
    public Readiness readiness() {
        NettyMediaTransport t = transport;
        return t != null && t.isOpen() ? Readiness.READY
                : Readiness.notReady("the media port udp/" + port + " is not bound");
    }

    @Override
    public List<InetSocketAddress> candidates() {
        NettyMediaTransport t = transport;
        return t == null ? List.of() : t.candidates();
    }

    @Override
    public void setReceiver(DatagramReceiver receiver) {
        this.receiver = Objects.requireNonNull(receiver, "receiver");
        NettyMediaTransport t = transport;
        if (t != null) {
            t.setReceiver(receiver);
        }
    }

    @Override
    public boolean send(byte[] buf, int off, int len, InetSocketAddress to) {
        NettyMediaTransport t = transport;
        return t != null && t.send(buf, off, len, to);
    }

    @Override
    public void close() {
        NettyMediaTransport t = transport;
        if (t != null) {
            t.close();
        }
        EventLoopGroup g = group;
        if (g != null) {
            g.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}
