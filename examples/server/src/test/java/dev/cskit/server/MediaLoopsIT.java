/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cskit.api.CustomerServicePlugin;
import dev.cskit.api.media.MediaTransport;
import dev.cskit.core.CustomerService;
import dev.cskit.media.dtls.DtlsCertificate;
import dev.cskit.media.whip.MediaEngine;
import dev.cskit.media.whip.PeerStats;
import dev.cskit.netty.HostComponent;
import dev.cskit.netty.NettyHost;
import dev.cskit.netty.UdpMediaPort;
import dev.cskit.testkit.ClientPeer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's "every core": a server with two media loops (two UDP ports, {@code cskit-udp-0} and {@code -1}), two
 * calls through the real stack (HTTP WHIP/WHEP, the plugin, the engine, the Netty sockets) with four real client
 * peers each (ICE, DTLS, SRTP over loopback UDP). Each call lands on its own loop, its answers name that loop's
 * port, and every datagram of a call, in or out, is handled by that loop's thread and no other.
 */
class MediaLoopsIT {

    private static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generate();
    private static final int PACKETS = 30;

    @TempDir
    Path dataDir;

    private final ExecutorService handshakes = Executors.newCachedThreadPool();
    private final List<LoopbackPeer> clients = new ArrayList<>();
    private NettyHost host;

    /** Which threads handled the datagrams from and to each client address. */
    private final Map<InetSocketAddress, Set<String>> threadsByClient = new ConcurrentHashMap<>();

    @AfterEach
    void stop() throws InterruptedException {
        clients.forEach(LoopbackPeer::close);
        if (host != null) {
            host.close();
        }
        handshakes.shutdownNow();
        assertTrue(handshakes.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void twoCallsLandOnTwoLoopsAndEachCallsPacketsStayOnItsLoopsThread() throws Exception {
        Recording media = new Recording(UdpMediaPort.range(0, 2, "127.0.0.1", UdpMediaPort.Transport.AUTO));
        host = NettyHost.newBuilder().bindAddress("127.0.0.1").port(0).component(media).build();
        host.start();
        CustomerServicePlugin plugin = CustomerServicePlugin.load();
        host.startPlugin(plugin, InProcessServer.config(dataDir));
        Http http = new Http(host.port(), InProcessServer.ADMIN_TOKEN);
        List<Integer> ports = media.port.boundPorts();

        Call first = call(http, InProcessServer.AGENT1, InProcessServer.AGENT1_NAME);
        Call second = call(http, InProcessServer.AGENT2, InProcessServer.AGENT2_NAME);
        first.sendMedia();
        second.sendMedia();
        first.awaitMedia();
        second.awaitMedia();

        MediaEngine engine = ((CustomerService) plugin).media().orElseThrow().engine();
        int loopA = engine.loopOf(first.sessionId).orElseThrow();
        int loopB = engine.loopOf(second.sessionId).orElseThrow();
        assertNotEquals(loopA, loopB, "the second call goes to the idle loop");
        for (Call c : List.of(first, second)) {
            int loop = engine.loopOf(c.sessionId).orElseThrow();
            List<PeerStats> stats = engine.stats(c.sessionId);
            assertEquals(4, stats.size());
            assertEquals(Set.of(loop), stats.stream().map(PeerStats::loop).collect(Collectors.toSet()),
                    "all four resources of a call on one loop");
            for (LoopbackPeer cl : c.clients) {
                assertEquals(new InetSocketAddress("127.0.0.1", ports.get(loop)), cl.peer.serverAddress(),
                        "the answer names the call's loop's port");
                Set<String> threads = threadsByClient.get(cl.address);
                assertEquals(1, threads.size(), "one thread handled every datagram of " + cl.address + ": " + threads);
                assertTrue(threads.iterator().next().startsWith("cskit-udp-" + loop + "-"), threads.toString());
            }
        }
    }

    private Call call(Http http, String agentId, String agentName) throws Exception {
        JsonNode s = http.createSession("loops", "Customer of " + agentId);
        String sid = s.get("id").asText();
        http.assign(sid, agentId, agentName);
        JsonNode links = http.links(sid);
        String customer = s.get("customer_id").asText();
        String customerToken = links.get("customer_token").asText();
        String agentToken = links.get("agent_token").asText();
        Call c = new Call(sid);
        c.agentPub = c.open(http, ClientPeer.Role.PUBLISH, "whip", sid + "/" + agentId, agentToken);
        c.customerPub = c.open(http, ClientPeer.Role.PUBLISH, "whip", sid + "/" + customer, customerToken);
        c.agentPlay = c.open(http, ClientPeer.Role.PLAY, "whep", sid + "/" + customer, agentToken);
        c.customerPlay = c.open(http, ClientPeer.Role.PLAY, "whep", sid + "/" + agentId, customerToken);
        for (LoopbackPeer cl : c.clients) {
            cl.peer.connect();
        }
        for (LoopbackPeer cl : c.clients) {
            cl.peer.connected().get(20, TimeUnit.SECONDS);
        }
        return c;
    }

    /** One call's four peers. */
    private final class Call {
        final String sessionId;
        final List<LoopbackPeer> clients = new ArrayList<>();
        LoopbackPeer agentPub;
        LoopbackPeer customerPub;
        LoopbackPeer agentPlay;
        LoopbackPeer customerPlay;

        Call(String sessionId) {
            this.sessionId = sessionId;
        }

        LoopbackPeer open(Http http, ClientPeer.Role role, String kind, String path, String token) throws Exception {
            LoopbackPeer cl = new LoopbackPeer(role, handshakes, CLIENT_CERT);
            clients.add(cl);
            MediaLoopsIT.this.clients.add(cl);
            cl.negotiate(host.port(), kind, path, token);
            return cl;
        }

        void sendMedia() {
            for (LoopbackPeer pub : List.of(agentPub, customerPub)) {
                ClientPeer p = pub.peer;
                int pt = p.answered("video").orElseThrow().payloadType();
                for (int i = 0; i < PACKETS; i++) {
                    assertTrue(p.sendRtp(pt, p.videoSsrc(), 100 + i, 3000L * i, false, new byte[200], 0, 200) > 0);
                }
            }
        }

        void awaitMedia() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            for (LoopbackPeer player : List.of(agentPlay, customerPlay)) {
                while (player.rtp.get() < PACKETS) {
                    assertTrue(System.nanoTime() < deadline, "a player got " + player.rtp.get() + " of " + PACKETS);
                    synchronized (player.rtp) {
                        player.rtp.wait(100);
                    }
                }
            }
        }
    }

    /** The real media port, with each socket's datagrams, in and out, recorded by client address and thread. */
    private final class Recording implements HostComponent, MediaTransport {
        final UdpMediaPort port;
        private volatile List<MediaSocket> sockets = List.of();

        Recording(UdpMediaPort port) {
            this.port = port;
        }

        @Override
        public String name() {
            return port.name();
        }

        @Override
        public void start(NettyHost h) throws Exception {
            port.start(h);
            List<MediaSocket> wrapped = new CopyOnWriteArrayList<>();
            for (MediaSocket s : port.sockets()) {
                wrapped.add(new MediaSocket() {
                    @Override
                    public List<InetSocketAddress> candidates() {
                        return s.candidates();
                    }

                    @Override
                    public void setReceiver(DatagramReceiver receiver) {
                        s.setReceiver((buf, off, len, from) -> {
                            record(from);
                            receiver.onDatagram(buf, off, len, from);
                        });
                    }

                    @Override
                    public boolean send(byte[] buf, int off, int len, InetSocketAddress to) {
                        record(to);
                        return s.send(buf, off, len, to);
                    }

                    @Override
                    public void execute(Runnable task) {
                        s.execute(task);
                    }

                    @Override
                    public Future<?> schedule(Runnable task, long delay, TimeUnit unit) {
                        return s.schedule(task, delay, unit);
                    }

                    @Override
                    public boolean inLoop() {
                        return s.inLoop();
                    }
                });
            }
            sockets = List.copyOf(wrapped);
        }

        private void record(InetSocketAddress client) {
            threadsByClient.computeIfAbsent(client, a -> ConcurrentHashMap.newKeySet()).add(Thread.currentThread().getName());
        }

        @Override
        public List<MediaSocket> sockets() {
            return sockets;
        }

        @Override
        public void close() {
            port.close();
        }
    }
}
