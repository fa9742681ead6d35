/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty;

import dev.cskit.api.media.MediaTransport;
import dev.cskit.netty.stats.IceTcpCounters;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP media socket on Netty, with its event loop as the socket's loop ({@link MediaTransport.MediaSocket}).
 * Inbound datagrams are handed to the installed receiver on the channel's event loop as a byte array the
 * transport reuses; outbound datagrams are copied into a pooled buffer and written without blocking, or dropped
 * and counted when the socket is not writable.
 *
 * <p>Datagrams sent from the event loop while it handles a read (a forwarded packet) are written and
 * flushed once when the read batch ends. On an epoll event loop group the port reads up to
 * {@value #BATCH} datagrams with one {@code recvmmsg} and sends a flushed batch with one {@code sendmmsg},
 * which takes most of the per-packet system calls off the forwarding path; on NIO it reads and sends one
 * datagram per call. Datagrams sent from any other thread are flushed at once.
 *
 * <p>With {@link #attachIceTcp} the socket also has a passive ICE-TCP listener (RFC 6544) on the same event loop:
 * its connections' frames reach the receiver as {@link MediaTransport.Protocol#TCP} packets, and packets sent with
 * that protocol go back as frames on the connection they name.
 *
 * <p>Thread-safe. The receiver is installed and the counters kept on the event loop: nothing on the datagram path
 * is volatile or locked (read from other threads, the counters may lag). {@link #close()} unbinds the socket; the
 * event loop group belongs to the caller.
 */
public final class NettyMediaTransport implements MediaTransport.MediaSocket, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NettyMediaTransport.class);
    private static final int MAX_DATAGRAM = 2048;
    /** Datagrams read per {@code recvmmsg} on epoll. */
    static final int BATCH = 16;
    private static final MediaTransport.DatagramReceiver DISCARD = (buf, off, len, from) -> { };

    private final Channel channel;
    private final List<InetSocketAddress> candidates;
    private volatile IceTcpListener tcp;
    // Event-loop only: the receiver, the counters, and whether a read batch is being handled and datagrams written
    // during it await one flush.
    private MediaTransport.DatagramReceiver receiver = DISCARD;
    private long received;
    private long sent;
    private long dropped;
    private boolean inRead;
    private boolean flushPending;
    private BatchProbe probe;
    private long batchReadNanos;
    private int batchSent;

    private NettyMediaTransport(Channel channel, List<InetSocketAddress> candidates) {
        this.channel = channel;
        this.candidates = candidates;
    }

    /**
     * Binds a media socket.
     *
     * @param group     the event loop group to serve the socket on (owned by the caller; the socket takes one of
     *                  its loops): an NIO group, or an epoll group ({@link EpollIoHandler}) for batched
     *                  {@code recvmmsg}/{@code sendmmsg}
     * @param bind      where to bind, e.g. {@code 0.0.0.0:9000} (port 0 picks a free one)
     * @param advertise the address to put in candidates; its port is replaced by the bound port
     */
    public static NettyMediaTransport bind(EventLoopGroup group, InetSocketAddress bind, String advertise)
            throws InterruptedException {
        Objects.requireNonNull(advertise, "advertise");
        return bind(group, bind, (bound, port) -> List.of(new InetSocketAddress(advertise, port)));
    }

    /**
     * Binds a media socket that advertises {@code advertise} (the addresses for the bound address, e.g. from
     * {@link HostCandidates#addresses}), each with the bound port.
     */
    public static NettyMediaTransport bind(EventLoopGroup group, InetSocketAddress bind, Advertise advertise)
            throws InterruptedException {
        Objects.requireNonNull(advertise, "advertise");
        Inbound inbound = new Inbound();
        boolean epoll = isEpoll(group);
        Bootstrap b = new Bootstrap()
                .group(group)
                .option(ChannelOption.SO_RCVBUF, 4 << 20)
                .option(ChannelOption.SO_SNDBUF, 4 << 20)
                .handler(inbound);
        if (epoll) {
            // One pooled buffer holds a whole recvmmsg batch; each datagram is a slice of it.
            b.channel(EpollDatagramChannel.class)
                    .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                    .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM * BATCH));
        } else {
            b.channel(NioDatagramChannel.class)
                    .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM));
        }
        Channel ch = b.bind(bind).sync().channel();
        int port = ((InetSocketAddress) ch.localAddress()).getPort();
        List<InetSocketAddress> candidates;
        try {
            candidates = List.copyOf(advertise.candidates(bind.getAddress(), port));
        } catch (RuntimeException | Error e) {
            ch.close().syncUninterruptibly();
            throw e;
        } catch (Exception e) {
            ch.close().syncUninterruptibly();
            throw new IllegalStateException("cannot list the addresses to advertise: " + e.getMessage(), e);
        }
        NettyMediaTransport t = new NettyMediaTransport(ch, candidates);
        ch.eventLoop().submit(() -> inbound.transport = t).syncUninterruptibly(); // datagrams before are dropped
        log.info("media socket udp/{} bound on {} ({}), advertised as {}", port, bind.getAddress().getHostAddress(),
                epoll ? "epoll, recvmmsg/sendmmsg" : "nio", candidates.stream()
                        .map(NettyMediaTransport::format).collect(Collectors.joining(", ")));
        return t;
    }

    /** The candidates of a socket, given the address it was bound to and its port. */
    @FunctionalInterface
    public interface Advertise {
        List<InetSocketAddress> candidates(InetAddress bound, int port) throws Exception;
    }

    /** {@code a:port}, or {@code [a]:port} for IPv6, without a zone id. */
    static String format(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        int zone = host.indexOf('%');
        if (zone >= 0) {
            host = host.substring(0, zone);
        }
        return (a.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private static boolean isEpoll(EventLoopGroup group) {
        return group instanceof IoEventLoopGroup io && io.isIoType(EpollIoHandler.class);
    }

    /** Whether the port runs on native epoll (batched {@code recvmmsg}/{@code sendmmsg}) rather than NIO. */
    public boolean isNative() {
        return channel instanceof EpollDatagramChannel;
    }

    /** Whether the socket is bound and open. */
    public boolean isOpen() {
        return channel.isActive();
    }

    /** The bound local address. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public List<InetSocketAddress> candidates() {
        return candidates;
    }

    /**
     * Opens this socket's passive ICE-TCP listener on its address at {@code port} (0: a free one), on its event
     * loop; at most once, before the socket is handed to the media engine.
     *
     * @return the bound TCP port
     */
    public int attachIceTcp(int port, IceTcp settings, IceTcpCounters counters) throws InterruptedException {
        if (tcp != null) {
            throw new IllegalStateException("this media socket already has an ICE-TCP listener");
        }
        IceTcpListener l = IceTcpListener.bind(this, port, settings, counters);
        tcp = l;
        log.info("media socket udp/{} also takes ICE-TCP on tcp/{} (RFC 6544 passive), advertised as {}",
                localAddress().getPort(), l.port(), l.candidates().stream().map(NettyMediaTransport::format)
                        .collect(Collectors.joining(", ")));
        return l.port();
    }

    /** The bound ICE-TCP port, if the socket has a listener. */
    public java.util.OptionalInt iceTcpPort() {
        IceTcpListener l = tcp;
        return l == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(l.port());
    }

    @Override
    public List<InetSocketAddress> tcpCandidates() {
        IceTcpListener l = tcp;
        return l == null ? List.of() : l.candidates();
    }

    @Override
    public boolean send(byte[] buf, int off, int len, InetSocketAddress to, MediaTransport.Protocol protocol) {
        if (protocol == MediaTransport.Protocol.UDP) {
            return send(buf, off, len, to);
        }
        IceTcpListener l = tcp;
        if (l == null) {
            return false;
        }
        if (!inLoop()) {
            byte[] copy = java.util.Arrays.copyOfRange(buf, off, off + len);
            channel.eventLoop().execute(() -> l.send(copy, 0, copy.length, to));
            return channel.isActive();
        }
        return l.send(buf, off, len, to);
    }

    @Override
    public void checked(InetSocketAddress remote, MediaTransport.Protocol protocol) {
        IceTcpListener l = tcp;
        if (protocol != MediaTransport.Protocol.TCP || l == null) {
            return;
        }
        if (inLoop()) {
            l.checked(remote);
        } else {
            channel.eventLoop().execute(() -> l.checked(remote));
        }
    }

    /** Open ICE-TCP connections (pending or a peer's); 0 without a listener. Waits for the event loop. */
    public int iceTcpConnections() {
        IceTcpListener l = tcp;
        if (l == null) {
            return 0;
        }
        return inLoop() ? l.connectionCount() : channel.eventLoop().submit(l::connectionCount).syncUninterruptibly().getNow();
    }

    EventLoop eventLoop() {
        return channel.eventLoop();
    }

    /** One ICE-TCP frame's payload, from the listener on the event loop, to the receiver. */
    void deliverTcp(byte[] buf, int len, InetSocketAddress from) {
        try {
            receiver.onPacket(buf, 0, len, from, MediaTransport.Protocol.TCP);
        } catch (RuntimeException e) {
            dropped++;
            log.debug("media receiver threw on an ICE-TCP frame from {}", from, e);
        }
    }

    /** Installs the receiver on the event loop; from another thread, returns once it is in place. */
    @Override
    public void setReceiver(MediaTransport.DatagramReceiver receiver) {
        Objects.requireNonNull(receiver, "receiver");
        if (inLoop()) {
            this.receiver = receiver;
        } else {
            channel.eventLoop().submit(() -> this.receiver = receiver).syncUninterruptibly();
        }
    }

    @Override
    public boolean send(byte[] buf, int off, int len, InetSocketAddress to) {
        if (!inLoop()) {
            // Off the loop: copy now, count and write on the loop, so the counters have one writer.
            byte[] copy = java.util.Arrays.copyOfRange(buf, off, off + len);
            channel.eventLoop().execute(() -> send(copy, 0, copy.length, to));
            return channel.isActive();
        }
        if (!channel.isActive() || !channel.isWritable()) {
            dropped++;
            return false;
        }
        ByteBuf out = channel.alloc().directBuffer(len);
        out.writeBytes(buf, off, len);
        DatagramPacket packet = new DatagramPacket(out, to);
        if (inRead) {
            channel.write(packet, channel.voidPromise());
            flushPending = true;
            batchSent++;
        } else {
            channel.writeAndFlush(packet, channel.voidPromise());
        }
        sent++;
        return true;
    }

    @Override
    public void execute(Runnable task) {
        channel.eventLoop().execute(task);
    }

    @Override
    public Future<?> schedule(Runnable task, long delay, TimeUnit unit) {
        return channel.eventLoop().schedule(task, delay, unit);
    }

    @Override
    public boolean inLoop() {
        return channel.eventLoop().inEventLoop();
    }

    /**
     * Measures the forwarding delay the socket's loop adds: called on the loop after each read batch in which
     * datagrams were sent, with when the batch's first datagram was handed over (after the read system call) and
     * when the batch's sends were flushed (after the send system call), and how many were sent.
     */
    @FunctionalInterface
    public interface BatchProbe {
        void onBatch(long readNanos, long sentNanos, int sent);
    }

    /** Installs (or with null removes) the probe; see {@link BatchProbe}. Costs two clock reads per batch. */
    public void probe(BatchProbe probe) {
        if (inLoop()) {
            this.probe = probe;
        } else {
            channel.eventLoop().submit(() -> this.probe = probe).syncUninterruptibly();
        }
    }

    /** Datagrams received so far (may lag when read off the loop). */
    public long receivedDatagrams() {
        return received;
    }

    /** Datagrams sent so far (may lag when read off the loop). */
    public long sentDatagrams() {
        return sent;
    }

    /** Datagrams dropped: the socket was not writable, or the receiver threw (may lag when read off the loop). */
    public long droppedDatagrams() {
        return dropped;
    }

    @Override
    public void close() {
        IceTcpListener l = tcp;
        if (l != null) {
            l.close();
        }
        channel.close().syncUninterruptibly();
    }

    /** Copies each datagram into a per-loop scratch array: the receiver must not keep it. */
    private static final class Inbound extends SimpleChannelInboundHandler<DatagramPacket> {
        private final byte[] scratch = new byte[MAX_DATAGRAM];
        private NettyMediaTransport transport; // event loop only

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            NettyMediaTransport t = transport;
            if (t == null) {
                return;
            }
            ByteBuf content = packet.content();
            int len = Math.min(content.readableBytes(), scratch.length);
            content.getBytes(content.readerIndex(), scratch, 0, len);
            t.received++;
            if (!t.inRead && t.probe != null) {
                t.batchReadNanos = System.nanoTime();
            }
            t.inRead = true;
            try {
                t.receiver.onDatagram(scratch, 0, len, packet.sender());
            } catch (RuntimeException e) {
                // The receiver contract forbids throwing; keep the port alive regardless.
                t.dropped++;
                log.debug("media receiver threw on a datagram from {}", packet.sender(), e);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            NettyMediaTransport t = transport;
            if (t != null) {
                t.inRead = false;
                if (t.flushPending) {
                    t.flushPending = false;
                    ctx.channel().flush();
                }
                if (t.probe != null && t.batchSent > 0) {
                    t.probe.onBatch(t.batchReadNanos, System.nanoTime(), t.batchSent);
                }
                t.batchSent = 0;
            }
            ctx.fireChannelReadComplete();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("media port error", cause);
        }
    }
}
