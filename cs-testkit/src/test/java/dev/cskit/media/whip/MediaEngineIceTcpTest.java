/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.whip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cskit.media.dtls.DtlsCertificate;
import dev.cskit.media.ice.IceProtocol;
import dev.cskit.media.rtp.RtpPacket;
import dev.cskit.media.srtp.SrtpProfile;
import dev.cskit.testkit.ClientPeer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine with ICE-TCP (RFC 6544) beside UDP, against in-memory {@link ClientPeer}s (full ICE, DTLS and SRTP, no
 * sockets): answers carry the loop's passive TCP candidates after the UDP ones; a peer whose checks come over a TCP
 * connection gets every packet back over that connection, its stats say TCP, the host hears the connection was
 * checked; and a UDP peer at the very same address and port is another peer, kept apart.
 */
class MediaEngineIceTcpTest {

    private static final DtlsCertificate SERVER_CERT = DtlsCertificate.generate();
    private static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generate();
    private static final InetSocketAddress SERVER = new InetSocketAddress("192.0.2.10", 3478);
    private static final InetSocketAddress SERVER_TCP = new InetSocketAddress("192.0.2.10", 3479);
    /** One client address and port for a UDP publisher and a TCP player: the port spaces are apart. */
    private static final InetSocketAddress CLIENT = new InetSocketAddress("10.0.0.7", 40007);

    private final ExecutorService handshakes = Executors.newCachedThreadPool();
    private final Net net = new Net();
    private final MediaEngine engine = MediaEngine.newBuilder().loop(net).certificate(SERVER_CERT)
            .executor(handshakes).profiles(List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80)).build();

    @AfterEach
    void stop() throws InterruptedException {
        engine.close();
        handshakes.shutdownNow();
        assertTrue(handshakes.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(List.of(), net.errors);
    }

    /** The loop and the network: the test's thread runs the loop; the engine's packets reach the clients at once. */
    private final class Net implements LoopContext {
        final Thread owner = Thread.currentThread();
        final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
        final Map<InetSocketAddress, ClientPeer> udp = new ConcurrentHashMap<>();
        final Map<InetSocketAddress, ClientPeer> tcp = new ConcurrentHashMap<>();
        final List<String> checked = new CopyOnWriteArrayList<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final AtomicInteger sentUdp = new AtomicInteger();
        final AtomicInteger sentTcp = new AtomicInteger();

        @Override
        public List<InetSocketAddress> candidates() {
            return List.of(SERVER);
        }

        @Override
        public List<InetSocketAddress> tcpCandidates() {
            return List.of(SERVER_TCP);
        }

        @Override
        public void send(byte[] buf, int off, int len, InetSocketAddress to) {
            send(buf, off, len, to, IceProtocol.UDP);
        }

        @Override
        public void send(byte[] buf, int off, int len, InetSocketAddress to, IceProtocol protocol) {
            if (Thread.currentThread() != owner) {
                errors.add(new AssertionError("sent off the loop's thread"));
            }
            (protocol == IceProtocol.TCP ? sentTcp : sentUdp).incrementAndGet();
            ClientPeer c = (protocol == IceProtocol.TCP ? tcp : udp).get(to);
            if (c != null) {
                byte[] copy = Arrays.copyOfRange(buf, off, off + len);
                c.receive(copy, 0, copy.length);
            }
        }

        @Override
        public void checked(InetSocketAddress remote, IceProtocol protocol) {
            checked.add(protocol.wireName() + " " + remote);
        }

        @Override
        public void execute(Runnable task) {
            queue.add(task);
        }

        @Override
        public boolean inLoop() {
            return Thread.currentThread() == owner;
        }

        void runUntil(BooleanSupplier done, String what) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!done.getAsBoolean()) {
                Runnable r = queue.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (r == null) {
                    fail("timed out waiting for " + what);
                }
                try {
                    r.run();
                } catch (Throwable t) {
                    errors.add(t);
                }
            }
        }
    }

    private ClientPeer open(ClientPeer.Role role, IceProtocol protocol, List<byte[]> inbox) throws Exception {
        MediaLoop loop = engine.loops().get(0);
        ClientPeer peer = ClientPeer.newBuilder(role).executor(handshakes).certificate(CLIENT_CERT)
                .sender((buf, off, len, to) -> {
                    byte[] copy = Arrays.copyOfRange(buf, off, off + len);
                    // A TCP client writes on its connection whatever the address; a UDP one to the candidate.
                    net.queue.add(() -> loop.onPacket(copy, 0, copy.length, CLIENT, protocol));
                })
                .listener(new ClientPeer.Listener() {
                    @Override
                    public void onRtp(RtpPacket p) {
                        inbox.add(Arrays.copyOfRange(p.buffer(), p.payloadOffset(), p.payloadOffset() + p.payloadLength()));
                    }
                }).build();
        (protocol == IceProtocol.TCP ? net.tcp : net.udp).put(CLIENT, peer);
        StreamKey key = new StreamKey("s1", "agent");
        PeerResource res = role == ClientPeer.Role.PUBLISH ? engine.publish(key, "agent", peer.offer())
                : engine.play(key, "customer", peer.offer());
        assertTrue(res.answerSdp().contains("a=candidate:2 1 tcp 1520435199 192.0.2.10 3479 typ host tcptype passive"),
                res.answerSdp());
        peer.acceptAnswer(res.answerSdp());
        peer.connected().whenComplete((p, e) -> net.execute(() -> { }));
        peer.connect();
        net.runUntil(() -> peer.connected().isDone()
                && engine.peer(res.id()).map(s -> s.state() == PeerState.CONNECTED).orElse(false), role + " connected");
        return peer;
    }

    @Test
    void aPeerCheckedOverTcpIsServedOverItsConnectionApartFromAUdpPeerAtTheSameAddress() throws Exception {
        List<byte[]> publisherGot = new CopyOnWriteArrayList<>();
        List<byte[]> playerGot = new CopyOnWriteArrayList<>();
        ClientPeer publisher = open(ClientPeer.Role.PUBLISH, IceProtocol.UDP, publisherGot);
        assertEquals(List.of(), net.checked, "a UDP check does not concern the host's TCP listener");
        int tcpBefore = net.sentTcp.get();
        ClientPeer player = open(ClientPeer.Role.PLAY, IceProtocol.TCP, playerGot);
        assertEquals(List.of("tcp " + CLIENT), net.checked);
        assertTrue(net.sentTcp.get() > tcpBefore, "the check's response and DTLS went back over TCP");

        int pt = publisher.answered("video").orElseThrow().payloadType();
        byte[] payload = "over tcp".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int tcpBeforeMedia = net.sentTcp.get();
        for (int i = 0; i < 5; i++) {
            publisher.sendRtp(pt, publisher.videoSsrc(), i, 3000L * i, false, payload, 0, payload.length);
        }
        net.runUntil(() -> playerGot.size() == 5, "the player to get the video over its TCP connection");
        assertTrue(net.sentTcp.get() >= tcpBeforeMedia + 5);
        assertTrue(playerGot.stream().allMatch(p -> Arrays.equals(payload, p)));
        assertEquals(List.of(), publisherGot, "nothing of the player's went to the UDP peer at the same address");

        Map<PeerRole, IceProtocol> transports = new java.util.EnumMap<>(PeerRole.class);
        engine.stats("s1").forEach(s -> transports.put(s.role(), s.transport()));
        assertEquals(Map.of(PeerRole.PUBLISH, IceProtocol.UDP, PeerRole.PLAY, IceProtocol.TCP), transports);
        assertEquals(2, engine.counters().get(MediaEngine.Counter.PEERS_CONNECTED));
        assertEquals(1, engine.counters().get(MediaEngine.Counter.PEERS_CONNECTED_TCP));
        player.close();
        publisher.close();
    }

    @Test
    void aTcpFrameFromAConnectionNoCheckPassedOnReachesNoPeer() throws Exception {
        List<byte[]> publisherGot = new CopyOnWriteArrayList<>();
        open(ClientPeer.Role.PUBLISH, IceProtocol.UDP, publisherGot);
        long noPeer = engine.counters().get(MediaEngine.Counter.NO_PEER);
        // DTLS-looking bytes (RFC 7983: 20..63) from the UDP peer's address, but over TCP: not that peer's.
        byte[] dtls = {22, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        MediaLoop loop = engine.loops().get(0);
        net.queue.add(() -> loop.onPacket(dtls, 0, dtls.length, CLIENT, IceProtocol.TCP));
        net.runUntil(() -> engine.counters().get(MediaEngine.Counter.NO_PEER) == noPeer + 1, "the frame dropped as no_peer");
        assertEquals(List.of(), net.checked);
    }
}
