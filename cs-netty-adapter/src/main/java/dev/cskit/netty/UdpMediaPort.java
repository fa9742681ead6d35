/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty;

import dev.cskit.api.media.MediaTransport;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * The one UDP media port as a {@link HostComponent}: bound on the host's event loops and bind address when the
 * host starts, and handed to plugins as their {@link MediaTransport} ({@link NettyHost#pluginContext}).
 *
 * <p>Thread-safe. Before {@link #start} the transport has no candidates and drops what it is asked to send.
 */
public final class UdpMediaPort implements HostComponent, MediaTransport {

    private final int port;
    private final String advertise;
    private volatile NettyMediaTransport transport;
    private volatile DatagramReceiver receiver = (buf, off, len, from) -> { };

    /**
     * @param port      the UDP port to bind; 0 picks a free one
     * @param advertise the address clients reach the port at (the host candidate), e.g. the public IP
     */
    public UdpMediaPort(int port, String advertise) {
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
        NettyMediaTransport t = NettyMediaTransport.bind(host.ioGroup(),
                new InetSocketAddress(host.bindAddress(), port), advertise);
        t.setReceiver(receiver);
        transport = t;
    }

    /** The bound port; 0 before start. */
    public int boundPort() {
        NettyMediaTransport t = transport;
        return t == null ? 0 : t.localAddress().getPort();
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
    }
}
