/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cskit.api.CustomerServicePlugin;
import dev.cskit.core.CustomerService;
import dev.cskit.media.dtls.DtlsCertificate;
import dev.cskit.media.rtp.RtpPacket;
import dev.cskit.media.whip.MediaEngine;
import dev.cskit.media.whip.PeerStats;
import dev.cskit.netty.IceTcp;
import dev.cskit.netty.NettyHost;
import dev.cskit.netty.UdpMediaPort;
import dev.cskit.netty.stats.IceTcpCounter;
import dev.cskit.netty.stats.IceTcpCounters;
import dev.cskit.testkit.ClientPeer;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, ICE-TCP (RFC 6544) against the real server (HTTP, the plugin, the engine, the Netty UDP socket and its
 * TCP listener): a call whose two peers run over RFC 4571-framed TCP connections (the test's own client peers)
 * carries media and is reported {@code transport: tcp}; then, while that call and a UDP call keep flowing, the
 * listener is abused: a garbage frame, a 64 KiB length prefix, a connection that sends nothing, and 1000 idle
 * connections. Each is closed and counted by its reason, both calls carry on, no peer is created, and the open
 * connections come back to the call's two.
 */
@Timeout(150)
class IceTcpRobustnessIT {

    private static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generate();
    private static final int IDLE_CONNECTIONS = 1000;
    private static final int MAX_PENDING = 256;

    @TempDir
    Path dataDir;

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Client> clients = new ArrayList<>();
    private final List<Socket> abusers = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private NettyHost host;

    @AfterEach
    void stop() throws InterruptedException {
        running.set(false);
        clients.forEach(Client::close);
        for (Socket s : abusers) {
            try {
                s.close();
            } catch (IOException e) {
                // closing
            }
        }
        if (host != null) {
            host.close();
        }
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void aCallOverIceTcpFlowsAndAbusiveConnectionsAreClosedAndCountedWhileCallsCarryOn() throws Exception {
        UdpMediaPort media = UdpMediaPort.range(0, 1, "127.0.0.1", UdpMediaPort.Transport.AUTO)
                .withIceTcp(IceTcp.defaults().withFirstPort(0).withLimits(IceTcp.DEFAULT_MAX_FRAME,
                        IceTcp.DEFAULT_CHECK_TIMEOUT, IceTcp.DEFAULT_IDLE_TIMEOUT, MAX_PENDING));
        host = NettyHost.newBuilder().bindAddress("127.0.0.1").port(0).component(media).build();
        host.start();
        CustomerServicePlugin plugin = CustomerServicePlugin.load();
        host.startPlugin(plugin, InProcessServer.config(dataDir));
        MediaEngine engine = ((CustomerService) plugin).media().orElseThrow().engine();
        Http http = new Http(host.port(), InProcessServer.ADMIN_TOKEN);
        InetSocketAddress tcpPort = new InetSocketAddress("127.0.0.1", media.boundTcpPorts().get(0));
        IceTcpCounters counters = media.iceTcpCounters();

        // Call A over UDP, call B over ICE-TCP: each has its agent publishing video and its customer playing it.
        Client udpPlayer = call(http, InProcessServer.AGENT1, InProcessServer.AGENT1_NAME, null);
        Client tcpPlayer = call(http, InProcessServer.AGENT2, InProcessServer.AGENT2_NAME, tcpPort);
        keepConsent();
        awaitPackets(udpPlayer, 20);
        awaitPackets(tcpPlayer, 20);
        assertEquals(2, engine.counters().get(MediaEngine.Counter.PEERS_CONNECTED_TCP), "call B's two peers");
        assertEquals(4, engine.counters().get(MediaEngine.Counter.PEERS_CONNECTED));
        // What the room report shows of each peer (its parties have not joined a room here, so read the engine).
        List<String> transports = new ArrayList<>();
        for (String sid : List.of(udpPlayer.sessionId, tcpPlayer.sessionId)) {
            for (PeerStats st : engine.stats(sid)) {
                transports.add(sid.equals(tcpPlayer.sessionId) + ":" + st.transport().wireName());
            }
        }
        assertEquals(List.of("false:udp", "false:udp", "true:tcp", "true:tcp"), transports.stream().sorted().toList());
        assertEquals(2, media.iceTcpConnections());
        assertEquals(2, counters.checked());
        int udpBefore = udpPlayer.rtp.get();
        int tcpBefore = tcpPlayer.rtp.get();

        // 1. A garbage frame: a well-formed length with bytes that are not STUN, on a connection no check passed on.
        byte[] garbage = new byte[300];
        new Random(14).nextBytes(garbage);
        garbage[0] = (byte) 0xC7; // not STUN whatever the seed gave (RFC 7983: STUN's first byte is 0..3)
        Socket garbled = abuser(tcpPort);
        DataOutputStream g = new DataOutputStream(garbled.getOutputStream());
        g.writeShort(garbage.length);
        g.write(garbage);
        g.flush();
        // 2. A 64 KiB length prefix, then bytes.
        Socket huge = abuser(tcpPort);
        DataOutputStream h = new DataOutputStream(huge.getOutputStream());
        h.writeShort(0xFFFF);
        h.write(new byte[4096]);
        h.flush();
        // 3. A connection that sends nothing.
        Socket silent = abuser(tcpPort);
        awaitClosedByServer(garbled, 5);
        awaitClosedByServer(huge, 5);
        assertEquals(1, counters.get(IceTcpCounter.NOT_STUN));
        assertEquals(1, counters.get(IceTcpCounter.FRAME_TOO_LARGE));
        awaitClosedByServer(silent, 15);
        assertEquals(1, counters.get(IceTcpCounter.CHECK_TIMEOUT));

        // 4. 1000 idle connections: past the cap of pending ones they are refused at once, the rest closed at the
        // check timeout. Every one is closed by the server, and counted.
        long checkTimeoutsBefore = counters.get(IceTcpCounter.CHECK_TIMEOUT);
        List<Socket> idle = new ArrayList<>();
        for (int i = 0; i < IDLE_CONNECTIONS; i++) {
            idle.add(abuser(tcpPort));
        }
        for (Socket s : idle) {
            awaitClosedByServer(s, 30);
        }
        long refused = counters.get(IceTcpCounter.REFUSED);
        long timedOut = counters.get(IceTcpCounter.CHECK_TIMEOUT) - checkTimeoutsBefore;
        assertEquals(IDLE_CONNECTIONS, refused + timedOut, "refused " + refused + ", timed out " + timedOut);
        assertTrue(refused >= IDLE_CONNECTIONS - MAX_PENDING, "the cap of pending connections held: " + refused);
        awaitTrue(() -> counters.pending() == 0, 5, () -> "pending " + counters.pending());

        // Memory stays bounded: nothing of the abuse is left, no peer was made, and both calls carry on.
        assertEquals(2, media.iceTcpConnections(), "only call B's connections are open");
        assertEquals(2, counters.checked());
        assertEquals(4, engine.size(), "the two calls' peers, nothing else");
        awaitPackets(udpPlayer, udpBefore + 100);
        awaitPackets(tcpPlayer, tcpBefore + 100);
        assertEquals(2 + 3 + IDLE_CONNECTIONS, counters.get(IceTcpCounter.ACCEPTED), "every connection was accepted first");
    }

    /** A session with {@code agent} publishing video over UDP or ({@code tcp} non-null) ICE-TCP, and its customer playing it. */
    private Client call(Http http, String agent, String agentName, InetSocketAddress tcp) throws Exception {
        JsonNode s = http.createSession("ice-tcp " + agent, "Cust " + agent);
        String sid = s.get("id").asText();
        http.assign(sid, agent, agentName);
        JsonNode links = http.links(sid);
        Client publisher = open(ClientPeer.Role.PUBLISH, "whip", sid + "/" + agent, links.get("agent_token").asText(), tcp);
        Client player = open(ClientPeer.Role.PLAY, "whep", sid + "/" + agent, links.get("customer_token").asText(), tcp);
        player.sessionId = sid;
        for (Client c : List.of(publisher, player)) {
            c.peer.connect();
        }
        for (Client c : List.of(publisher, player)) {
            c.peer.connected().get(30, TimeUnit.SECONDS);
        }
        threads.submit(() -> {
            ClientPeer p = publisher.peer;
            int pt = p.answered("video").orElseThrow().payloadType();
            for (int i = 0; running.get(); i++) {
                p.sendRtp(pt, p.videoSsrc(), i & 0xFFFF, 900L * i, false, new byte[600], 0, 600);
                Thread.sleep(10); // pacing a sender, not waiting for a result
            }
            return null;
        });
        return player;
    }

    // Consent freshness (RFC 7675) as browsers keep it: a check every few seconds from every client.
    private void keepConsent() {
        threads.submit(() -> {
            while (running.get()) {
                Thread.sleep(3000); // the client's consent interval
                for (Client c : clients) {
                    c.peer.sendBindingRequest();
                }
            }
            return null;
        });
    }

    private Socket abuser(InetSocketAddress to) throws IOException {
        Socket s = new Socket();
        abusers.add(s);
        s.connect(to, 5000);
        s.setSoTimeout(500);
        return s;
    }

    /** Waits until the server closed {@code s}: a read sees the end of the stream (or a reset). */
    private static void awaitClosedByServer(Socket s, int seconds) throws IOException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        InputStream in = s.getInputStream();
        byte[] buf = new byte[256];
        while (true) {
            try {
                if (in.read(buf) < 0) {
                    return;
                }
            } catch (SocketTimeoutException e) {
                assertTrue(System.nanoTime() < end, "the server did not close a connection within " + seconds + " s");
            } catch (IOException e) {
                return; // reset by the server: closed too
            }
        }
    }

    private static void awaitTrue(BooleanSupplier ok, int seconds, java.util.function.Supplier<String> what)
            throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!ok.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, what);
            Thread.sleep(20); // polling a counter another thread writes
        }
    }

    private static void awaitPackets(Client player, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (player.rtp.get() < n) {
            assertTrue(System.nanoTime() < deadline, "the player got " + player.rtp.get() + " of " + n + " packets");
            synchronized (player.rtp) {
                player.rtp.wait(100);
            }
        }
    }

    private Client open(ClientPeer.Role role, String kind, String path, String token, InetSocketAddress tcp)
            throws Exception {
        Client c = new Client(role);
        clients.add(c);
        String answer = LoopbackPeer.negotiate(c.peer, host.port(), kind, path, token);
        if (tcp != null) {
            assertTrue(answer.contains(" 1 tcp ") && answer.contains(" 127.0.0.1 " + tcp.getPort()
                    + " typ host tcptype passive"), answer);
            c.useTcp(tcp);
        } else {
            c.useUdp();
        }
        return c;
    }

    /** A client peer over loopback UDP, or over one RFC 4571-framed TCP connection, read by a thread of its own. */
    private final class Client {
        final ClientPeer peer;
        final AtomicInteger rtp = new AtomicInteger();
        String sessionId;
        private volatile DatagramSocket udp;
        private volatile Socket tcp;
        private volatile DataOutputStream tcpOut;

        Client(ClientPeer.Role role) {
            peer = ClientPeer.newBuilder(role).executor(threads).certificate(CLIENT_CERT)
                    .sender(this::send)
                    .listener(new ClientPeer.Listener() {
                        @Override
                        public void onRtp(RtpPacket packet) {
                            rtp.incrementAndGet();
                            synchronized (rtp) {
                                rtp.notifyAll();
                            }
                        }
                    }).build();
        }

        private void send(byte[] buf, int off, int len, InetSocketAddress to) {
            try {
                DataOutputStream out = tcpOut;
                if (out != null) {
                    synchronized (out) { // RFC 4571 §2: the length, then the packet
                        out.writeShort(len);
                        out.write(buf, off, len);
                        out.flush();
                    }
                } else if (udp != null) {
                    udp.send(new DatagramPacket(buf, off, len, to));
                }
            } catch (IOException e) {
                // closed at the end of the test
            }
        }

        void useUdp() throws IOException {
            DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
            s.setSoTimeout(200);
            udp = s;
            threads.submit(() -> {
                byte[] buf = new byte[2048];
                while (!s.isClosed()) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        s.receive(p);
                        peer.receive(buf, 0, p.getLength());
                    } catch (SocketTimeoutException e) {
                        // poll again
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        void useTcp(InetSocketAddress server) throws IOException {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.connect(server, 5000);
            tcp = s;
            tcpOut = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()));
            threads.submit(() -> {
                byte[] buf = new byte[65535];
                try {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    while (true) {
                        int len = in.readUnsignedShort();
                        in.readFully(buf, 0, len);
                        peer.receive(buf, 0, len);
                    }
                } catch (IOException e) {
                    return; // closed
                }
            });
        }

        void close() {
            peer.close();
            try {
                if (udp != null) {
                    udp.close();
                }
                if (tcp != null) {
                    tcp.close();
                }
            } catch (IOException e) {
                // closing
            }
        }
    }
}
