/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.whip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cskit.testkit.ClientPeer;
import dev.cskit.testkit.IceClient;
import dev.cskit.media.dtls.DtlsCertificate;
import dev.cskit.media.ice.IceCredentials;
import dev.cskit.media.rtcp.RtcpCompound;
import dev.cskit.media.rtp.RtpPacket;
import dev.cskit.media.sdp.SdpException;
import dev.cskit.media.srtp.SrtpProfile;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The media engine against in-memory {@link ClientPeer}s: full ICE, DTLS and SRTP, no sockets, no sleeps. The
 * engine's one loop is run by the test's own thread ({@link Network}): datagrams from the clients and the results
 * of the DTLS handshakes (which run on a pool) queue up for the loop, and the test runs them; the server's
 * datagrams reach the clients at once. Time for the engine is a manual clock, and its timers run when the test
 * calls {@link MediaLoop#handleTimeout}.
 */
class MediaEngineTest {

    private static final DtlsCertificate SERVER_CERT = DtlsCertificate.generate();
    private static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generate();
    private static final InetSocketAddress SERVER = new InetSocketAddress("192.0.2.10", 3478);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ExecutorService handshakes = Executors.newCachedThreadPool();
    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final List<GoneReason> goneReasons = new CopyOnWriteArrayList<>();
    private final List<String> mismatches = new CopyOnWriteArrayList<>();
    private final CountDownLatch mismatchHeard = new CountDownLatch(1);
    private final List<PeerStats> goneStats = new CopyOnWriteArrayList<>();
    private final Set<String> connectedIds = ConcurrentHashMap.newKeySet();
    private final Network net = new Network(0, SERVER);
    private final AtomicInteger nextAddress = new AtomicInteger(1);
    private MediaEngine engine;

    @BeforeEach
    void startEngine() {
        engine = newEngine(List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80, SrtpProfile.AEAD_AES_128_GCM));
    }

    private MediaEngine newEngine(List<SrtpProfile> profiles) {
        return newEngine(profiles, b -> b);
    }

    private MediaEngine newEngine(List<SrtpProfile> profiles, UnaryOperator<MediaEngine.Builder> custom) {
        return custom.apply(MediaEngine.newBuilder()
                .loop(net)
                .certificate(SERVER_CERT)
                .executor(handshakes)
                .nanoTime(now::get)
                .profiles(profiles)
                .handshakeTimeout(Duration.ofSeconds(10))
                .listener(new MediaListener() {
                    @Override
                    public void onConnected(PeerStats peer) {
                        connectedIds.add(peer.id());
                    }

                    @Override
                    public void onGone(PeerStats peer, GoneReason reason) {
                        goneStats.add(peer);
                        goneReasons.add(reason);
                    }

                    @Override
                    public void onCodecMismatch(PeerStats player, String kind, String publisherCodec,
                                                List<String> playerCodecs) {
                        mismatches.add(player.id() + " " + kind + " " + publisherCodec + " " + playerCodecs);
                        mismatchHeard.countDown();
                    }
                }))
                .build();
    }

    private MediaLoop loop() {
        return engine.loops().get(0);
    }

    @AfterEach
    void stop() throws InterruptedException {
        engine.close();
        handshakes.shutdownNow();
        assertTrue(handshakes.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(List.of(), net.errors, "onDatagram or ClientPeer.receive threw");
    }

    // ------------------------------------------------------------------ the in-memory network

    /**
     * The engine's loop and the network in one: the test's thread is the loop's thread. What the clients send and
     * what the handshake threads post is queued; {@link #awaitIdle} runs the queue; what the engine sends is
     * handed to the addressed client at once, on the loop's thread.
     */
    private final class Network implements LoopContext {
        final int index;
        final InetSocketAddress server;
        final Thread owner = Thread.currentThread();
        final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
        final Map<InetSocketAddress, ClientPeer> clients = new ConcurrentHashMap<>();
        final Map<InetSocketAddress, byte[]> lastFrom = new ConcurrentHashMap<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        /** Drops a datagram to a client when it returns true (address, datagram). */
        volatile BiPredicate<InetSocketAddress, byte[]> dropToClient = (a, d) -> false;

        Network(int index, InetSocketAddress server) {
            this.index = index;
            this.server = server;
        }

        @Override
        public List<InetSocketAddress> candidates() {
            return List.of(server);
        }

        @Override
        public void send(byte[] buf, int off, int len, InetSocketAddress to) {
            assertSame(owner, Thread.currentThread(), "the engine sends on its loop's thread only");
            byte[] copy = Arrays.copyOfRange(buf, off, off + len);
            ClientPeer c = clients.get(to);
            if (c != null && !dropToClient.test(to, copy)) {
                c.receive(copy, 0, copy.length);
            }
        }

        @Override
        public void execute(Runnable task) {
            queue.add(task);
        }

        @Override
        public boolean inLoop() {
            return Thread.currentThread() == owner;
        }

        /** A client's datagram, from the test's thread or a client's handshake thread. */
        void toEngine(byte[] buf, int off, int len, InetSocketAddress from) {
            byte[] copy = Arrays.copyOfRange(buf, off, off + len);
            lastFrom.put(from, copy);
            inject(copy, from);
        }

        /** Injects raw bytes as if {@code from} had sent them. */
        void inject(byte[] datagram, InetSocketAddress from) {
            queue.add(() -> engine.loops().get(index).onDatagram(datagram, 0, datagram.length, from));
        }

        /** Runs everything queued for the loop, including what running it queues. */
        void awaitIdle() {
            Runnable r;
            while ((r = queue.poll()) != null) {
                run(r);
            }
        }

        /** Runs the loop until {@code done} holds, waiting for the handshake threads to post their work. */
        void runUntil(BooleanSupplier done, Supplier<String> what) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            awaitIdle();
            while (!done.getAsBoolean()) {
                Runnable r = queue.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (r == null) {
                    fail("timed out waiting for " + what.get());
                }
                run(r);
                awaitIdle();
            }
        }

        private void run(Runnable r) {
            try {
                r.run();
            } catch (Throwable t) {
                errors.add(t);
            }
        }
    }

    // ------------------------------------------------------------------ client side

    private record Rtp(int pt, long ssrc, int seq, long ts, byte[] payload) {
    }

    private record Rtcp(int type, int fmt, long mediaSsrc) {
    }

    /** What one client received, decrypted. */
    private static final class Inbox implements ClientPeer.Listener {
        final List<Rtp> rtp = new CopyOnWriteArrayList<>();
        final List<Rtcp> rtcp = new CopyOnWriteArrayList<>();

        @Override
        public void onRtp(RtpPacket p) {
            rtp.add(new Rtp(p.payloadType(), p.ssrc(), p.sequenceNumber(), p.timestamp(),
                    Arrays.copyOfRange(p.buffer(), p.payloadOffset(), p.payloadOffset() + p.payloadLength())));
        }

        @Override
        public void onRtcp(byte[] buf, int off, int len) {
            RtcpCompound c = new RtcpCompound();
            if (c.wrap(buf, off, len)) {
                while (c.next()) {
                    int at = c.packetOffset();
                    long media = c.packetLength() >= 12 ? readUint32(buf, at + 8) : -1;
                    rtcp.add(new Rtcp(c.packetType(), c.count(), media));
                }
            }
        }

        long plis(long mediaSsrc) {
            return rtcp.stream().filter(r -> r.type() == RtcpCompound.PSFB && r.fmt() == 1
                    && r.mediaSsrc() == mediaSsrc).count();
        }
    }

    private static long readUint32(byte[] b, int p) {
        return ((b[p] & 0xFFL) << 24) | ((b[p + 1] & 0xFFL) << 16) | ((b[p + 2] & 0xFFL) << 8) | (b[p + 3] & 0xFFL);
    }

    private final class Conn {
        final ClientPeer peer;
        final InetSocketAddress address;
        final PeerResource resource;
        final Inbox inbox;
        final String offer;

        Conn(ClientPeer peer, InetSocketAddress address, PeerResource resource, Inbox inbox, String offer) {
            this.peer = peer;
            this.address = address;
            this.resource = resource;
            this.inbox = inbox;
            this.offer = offer;
        }

        int sendVideo(int seq, long ts, byte[] payload) {
            return peer.sendRtp(peer.videoPayloadType(), peer.videoSsrc(), seq, ts, false, payload, 0, payload.length);
        }

        int sendAudio(int seq, long ts, byte[] payload) {
            return peer.sendRtp(peer.audioPayloadType(), peer.audioSsrc(), seq, ts, false, payload, 0, payload.length);
        }

        long answeredSsrc(String kind) {
            return peer.answeredSsrcs().get(kind);
        }

        PeerStats stats() {
            return engine.peer(resource.id()).orElseThrow();
        }
    }

    private Conn publish(String path) throws Exception {
        return open(ClientPeer.Role.PUBLISH, path, b -> b);
    }

    private Conn play(String path) throws Exception {
        return open(ClientPeer.Role.PLAY, path, b -> b);
    }

    private Conn open(ClientPeer.Role role, String path, UnaryOperator<ClientPeer.Builder> custom) throws Exception {
        int n = nextAddress.getAndIncrement();
        InetSocketAddress address = new InetSocketAddress("10.0.0." + n, 40000 + n);
        Inbox inbox = new Inbox();
        ClientPeer peer = custom.apply(ClientPeer.newBuilder(role)
                .sender((buf, off, len, to) -> {
                    if (to.equals(SERVER)) {
                        net.toEngine(buf, off, len, address);
                    }
                })
                .executor(handshakes)
                .certificate(CLIENT_CERT)
                .listener(inbox)).build();
        net.clients.put(address, peer);
        String offer = peer.offer();
        PeerResource res = role == ClientPeer.Role.PUBLISH ? engine.publish(key(path), "owner-" + n, offer)
                : engine.play(key(path), "owner-" + n, offer);
        peer.acceptAnswer(res.answerSdp());
        assertEquals(SERVER, peer.serverAddress());
        // The client's handshake ends on its own thread: wake the loop then, so that it looks at the condition.
        peer.connected().whenComplete((p, e) -> net.execute(() -> { }));
        peer.connect();
        // Both sides: the client's handshake, and the engine's onConnected, which comes after the engine marked a
        // player connected and asked the publisher for a keyframe.
        net.runUntil(() -> peer.connected().isDone() && connectedIds.contains(res.id()), () -> "both sides to connect: client "
                + peer.connected() + ", gone " + goneReasons + ", " + peer.stats() + ", errors " + net.errors);
        peer.connected().get();
        assertEquals(PeerState.CONNECTED, engine.peer(res.id()).orElseThrow().state());
        net.awaitIdle();
        return new Conn(peer, address, res, inbox, offer);
    }

    /** {@code cs/{session}/{user}} as the engine's key. */
    private static StreamKey key(String path) {
        String[] p = path.split("/");
        return new StreamKey(p[1], p[2]);
    }

    private static byte[] payload(int i) {
        byte[] p = new byte[40 + i % 7];
        for (int k = 0; k < p.length; k++) {
            p[k] = (byte) (i * 31 + k);
        }
        return p;
    }

    private static void assertContinuous(List<Rtp> packets) {
        for (int i = 1; i < packets.size(); i++) {
            assertEquals((packets.get(i - 1).seq() + 1) & 0xFFFF, packets.get(i).seq(), "sequence gap at " + i);
        }
    }

    private static List<Rtp> ofType(List<Rtp> packets, int pt) {
        return packets.stream().filter(p -> p.pt() == pt).toList();
    }

    private long counter(MediaEngine.Counter c) {
        return engine.counters().get(c);
    }

    // ------------------------------------------------------------------ publish and play

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void forwardsPublishedMediaIntactInThePlayersNegotiation(SrtpProfile profile) throws Exception {
        engine.close();
        engine = newEngine(List.of(profile));
        Conn pub = open(ClientPeer.Role.PUBLISH, "cs/s1/agent", b -> b.payloadTypes(111, 96));
        Conn player = open(ClientPeer.Role.PLAY, "cs/s1/agent", b -> b.payloadTypes(109, 100));
        assertEquals(profile, pub.peer.profile().orElseThrow());
        assertEquals(profile, player.peer.profile().orElseThrow());
        assertEquals(profile.name(), player.stats().srtpProfile());
        assertEquals(100, player.peer.answered("video").orElseThrow().payloadType());

        for (int i = 0; i < 10; i++) {
            assertTrue(pub.sendVideo(5000 + i, 90_000L * i, payload(i)) > 0);
            assertTrue(pub.sendAudio(65530 + i, 960L * i, payload(100 + i)) > 0); // wraps around 65535
        }
        net.awaitIdle();

        List<Rtp> video = ofType(player.inbox.rtp, 100);
        List<Rtp> audio = ofType(player.inbox.rtp, 109);
        assertEquals(10, video.size(), "video at the player: " + player.inbox.rtp);
        assertEquals(10, audio.size());
        assertEquals(20, player.inbox.rtp.size(), "only the player's payload types arrive");
        for (int i = 0; i < 10; i++) {
            assertArrayEquals(payload(i), video.get(i).payload());
            assertArrayEquals(payload(100 + i), audio.get(i).payload());
            assertEquals(player.answeredSsrc("video"), video.get(i).ssrc());
            assertEquals(player.answeredSsrc("audio"), audio.get(i).ssrc());
        }
        assertContinuous(video);
        assertContinuous(audio);
        assertEquals(20, pub.stats().packetsReceived());
        assertEquals(20, player.stats().packetsSent());
        assertEquals(0, player.peer.stats().srtpFailed());
    }

    @Test
    void pausedStreamHoldsMediaAndResumeAsksThePublisherForAKeyframe() throws Exception {
        Conn pub = publish("cs/s2/agent");
        Conn player = play("cs/s2/agent");
        pub.sendVideo(1, 0, payload(1));
        net.awaitIdle();
        assertEquals(1, player.inbox.rtp.size());
        long plisBefore = pub.inbox.plis(pub.peer.videoSsrc());

        engine.setPaused("s2", true);
        long held = counter(MediaEngine.Counter.HELD);
        for (int i = 2; i <= 4; i++) {
            pub.sendVideo(i, 3000L * i, payload(i));
        }
        net.awaitIdle();
        assertEquals(1, player.inbox.rtp.size(), "nothing is forwarded while paused");
        assertEquals(held + 3, counter(MediaEngine.Counter.HELD));
        player.peer.sendPli(player.answeredSsrc("video"));
        net.awaitIdle();
        assertEquals(plisBefore, pub.inbox.plis(pub.peer.videoSsrc()), "no keyframe request crosses a hold");

        engine.setPaused("s2", false);
        net.awaitIdle();
        assertEquals(plisBefore + 1, pub.inbox.plis(pub.peer.videoSsrc()), "resume asks for a keyframe");
        pub.sendVideo(5, 15000, payload(5));
        net.awaitIdle();
        assertEquals(2, player.inbox.rtp.size());
        assertArrayEquals(payload(5), player.inbox.rtp.get(1).payload());
    }

    @Test
    void retargetKeepsThePlayersSsrcAndContinuesSequenceAndTimestamp() throws Exception {
        Conn first = publish("cs/s3/agent_a");
        Conn second = publish("cs/s3/agent_b");
        Conn player = play("cs/s3/agent_a");
        for (int i = 0; i < 5; i++) {
            first.sendVideo(100 + i, 1000 + 3000L * i, payload(i));
        }
        second.sendVideo(7000, 500_000, payload(50)); // no players yet: goes nowhere, but teaches its SSRC
        net.awaitIdle();
        assertEquals(5, player.inbox.rtp.size());
        Rtp last = player.inbox.rtp.get(4);
        long secondPlis = second.inbox.plis(second.peer.videoSsrc());

        now.addAndGet(100_000_000L); // 100 ms later
        assertEquals(1, engine.retarget(key("cs/s3/agent_a"), key("cs/s3/agent_b")));
        net.awaitIdle();
        assertEquals(secondPlis + 1, second.inbox.plis(second.peer.videoSsrc()), "the new source is asked for a keyframe");
        for (int i = 0; i < 3; i++) {
            second.sendVideo(7001 + i, 600_000 + 3000L * i, payload(60 + i));
        }
        first.sendVideo(105, 16000, payload(99)); // the old source no longer reaches the player
        net.awaitIdle();

        List<Rtp> got = player.inbox.rtp;
        assertEquals(8, got.size(), got.toString());
        for (int i = 0; i < 3; i++) {
            Rtp r = got.get(5 + i);
            assertEquals(last.ssrc(), r.ssrc(), "the player keeps its SSRC");
            assertEquals((last.seq() + 1 + i) & 0xFFFF, r.seq());
            assertEquals(last.ts() + 9000 + 3000L * i, r.ts(), "100 ms at 90 kHz, then the source's own spacing");
            assertArrayEquals(payload(60 + i), r.payload());
        }
        assertEquals(key("cs/s3/agent_b"), player.stats().stream());
    }

    @Test
    void republishWithTheSameSsrcsContinuesThePlayersSequence() throws Exception {
        Conn first = open(ClientPeer.Role.PUBLISH, "cs/s4/agent", b -> b.ssrcs(1111, 2222));
        Conn player = play("cs/s4/agent");
        first.sendVideo(100, 1000, payload(1));
        first.sendVideo(101, 4000, payload(2));
        net.awaitIdle();
        // A reconnecting client (same SSRCs, a new sequence) replaces the first publisher.
        Conn again = open(ClientPeer.Role.PUBLISH, "cs/s4/agent", b -> b.ssrcs(1111, 2222));
        assertTrue(engine.peer(first.resource.id()).isEmpty(), "the earlier publisher is replaced");
        again.sendVideo(30000, 9_000_000, payload(3));
        net.awaitIdle();
        List<Rtp> got = player.inbox.rtp;
        assertEquals(3, got.size(), got.toString());
        assertEquals((got.get(1).seq() + 1) & 0xFFFF, got.get(2).seq(), "sequence continues across the new source");
        assertTrue(((got.get(2).ts() - got.get(1).ts()) & 0xFFFFFFFFL) < 90_000, "timestamp continues, no jump");
    }

    @Test
    void nackFromThePlayerIsAnsweredFromTheRetransmissionCache() throws Exception {
        Conn pub = publish("cs/s5/agent");
        Conn player = play("cs/s5/agent");
        // Lose video packets 11 and 13 on the way to the player (the player's sequence starts at the source's).
        Set<Integer> lose = ConcurrentHashMap.newKeySet();
        lose.addAll(List.of(11, 13));
        net.dropToClient = (to, d) -> to.equals(player.address) && (d[1] & 0x7F) == pub.peer.videoPayloadType()
                && lose.remove(((d[2] & 0xFF) << 8) | (d[3] & 0xFF)); // first transmission only
        for (int i = 10; i < 15; i++) {
            pub.sendVideo(i, 3000L * i, payload(i));
        }
        net.awaitIdle();
        assertEquals(List.of(10, 12, 14), player.inbox.rtp.stream().map(Rtp::seq).toList());

        player.peer.sendNack(player.answeredSsrc("video"), 11, 13, 40); // 40 was never sent
        net.awaitIdle();
        List<Rtp> got = player.inbox.rtp;
        assertEquals(List.of(10, 12, 14, 11, 13), got.stream().map(Rtp::seq).toList());
        assertArrayEquals(payload(11), got.get(3).payload());
        assertArrayEquals(payload(13), got.get(4).payload());
        assertEquals(2, player.stats().nacksAnswered());
        assertEquals(5, pub.stats().packetsReceived(), "the publisher was not asked to resend");
    }

    @Test
    void pliFromThePlayerReachesThePublisherThrottled() throws Exception {
        Conn pub = publish("cs/s6/agent");
        Conn player = play("cs/s6/agent");
        pub.sendVideo(1, 0, payload(1));
        net.awaitIdle();
        now.addAndGet(1_000_000_000L);
        long base = pub.inbox.plis(pub.peer.videoSsrc());
        long requests = pub.stats().keyframeRequests();

        player.peer.sendPli(player.answeredSsrc("video"));
        net.awaitIdle();
        assertEquals(base + 1, pub.inbox.plis(pub.peer.videoSsrc()));
        player.peer.sendPli(player.answeredSsrc("video"));
        player.peer.sendPli(player.answeredSsrc("video"));
        net.awaitIdle();
        assertEquals(base + 1, pub.inbox.plis(pub.peer.videoSsrc()), "a burst within 300 ms is one request");
        now.addAndGet(400_000_000L);
        player.peer.sendPli(player.answeredSsrc("video"));
        net.awaitIdle();
        assertEquals(base + 2, pub.inbox.plis(pub.peer.videoSsrc()));
        assertEquals(requests + 2, pub.stats().keyframeRequests());
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void badDatagramsAreDroppedAndCountedAndTheCallGoesOn() throws Exception {
        Conn pub = publish("cs/s7/agent");
        Conn player = play("cs/s7/agent");
        pub.sendVideo(1, 0, payload(1));
        net.awaitIdle();
        assertEquals(1, player.inbox.rtp.size());
        byte[] recorded = net.lastFrom.get(pub.address); // that SRTP packet, as sent
        Map<MediaEngine.Counter, Long> before = engine.counters();
        long pubDropped = pub.stats().packetsDropped();

        InetSocketAddress stranger = new InetSocketAddress("10.9.9.9", 9999);
        byte[] garbage = new byte[64];
        Arrays.fill(garbage, (byte) 0xFF);
        net.inject(garbage, pub.address);                                          // UNKNOWN_KIND
        net.inject(new byte[0], pub.address);                                      // UNKNOWN_KIND
        net.inject(new byte[] {(byte) 0x80, 96, 0, 1, 0, 0, 0, 1}, pub.address);   // RTP shorter than 12: UNKNOWN_KIND
        net.inject(new byte[] {0, 1, 0, 0, 0x21, 0x12}, pub.address);              // STUN shorter than 20: UNKNOWN_KIND
        net.inject(Arrays.copyOf(recorded, 14), pub.address);                      // truncated SRTP: SRTP_FAILED
        net.inject(recorded.clone(), pub.address);                                 // replayed SRTP: SRTP_FAILED
        byte[] srtcp = {(byte) 0x81, (byte) 201, 0, 1, 1, 2, 3, 4, 0, 0, 0, 0};
        net.inject(srtcp, pub.address);                                            // unauthenticated SRTCP: RTCP_FAILED
        byte[] stunJunk = new byte[20];
        stunJunk[1] = 1;
        net.inject(stunJunk, pub.address);                                         // malformed STUN: STUN_REJECTED
        net.inject(badIntegrityCheck(pub), pub.address);                           // wrong MESSAGE-INTEGRITY: STUN_REJECTED
        net.inject(unknownUfragCheck(), stranger);                                 // unknown ufrag: NO_PEER
        byte[] dtls = {22, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1};
        net.inject(dtls, stranger);                                                // DTLS from an unknown address: NO_PEER
        net.inject(new byte[] {(byte) 0x80, 96, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 9, 9}, stranger); // RTP, no peer: NO_PEER
        byte[] dtlsJunk = {23, (byte) 0xFE, (byte) 0xFD, 0, 1, 0, 0, 0, 0, 0, 9, 0, 4, 1, 2, 3, 4};
        net.inject(dtlsJunk, pub.address);                         // forged short DTLS record: not handed to DTLS
        byte[] longJunk = new byte[13 + 64];
        longJunk[0] = 23;                                          // application_data
        longJunk[1] = (byte) 0xFE;                                 // DTLS 1.2
        longJunk[2] = (byte) 0xFD;
        longJunk[4] = 1;                                           // epoch 1
        longJunk[10] = 10;                                         // sequence number
        longJunk[12] = 64;                                         // length: fails authentication, discarded by DTLS
        net.inject(longJunk, pub.address);
        byte[] hsJunk = new byte[13 + 30];
        hsJunk[0] = 22;                                            // handshake, epoch 0: a forged late flight
        hsJunk[1] = (byte) 0xFE;
        hsJunk[2] = (byte) 0xFD;
        hsJunk[10] = 40;
        hsJunk[12] = 30;
        hsJunk[13] = 1;
        net.inject(hsJunk, pub.address);
        net.awaitIdle();

        Map<MediaEngine.Counter, Long> after = engine.counters();
        assertEquals(4, after.get(MediaEngine.Counter.UNKNOWN_KIND) - before.get(MediaEngine.Counter.UNKNOWN_KIND));
        assertEquals(2, after.get(MediaEngine.Counter.SRTP_FAILED) - before.get(MediaEngine.Counter.SRTP_FAILED));
        assertEquals(1, after.get(MediaEngine.Counter.RTCP_FAILED) - before.get(MediaEngine.Counter.RTCP_FAILED));
        assertEquals(2, after.get(MediaEngine.Counter.STUN_REJECTED) - before.get(MediaEngine.Counter.STUN_REJECTED));
        assertEquals(3, after.get(MediaEngine.Counter.NO_PEER) - before.get(MediaEngine.Counter.NO_PEER));
        assertTrue(goneReasons.isEmpty(), goneReasons.toString());
        assertEquals(2, engine.size());
        assertEquals(pubDropped + 3, pub.stats().packetsDropped());
        assertEquals(1, player.inbox.rtp.size(), "the replayed packet was not forwarded again");
        assertEquals(PeerState.CONNECTED, pub.stats().state());

        // The call is unaffected: media sent after the garbage still arrives, and so do keyframe requests.
        pub.sendVideo(2, 3000, payload(2));
        pub.sendAudio(1, 960, payload(3));
        net.awaitIdle();
        assertEquals(3, player.inbox.rtp.size());
        assertArrayEquals(payload(2), player.inbox.rtp.get(1).payload());
        assertEquals(0, player.peer.stats().srtpFailed());
    }

    /** A check with the right USERNAME but keyed with a wrong password. */
    private static byte[] badIntegrityCheck(Conn c) {
        String serverUfrag = attribute(c.resource.answerSdp(), "ice-ufrag");
        String clientUfrag = attribute(c.offer, "ice-ufrag");
        IceClient forger = new IceClient(new IceCredentials(clientUfrag, "wrongpasswordwrongpassword"),
                new IceCredentials(serverUfrag, "wrongpasswordwrongpassword"), 1);
        byte[] out = new byte[256];
        int n = forger.writeBindingRequest(out, 0, new byte[12], 1, true);
        return Arrays.copyOf(out, n);
    }

    private static byte[] unknownUfragCheck() {
        IceClient c = new IceClient(new IceCredentials("nobody", "aaaaaaaaaaaaaaaaaaaaaaaa"),
                new IceCredentials("unknownUfrag", "bbbbbbbbbbbbbbbbbbbbbbbb"), 1);
        byte[] out = new byte[256];
        int n = c.writeBindingRequest(out, 0, new byte[12], 1, true);
        return Arrays.copyOf(out, n);
    }

    private static String attribute(String sdp, String name) {
        for (String line : sdp.split("\r\n")) {
            if (line.startsWith("a=" + name + ":")) {
                return line.substring(name.length() + 3);
            }
        }
        throw new AssertionError("no a=" + name + " in " + sdp);
    }

    /** A check with {@code c}'s credentials, or with {@code client}/{@code server} when given, without answer. */
    private static byte[] check(IceCredentials client, IceCredentials server, boolean nominate) {
        IceClient ice = new IceClient(client, server, 9);
        byte[] out = new byte[256];
        byte[] tx = new byte[12];
        new java.security.SecureRandom().nextBytes(tx);
        int n = ice.writeBindingRequest(out, 0, tx, 1, nominate);
        return Arrays.copyOf(out, n);
    }

    private static IceCredentials offered(Conn c) {
        return new IceCredentials(attribute(c.offer, "ice-ufrag"), attribute(c.offer, "ice-pwd"));
    }

    private static IceCredentials answered(Conn c) {
        return new IceCredentials(attribute(c.resource.answerSdp(), "ice-ufrag"),
                attribute(c.resource.answerSdp(), "ice-pwd"));
    }

    @Test
    void natRebindingFollowsAValidCheckFromTheNewAddressAndUncheckedMediaIsNeverAccepted() throws Exception {
        Conn pub = publish("cs/rb/agent");
        Conn player = play("cs/rb/agent");
        pub.sendVideo(1, 0, payload(1));
        net.awaitIdle();
        assertEquals(1, player.inbox.rtp.size());

        // Media from an address that passed no check is dropped at the demux, even a valid SRTP packet.
        long noPeer = counter(MediaEngine.Counter.NO_PEER);
        pub.sendVideo(2, 3000, payload(2));
        byte[] srtp = net.lastFrom.get(pub.address);
        InetSocketAddress stranger = new InetSocketAddress("10.9.9.9", 5000);
        net.awaitIdle();
        assertEquals(2, player.inbox.rtp.size());
        net.inject(srtp, stranger);
        net.awaitIdle();
        assertEquals(noPeer + 1, counter(MediaEngine.Counter.NO_PEER));
        assertEquals(2, player.inbox.rtp.size(), "nothing from an unchecked address is forwarded");

        // The player's NAT rebinds: its old mapping is gone, its consent checks (no USE-CANDIDATE) come from B2.
        InetSocketAddress rebound = new InetSocketAddress("10.0.0.200", 41999);
        net.clients.remove(player.address);
        net.clients.put(rebound, player.peer);
        pub.sendVideo(3, 6000, payload(3));
        net.awaitIdle();
        assertEquals(2, player.inbox.rtp.size(), "sent to the dead mapping");
        now.addAndGet(dev.cskit.media.ice.IceLiteAgent.REBIND_SILENCE_NANOS);
        net.inject(check(offered(player), answered(player), false), rebound);
        net.awaitIdle();
        pub.sendVideo(4, 9000, payload(4));
        net.awaitIdle();
        assertEquals(3, player.inbox.rtp.size(), "media follows the player to its new address");
        assertArrayEquals(payload(4), player.inbox.rtp.get(2).payload());
        assertEquals(PeerState.CONNECTED, player.stats().state());
        assertEquals(0, goneReasons.size(), goneReasons.toString());
    }

    @Test
    void anIceRestartKeepsTheResourceDtlsSrtpAndSsrcsAndRetiresTheOldCredentials() throws Exception {
        Conn pub = publish("cs/ir/agent");
        Conn player = play("cs/ir/agent");
        pub.sendVideo(1, 0, payload(1));
        net.awaitIdle();
        String etag = player.resource.etag();

        assertEquals(IceUpdate.Outcome.ETAG_MISMATCH,
                engine.updateIce(player.resource.id(), List.of("\"stale\""), Optional.empty()).outcome());
        assertEquals(IceUpdate.Outcome.TRICKLED,
                engine.updateIce(player.resource.id(), List.of(etag), Optional.of(offered(player))).outcome());
        IceCredentials client2 = new IceCredentials("rst9", "restartedClientPassword22");
        assertEquals(IceUpdate.Outcome.RESTART_NEEDS_WILDCARD,
                engine.updateIce(player.resource.id(), List.of(etag), Optional.of(client2)).outcome());
        IceUpdate u = engine.updateIce(player.resource.id(), null, Optional.of(client2));
        assertEquals(IceUpdate.Outcome.RESTARTED, u.outcome());
        assertFalse(u.etag().equals(etag));
        assertEquals(List.of(SERVER), u.candidates());
        IceCredentials server2 = u.local().orElseThrow();
        assertFalse(server2.equals(answered(player)));
        assertEquals(IceUpdate.Outcome.NOT_FOUND, engine.updateIce("nope", null, Optional.of(client2)).outcome());

        // The browser's new checks, nominating (it moved to another port); the old credentials then stop working.
        InetSocketAddress moved = new InetSocketAddress("10.0.0.201", 42001);
        net.clients.put(moved, player.peer);
        net.inject(check(client2, server2, true), moved);
        net.awaitIdle();
        long rejected = counter(MediaEngine.Counter.STUN_REJECTED);
        player.peer.sendBindingRequest(); // the old credentials
        net.awaitIdle();
        assertEquals(rejected + 1, counter(MediaEngine.Counter.STUN_REJECTED));

        pub.sendVideo(2, 3000, payload(2));
        net.awaitIdle();
        assertEquals(2, player.inbox.rtp.size(), "the same SRTP contexts, at the nominated address");
        assertEquals(player.answeredSsrc("video"), player.inbox.rtp.get(1).ssrc(), "the same SSRC");
        assertContinuous(player.inbox.rtp);
        assertEquals(PeerState.CONNECTED, player.stats().state());
        assertEquals(2, engine.size());
        assertEquals(0, goneReasons.size(), goneReasons.toString());
    }

    @Test
    void consentExpiryEndsThePeerAndRemovesIt() throws Exception {
        Conn pub = publish("cs/s8/agent");
        Conn player = play("cs/s8/agent");
        now.addAndGet(Duration.ofSeconds(20).toNanos());
        pub.peer.sendBindingRequest(); // only the publisher refreshes its consent
        net.awaitIdle();
        now.addAndGet(Duration.ofSeconds(15).toNanos());
        loop().handleTimeout(now.get());
        assertEquals(List.of(player.resource.id()), goneStats.stream().map(PeerStats::id).toList());
        assertEquals(GoneReason.CONSENT_EXPIRED, goneReasons.get(0), goneReasons.toString());
        assertTrue(engine.peer(player.resource.id()).isEmpty());
        assertEquals(1, engine.size());

        now.addAndGet(Duration.ofSeconds(20).toNanos());
        loop().handleTimeout(now.get());
        assertEquals(2, goneStats.size());
        assertEquals(0, engine.size());
        assertTrue(engine.stats().isEmpty());
        // Its address and ufrag are forgotten: a late check is dropped as from no peer and gets no answer.
        // (The client may still have a DTLS datagram in flight after the engine closed its side, which is
        // dropped the same way, so count at least one drop rather than exactly one.)
        long noPeer = counter(MediaEngine.Counter.NO_PEER);
        long answered = pub.peer.stats().stunSucceeded();
        pub.peer.sendBindingRequest();
        net.awaitIdle();
        assertTrue(counter(MediaEngine.Counter.NO_PEER) >= noPeer + 1);
        assertEquals(answered, pub.peer.stats().stunSucceeded());
    }

    @Test
    void badOffersAreRejectedWithSdpExceptionAndRegisterNothing() throws Exception {
        ClientPeer peer = ClientPeer.newBuilder(ClientPeer.Role.PUBLISH).sender((b, o, l, t) -> { })
                .executor(handshakes).certificate(CLIENT_CERT).build();
        String good = peer.offer();
        List<String> bad = new ArrayList<>();
        bad.add("garbage");
        bad.add("");
        bad.add(without(good, "a=fingerprint:"));
        bad.add(without(good, "a=ice-pwd:"));
        bad.add(good + "a=x-padding:" + "x".repeat(70_000) + "\r\n");
        bad.add(good.replaceAll("a=fingerprint:sha-256 ([0-9A-F:]+)", "a=fingerprint:sha-256 AB:CD")); // wrong length
        bad.add(good.replaceAll("a=fingerprint:sha-256", "a=fingerprint:md5"));                        // unsupported hash
        bad.add(good.replaceAll("a=ice-ufrag:(\\S+)", "a=ice-ufrag:bad_ufrag!"));                     // not ice-chars
        bad.add(good.replace("a=setup:actpass", "a=setup:passive"));
        bad.add(good.replace("a=sendonly", "a=recvonly"));                                           // nothing to receive
        for (String offer : bad) {
            SdpException e = assertThrows(SdpException.class, () -> engine.publish(key("cs/s9/agent"), "o", offer),
                    () -> "accepted: " + offer.substring(0, Math.min(200, offer.length())));
            assertNotNull(e.getMessage());
            if (!offer.contains("a=recvonly")) { // a recvonly offer is a good WHEP offer
                assertThrows(SdpException.class, () -> engine.play(key("cs/s9/agent"), "o", offer));
            }
        }
        assertEquals(0, engine.size());
        assertTrue(engine.stats().isEmpty());
        assertEquals(0, engine.retarget(key("cs/s9/agent"), key("cs/s9/other")), "no stream was registered");
        assertFalse(goneReasons.size() > 0);
    }

    private static String without(String sdp, String prefix) {
        StringBuilder sb = new StringBuilder();
        for (String l : sdp.split("\r\n")) {
            if (!l.startsWith(prefix)) {
                sb.append(l).append("\r\n");
            }
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ loops, stages, retransmission caches

    // ------------------------------------------------------------------ codec agreement

    private static final String H264_HIGH = "a=rtpmap:100 H264/90000\r\na=fmtp:100 packetization-mode=1;"
            + "profile-level-id=64001f\r\n";
    private static final String H264_BASE = "a=rtpmap:102 H264/90000\r\na=fmtp:102 packetization-mode=1;"
            + "profile-level-id=42e01f\r\n";

    // The ClientPeer offer with its video section's formats replaced: VP8 (96) kept or not, then H.264 formats.
    private String videoOffer(ClientPeer.Role role, boolean vp8, String... h264) {
        String offer = ClientPeer.newBuilder(role).sender((b, o, l, t) -> { }).executor(handshakes).certificate(CLIENT_CERT)
                .build().offer();
        StringBuilder pts = new StringBuilder();
        StringBuilder lines = new StringBuilder();
        if (vp8) {
            pts.append(" 96");
            lines.append("a=rtpmap:96 VP8/90000\r\n");
        }
        for (String h : h264) {
            pts.append(' ').append(h.substring("a=rtpmap:".length(), h.indexOf(' ')));
            lines.append(h);
        }
        return offer.replace("m=video 9 UDP/TLS/RTP/SAVPF 96", "m=video 9 UDP/TLS/RTP/SAVPF" + pts)
                .replace("a=rtpmap:96 VP8/90000\r\n", lines.toString());
    }

    private static List<String> videoPayloads(String answer) {
        String m = answer.lines().filter(l -> l.startsWith("m=video")).findFirst().orElseThrow();
        return List.of(m.substring("m=video 9 UDP/TLS/RTP/SAVPF ".length()).split(" "));
    }

    @Test
    void aPlayerGetsThePublishersCodecAndAPublisherWhatItsPlayersDecode() throws Exception {
        // A player that decodes only H.264 comes first; a publisher offering VP8 first then gets H.264 (High,
        // as it offered), since that is what its player has.
        PeerResource h264Player = engine.play(key("cs/a/cust"), "agent", videoOffer(ClientPeer.Role.PLAY, false, H264_BASE));
        PeerResource pub = engine.publish(key("cs/a/cust"), "cust", videoOffer(ClientPeer.Role.PUBLISH, true, H264_HIGH));
        assertEquals(List.of("100"), videoPayloads(pub.answerSdp()));
        assertTrue(mismatches.isEmpty(), mismatches.toString());
        // A stock browser's offer (VP8 first) for the published stream: H.264 High first, at the player's PT.
        PeerResource stock = engine.play(key("cs/a/cust"), "agent",
                videoOffer(ClientPeer.Role.PLAY, true, H264_BASE, H264_HIGH));
        assertEquals(List.of("100", "96"), videoPayloads(stock.answerSdp()));
        assertTrue(stock.answerSdp().contains("a=fmtp:100 packetization-mode=1;profile-level-id=64001f"));
        assertNotNull(h264Player);
    }

    @Test
    void aPlayerThatCannotDecodeThePublishersCodecIsToldOnceAndGetsNothingForwarded() throws Exception {
        PeerResource player = engine.play(key("cs/b/cust"), "agent", videoOffer(ClientPeer.Role.PLAY, false, H264_BASE));
        assertEquals(List.of("102"), videoPayloads(player.answerSdp()), "what is possible: its H.264");
        engine.publish(key("cs/b/cust"), "cust", videoOffer(ClientPeer.Role.PUBLISH, true));
        // Listener events come after the command returns.
        assertTrue(mismatchHeard.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "onCodecMismatch was not called");
        assertEquals(List.of(player.id() + " video VP8 [H264]"), mismatches);
    }

    @Test
    void aCallIsPinnedToOneLoopAndTheNextCallGoesToTheLeastLoadedOne() throws Exception {
        InetSocketAddress second = new InetSocketAddress("192.0.2.11", 3479);
        engine.close();
        engine = MediaEngine.newBuilder().loop(net).loop(new Network(1, second)).certificate(SERVER_CERT)
                .executor(handshakes).nanoTime(now::get).build();
        String offer = ClientPeer.newBuilder(ClientPeer.Role.PUBLISH).sender((b, o, l, t) -> { })
                .executor(handshakes).certificate(CLIENT_CERT).build().offer();
        String playOffer = ClientPeer.newBuilder(ClientPeer.Role.PLAY).sender((b, o, l, t) -> { })
                .executor(handshakes).certificate(CLIENT_CERT).build().offer();

        PeerResource a1 = engine.publish(key("cs/a/agent"), "agent", offer);
        PeerResource a2 = engine.play(key("cs/a/cust"), "agent", playOffer);
        PeerResource b1 = engine.publish(key("cs/b/agent"), "agent", offer);
        PeerResource c1 = engine.publish(key("cs/c/agent"), "agent", offer);
        assertEquals(0, engine.loopOf("a").getAsInt());
        assertEquals(1, engine.loopOf("b").getAsInt(), "the second call goes to the idle loop");
        assertEquals(0, engine.loopOf("c").getAsInt(), "a tie goes to the lowest index");
        for (PeerResource r : List.of(a1, a2, c1)) {
            assertTrue(r.answerSdp().contains(" 192.0.2.10 3478 typ host"), "loop 0's candidate");
            assertEquals(0, engine.peer(r.id()).orElseThrow().loop());
        }
        assertTrue(b1.answerSdp().contains(" 192.0.2.11 3479 typ host"), "loop 1's candidate");
        assertFalse(b1.answerSdp().contains("3478"));

        assertEquals(2, engine.closeAll("a", null));
        assertTrue(engine.loopOf("a").isEmpty(), "a call without resources is unpinned");
        PeerResource d1 = engine.publish(key("cs/d/agent"), "agent", offer);
        assertEquals(0, engine.loopOf("d").getAsInt(), "loop 0 carries one call (c), loop 1 one (b): lowest index");
        assertEquals(0, engine.peer(d1.id()).orElseThrow().loop());
        assertThrows(IllegalArgumentException.class, () -> engine.retarget(key("cs/b/agent"), key("cs/c/agent")),
                "players move only within their call");
        assertEquals(3, engine.size());
    }

    @Test
    void aRetransmissionCacheIsTakenWithTheFirstMediaAndPooledWhenTheStreamEnds() throws Exception {
        Conn pub = publish("cs/s10/agent");
        Conn player = play("cs/s10/agent");
        assertEquals(0, counter(MediaEngine.Counter.RTX_BUFFERS_ALLOCATED), "no media yet, no cache");
        pub.sendAudio(1, 960, payload(1)); // the offer has no NACK for audio: never a cache
        net.awaitIdle();
        assertEquals(0, counter(MediaEngine.Counter.RTX_BUFFERS_ALLOCATED));
        pub.sendVideo(1, 3000, payload(2));
        pub.sendVideo(2, 6000, payload(3));
        net.awaitIdle();
        assertEquals(3, player.inbox.rtp.size(), "the audio and both video packets");
        assertEquals(1, counter(MediaEngine.Counter.RTX_BUFFERS_ALLOCATED), "the player's video stream took one");
        assertEquals(1, counter(MediaEngine.Counter.RTX_BUFFERS_IN_USE));

        assertTrue(engine.delete(player.resource.id()));
        assertEquals(0, counter(MediaEngine.Counter.RTX_BUFFERS_IN_USE), "given back with the stream");
        Conn again = play("cs/s10/agent");
        pub.sendVideo(3, 9000, payload(4));
        net.awaitIdle();
        assertEquals(1, again.inbox.rtp.size());
        assertEquals(1, counter(MediaEngine.Counter.RTX_BUFFERS_ALLOCATED), "the pooled cache served the new player");
        assertEquals(1, counter(MediaEngine.Counter.RTX_BUFFERS_IN_USE));
    }

    @Test
    void packetTotalsKeepWhatEndedPeersCountedAndConnectedIsAGauge() throws Exception {
        Conn pub = publish("cs/s12/agent");
        Conn player = play("cs/s12/agent");
        assertEquals(2, counter(MediaEngine.Counter.PEERS_CONNECTED));
        for (int i = 0; i < 4; i++) {
            pub.sendVideo(100 + i, 3000L * i, payload(i));
        }
        net.awaitIdle();
        long bytesIn = pub.stats().bytesReceived();
        long bytesOut = player.stats().bytesSent();
        assertEquals(4, counter(MediaEngine.Counter.PACKETS_RECEIVED));
        assertEquals(4, counter(MediaEngine.Counter.PACKETS_SENT));
        assertEquals(bytesIn, counter(MediaEngine.Counter.BYTES_RECEIVED));
        assertEquals(bytesOut, counter(MediaEngine.Counter.BYTES_SENT));

        assertTrue(engine.delete(player.resource.id()));
        assertEquals(1, engine.closeAll("s12", null));
        assertEquals(0, counter(MediaEngine.Counter.PEERS_CONNECTED));
        assertEquals(4, counter(MediaEngine.Counter.PACKETS_RECEIVED), "the ended publisher's packets still count");
        assertEquals(4, counter(MediaEngine.Counter.PACKETS_SENT), "the deleted player's packets still count");
        assertEquals(bytesIn, counter(MediaEngine.Counter.BYTES_RECEIVED));
        assertEquals(bytesOut, counter(MediaEngine.Counter.BYTES_SENT));

        Conn again = publish("cs/s13/agent");
        again.sendAudio(1, 960, payload(1));
        net.awaitIdle();
        assertEquals(5, counter(MediaEngine.Counter.PACKETS_RECEIVED), "totals go on growing");
    }

    @Test
    void eachStageCountsWhatItPassedOnAndWhatItDropped() throws Exception {
        Conn pub = publish("cs/s11/agent");
        Conn player = play("cs/s11/agent");
        Map<Stage, StageCounters> before = engine.stages();
        for (int i = 0; i < 5; i++) {
            pub.sendVideo(10 + i, 3000L * i, payload(i));
        }
        net.awaitIdle();
        engine.setPaused("s11", true);
        pub.sendVideo(20, 60_000, payload(9));
        net.inject(new byte[] {1, 2, 3}, pub.address);
        net.awaitIdle();
        Map<Stage, StageCounters> after = engine.stages();

        assertEquals(new StageCounters(7, 6, 1), delta(before, after, Stage.DEMUX), "6 packets in, one unknown");
        assertEquals(new StageCounters(6, 6, 0), delta(before, after, Stage.UNPROTECT));
        assertEquals(new StageCounters(6, 6, 0), delta(before, after, Stage.PARSE));
        assertEquals(new StageCounters(6, 5, 1), delta(before, after, Stage.HOLD_GATE), "the held one stops here");
        assertEquals(new StageCounters(5, 5, 0), delta(before, after, Stage.FAN_OUT));
        assertEquals(new StageCounters(5, 5, 0), delta(before, after, Stage.PROTECT));
        assertEquals(new StageCounters(0, 0, 0), delta(before, after, Stage.TAP), "no tap installed");
        assertEquals(5, player.inbox.rtp.size());
    }

    private static StageCounters delta(Map<Stage, StageCounters> a, Map<Stage, StageCounters> b, Stage s) {
        return new StageCounters(b.get(s).in() - a.get(s).in(), b.get(s).out() - a.get(s).out(),
                b.get(s).dropped() - a.get(s).dropped());
    }

    // ------------------------------------------------------------------ budgets (issue 12, defect 1)

    private String offer(ClientPeer.Role role) {
        return ClientPeer.newBuilder(role).sender((b, o, l, t) -> { }).executor(handshakes).certificate(CLIENT_CERT)
                .build().offer();
    }

    @Test
    void aPartyHasAtMostItsLimitOfResourcesInASessionAndADeleteFreesASlot() throws Exception {
        String playOffer = offer(ClientPeer.Role.PLAY);
        List<PeerResource> mine = new ArrayList<>();
        for (int i = 0; i < MediaEngine.DEFAULT_MAX_PER_PARTY; i++) {
            mine.add(engine.play(key("cs/s20/agent"), "cust", playOffer));
        }
        MediaException e = assertThrows(MediaException.class, () -> engine.play(key("cs/s20/agent"), "cust", playOffer));
        assertEquals(MediaException.Kind.PARTY_LIMIT, e.kind());
        assertTrue(e.getMessage().contains("cust already has 4 live WHIP/WHEP resources in session s20"), e.getMessage());
        assertThrows(MediaException.class, () -> engine.publish(key("cs/s20/cust"), "cust", offer(ClientPeer.Role.PUBLISH)),
                "a publish counts too");
        assertEquals(4, engine.size(), "nothing of the refused ones stays");
        assertEquals(4, engine.resourcesOf("s20", "cust"));

        engine.publish(key("cs/s20/agent"), "agent", offer(ClientPeer.Role.PUBLISH)); // the other party of the call
        engine.play(key("cs/s21/agent"), "cust", playOffer);                           // the same user in another call
        assertTrue(engine.delete(mine.get(0).id()));
        assertEquals(3, engine.resourcesOf("s20", "cust"));
        engine.play(key("cs/s20/agent"), "cust", playOffer);
        assertEquals(0, counter(MediaEngine.Counter.RTX_BUFFERS_ALLOCATED), "no stream carried media: no cache");
        assertEquals(6 * MediaEngine.PEER_MEMORY_ESTIMATE, engine.memoryUsed(), "4 of cust in s20, 1 in s21, the agent's");
    }

    @Test
    void aResourceThatDoesNotConnectEndsAfterTheConnectTimeoutAndFreesItsSlot() throws Exception {
        PeerResource r = engine.play(key("cs/s22/agent"), "cust", offer(ClientPeer.Role.PLAY));
        now.addAndGet(MediaEngine.DEFAULT_CONNECT_TIMEOUT.toNanos() - 1_000_000_000L);
        loop().handleTimeout(now.get());
        assertTrue(engine.peer(r.id()).isPresent(), "11 s: still waiting for ICE and DTLS");
        now.addAndGet(1_000_000_000L);
        loop().handleTimeout(now.get());
        assertTrue(engine.peer(r.id()).isEmpty(), "12 s: ended, not 35 s as before");
        assertEquals(List.of(GoneReason.NEVER_CONNECTED), goneReasons);
        assertEquals(0, engine.resourcesOf("s22", "cust"));
        assertEquals(0, engine.memoryUsed());
    }

    @Test
    void aConnectedResourceOutlivesTheConnectTimeout() throws Exception {
        Conn pub = publish("cs/s23/agent");
        now.addAndGet(MediaEngine.DEFAULT_CONNECT_TIMEOUT.toNanos() + 1);
        pub.peer.sendBindingRequest();
        net.awaitIdle();
        loop().handleTimeout(now.get());
        assertEquals(PeerState.CONNECTED, pub.stats().state());
        assertEquals(List.of(), goneReasons);
    }

    @Test
    void aFullMemoryBudgetRefusesNewPeersAsALimitAndAnEndedPeerGivesItsShareBack() throws Exception {
        engine.close();
        engine = newEngine(List.of(SrtpProfile.AEAD_AES_128_GCM),
                b -> b.memoryBudget(2 * MediaEngine.PEER_MEMORY_ESTIMATE));
        String playOffer = offer(ClientPeer.Role.PLAY);
        PeerResource a = engine.play(key("cs/s24/agent"), "c1", playOffer);
        engine.play(key("cs/s25/agent"), "c2", playOffer);
        MediaException e = assertThrows(MediaException.class, () -> engine.play(key("cs/s26/agent"), "c3", playOffer));
        assertEquals(MediaException.Kind.LIMIT, e.kind());
        assertTrue(e.getMessage().contains("memory budget"), e.getMessage());
        assertEquals(2, engine.size());
        assertEquals(0, engine.resourcesOf("s26", "c3"));
        assertTrue(engine.delete(a.id()));
        engine.play(key("cs/s26/agent"), "c3", playOffer);
        assertEquals(engine.memoryBudget(), engine.memoryUsed());
    }

    @Test
    void aPlayersCacheIsSizedToTheBitrateItCarries() throws Exception {
        Conn pub = publish("cs/s27/agent");
        Conn player = play("cs/s27/agent");
        byte[] big = new byte[1000];
        int seq = 1;
        for (int t = 0; t <= 1000; t += 10) { // 101 packets of about 1 kB in a second: about 800 kbit/s
            now.set(now.get() + 10_000_000L);
            pub.sendVideo(seq++, 900L * t, big);
            net.awaitIdle(); // forwarded at this time on the manual clock
        }
        net.awaitIdle();
        assertEquals(101, player.inbox.rtp.size());
        assertEquals(2, counter(MediaEngine.Counter.RTX_BUFFERS_ALLOCATED), "the first one, then one for the rate");
        assertEquals(1, counter(MediaEngine.Counter.RTX_BUFFERS_IN_USE));
        long bytes = counter(MediaEngine.Counter.RTX_BUFFER_BYTES);
        assertTrue(bytes > 64 * 1024 && bytes < 80 * 1024, "500 ms of ~830 kbit/s is a 64 KiB ring: " + bytes);
        assertEquals(bytes + 2 * MediaEngine.PEER_MEMORY_ESTIMATE + 16 * 1024 + 128 * 16, engine.memoryUsed(),
                "the peers, the cache in use and the pooled first one");
    }
}
