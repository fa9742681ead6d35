/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.whip;

import dev.cskit.media.dtls.DtlsCertificate;
import dev.cskit.media.dtls.DtlsEndpoint;
import dev.cskit.media.dtls.DtlsFingerprint;
import dev.cskit.media.dtls.DtlsListener;
import dev.cskit.media.dtls.DtlsSrtpKeys;
import dev.cskit.media.forward.CodecSpec;
import dev.cskit.media.forward.MediaKind;
import dev.cskit.media.forward.OutboundStream;
import dev.cskit.media.forward.ReceiveStatistics;
import dev.cskit.media.forward.TrackSpec;
import dev.cskit.media.ice.IceCredentials;
import dev.cskit.media.ice.IceLiteAgent;
import dev.cskit.media.ice.IceResult;
import dev.cskit.media.rtcp.Fir;
import dev.cskit.media.rtcp.Nack;
import dev.cskit.media.rtcp.Pli;
import dev.cskit.media.rtcp.RtcpCompound;
import dev.cskit.media.rtcp.RtcpWriter;
import dev.cskit.media.rtcp.SenderReport;
import dev.cskit.media.rtp.RtpPacket;
import dev.cskit.media.sdp.NegotiatedCodec;
import dev.cskit.media.sdp.NegotiatedMedia;
import dev.cskit.media.sdp.SdpAnswer;
import dev.cskit.media.sdp.SdpAnswerer;
import dev.cskit.media.sdp.SdpException;
import dev.cskit.media.sdp.SendTrack;
import dev.cskit.media.srtp.SrtpContext;
import dev.cskit.media.srtp.SrtpProfile;
import dev.cskit.media.stun.PacketKind;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
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
    private static final long KEYFRAME_REQUEST_INTERVAL_NANOS = 300_000_000L;

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
    private final PacketTap tap;
    private final SecureRandom random = new SecureRandom();

    private final Map<String, Peer> peers = new ConcurrentHashMap<>();
    private final Map<String, Peer> byUfrag = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, Peer> byAddress = new ConcurrentHashMap<>();
    private final Map<StreamKey, Stream> streams = new ConcurrentHashMap<>();
    private final AtomicLong[] counters = new AtomicLong[Counter.values().length];

    // Network-thread scratch: parsers are flyweights reused for every packet.
    private final RtpPacket rtp = new RtpPacket();
    private final RtcpCompound rtcp = new RtcpCompound();
    private final SenderReport sr = new SenderReport();
    private final Pli pli = new Pli();
    private final Fir fir = new Fir();
    private final Nack nack = new Nack();

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
        this.tap = b.tap;
        for (int i = 0; i < counters.length; i++) {
            counters[i] = new AtomicLong();
        }
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
        if (peers.size() >= maxPeers) {
            throw new MediaException(MediaException.Kind.LIMIT, "the media engine serves at most " + maxPeers
                    + " peer connections; try again later");
        }
        IceCredentials local = IceCredentials.random(random);
        String[] fp = certificate.fingerprint().toSdp().split(" ", 2);
        SdpAnswerer.Builder ab = SdpAnswerer.builder(role == PeerRole.PUBLISH ? SdpAnswerer.Mode.WHIP
                : SdpAnswerer.Mode.WHEP).iceCredentials(local.ufrag(), local.pwd()).fingerprint(fp[0], fp[1]);
        candidates.forEach(ab::candidate);
        long audioSsrc = randomSsrc();
        long videoSsrc = randomSsrc();
        String id = HexFormat.of().formatHex(randomBytes(16));
        if (role == PeerRole.PLAY) {
            String msid = "cskit-" + id.substring(0, 8);
            ab.sendTrack(new SendTrack("audio", audioSsrc, 0, msid, "audio-" + id.substring(0, 6), msid));
            ab.sendTrack(new SendTrack("video", videoSsrc, 0, msid, "video-" + id.substring(0, 6), msid));
        }
        SdpAnswer answer = ab.build().answer(offerSdp);
        List<TrackSpec> tracks = new ArrayList<>();
        for (NegotiatedMedia m : answer.negotiated().media()) {
            MediaKind kind = m.kind().equals("audio") ? MediaKind.AUDIO : MediaKind.VIDEO;
            List<CodecSpec> codecs = new ArrayList<>();
            boolean nack = false;
            for (NegotiatedCodec c : m.codecs()) {
                codecs.add(new CodecSpec(c.payloadType(), c.name(), c.clockRate(), c.channels(), c.fmtp()));
                nack |= c.hasFeedback("nack");
            }
            long ssrc = role == PeerRole.PLAY ? m.sendTrack().map(SendTrack::ssrc).orElse(0L)
                    : m.remoteSsrcs().isEmpty() ? 0 : m.remoteSsrcs().get(0);
            tracks.add(new TrackSpec(m.mid(), kind, codecs, m.extmapIds(), nack, ssrc));
        }
        if (tracks.isEmpty()) {
            throw new MediaException(MediaException.Kind.BAD_OFFER,
                    "the offer has no audio or video section the server can " + (role == PeerRole.PUBLISH
                            ? "receive (offer sendonly Opus, VP8 or H.264)" : "send (offer recvonly Opus, VP8 or H.264)"));
        }
        // The answerer checks syntax only: the credentials' characters and the fingerprint's hash and length are
        // checked here, and a bad value is the client's bad offer (400), not an engine failure.
        IceCredentials remote;
        DtlsFingerprint remoteFp;
        try {
            remote = new IceCredentials(answer.negotiated().remoteUfrag(), answer.negotiated().remotePwd());
            remoteFp = DtlsFingerprint.of(answer.negotiated().remoteFingerprintAlgorithm(),
                    answer.negotiated().remoteFingerprint());
        } catch (IllegalArgumentException e) {
            throw new SdpException(0, e.getMessage());
        }
        IceLiteAgent ice = new IceLiteAgent(local, remote, consentTimeout);
        Peer peer = new Peer(id, role, key, owner, ice, tracks, randomSsrc(), nanoTime.getAsLong());
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

        peers.put(id, peer);
        byUfrag.put(local.ufrag(), peer);
        Stream stream = streams.computeIfAbsent(key, Stream::new);
        peer.stream = stream;
        Peer replaced = null;
        if (role == PeerRole.PUBLISH) {
            synchronized (stream) {
                replaced = stream.publisher;
                stream.publisher = peer;
            }
        } else {
            stream.addPlayer(peer);
        }
        if (replaced != null) {
            remove(replaced, "replaced by a new publisher");
        }
        peer.state = PeerState.CONNECTING;
        peer.dtls.start();
        log.debug("{} {} for {} by {} ({} tracks)", role, id, key, owner, tracks.size());
        return new PeerResource(id, answer.sdp(), "\"" + id.substring(0, 16) + "\"");
    }

    /** Ends a resource (WHIP/WHEP DELETE). */
    public boolean delete(String id) {
        Peer p = peers.get(id);
        if (p == null) {
            return false;
        }
        remove(p, "deleted");
        return true;
    }

    /** A resource's current statistics. */
    public Optional<PeerStats> peer(String id) {
        Peer p = peers.get(id);
        return p == null ? Optional.empty() : Optional.of(p.stats());
    }

    /** Statistics of every resource of the session {@code sessionId}. */
    public List<PeerStats> stats(String sessionId) {
        List<PeerStats> out = new ArrayList<>();
        for (Peer p : peers.values()) {
            if (p.key.sessionId().equals(sessionId)) {
                out.add(p.stats());
            }
        }
        return out;
    }

    /** Statistics of every resource. */
    public List<PeerStats> stats() {
        List<PeerStats> out = new ArrayList<>();
        for (Peer p : peers.values()) {
            out.add(p.stats());
        }
        return out;
    }

    /**
     * Stops (or restarts) forwarding for every stream of the session {@code sessionId}: nothing is forwarded in
     * either direction while paused. On resume the publishers are asked for a keyframe.
     */
    public void setPaused(String sessionId, boolean paused) {
        for (Stream s : streams.values()) {
            if (s.key.sessionId().equals(sessionId)) {
                s.paused = paused;
                if (!paused && s.publisher != null) {
                    requestKeyframe(s.publisher, true);
                }
            }
        }
    }

    /** Whether forwarding for {@code stream} is paused; false for a stream with no resources. */
    public boolean isPaused(StreamKey stream) {
        Stream s = streams.get(stream);
        return s != null && s.paused;
    }

    /**
     * Moves every player of {@code from} to {@code to} (a transfer: the customer now plays the new agent). The
     * players keep their SSRCs; sequence numbers and timestamps continue.
     */
    public int retarget(StreamKey fromKey, StreamKey toKey) {
        Stream from = streams.get(fromKey);
        if (from == null) {
            return 0;
        }
        Stream to = streams.computeIfAbsent(toKey, Stream::new);
        to.paused = from.paused;
        int moved = 0;
        for (Peer p : from.players) {
            from.removePlayer(p);
            p.stream = to;
            to.addPlayer(p);
            moved++;
        }
        if (to.publisher != null && moved > 0) {
            requestKeyframe(to.publisher, true);
        }
        return moved;
    }

    /** Ends every resource of the session {@code sessionId} that (when not null) belongs to {@code owner}. */
    public int closeAll(String sessionId, String owner) {
        int n = 0;
        for (Peer p : peers.values()) {
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
        for (Peer p : peers.values()) {
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
     * Sends every connected publisher a receiver report (RFC 3550 §6.4.2) about what the server received of it,
     * with an SDES CNAME as a compound packet needs (§6.1); call about once a second from the owner's scheduler.
     */
    public void sendReceiverReports() {
        long now = nanoTime.getAsLong();
        for (Peer p : peers.values()) {
            InetSocketAddress to = p.remote;
            if (p.role != PeerRole.PUBLISH || to == null || p.tx == null) {
                continue;
            }
            List<RtcpWriter.ReportBlock> blocks = new ArrayList<>();
            for (ReceiveStatistics rs : p.receiveStats) {
                RtcpWriter.ReportBlock b = rs.reportBlock(now);
                if (b != null) {
                    blocks.add(b);
                }
            }
            if (blocks.isEmpty()) {
                continue;
            }
            synchronized (p) {
                SrtpContext tx = p.tx;
                if (tx == null) {
                    continue;
                }
                int len = RtcpWriter.writeReceiverReport(p.out, 0, p.localSsrc, blocks);
                len += RtcpWriter.writeSdesCname(p.out, len, p.localSsrc, "cskit");
                int n = tx.protectRtcp(p.out, 0, len);
                if (n > 0) {
                    sink.send(p.out, 0, n, to);
                }
            }
        }
    }

    /** Engine-wide drop counters. */
    public Map<Counter, Long> counters() {
        Map<Counter, Long> m = new java.util.EnumMap<>(Counter.class);
        for (Counter c : Counter.values()) {
            m.put(c, counters[c.ordinal()].get());
        }
        return m;
    }

    /** How many resources are open. */
    public int size() {
        return peers.size();
    }

    /** Ends every resource. */
    public void close() {
        for (Peer p : peers.values()) {
            remove(p, "engine closed");
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // The network thread.

    /** One datagram from the media port. Never throws; never keeps {@code buf}. */
    public void onDatagram(byte[] buf, int off, int len, InetSocketAddress from) {
        count(Counter.DATAGRAMS);
        try {
            switch (PacketKind.classify(buf, off, len)) {
                case STUN -> onStun(buf, off, len, from);
                case DTLS -> {
                    Peer p = byAddress.get(from);
                    if (p == null) {
                        count(Counter.NO_PEER);
                    } else {
                        p.dtls.receive(buf, off, len);
                    }
                }
                case RTP -> onRtp(buf, off, len, from);
                case RTCP -> onRtcp(buf, off, len, from);
                default -> count(Counter.UNKNOWN_KIND);
            }
        } catch (RuntimeException e) {
            // A bug must not take the media port down; count it like any other dropped datagram.
            count(Counter.UNKNOWN_KIND);
            log.warn("dropped a datagram from {} after an unexpected error", from, e);
        }
    }

    private void onStun(byte[] buf, int off, int len, InetSocketAddress from) {
        Peer p = byAddress.get(from);
        if (p == null) {
            Optional<String> ufrag = IceLiteAgent.localUfragOf(buf, off, len);
            p = ufrag.map(byUfrag::get).orElse(null);
            if (p == null) {
                count(Counter.NO_PEER);
                return;
            }
        }
        long now = nanoTime.getAsLong();
        IceResult r = p.ice.handle(buf, off, len, from, now, p.stunOut, 0);
        if (r.respondedWithResponse()) {
            sink.send(p.stunOut, 0, p.ice.responseLength(), from);
        }
        if (r == IceResult.SUCCESS) {
            if (!from.equals(p.remote) || byAddress.get(from) != p) {
                byAddress.put(from, p);
            }
            InetSocketAddress selected = p.ice.selectedAddress().orElse(from);
            if (!selected.equals(p.remote)) {
                p.remote = selected;
            }
        } else {
            count(Counter.STUN_REJECTED);
        }
    }

    private void onRtp(byte[] buf, int off, int len, InetSocketAddress from) {
        Peer p = byAddress.get(from);
        SrtpContext rx = p == null ? null : p.rx;
        if (rx == null) {
            count(Counter.NO_PEER);
            return;
        }
        int n = rx.unprotectRtp(buf, off, len);
        if (n < 0) {
            p.packetsDropped.incrementAndGet();
            count(Counter.SRTP_FAILED);
            return;
        }
        p.packetsReceived.incrementAndGet();
        p.bytesReceived.addAndGet(n);
        if (p.role != PeerRole.PUBLISH || !rtp.wrap(buf, off, n)) {
            return; // players send no media; anything they send is counted and ignored
        }
        TrackSpec track = p.trackByPt[rtp.payloadType()];
        if (track == null) {
            count(Counter.NO_CODEC);
            return;
        }
        if (track.kind() == MediaKind.VIDEO) {
            p.videoSsrc = rtp.ssrc();
        }
        long now = nanoTime.getAsLong();
        CodecSpec codec = track.codec(rtp.payloadType());
        ReceiveStatistics rs = p.receiveStats(rtp.ssrc(), codec == null ? 90000 : codec.clockRate());
        if (rs != null) {
            rs.onPacket(rtp.sequenceNumber(), rtp.timestamp(), now);
        }
        Stream s = p.stream;
        if (s.paused) {
            count(Counter.HELD);
            return;
        }
        for (Peer player : s.players) {
            forward(player, track, now);
        }
        if (tap != null && codec != null) {
            tap.onRtp(s.key, track, codec, buf, off, n); // after the hold check: held media is not tapped
        }
    }

    private void forward(Peer player, TrackSpec track, long now) {
        OutboundStream os = player.outFor(track.kind());
        InetSocketAddress to = player.remote;
        if (os == null || to == null || player.tx == null) {
            return;
        }
        synchronized (player) {
            int len = os.rewrite(rtp, track, player.out, 0, now);
            if (len < 0) {
                player.packetsDropped.incrementAndGet();
                count(Counter.NO_CODEC);
                return;
            }
            SrtpContext playerTx = player.tx;
            int n = playerTx == null ? -1 : playerTx.protectRtp(player.out, 0, len);
            if (n < 0) {
                player.packetsDropped.incrementAndGet();
                return;
            }
            sink.send(player.out, 0, n, to);
            player.packetsSent.incrementAndGet();
            player.bytesSent.addAndGet(n);
        }
    }

    private void onRtcp(byte[] buf, int off, int len, InetSocketAddress from) {
        Peer p = byAddress.get(from);
        SrtpContext rx = p == null ? null : p.rx;
        if (rx == null) {
            count(Counter.NO_PEER);
            return;
        }
        int n = rx.unprotectRtcp(buf, off, len);
        if (n < 0 || !rtcp.wrap(buf, off, n)) {
            p.packetsDropped.incrementAndGet();
            count(Counter.RTCP_FAILED);
            return;
        }
        while (rtcp.next()) {
            int type = rtcp.packetType();
            int at = rtcp.packetOffset();
            int plen = rtcp.packetLength();
            if (p.role == PeerRole.PUBLISH && type == RtcpCompound.SR && sr.wrap(buf, at, plen)) {
                ReceiveStatistics rs = p.findReceiveStats(sr.ssrc());
                if (rs != null) {
                    rs.onSenderReport(sr.ntpTimestamp(), nanoTime.getAsLong());
                }
                relaySenderReport(p);
            } else if (p.role == PeerRole.PLAY && type == RtcpCompound.PSFB) {
                if ((rtcp.count() == Pli.FMT && pli.wrap(buf, at, plen))
                        || (rtcp.count() == Fir.FMT && fir.wrap(buf, at, plen))) {
                    Stream s = p.stream;
                    Peer pub = s == null ? null : s.publisher;
                    if (pub != null && !s.paused) {
                        requestKeyframe(pub, false);
                    }
                }
            } else if (p.role == PeerRole.PLAY && type == RtcpCompound.RTPFB && rtcp.count() == Nack.FMT
                    && nack.wrap(buf, at, plen)) {
                answerNack(p);
            }
        }
    }

    // RFC 3550 §6.4.1: the player needs the publisher's NTP/RTP timestamp pair in its own timeline to sync
    // audio and video; rewrite SSRC and RTP timestamp and send the counts of what we forwarded.
    private void relaySenderReport(Peer publisher) {
        Stream s = publisher.stream;
        if (s == null || s.paused) {
            return;
        }
        long ssrc = sr.ssrc();
        for (Peer player : s.players) {
            InetSocketAddress to = player.remote;
            if (to == null || player.tx == null) {
                continue;
            }
            for (OutboundStream os : player.outs) {
                long ts = os.mapTimestamp(ssrc, sr.rtpTimestamp());
                if (ts < 0) {
                    continue;
                }
                synchronized (player) {
                    int len = RtcpWriter.writeSenderReport(player.out, 0, os.ssrc(), sr.ntpTimestamp(), ts,
                            os.packets(), os.octets(), List.of());
                    SrtpContext playerTx = player.tx;
                    int n = playerTx == null ? -1 : playerTx.protectRtcp(player.out, 0, len);
                    if (n > 0) {
                        sink.send(player.out, 0, n, to);
                    }
                }
            }
        }
    }

    // RFC 4585 §6.2.1: each FCI entry names a lost packet (PID) and a bitmask of the 16 after it (BLP).
    private void answerNack(Peer player) {
        OutboundStream os = player.outBySsrc(nack.mediaSsrc());
        InetSocketAddress to = player.remote;
        if (os == null || to == null || player.tx == null) {
            return;
        }
        for (int i = 0; i < nack.entryCount(); i++) {
            int pid = nack.pid(i);
            int blp = nack.blp(i);
            for (int bit = -1; bit < 16; bit++) {
                if (bit >= 0 && (blp & (1 << bit)) == 0) {
                    continue;
                }
                int seq = (pid + bit + 1) & 0xFFFF;
                synchronized (player) {
                    int len = os.retransmission(seq, player.out, 0);
                    if (len < 0) {
                        continue;
                    }
                    SrtpContext playerTx = player.tx;
                    int n = playerTx == null ? -1 : playerTx.protectRtp(player.out, 0, len);
                    if (n > 0) {
                        sink.send(player.out, 0, n, to);
                        player.nacksAnswered.incrementAndGet();
                    }
                }
            }
        }
    }

    // RFC 4585 §6.3.1 PLI, throttled so a storm of player requests does not flood the publisher.
    private void requestKeyframe(Peer publisher, boolean force) {
        InetSocketAddress to = publisher.remote;
        long media = publisher.videoSsrc;
        if (to == null || publisher.tx == null || media < 0) {
            return;
        }
        long now = nanoTime.getAsLong();
        synchronized (publisher) {
            if (!force && now - publisher.lastKeyframeRequestNanos < KEYFRAME_REQUEST_INTERVAL_NANOS) {
                return;
            }
            publisher.lastKeyframeRequestNanos = now;
            int len = RtcpWriter.writePli(publisher.out, 0, publisher.localSsrc, media);
            SrtpContext publisherTx = publisher.tx;
            int n = publisherTx == null ? -1 : publisherTx.protectRtcp(publisher.out, 0, len);
            if (n > 0) {
                sink.send(publisher.out, 0, n, to);
                publisher.keyframeRequests.incrementAndGet();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------

    private void connected(Peer p, DtlsSrtpKeys keys) {
        if (!peers.containsKey(p.id)) {
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
                requestKeyframe(s.publisher, true);
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
        if (peers.remove(p.id) == null) {
            return false;
        }
        byUfrag.remove(p.ice.localCredentials().ufrag());
        byAddress.values().removeIf(q -> q == p);
        Stream s = p.stream;
        if (s != null) {
            synchronized (s) {
                if (s.publisher == p) {
                    s.publisher = null;
                }
            }
            s.removePlayer(p);
            if (s.isEmpty()) {
                streams.remove(s.key, s);
            }
        }
        p.state = PeerState.CLOSED;
        p.rx = null;
        p.tx = null;
        p.dtls.close();
        log.debug("{} {} for {} removed: {}", p.role, p.id, p.key, reason);
        return true;
    }

    private long randomSsrc() {
        long v;
        do {
            v = random.nextInt() & 0xFFFFFFFFL;
        } while (v == 0);
        return v;
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private void count(Counter c) {
        counters[c.ordinal()].incrementAndGet();
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
