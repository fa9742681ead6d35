/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.bench.load;

import dev.cskit.testkit.ClientPeer;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The clients' sockets, made cheap: one loopback UDP socket per client peer (the server tells peers apart by
 * address), all on one Netty event loop ({@code load-net}: epoll, {@code recvmmsg}/{@code sendmmsg} batches) that
 * also runs the pacer ({@link MediaLoad}), so sending, receiving and accounting need no locks. Received RTP is
 * counted from its header without decrypting it; RTCP is dropped; STUN and DTLS go to the endpoint's
 * {@link ClientPeer}.
 *
 * <p>{@link Endpoint#send} (a {@link ClientPeer.Sender}) may be called from any thread; everything else runs on
 * the loop.
 */
final class ClientNet implements AutoCloseable {

    private static final int MAX_DATAGRAM = 2048;

    private final EventLoopGroup group;
    final EventLoop loop;
    private final boolean epoll = Epoll.isAvailable();
    /** Set once by {@link MediaLoad}'s constructor, before any endpoint opens. */
    MediaLoad media;
    final List<Endpoint> endpoints = new ArrayList<>();
    /** Loop-owned counters. */
    long rtcpDropped;
    long notRtp;

    ClientNet() {
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("load-net"),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.loop = group.next();
    }

    /** Opens a socket on 127.0.0.1 with a free port; {@code peer} (may be null) gets its STUN and DTLS. */
    Endpoint open(ClientPeer.Role role) throws InterruptedException {
        Endpoint e = new Endpoint(role);
        Bootstrap b = new Bootstrap().group(loop)
                .option(ChannelOption.SO_RCVBUF, 1 << 20)
                .option(ChannelOption.SO_SNDBUF, 1 << 20)
                .handler(new Inbound(e));
        if (epoll) {
            b.channel(EpollDatagramChannel.class)
                    .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                    .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM * 16));
        } else {
            b.channel(NioDatagramChannel.class)
                    .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM));
        }
        e.channel = b.bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        e.local = (InetSocketAddress) e.channel.localAddress();
        loop.submit(() -> endpoints.add(e)).sync();
        return e;
    }

    /** One client socket: a publisher's or a player's. */
    final class Endpoint {
        final ClientPeer.Role role;
        Channel channel;
        InetSocketAddress local;
        /** Set before the endpoint talks; read on the loop. */
        volatile ClientPeer peer;
        /** Player: the streams it receives, by the SSRC it receives them with (loop-owned). */
        long[] sourceSsrcs = new long[0];
        MediaLoad.Stream[] sources = new MediaLoad.Stream[0];
        /** Written this pacer tick, flush pending (loop-owned). */
        boolean dirty;

        Endpoint(ClientPeer.Role role) {
            this.role = role;
        }

        /** A {@link ClientPeer.Sender}: copies and sends at once, from any thread. */
        void send(byte[] buf, int off, int len, InetSocketAddress to) {
            ByteBuf b = channel.alloc().directBuffer(len).writeBytes(buf, off, len);
            channel.writeAndFlush(new DatagramPacket(b, to), channel.voidPromise());
        }

        /** Player: packets with {@code ssrc} belong to {@code s} (loop thread). */
        void addSource(long ssrc, MediaLoad.Stream s) {
            int n = sourceSsrcs.length;
            sourceSsrcs = java.util.Arrays.copyOf(sourceSsrcs, n + 1);
            sources = java.util.Arrays.copyOf(sources, n + 1);
            sourceSsrcs[n] = ssrc;
            sources[n] = s;
        }

        MediaLoad.Stream source(long ssrc) {
            for (int i = 0; i < sourceSsrcs.length; i++) {
                if (sourceSsrcs[i] == ssrc) {
                    return sources[i];
                }
            }
            return null;
        }

        void close() {
            channel.close();
        }
    }

    private final class Inbound extends SimpleChannelInboundHandler<DatagramPacket> {
        private final Endpoint endpoint;
        private final byte[] scratch = new byte[MAX_DATAGRAM];

        Inbound(Endpoint endpoint) {
            this.endpoint = endpoint;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ByteBuf c = packet.content();
            int at = c.readerIndex();
            int len = c.readableBytes();
            int b0 = len > 0 ? c.getUnsignedByte(at) : 0;
            if (b0 >= 128 && b0 <= 191 && len >= 12) {
                int b1 = c.getUnsignedByte(at + 1);
                if (b1 >= 192 && b1 <= 223) {
                    rtcpDropped++; // RFC 5761 §4: RTCP (receiver reports, relayed sender reports)
                } else {
                    media.onRtp(endpoint, c.getUnsignedInt(at + 8), c.getUnsignedShort(at + 2));
                }
                return;
            }
            ClientPeer p = endpoint.peer;
            if (p == null || len > scratch.length) {
                notRtp++;
                return;
            }
            c.getBytes(at, scratch, 0, len);
            p.receive(scratch, 0, len);
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
