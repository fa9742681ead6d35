/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.testkit;

import dev.cskit.media.dtls.DtlsCertificate;
import dev.cskit.media.dtls.DtlsEndpoint;
import dev.cskit.media.dtls.DtlsFingerprint;
import dev.cskit.media.dtls.DtlsListener;
import dev.cskit.media.dtls.DtlsSrtpKeys;
import dev.cskit.media.ice.IceCredentials;
import dev.cskit.media.rtcp.RtcpWriter;
import dev.cskit.media.rtp.RtpPacket;
import dev.cskit.media.sdp.SdpException;
import dev.cskit.media.srtp.SrtpContext;
import dev.cskit.media.srtp.SrtpProfile;
import dev.cskit.media.stun.PacketKind;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal client-side WebRTC peer, the counterpart of the server's media engine, for tests and the load
 * harness: it offers what a browser would for WHIP ({@code sendonly} Opus + VP8) or WHEP ({@code recvonly}),
 * reads the server's answer, runs ICE as the controlling agent (Binding requests with USE-CANDIDATE to the
 * answer's host candidate, RFC 8445 §7.2.2), the DTLS-SRTP client handshake (RFC 5764; the server must present
 * the answer's fingerprint) and then sends and receives SRTP/SRTCP.
 *
 * <p>Usage: build, {@link #offer()}, POST it, {@link #acceptAnswer(String)}, {@link #connect()} (sends the
 * first check; DTLS starts when its response verifies), wait for {@link #connected()}, then {@link #sendRtp}.
 * The transport is abstract: every datagram goes out through the {@link Sender} (to the server's candidate
 * address), and the owner feeds every datagram that comes back to {@link #receive}. The peer starts no threads:
 * the DTLS handshake runs on the caller's executor, and the owner calls {@link #sendBindingRequest()} every
 * few seconds to keep consent (RFC 7675) alive.
 *
 * <p>Thread-safety: {@link #receive} must be called by one thread at a time; the send methods, getters and
 * {@link #close()} are thread-safe. The {@link Listener} is called on the {@link #receive} thread (media) or
 * the handshake executor (connection state).
 */
public final class ClientPeer {

    /** What the peer does: publish (WHIP, {@code sendonly}) or play (WHEP, {@code recvonly}). */
    public enum Role { PUBLISH, PLAY }

    /** {@link #sendRtp} and {@link #sendRtcp} result when SRTP is not ready yet (handshake not done). */
    public static final int NOT_CONNECTED = -100;
    /** {@link #sendRtp} result when the packet does not fit the buffer. */
    public static final int TOO_LARGE = -101;


    /** Where the peer's datagrams go. Must copy {@code buf} before returning; called from several threads. */
    @FunctionalInterface
    public interface Sender {
        void send(byte[] buf, int off, int len, InetSocketAddress to);
    }

    /** What the peer reports; default no-ops. Must not block and should not throw. */
    public interface Listener {
        /** DTLS completed; media may be sent. Called on the handshake executor. */
        default void onConnected(SrtpProfile profile) {
        }

        /** The DTLS handshake failed or the server closed the association. */
        default void onFailed(Throwable cause) {
        }

        /**
         * An authenticated RTP packet, decrypted; {@code packet} wraps a scratch buffer valid only during the
         * call. Called on the {@link #receive} thread.
         */
        default void onRtp(RtpPacket packet) {
        }

        /** An authenticated RTCP compound packet, decrypted into a scratch buffer valid only during the call. */
        default void onRtcp(byte[] buf, int off, int len) {
        }
    }

    private final Role role;
    private final Sender sender;
    private final Executor executor;
    private final DtlsCertificate certificate;
    private final List<SrtpProfile> profiles;
    private final Duration handshakeTimeout;
    private final Listener listener;
    private final int audioPt;
    private final int videoPt;
    private final long audioSsrc;
    private final long videoSsrc;
    private final long rtcpSsrc;
    private final String cname;
    private final IceCredentials localIce;
    private final SecureRandom random;
    private final CompletableFuture<SrtpProfile> connected = new CompletableFuture<>();

    private volatile ClientIce ice;

    private volatile InetSocketAddress server;
    private volatile List<AnsweredMedia> answered = List.of();
    private volatile DtlsEndpoint dtls;
    private volatile boolean closed;

    private final ClientSrtp srtp = new ClientSrtp();

    private final AtomicLong stunSent = new AtomicLong();
    private final AtomicLong stunSucceeded = new AtomicLong();
    private final AtomicLong stunRejected = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    private ClientPeer(Builder b) {
        this.role = b.role;
        this.sender = Objects.requireNonNull(b.sender, "sender(...) is required");
        this.executor = Objects.requireNonNull(b.executor, "executor(...) is required: it runs the DTLS handshake");
        this.random = b.random;
        this.certificate = b.certificate != null ? b.certificate : DtlsCertificate.generate();
        this.profiles = b.profiles;
        this.handshakeTimeout = b.handshakeTimeout;
        this.listener = b.listener;
        this.audioPt = b.audioPt;
        this.videoPt = b.videoPt;
        this.audioSsrc = b.audioSsrc != 0 ? b.audioSsrc : randomSsrc(random);
        this.videoSsrc = b.videoSsrc != 0 ? b.videoSsrc : randomSsrc(random);
        this.rtcpSsrc = randomSsrc(random);
        this.cname = "cskit-client-" + Long.toHexString(random.nextLong() & 0xFFFFFFFFL);
        this.localIce = IceCredentials.random(random);
    }

    /** A builder for a publishing (WHIP) or playing (WHEP) peer. */
    public static Builder newBuilder(Role role) {
        return new Builder(role);
    }

    // ------------------------------------------------------------------ signaling

    /**
     * The SDP offer: BUNDLE of mid 0 (audio, Opus) and mid 1 (video, VP8 with nack, nack pli, ccm fir),
     * rtcp-mux, the sdes:mid extension, ICE credentials, the certificate fingerprint and
     * {@code a=setup:actpass}; {@code sendonly} with {@code a=ssrc} for a publisher, {@code recvonly} for a player.
     */
    public String offer() {
        return ClientSdp.offer(role == Role.PUBLISH, random, cname, localIce, certificate.fingerprint(),
                new ClientSdp.Section("audio", "0", audioPt, "opus/48000/2", "minptime=10;useinbandfec=1", List.of(),
                        audioSsrc),
                new ClientSdp.Section("video", "1", videoPt, "VP8/90000", "", List.of("nack", "nack pli", "ccm fir"),
                        videoSsrc));
    }

    /**
     * Reads the server's answer: its ICE credentials, fingerprint, first UDP host candidate and, per accepted
     * section, the payload type and (WHEP) the SSRC it announced. Call once, after {@link #offer()}.
     *
     * @throws SdpException if the answer is malformed or lacks what the client needs
     */
    public void acceptAnswer(String answerSdp) throws SdpException {
        ClientSdp.Answer answer = ClientSdp.readAnswer(answerSdp);
        DtlsFingerprint fp = answer.fingerprint();
        IceCredentials remote = answer.ice();
        InetSocketAddress candidate = answer.candidate();
        List<AnsweredMedia> media = answer.media();
        DtlsEndpoint d = DtlsEndpoint.client()
                .certificate(certificate)
                .remoteFingerprint(fp)
                .profiles(profiles)
                .handshakeTimeout(handshakeTimeout)
                .executor(executor)
                .sender((buf, off, len) -> sender.send(buf, off, len, server))
                .listener(new DtlsListener() {
                    @Override
                    public void onConnected(DtlsSrtpKeys keys) {
                        srtp.start(keys);
                        connected.complete(keys.profile());
                        listener.onConnected(keys.profile());
                    }

                    @Override
                    public void onFailed(Throwable cause) {
                        connected.completeExceptionally(cause);
                        listener.onFailed(cause);
                    }

                    @Override
                    public void onClosedByPeer() {
                        srtp.stop();
                        listener.onFailed(new IllegalStateException("the server closed the DTLS association"));
                    }
                })
                .build();
        synchronized (this) {
            if (ice != null) {
                throw new IllegalStateException("acceptAnswer may be called once");
            }
            this.server = candidate;
            this.answered = List.copyOf(media);
            this.dtls = d;
            this.ice = new ClientIce(localIce, remote, random);
        }
    }

    // ------------------------------------------------------------------ ICE and DTLS

    /** Sends the first connectivity check; the DTLS handshake starts when a response verifies. */
    public void connect() {
        sendBindingRequest();
    }

    /**
     * Sends a Binding request with USE-CANDIDATE to the server's candidate: the first check, or a consent
     * refresh (RFC 7675 §5.1: every few seconds, under the server's consent timeout).
     */
    public void sendBindingRequest() {
        ClientIce i = ice;
        if (i == null) {
            throw new IllegalStateException("call acceptAnswer(...) first");
        }
        i.sendCheck(sender, server);
        stunSent.incrementAndGet();
    }

    /** Completes with the SRTP profile when DTLS succeeds, exceptionally when it fails. */
    public CompletableFuture<SrtpProfile> connected() {
        return connected;
    }

    // ------------------------------------------------------------------ the network

    /**
     * One datagram from the server. Never throws on bad input (it is counted); does not keep {@code buf}.
     * One thread at a time.
     */
    public void receive(byte[] buf, int off, int len) {
        if (closed) {
            dropped.incrementAndGet();
            return;
        }
        switch (PacketKind.classify(buf, off, len)) {
            case STUN -> onStun(buf, off, len);
            case DTLS -> {
                DtlsEndpoint d = dtls;
                if (d == null) {
                    dropped.incrementAndGet();
                } else {
                    d.receive(buf, off, len);
                }
            }
            case RTP -> media(buf, off, len, false);
            case RTCP -> media(buf, off, len, true);
            default -> dropped.incrementAndGet();
        }
    }

    private void media(byte[] buf, int off, int len, boolean rtcp) {
        if (!srtp.receive(buf, off, len, rtcp, listener)) {
            dropped.incrementAndGet();
        }
    }

    private void onStun(byte[] buf, int off, int len) {
        ClientIce i = ice;
        if (i == null || !i.verify(buf, off, len)) {
            stunRejected.incrementAndGet();
            return;
        }
        if (stunSucceeded.getAndIncrement() == 0 && !closed) {
            dtls.start();
        }
    }

    // ------------------------------------------------------------------ sending media

    /**
     * Protects and sends one RTP packet with a plain 12-byte header.
     *
     * @return the SRTP length sent, {@link #NOT_CONNECTED}, {@link #TOO_LARGE} or a negative
     *     {@link dev.cskit.media.srtp.SrtpResult} code
     */
    public int sendRtp(int payloadType, long ssrc, int seq, long timestamp, boolean marker, byte[] payload, int off,
                       int len) {
        return srtp.sendRtp(payloadType, ssrc, seq, timestamp, marker, payload, off, len, sender, server);
    }

    /** Protects and sends one plain RTCP (compound) packet; returns the SRTCP length or a negative code. */
    public int sendRtcp(byte[] plain, int off, int len) {
        return srtp.sendRtcp(plain, off, len, sender, server);
    }

    /** Sends a PLI (RFC 4585 §6.3.1) for {@code mediaSsrc}. */
    public int sendPli(long mediaSsrc) {
        byte[] b = new byte[12];
        return sendRtcp(b, 0, RtcpWriter.writePli(b, 0, rtcpSsrc, mediaSsrc));
    }

    /** Sends a generic NACK (RFC 4585 §6.2.1) for the lost sequence numbers, in RTP order. */
    public int sendNack(long mediaSsrc, int... lost) {
        byte[] b = new byte[12 + 4 * lost.length];
        return sendRtcp(b, 0, RtcpWriter.writeNack(b, 0, rtcpSsrc, mediaSsrc, lost, lost.length));
    }

    /** Sends close_notify if connected and stops handling datagrams. Idempotent. */
    public void close() {
        closed = true;
        DtlsEndpoint d = dtls;
        if (d != null) {
            d.close();
        }
        srtp.stop();
    }

    // ------------------------------------------------------------------ getters

    public Role role() {
        return role;
    }

    /** The SSRC this peer sends audio with (publisher). */
    public long audioSsrc() {
        return audioSsrc;
    }

    /** The SSRC this peer sends video with (publisher). */
    public long videoSsrc() {
        return videoSsrc;
    }

    /** The payload type offered for Opus. */
    public int audioPayloadType() {
        return audioPt;
    }

    /** The payload type offered for VP8. */
    public int videoPayloadType() {
        return videoPt;
    }

    /** The server's address from the answer's candidate; null before {@link #acceptAnswer}. */
    public InetSocketAddress serverAddress() {
        return server;
    }

    /** The accepted sections of the answer, in order; empty before {@link #acceptAnswer}. */
    public List<AnsweredMedia> answeredMedia() {
        return answered;
    }

    /** The answered section of {@code kind} ("audio" or "video"), if accepted. */
    public Optional<AnsweredMedia> answered(String kind) {
        for (AnsweredMedia m : answered) {
            if (m.kind().equals(kind)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** The answered SSRCs by kind (WHEP: what the server will send with). */
    public Map<String, Long> answeredSsrcs() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (AnsweredMedia a : answered) {
            a.ssrc().ifPresent(s -> m.put(a.kind(), s));
        }
        return m;
    }

    /** The negotiated SRTP profile, once connected. */
    public Optional<SrtpProfile> profile() {
        SrtpContext c = srtp.tx();
        return c == null ? Optional.empty() : Optional.of(c.profile());
    }

    /**
     * The SRTP context this peer protects with, once connected: for a caller (the load harness) that builds and
     * protects its own packets on one thread. Do not mix with {@link #sendRtp} or {@link #sendRtcp} meanwhile.
     */
    public Optional<SrtpContext> outboundContext() {
        return Optional.ofNullable(srtp.tx());
    }

    /** Current counters. */
    public ClientStats stats() {
        return new ClientStats(stunSent.get(), stunSucceeded.get(), stunRejected.get(), srtp.rtpSent.get(),
                srtp.rtcpSent.get(), srtp.rtpReceived.get(), srtp.rtcpReceived.get(), srtp.srtpFailed.get(), dropped.get());
    }

    @Override
    public String toString() {
        return "ClientPeer[" + role.name().toLowerCase(Locale.ROOT) + ", " + localIce.ufrag() + "]";
    }

    private static long randomSsrc(SecureRandom random) {
        long v;
        do {
            v = random.nextInt() & 0xFFFFFFFFL;
        } while (v == 0);
        return v;
    }

    /** Builds a {@link ClientPeer}; not thread-safe. */
    public static final class Builder {
        private final Role role;
        private Sender sender;
        private Executor executor;
        private DtlsCertificate certificate;
        private List<SrtpProfile> profiles = List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80, SrtpProfile.AEAD_AES_128_GCM);
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Listener listener = new Listener() { };
        private int audioPt = 111;
        private int videoPt = 96;
        private long audioSsrc;
        private long videoSsrc;
        private SecureRandom random = new SecureRandom();

        private Builder(Role role) {
            this.role = Objects.requireNonNull(role, "role");
        }

        /** Where datagrams go (required). */
        public Builder sender(Sender sender) {
            this.sender = Objects.requireNonNull(sender, "sender");
            return this;
        }

        /** Runs the blocking DTLS handshake; never the thread that calls {@link #receive} (required). */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** The DTLS certificate; a fresh ECDSA P-256 one if not set (share one across many peers to save time). */
        public Builder certificate(DtlsCertificate certificate) {
            this.certificate = Objects.requireNonNull(certificate, "certificate");
            return this;
        }

        /** SRTP profiles offered in the DTLS use_srtp extension, preferred first. */
        public Builder profiles(List<SrtpProfile> profiles) {
            if (profiles.isEmpty()) {
                throw new IllegalArgumentException("at least one SRTP profile");
            }
            this.profiles = List.copyOf(profiles);
            return this;
        }

        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public Builder listener(Listener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The payload types offered for Opus and VP8 (default 111 and 96), 96..127 or a static one. */
        public Builder payloadTypes(int audio, int video) {
            if (audio < 0 || audio > 127 || video < 0 || video > 127 || audio == video) {
                throw new IllegalArgumentException("payload types must be distinct values in 0..127");
            }
            this.audioPt = audio;
            this.videoPt = video;
            return this;
        }

        /** Fixed SSRCs for the published audio and video (default random). */
        public Builder ssrcs(long audio, long video) {
            if (audio <= 0 || audio > 0xFFFFFFFFL || video <= 0 || video > 0xFFFFFFFFL || audio == video) {
                throw new IllegalArgumentException("SSRCs must be distinct values in 1..2^32-1");
            }
            this.audioSsrc = audio;
            this.videoSsrc = video;
            return this;
        }

        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        public ClientPeer build() {
            return new ClientPeer(this);
        }
    }
}
