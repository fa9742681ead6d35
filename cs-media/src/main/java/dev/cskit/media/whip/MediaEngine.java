/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.whip;

import dev.cskit.media.dtls.DtlsCertificate;
import dev.cskit.media.dtls.DtlsEndpoint;
import dev.cskit.media.dtls.DtlsFingerprint;
import dev.cskit.media.dtls.DtlsListener;
import dev.cskit.media.dtls.DtlsSrtpKeys;
import dev.cskit.media.ice.IceLiteAgent;
import dev.cskit.media.sdp.SdpException;
import dev.cskit.media.srtp.SrtpProfile;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebRTC media path of a server: WHIP publishers and WHEP players on one UDP port, ICE-lite, DTLS-SRTP,
 * and RTP/RTCP forwarding from each stream's publisher to its players.
 *
 * <p>The owner feeds every datagram of the media port to {@link #onDatagram} (from one network thread) and
 * gives the engine a {@link DatagramSink} to send with. Packets are routed by remote address, and a STUN
 * request from an unknown address by its ICE ufrag. Per packet the engine returns nothing and throws nothing:
 * bad datagrams are dropped and counted ({@link #counters()}).
 *
 * <p>Thread-safety: {@link #onDatagram} must be called by one thread at a time; every other method is
 * thread-safe. The engine starts no threads: DTLS handshakes run on the caller's executor, and the owner
 * calls {@link #checkConsent} periodically.
 */
public final class MediaEngine {

    private static final Logger log = LoggerFactory.getLogger(MediaEngine.class);

    /** Where the engine sends datagrams. Must copy {@code buf} before returning, must not block. */
    @FunctionalInterface
    public interface DatagramSink {
        void send(byte[] buf, int off, int len, InetSocketAddress to);
    }

    /** What {@link #counters()} counts besides per-peer statistics. */
    public enum Counter {
        DATAGRAMS, UNKNOWN_KIND, NO_PEER, STUN_REJECTED, SRTP_FAILED, RTCP_FAILED, HELD, NO_CODEC
    }

    private final DatagramSink sink;
    private final List<InetSocketAddress> candidates;
    private final DtlsCertificate certificate;
    private final Executor handshakeExecutor;
    private final LongSupplier nanoTime;
    private final List<SrtpProfile> profiles;
    private final Duration consentTimeout;
    private final Duration handshakeTimeout;
    private final int maxPeers;
    private final MediaListener listener;
    private final PeerFactory factory;
    private final PeerTable table = new PeerTable();
    private final PacketPath path;

    private MediaEngine(Builder b) {
        this.sink = Objects.requireNonNull(b.sink, "sink");
        this.candidates = List.copyOf(b.candidates);
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("at least one candidate address is needed for ICE-lite");
        }
        this.certificate = b.certificate != null ? b.certificate : DtlsCertificate.generate();
        this.handshakeExecutor = Objects.requireNonNull(b.executor, "executor");
        this.nanoTime = b.nanoTime;
        this.profiles = List.copyOf(b.profiles);
        this.consentTimeout = b.consentTimeout;
        this.handshakeTimeout = b.handshakeTimeout;
        this.maxPeers = b.maxPeers;
        this.listener = b.listener;

        this.factory = new PeerFactory(certificate, consentTimeout);
        this.path = new PacketPath(table, sink, nanoTime, b.tap);
    }

    public static Builder newBuilder() {
        return new Builder();
    }

    /** The server certificate's fingerprint as SDP has it, e.g. {@code sha-256 AB:CD:…}. */
    public String fingerprint() {
        return certificate.fingerprint().toSdp();
    }

    /**
     * Creates a WHIP resource: the client at {@code owner} publishes {@code stream}. An earlier publisher of the
     * same stream is replaced (a reconnecting client), its players keep playing.
     *
     * @throws SdpException   if the offer is malformed or unusable (the message names the line)
     * @throws MediaException if the engine is at its peer limit
     */
    public PeerResource publish(StreamKey stream, String owner, String offerSdp) throws SdpException, MediaException {
        return create(PeerRole.PUBLISH, stream, owner, offerSdp);
    }

    /** Creates a WHEP resource: the client at {@code owner} plays {@code stream} (published now or later). */
    public PeerResource play(StreamKey stream, String owner, String offerSdp) throws SdpException, MediaException {
        return create(PeerRole.PLAY, stream, owner, offerSdp);
    }

    private PeerResource create(PeerRole role, StreamKey key, String owner, String offerSdp)
            throws SdpException, MediaException {
        Objects.requireNonNull(key, "stream");
        Objects.requireNonNull(owner, "owner");
        if (table.byId.size() >= maxPeers) {
            throw new MediaException(MediaException.Kind.LIMIT, "the media engine serves at most " + maxPeers
                    + " peer connections; try again later");
        }
        PeerFactory.Offered offered = factory.answer(role, key, owner, offerSdp, candidates, nanoTime.getAsLong());
        Peer peer = offered.peer();
        String id = peer.id;
        DtlsFingerprint remoteFp = offered.remoteFingerprint();
        peer.dtls = DtlsEndpoint.server()
                .certificate(certificate)
                .remoteFingerprint(remoteFp)
                .profiles(profiles)
                .handshakeTimeout(handshakeTimeout)
                .executor(handshakeExecutor)
                .sender((buf, off, len) -> {
                    InetSocketAddress to = peer.remote;
                    if (to != null) {
                        sink.send(buf, off, len, to);
                    }
                })
                .listener(new DtlsListener() {
                    @Override
                    public void onConnected(DtlsSrtpKeys keys) {
                        connected(peer, keys);
                    }

                    @Override
                    public void onFailed(Throwable cause) {
                        log.debug("DTLS of {} {} failed: {}", role, id, cause.toString());
                        gone(peer, GoneReason.DTLS_FAILED);
                    }

                    @Override
                    public void onClosedByPeer() {
                        gone(peer, GoneReason.DTLS_CLOSED_BY_PEER);
                    }
                })
                .build();

        Peer replaced = table.add(peer);
        if (replaced != null) {
            remove(replaced, "replaced by a new publisher");
        }
        peer.state = PeerState.CONNECTING;
        peer.dtls.start();
        log.debug("{} {} for {} by {} ({} tracks)", role, id, key, owner, peer.tracks.size());
        return offered.resource();
    }

    /** Ends a resource (WHIP/WHEP DELETE). */
    public boolean delete(String id) {
        Peer p = table.byId.get(id);
        if (p == null) {
            return false;
        }
        remove(p, "deleted");
        return true;
    }

    /** A resource's current statistics. */
    public Optional<PeerStats> peer(String id) {
        Peer p = table.byId.get(id);
        return p == null ? Optional.empty() : Optional.of(p.stats());
    }

    /** Statistics of every resource of the session {@code sessionId}. */
    public List<PeerStats> stats(String sessionId) {
        List<PeerStats> out = new ArrayList<>();
        for (Peer p : table.byId.values()) {
            if (p.key.sessionId().equals(sessionId)) {
                out.add(p.stats());
            }
        }
        return out;
    }

    /** Statistics of every resource. */
    public List<PeerStats> stats() {
        List<PeerStats> out = new ArrayList<>();
        for (Peer p : table.byId.values()) {
            out.add(p.stats());
        }
        return out;
    }

    /**
     * Stops (or restarts) forwarding for every stream of the session {@code sessionId}: nothing is forwarded in
     * either direction while paused. On resume the publishers are asked for a keyframe.
     */
    public void setPaused(String sessionId, boolean paused) {
        for (Stream s : table.streams.values()) {
            if (s.key.sessionId().equals(sessionId)) {
                s.paused = paused;
                if (!paused && s.publisher != null) {
                    path.requestKeyframe(s.publisher, true);
                }
            }
        }
    }

    /** Whether forwarding for {@code stream} is paused; false for a stream with no resources. */
    public boolean isPaused(StreamKey stream) {
        Stream s = table.streams.get(stream);
        return s != null && s.paused;
    }

    /**
     * Moves every player of {@code from} to {@code to} (a transfer: the customer now plays the new agent). The
     * players keep their SSRCs; sequence numbers and timestamps continue.
     */
    public int retarget(StreamKey fromKey, StreamKey toKey) {
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
        if (to.publisher != null && moved > 0) {
            path.requestKeyframe(to.publisher, true);
        }
        return moved;
    }

    /** Ends every resource of the session {@code sessionId} that (when not null) belongs to {@code owner}. */
    public int closeAll(String sessionId, String owner) {
        int n = 0;
        for (Peer p : table.byId.values()) {
            if (p.key.sessionId().equals(sessionId) && (owner == null || p.owner.equals(owner))) {
                remove(p, "closed");
                n++;
            }
        }
        return n;
    }

    /**
     * Ends peers whose consent expired (RFC 7675 §5.1) or whose handshake never completed; call every few
     * seconds from the owner's scheduler.
     */
    public void checkConsent() {
        long now = nanoTime.getAsLong();
        long handshakeLimit = handshakeTimeout.toNanos() + 5_000_000_000L;
        for (Peer p : table.byId.values()) {
            if (p.connected()) {
                if (!p.ice.isConsentFresh(now)) {
                    gone(p, GoneReason.CONSENT_EXPIRED);
                }
            } else if (now - p.createdNanos > handshakeLimit) {
                gone(p, GoneReason.NEVER_CONNECTED);
            }
        }
    }

    /**
     * Sends every connected publisher a receiver report (RFC 3550 §6.4.2) about what the server received of it;
     * call about once a second from the owner's scheduler.
     */
    public void sendReceiverReports() {
        path.sendReceiverReports();
    }

    /** Engine-wide drop counters. */
    public Map<Counter, Long> counters() {
        Map<Counter, Long> m = new java.util.EnumMap<>(Counter.class);
        for (Counter c : Counter.values()) {
            m.put(c, path.counter(c));
        }
        return m;
    }

    /** How many resources are open. */
    public int size() {
        return table.byId.size();
    }

    /** One datagram from the media port. Never throws; never keeps {@code buf}. */
    public void onDatagram(byte[] buf, int off, int len, InetSocketAddress from) {
        path.onDatagram(buf, off, len, from);
    }

    /** Ends every resource. */
    public void close() {
        for (Peer p : table.byId.values()) {
            remove(p, "engine closed");
        }
    }

    // ---------------------------------------------------------------------------------------------------

    private void connected(Peer p, DtlsSrtpKeys keys) {
        if (!table.byId.containsKey(p.id)) {
            return;
        }
        p.srtpProfile = keys.profile().name();
        p.rx = keys.inbound();
        p.tx = keys.outbound();
        p.state = PeerState.CONNECTED;
        log.debug("{} {} connected with {}", p.role, p.id, keys.profile());
        if (p.role == PeerRole.PLAY) {
            Stream s = p.stream;
            if (s != null && s.publisher != null) {
                path.requestKeyframe(s.publisher, true);
            }
        }
        listener.onConnected(p.stats());
    }

    private void gone(Peer p, GoneReason reason) {
        if (remove(p, reason.name())) {
            p.state = PeerState.FAILED;
            listener.onGone(p.stats(), reason);
        }
    }

    private boolean remove(Peer p, String reason) {
        if (!table.remove(p)) {
            return false;
        }
        p.state = PeerState.CLOSED;
        p.rx = null;
        p.tx = null;
        p.dtls.close();
        log.debug("{} {} for {} removed: {}", p.role, p.id, p.key, reason);
        return true;
    }

    /** Builds a {@link MediaEngine}; not thread-safe. */
    public static final class Builder {
        private DatagramSink sink;
        private final List<InetSocketAddress> candidates = new ArrayList<>();
        private DtlsCertificate certificate;
        private Executor executor;
        private LongSupplier nanoTime = System::nanoTime;
        private List<SrtpProfile> profiles = List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80, SrtpProfile.AEAD_AES_128_GCM);
        private Duration consentTimeout = IceLiteAgent.DEFAULT_CONSENT_TIMEOUT;
        private Duration handshakeTimeout = Duration.ofSeconds(30);
        private int maxPeers = 10_000;
        private MediaListener listener = new MediaListener() { };
        private PacketTap tap;

        private Builder() {
        }

        public Builder sink(DatagramSink sink) {
            this.sink = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /** A host candidate: the media port as clients reach it. */
        public Builder candidate(InetSocketAddress address) {
            candidates.add(Objects.requireNonNull(address, "address"));
            return this;
        }

        /** The DTLS certificate; a fresh ECDSA P-256 one if not set. */
        public Builder certificate(DtlsCertificate certificate) {
            this.certificate = Objects.requireNonNull(certificate, "certificate");
            return this;
        }

        /** Runs the blocking DTLS handshakes; never the network thread. */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** The monotonic clock, in nanoseconds. */
        public Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
            return this;
        }

        /** SRTP profiles in the server's order of preference. */
        public Builder profiles(List<SrtpProfile> profiles) {
            if (profiles.isEmpty()) {
                throw new IllegalArgumentException("at least one SRTP profile");
            }
            this.profiles = List.copyOf(profiles);
            return this;
        }

        /** Parses profile names such as {@code AEAD_AES_128_GCM}, in preference order. */
        public Builder profileNames(List<String> names) {
            List<SrtpProfile> list = new ArrayList<>();
            for (String n : names) {
                String key = n.trim().toUpperCase(Locale.ROOT).replace("SRTP_", "").replace("AES128_CM", "AES_CM_128");
                try {
                    list.add(SrtpProfile.valueOf(key));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown SRTP profile '" + n
                            + "': use AES_CM_128_HMAC_SHA1_80 or AEAD_AES_128_GCM", e);
                }
            }
            return profiles(list);
        }

        public Builder consentTimeout(Duration consentTimeout) {
            this.consentTimeout = Objects.requireNonNull(consentTimeout, "consentTimeout");
            return this;
        }

        public Builder handshakeTimeout(Duration handshakeTimeout) {
            this.handshakeTimeout = Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
            return this;
        }

        public Builder maxPeers(int maxPeers) {
            if (maxPeers < 1) {
                throw new IllegalArgumentException("maxPeers must be at least 1");
            }
            this.maxPeers = maxPeers;
            return this;
        }

        public Builder listener(MediaListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Sees publishers' plain RTP after forwarding (for recording); see {@link PacketTap} for its contract. */
        public Builder packetTap(PacketTap tap) {
            this.tap = Objects.requireNonNull(tap, "tap");
            return this;
        }

        public MediaEngine build() {
            return new MediaEngine(this);
        }
    }
}
