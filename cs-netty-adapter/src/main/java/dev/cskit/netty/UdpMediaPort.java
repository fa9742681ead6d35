/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty;

import dev.cskit.api.health.Readiness;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.media.MediaTransport;
import dev.cskit.api.metrics.MeterRegistration;
import dev.cskit.api.metrics.Meters;
import dev.cskit.api.metrics.Tags;
import dev.cskit.netty.stats.IceTcpCounter;
import dev.cskit.netty.stats.IceTcpCounters;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP media sockets as a {@link HostComponent}: bound on the host's bind address when the host starts, and
 * handed to plugins as their {@link MediaTransport} ({@link NettyHost#pluginContext}).
 *
 * <p>Each socket has an event loop of its own (one thread, {@code cskit-udp-<i>}), so forwarding never waits
 * behind HTTP or WebSocket work, signaling never waits behind media, and the media of the calls pinned to
 * different sockets runs on different cores. One socket per core is the natural size. With {@link Transport#AUTO}
 * the loops are Linux epoll when Netty's native transport loads ({@code recvmmsg}/{@code sendmmsg} batches, see
 * {@link NettyMediaTransport}), and NIO otherwise; the log says which.
 *
 * <p>{@link #withIceTcp} adds a passive ICE-TCP listener (RFC 6544) to each socket, on its event loop, advertised
 * after the UDP candidates; it records {@code cskit_media_tcp_*} metrics into the host's meters.
 *
 * <p>Thread-safe. Before {@link #start} the transport has no sockets.
 */
public final class UdpMediaPort implements HostComponent, MediaTransport {

    private static final Logger log = LoggerFactory.getLogger(UdpMediaPort.class);

    /** Which Netty transport serves the sockets. */
    public enum Transport {
        /** Native epoll where it is available (Linux x86_64 and aarch64), NIO elsewhere. */
        AUTO,
        /** The JDK's NIO, everywhere. */
        NIO
    }

    private final List<Integer> ports;
    private final HostCandidates advertise;
    private final Transport kind;
    private final @Nullable IceTcp iceTcp;
    private final IceTcpCounters tcpCounters = new IceTcpCounters();
    private final List<MeterRegistration> meters = new ArrayList<>();
    private final List<EventLoopGroup> groups = new ArrayList<>();
    private volatile List<NettyMediaTransport> sockets = List.of();

    /**
     * One socket, one loop.
     *
     * @param port      the UDP port to bind; 0 picks a free one
     * @param advertise the address clients reach the port at (the host candidate), e.g. the public IP
     */
    public UdpMediaPort(int port, String advertise) {
        this(List.of(port), advertise, Transport.AUTO);
    }

    /**
     * One socket, one loop.
     *
     * @param port      the UDP port to bind; 0 picks a free one
     * @param advertise the address clients reach the port at (the host candidate), e.g. the public IP
     * @param transport which Netty transport serves the port
     */
    public UdpMediaPort(int port, String advertise, Transport transport) {
        this(List.of(port), advertise, transport);
    }

    /**
     * One socket and loop per port.
     *
     * @param ports     the UDP ports to bind, at least one; 0 picks a free one
     * @param advertise the address clients reach the ports at (the host candidate), e.g. the public IP
     * @param transport which Netty transport serves the ports
     */
    public UdpMediaPort(List<Integer> ports, String advertise, Transport transport) {
        this(ports, HostCandidates.fixed(Objects.requireNonNull(advertise, "advertise")), transport);
    }

    /**
     * One socket and loop per port.
     *
     * @param ports     the UDP ports to bind, at least one; 0 picks a free one
     * @param advertise the addresses clients reach the ports at (the host candidates): fixed, or every interface
     * @param transport which Netty transport serves the ports
     */
    public UdpMediaPort(List<Integer> ports, HostCandidates advertise, Transport transport) {
        this(ports, advertise, transport, null);
    }

    private UdpMediaPort(List<Integer> ports, HostCandidates advertise, Transport transport, @Nullable IceTcp iceTcp) {
        this.iceTcp = iceTcp;
        this.kind = Objects.requireNonNull(transport, "transport");
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("at least one media port");
        }
        for (int port : ports) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("media port must be 0..65535, was " + port);
            }
        }
        this.ports = List.copyOf(ports);
        this.advertise = Objects.requireNonNull(advertise, "advertise");
    }

    /** {@code count} consecutive ports from {@code first} (0: {@code count} free ones), one loop each. */
    public static UdpMediaPort range(int first, int count, String advertise, Transport transport) {
        if (count < 1 || (first != 0 && first + count - 1 > 65535)) {
            throw new IllegalArgumentException("media ports " + first + ".." + (first + count - 1) + " are not 1 or more ports");
        }
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ports.add(first == 0 ? 0 : first + i);
        }
        return new UdpMediaPort(ports, HostCandidates.fixed(Objects.requireNonNull(advertise, "advertise")), transport);
    }

    /** {@code count} consecutive ports from {@code first} (0: {@code count} free ones), one loop each. */
    public static UdpMediaPort range(int first, int count, HostCandidates advertise, Transport transport) {
        UdpMediaPort p = range(first, count, "127.0.0.1", transport);
        return new UdpMediaPort(p.ports, advertise, transport);
    }

    /**
     * The same ports, each with a passive ICE-TCP listener ({@code tcp}: its ports and limits), or without one
     * ({@code null}); before {@link #start}.
     */
    public UdpMediaPort withIceTcp(@Nullable IceTcp tcp) {
        return new UdpMediaPort(ports, advertise, kind, tcp);
    }

    /** The ICE-TCP settings, if the ports have listeners. */
    public Optional<IceTcp> iceTcp() {
        return Optional.ofNullable(iceTcp);
    }

    /** What the ICE-TCP listeners counted: connections accepted and closed by reason, frames dropped, open ones. */
    public IceTcpCounters iceTcpCounters() {
        return tcpCounters;
    }

    @Override
    public String name() {
        return "webrtc-udp";
    }

    @Override
    public synchronized void start(NettyHost host) throws Exception {
        boolean epoll = kind == Transport.AUTO && Epoll.isAvailable();
        if (kind == Transport.AUTO && !epoll) {
            log.info("native epoll is not available ({}); the media sockets use NIO",
                    String.valueOf(Epoll.unavailabilityCause()));
        }
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        List<NettyMediaTransport> bound = new ArrayList<>();
        InetAddress at = host.bindAddress();
        // The IPv4 wildcard socket hears no IPv6: listen on the IPv6 wildcard (dual stack on Linux, IPv4 arrives
        // as mapped addresses) when there is an IPv6 address to advertise.
        boolean dualStack = at.isAnyLocalAddress() && at instanceof Inet4Address && advertise.wantsIpv6();
        try {
            for (int i = 0; i < ports.size(); i++) {
                EventLoopGroup g = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("cskit-udp-" + i), io);
                groups.add(g);
                NettyMediaTransport t = bind(g, at, dualStack, ports.get(i));
                bound.add(t);
                if (iceTcp != null) {
                    attachTcp(t, i);
                }
            }
        } catch (Exception | Error e) {
            bound.forEach(NettyMediaTransport::close);
            shutdownGroups();
            throw e;
        }
        sockets = List.copyOf(bound);
        if (iceTcp != null) {
            registerMeters(host.meters());
        }
    }

    // RFC 6544 passive listener of socket i: its UDP number, the i-th after firstPort, or a free port.
    private void attachTcp(NettyMediaTransport t, int i) throws InterruptedException {
        int first = iceTcp.firstPort();
        int port = first == IceTcp.SAME_AS_UDP ? t.localAddress().getPort() : first == 0 ? 0 : first + i;
        try {
            t.attachIceTcp(port, iceTcp, tcpCounters);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // A free UDP port's number may be taken for TCP; then any free TCP port will do, as asked.
            if (first != IceTcp.SAME_AS_UDP || ports.get(i) != 0) {
                throw e;
            }
            t.attachIceTcp(0, iceTcp, tcpCounters);
        }
    }

    private void registerMeters(Meters m) {
        IceTcpCounters c = tcpCounters;
        meters.add(m.functionCounter("cskit_media_tcp_accepted", "ICE-TCP media connections accepted",
                Tags.empty(), () -> c.get(IceTcpCounter.ACCEPTED)));
        for (IceTcpCounter counter : IceTcpCounter.values()) {
            if (counter.kind() == IceTcpCounter.Kind.CLOSED) {
                meters.add(m.functionCounter("cskit_media_tcp_closed", "ICE-TCP media connections closed, by reason",
                        Tags.of("reason", counter.wireName()), () -> c.get(counter)));
            } else if (counter.kind() == IceTcpCounter.Kind.FRAME_DROPPED) {
                meters.add(m.functionCounter("cskit_media_tcp_frames_dropped", "ICE-TCP frames dropped, by reason",
                        Tags.of("reason", counter.wireName()), () -> c.get(counter)));
            }
        }
        meters.add(m.gauge("cskit_media_tcp_connections", "Open ICE-TCP media connections, by state",
                Tags.of("state", "pending"), c::pending));
        meters.add(m.gauge("cskit_media_tcp_connections", "Open ICE-TCP media connections, by state",
                Tags.of("state", "checked"), c::checked));
    }

    private NettyMediaTransport bind(EventLoopGroup g, InetAddress at, boolean dualStack, int port)
            throws InterruptedException {
        NettyMediaTransport.Advertise candidates = (bound, p) -> advertise.addresses(bound).stream()
                .map(a -> new InetSocketAddress(a, p)).toList();
        if (dualStack) {
            try {
                return NettyMediaTransport.bind(g, new InetSocketAddress(InetAddress.getByName("::"), port), candidates);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                // e.g. IPv6 disabled in the kernel (Netty rethrows the bind's checked exception undeclared)
                log.info("cannot listen on [::]:{} ({}); the media socket listens on IPv4 only", port, e.toString());
            }
        }
        return NettyMediaTransport.bind(g, new InetSocketAddress(at, port), candidates);
    }

    /** Whether the sockets run on native epoll; false before start. */
    public boolean isNative() {
        List<NettyMediaTransport> s = sockets;
        return !s.isEmpty() && s.get(0).isNative();
    }

    /** The bound port of the first socket; 0 before start. */
    public int boundPort() {
        List<NettyMediaTransport> s = sockets;
        return s.isEmpty() ? 0 : s.get(0).localAddress().getPort();
    }

    /** The bound ports, one per socket; empty before start. */
    public List<Integer> boundPorts() {
        return sockets.stream().map(t -> t.localAddress().getPort()).toList();
    }

    /** The bound ICE-TCP ports, one per socket; empty before start or without ICE-TCP. */
    public List<Integer> boundTcpPorts() {
        List<Integer> out = new ArrayList<>();
        for (NettyMediaTransport t : sockets) {
            t.iceTcpPort().ifPresent(out::add);
        }
        return out;
    }

    /** Open ICE-TCP connections over every socket (pending and checked); waits for each socket's loop. */
    public int iceTcpConnections() {
        int n = 0;
        for (NettyMediaTransport t : sockets) {
            n += t.iceTcpConnections();
        }
        return n;
    }

    /** Ready while every socket is bound and open. */
    @Override
    public Readiness readiness() {
        List<NettyMediaTransport> s = sockets;
        boolean open = !s.isEmpty();
        for (NettyMediaTransport t : s) {
            open &= t.isOpen();
        }
        if (open) {
            return Readiness.READY;
        }
        return Readiness.notReady(ports.size() == 1 ? "the media port udp/" + ports.get(0) + " is not bound"
                : "the media ports udp/" + ports.stream().map(String::valueOf).collect(Collectors.joining(","))
                + " are not all bound");
    }

    @Override
    public List<MediaSocket> sockets() {
        return List.copyOf(sockets);
    }

    /** The sockets with their Netty-side counters; empty before start. */
    public List<NettyMediaTransport> nettySockets() {
        return sockets;
    }

    /** Closes the sockets and stops their loops; a second call does nothing. */
    @Override
    public synchronized void close() {
        meters.forEach(MeterRegistration::remove);
        meters.clear();
        List<NettyMediaTransport> s = sockets;
        sockets = List.of();
        s.forEach(NettyMediaTransport::close);
        shutdownGroups();
    }

    private void shutdownGroups() {
        for (EventLoopGroup g : groups) {
            g.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
        for (EventLoopGroup g : groups) {
            g.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        groups.clear();
    }
}
