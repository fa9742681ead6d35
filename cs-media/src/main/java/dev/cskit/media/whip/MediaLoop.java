/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.whip;

import dev.cskit.media.dtls.DtlsCertificate;
import dev.cskit.media.dtls.DtlsEndpoint;
import dev.cskit.media.dtls.DtlsFingerprint;
import dev.cskit.media.dtls.DtlsListener;
import dev.cskit.media.dtls.DtlsSrtpKeys;
import dev.cskit.media.forward.MemoryBudget;
import dev.cskit.media.forward.CodecSpec;
import dev.cskit.media.forward.MediaKind;
import dev.cskit.media.forward.RetransmissionPool;
import dev.cskit.media.forward.TrackSpec;
import dev.cskit.media.ice.IceCredentials;
import dev.cskit.media.ice.IceProtocol;
import dev.cskit.media.srtp.SrtpProfile;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One media loop: the peers of the calls pinned to it, their streams and the {@link Pipeline} their packets go
 * through, all owned by one thread (the thread that reads the loop's socket), in the str0m manner: datagrams,
 * timeouts and commands go in; packets and events come out; time is an input. Nothing here is locked or
 * volatile. DTLS handshakes run on the engine's handshake executor and post their results back to the loop.
 *
 * <p><b>Threading:</b> {@link #onDatagram}, {@link #handleTimeout} and {@link #nextTimeout} must be called on the
 * loop's thread ({@link LoopContext#inLoop}); the engine posts its commands there. {@link #index} and
 * {@link #candidates} may be called from any thread. The {@link MediaListener} is called on the loop's thread,
 * after the state change it reports.
 */
public final class MediaLoop {

    private static final Logger log = LoggerFactory.getLogger(MediaLoop.class);
    /** Consent, handshake deadlines and receiver reports are checked once a second. */
    private static final long TICK_NANOS = 1_000_000_000L;

    /** What the engine gives each loop. */
    record Settings(DtlsCertificate certificate, List<SrtpProfile> profiles, Duration handshakeTimeout,
                    Duration connectTimeout, Executor handshakes, MediaListener listener, LongSupplier nanoTime,
                    PacketTap tap, RetransmissionPool.Bounds video, RetransmissionPool.Bounds audio,
                    MemoryBudget budget) {
    }

    private final int index;
    private final LoopContext io;
    private final Settings settings;
    private final Placement placement;
    private final PeerTable table = new PeerTable();
    private final RetransmissionPool pool;
    private final Pipeline pipeline;
    private final ArrayDeque<Runnable> events = new ArrayDeque<>();
    /** What the peers that ended on this loop had counted: the loop's totals never go down. */
    private long endedPacketsReceived;
    private long endedBytesReceived;
    private long endedPacketsSent;
    private long endedBytesSent;
    private long endedNacksAnswered;
    private long endedKeyframeRequests;
    private long nextTick;

    MediaLoop(int index, LoopContext io, Settings settings, Placement placement) {
        this.index = index;
        this.io = io;
        this.settings = settings;
        this.placement = placement;
        this.pool = new RetransmissionPool(settings.video(), settings.audio(), settings.budget());
        this.pipeline = new Pipeline(table, io, settings.nanoTime(), settings.tap());
        this.nextTick = settings.nanoTime().getAsLong() + TICK_NANOS;
    }

    /** The loop's index in {@link MediaEngine#loops()}, and of its socket in the host's list. */
    public int index() {
        return index;
    }

    /** The host candidates of this loop's socket. */
    public List<InetSocketAddress> candidates() {
        return io.candidates();
    }

    /** The passive ICE-TCP host candidates of this loop's listener; empty without one. */
    public List<InetSocketAddress> tcpCandidates() {
        return io.tcpCandidates();
    }

    // ------------------------------------------------------------------ inputs, on the loop's thread

    /** One datagram from the loop's socket. Never throws; never keeps {@code buf}. */
    public void onDatagram(byte[] buf, int off, int len, InetSocketAddress from) {
        pipeline.onDatagram(buf, off, len, from, IceProtocol.UDP);
    }

    /**
     * One packet over {@code protocol}: a UDP datagram, or one RFC 4571 frame's payload from the loop's ICE-TCP
     * connection with {@code from} (RFC 6544). Never throws; never keeps {@code buf}.
     */
    public void onPacket(byte[] buf, int off, int len, InetSocketAddress from, IceProtocol protocol) {
        pipeline.onDatagram(buf, off, len, from, protocol);
    }

    /**
     * Time has come to {@code nowNanos} (the engine's clock): ends peers whose consent expired (RFC 7675 §5.1) or
     * that did not complete ICE and DTLS within the connect timeout, and sends publishers their due receiver
     * reports.
     */
    public void handleTimeout(long nowNanos) {
        if (nowNanos - nextTick < 0) {
            return;
        }
        nextTick = nowNanos + TICK_NANOS;
        long connectLimit = settings.connectTimeout().toNanos();
        for (Peer p : new ArrayList<>(table.byId.values())) {
            if (p.connected()) {
                if (!p.ice.isConsentFresh(nowNanos)) {
                    gone(p, GoneReason.CONSENT_EXPIRED);
                } else if (p.role == PeerRole.PUBLISH) {
                    pipeline.report(p, nowNanos);
                }
            } else if (nowNanos - p.createdNanos >= connectLimit) {
                gone(p, GoneReason.NEVER_CONNECTED);
            }
        }
        flushEvents();
    }

    /** When {@link #handleTimeout} next has work, on the engine's clock. */
    public long nextTimeout() {
        return nextTick;
    }

    // ------------------------------------------------------------------ plumbing for the engine

    boolean inLoop() {
        return io.inLoop();
    }

    /** Runs {@code task} on the loop's thread, then delivers the events it raised. */
    void post(Runnable task) {
        io.execute(() -> {
            task.run();
            flushEvents();
        });
    }

    /** Delivers the listener events raised so far; on the loop's thread. */
    void flushEvents() {
        Runnable e;
        while ((e = events.poll()) != null) {
            try {
                e.run();
            } catch (RuntimeException ex) {
                log.warn("a media listener threw", ex); // its contract forbids it; the loop goes on
            }
        }
    }

    // ------------------------------------------------------------------ commands, on the loop's thread

    /** Registers a negotiated peer and starts its DTLS handshake. */
    void register(Peer peer, DtlsFingerprint remoteFingerprint) {
        peer.dtls = DtlsEndpoint.server()
                .certificate(settings.certificate())
                .remoteFingerprint(remoteFingerprint)
                .profiles(settings.profiles())
                .handshakeTimeout(settings.handshakeTimeout())
                .executor(settings.handshakes())
                .sender((buf, off, len) -> {
                    byte[] copy = Arrays.copyOfRange(buf, off, off + len);
                    if (io.inLoop()) {
                        pipeline.sendDtls(peer, copy); // close_notify, sent while the loop closes the peer
                    } else {
                        io.execute(() -> pipeline.sendDtls(peer, copy));
                    }
                })
                .listener(new DtlsListener() {
                    @Override
                    public void onConnected(DtlsSrtpKeys keys) {
                        post(() -> connected(peer, keys));
                    }

                    @Override
                    public void onFailed(Throwable cause) {
                        log.debug("DTLS of {} {} failed: {}", peer.role, peer.id, cause.toString());
                        post(() -> gone(peer, GoneReason.DTLS_FAILED));
                    }

                    @Override
                    public void onClosedByPeer() {
                        post(() -> gone(peer, GoneReason.DTLS_CLOSED_BY_PEER));
                    }
                })
                .build();
        peer.attach(pool);
        Peer replaced = table.add(peer);
        if (replaced != null) {
            remove(replaced, "replaced by a new publisher");
        }
        peer.state = PeerState.CONNECTING;
        checkCodecs(peer);
        peer.dtls.start();
        log.debug("{} {} for {} by {} on loop {} ({} tracks)", peer.role, peer.id, peer.key, peer.owner, index,
                peer.tracks.size());
    }

    /**
     * The video codec a new peer of {@code key} should prefer: for a player, the one its publisher sends; for a
     * publisher, the first codec every current player has (a call: one both browsers decode). Null: no preference.
     */
    CodecSpec videoHint(PeerRole role, StreamKey key) {
        Stream s = table.streams.get(key);
        if (s == null) {
            return null;
        }
        if (role == PeerRole.PLAY) {
            TrackSpec t = s.publisher == null ? null : s.publisher.track(MediaKind.VIDEO);
            return t == null || t.codecs().isEmpty() ? null : t.codecs().get(0);
        }
        if (s.players.length == 0) {
            return null;
        }
        TrackSpec first = s.players[0].track(MediaKind.VIDEO);
        if (first == null) {
            return null;
        }
        for (CodecSpec c : first.codecs()) {
            boolean everyone = true;
            for (Peer p : s.players) {
                TrackSpec t = p.track(MediaKind.VIDEO);
                everyone &= t != null && t.matching(c) != null;
            }
            if (everyone) {
                return c;
            }
        }
        return null;
    }

    // Says once per publisher/player pair when the player cannot decode what the publisher sends; the pipeline
    // drops those packets (NO_CODEC_AT_PLAYER), never forwards them.
    private void checkCodecs(Peer peer) {
        Stream s = peer.stream;
        if (s == null || s.publisher == null) {
            return;
        }
        if (peer.role == PeerRole.PLAY) {
            checkCodecs(s.publisher, peer);
        } else {
            for (Peer player : s.players) {
                checkCodecs(peer, player);
            }
        }
    }

    private void checkCodecs(Peer publisher, Peer player) {
        for (MediaKind kind : MediaKind.values()) {
            TrackSpec from = publisher.track(kind);
            TrackSpec to = player.track(kind);
            if (from == null || to == null || from.codecs().isEmpty()) {
                continue;
            }
            CodecSpec sent = from.codecs().get(0);
            if (to.matching(sent) == null) {
                String kindName = kind.name().toLowerCase(java.util.Locale.ROOT);
                List<String> has = to.codecs().stream().map(CodecSpec::name).toList();
                log.warn("player {} of {} cannot decode the publisher's {} {} (it offered {}): those packets are "
                        + "dropped, not forwarded", player.id, player.key, kindName, sent.name(), has);
                PeerStats stats = player.stats(index);
                events.add(() -> settings.listener().onCodecMismatch(stats, kindName, sent.name(), has));
            }
        }
    }

    /**
     * A WHIP/WHEP PATCH (RFC 9725 §4.3): checks {@code ifMatch} (null: {@code *}) against the peer's entity tag,
     * then restarts ICE when {@code remote} is present and new (with {@code newLocal} and a new entity tag, keeping
     * DTLS, SRTP, SSRCs and the selected pair), else takes it as trickle (nothing to do for ICE-lite).
     */
    IceUpdate updateIce(String id, List<String> ifMatch, Optional<IceCredentials> remote, IceCredentials newLocal,
                        String newEtag) {
        Peer p = table.byId.get(id);
        if (p == null) {
            return IceUpdate.of(IceUpdate.Outcome.NOT_FOUND, "");
        }
        if (ifMatch != null && !ifMatch.contains(p.etag)) {
            return IceUpdate.of(IceUpdate.Outcome.ETAG_MISMATCH, p.etag);
        }
        if (remote.isEmpty() || remote.get().equals(p.ice.remoteCredentials())) {
            return IceUpdate.of(IceUpdate.Outcome.TRICKLED, p.etag);
        }
        if (ifMatch != null) {
            return IceUpdate.of(IceUpdate.Outcome.RESTART_NEEDS_WILDCARD, p.etag);
        }
        p.ice.restart(newLocal, remote.get());
        table.byUfrag.put(newLocal.ufrag(), p);
        p.etag = newEtag;
        log.debug("{} {} restarted ICE", p.role, p.id);
        return new IceUpdate(IceUpdate.Outcome.RESTARTED, newEtag, Optional.of(newLocal), io.candidates(),
                io.tcpCandidates());
    }

    boolean delete(String id) {
        Peer p = table.byId.get(id);
        return p != null && remove(p, "deleted");
    }

    Optional<PeerStats> peer(String id) {
        Peer p = table.byId.get(id);
        return p == null ? Optional.empty() : Optional.of(p.stats(index));
    }

    /** Statistics of the peers of {@code sessionId}, or of all peers if it is null. */
    List<PeerStats> stats(String sessionId) {
        List<PeerStats> out = new ArrayList<>();
        for (Peer p : table.byId.values()) {
            if (sessionId == null || p.key.sessionId().equals(sessionId)) {
                out.add(p.stats(index));
            }
        }
        return out;
    }

    void setPaused(String sessionId, boolean paused) {
        for (Stream s : table.streams.values()) {
            if (s.key.sessionId().equals(sessionId)) {
                s.paused = paused;
                if (!paused && s.publisher != null) {
                    pipeline.requestKeyframe(s.publisher, true);
                }
            }
        }
    }

    boolean isPaused(StreamKey key) {
        Stream s = table.streams.get(key);
        return s != null && s.paused;
    }

    int retarget(StreamKey fromKey, StreamKey toKey) {
        Stream from = table.streams.get(fromKey);
        if (from == null) {
            return 0;
        }
        Stream to = table.streams.computeIfAbsent(toKey, Stream::new);
        to.paused = from.paused;
        int moved = 0;
        for (Peer p : from.players) {
            from.removePlayer(p);
            p.stream = to;
            to.addPlayer(p);
            moved++;
        }
        if (from.isEmpty()) {
            table.streams.remove(fromKey, from);
        }
        if (to.publisher != null && moved > 0) {
            pipeline.requestKeyframe(to.publisher, true);
        }
        return moved;
    }

    /** Ends the peers of {@code sessionId} (all if null) that belong to {@code owner} (any if null). */
    int closeAll(String sessionId, String owner) {
        int n = 0;
        for (Peer p : new ArrayList<>(table.byId.values())) {
            if ((sessionId == null || p.key.sessionId().equals(sessionId)) && (owner == null || p.owner.equals(owner))
                    && remove(p, "closed")) {
                n++;
            }
        }
        return n;
    }

    /** Adds this loop's counters to the sums: reasons, then stage in, out, dropped. */
    void addCounters(long[] reasons, long[] in, long[] out, long[] dropped) {
        for (int i = 0; i < reasons.length; i++) {
            reasons[i] += pipeline.counters[i];
        }
        long pr = endedPacketsReceived;
        long br = endedBytesReceived;
        long ps = endedPacketsSent;
        long bs = endedBytesSent;
        long nacks = endedNacksAnswered;
        long keyframes = endedKeyframeRequests;
        long connected = 0;
        long connectedTcp = 0;
        for (Peer p : table.byId.values()) {
            pr += p.packetsReceived;
            br += p.bytesReceived;
            ps += p.packetsSent;
            bs += p.bytesSent;
            nacks += p.nacksAnswered();
            keyframes += p.keyframeRequests;
            if (p.connected()) {
                connected++;
                if (p.remoteProtocol == IceProtocol.TCP) {
                    connectedTcp++;
                }
            }
        }
        reasons[MediaEngine.Counter.PACKETS_RECEIVED.ordinal()] += pr;
        reasons[MediaEngine.Counter.BYTES_RECEIVED.ordinal()] += br;
        reasons[MediaEngine.Counter.PACKETS_SENT.ordinal()] += ps;
        reasons[MediaEngine.Counter.BYTES_SENT.ordinal()] += bs;
        reasons[MediaEngine.Counter.NACKS_ANSWERED.ordinal()] += nacks;
        reasons[MediaEngine.Counter.KEYFRAME_REQUESTS.ordinal()] += keyframes;
        reasons[MediaEngine.Counter.PEERS_CONNECTED.ordinal()] += connected;
        reasons[MediaEngine.Counter.PEERS_CONNECTED_TCP.ordinal()] += connectedTcp;
        reasons[MediaEngine.Counter.RTX_BUFFERS_ALLOCATED.ordinal()] += pool.allocated();
        reasons[MediaEngine.Counter.RTX_BUFFERS_IN_USE.ordinal()] += pool.inUse();
        reasons[MediaEngine.Counter.RTX_BUFFER_BYTES.ordinal()] += pool.bytesInUse();
        reasons[MediaEngine.Counter.RTX_BUFFERS_REFUSED.ordinal()] += pool.refused();
        for (int i = 0; i < in.length; i++) {
            in[i] += pipeline.in[i];
            out[i] += pipeline.out[i];
            dropped[i] += pipeline.dropped[i];
        }
    }

    // ------------------------------------------------------------------ peer lifecycle

    private void connected(Peer p, DtlsSrtpKeys keys) {
        if (table.byId.get(p.id) != p) {
            return;
        }
        p.srtpProfile = keys.profile().name();
        p.rx = keys.inbound();
        p.tx = keys.outbound();
        p.state = PeerState.CONNECTED;
        log.debug("{} {} connected with {}", p.role, p.id, keys.profile());
        if (p.role == PeerRole.PLAY && p.stream.publisher != null) {
            pipeline.requestKeyframe(p.stream.publisher, true);
        }
        PeerStats stats = p.stats(index);
        events.add(() -> settings.listener().onConnected(stats));
    }

    private void gone(Peer p, GoneReason reason) {
        if (remove(p, reason.name())) {
            p.state = PeerState.FAILED;
            PeerStats stats = p.stats(index);
            events.add(() -> settings.listener().onGone(stats, reason));
        }
    }

    private boolean remove(Peer p, String reason) {
        if (!table.remove(p)) {
            return false;
        }
        endedPacketsReceived += p.packetsReceived;
        endedBytesReceived += p.bytesReceived;
        endedPacketsSent += p.packetsSent;
        endedBytesSent += p.bytesSent;
        endedNacksAnswered += p.nacksAnswered();
        endedKeyframeRequests += p.keyframeRequests;
        p.detach();
        p.state = PeerState.CLOSED;
        p.rx = null;
        p.tx = null;
        p.dtls.close();
        placement.release(p.key.sessionId(), p.owner, p.id);
        log.debug("{} {} for {} removed: {}", p.role, p.id, p.key, reason);
        return true;
    }
}
