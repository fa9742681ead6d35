/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.whip;

import dev.cskit.media.dtls.DtlsCertificate;
import dev.cskit.media.forward.MemoryBudget;
import dev.cskit.media.forward.CodecSpec;
import dev.cskit.media.forward.RetransmissionPool;
import dev.cskit.media.ice.IceCredentials;
import dev.cskit.media.ice.IceLiteAgent;
import dev.cskit.media.sdp.SdpException;
import dev.cskit.media.srtp.SrtpProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The WebRTC media path of a server: WHIP publishers and WHEP players, ICE-lite, DTLS-SRTP, and RTP/RTCP
 * forwarding from each stream's publisher to its players, on one or more {@link MediaLoop}s, each with its own
 * socket and thread.
 *
 * <p>A call (a session: every stream whose {@link StreamKey} has its session id, and every resource that
 * publishes or plays them) is pinned to one loop when its first resource is created, and its answers name that
 * loop's socket as the candidate: so a call's packets arrive on, are forwarded by and leave from one thread. The
 * host feeds each socket's datagrams to its loop ({@link MediaLoop#onDatagram}) and drives each loop's timers
 * ({@link MediaLoop#handleTimeout}); per packet nothing is returned and nothing thrown: bad datagrams are dropped
 * and counted ({@link #counters()}, {@link #stages()}).
 *
 * <p>Thread-safety: every method of the engine is thread-safe. The commands (publish, play, delete, pause,
 * retarget, close) and the statistics are posted to the owning loop, and the caller waits for the answer (at most
 * {@value #COMMAND_TIMEOUT_SECONDS} s); on the loop's own thread they run at once. They must not be called from
 * another loop's thread (a {@link MediaListener} or {@link PacketTap} runs on one). The engine starts no threads:
 * DTLS handshakes run on the caller's executor and post their results to the loop.
 */
public final class MediaEngine {

    /** How long a command waits for its loop before it gives up with an {@link IllegalStateException}. */
    public static final int COMMAND_TIMEOUT_SECONDS = 10;

    /**
     * What one peer connection is taken to cost against the memory budget besides its retransmission caches
     * (which count themselves): its ICE agent, DTLS endpoint, SRTP contexts and statistics, rounded up.
     */
    public static final long PEER_MEMORY_ESTIMATE = 32 * 1024;

    /** Default live resources of one party in one session: a publish, a play, a screen share, one to spare. */
    public static final int DEFAULT_MAX_PER_PARTY = 4;

    /** Default time a resource has to complete ICE and DTLS before it is ended. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(12);

    /**
     * What {@link #counters()} counts: datagrams, drop reasons (each of one stage), the packets of every peer
     * connection since the engine started (ended ones included, so these only grow), and gauges.
     */
    public enum Counter {
        /** Datagrams received. */
        DATAGRAMS(null),
        /** Neither STUN, DTLS, RTP nor RTCP (RFC 7983), or too short for its kind. */
        UNKNOWN_KIND(Stage.DEMUX),
        /** From an address (or, for STUN, with a ufrag) no peer has, or SRTP before the handshake completed. */
        NO_PEER(Stage.DEMUX),
        /** A STUN message the peer's ICE agent refused (malformed, bad integrity, wrong username). */
        STUN_REJECTED(Stage.DEMUX),
        /** SRTP that did not authenticate or was replayed. */
        SRTP_FAILED(Stage.UNPROTECT),
        /** SRTCP that did not authenticate, was replayed or is not RTCP. */
        RTCP_FAILED(Stage.UNPROTECT),
        /** An RTP header that does not parse. */
        MALFORMED(Stage.PARSE),
        /** A payload type the publisher did not negotiate. */
        NO_CODEC(Stage.PARSE),
        /** Media of a held call. */
        HELD(Stage.HOLD_GATE),
        /** A player whose handshake has not completed yet. */
        NOT_CONNECTED(Stage.FAN_OUT),
        /** A codec the player did not negotiate, or a packet too large for it. */
        NO_CODEC_AT_PLAYER(Stage.FAN_OUT),
        /** SRTP protection failed (e.g. the key's packet limit). */
        PROTECT_FAILED(Stage.PROTECT),
        /** RTP packets received and authenticated, from every publisher. */
        PACKETS_RECEIVED(null),
        /** Their bytes. */
        BYTES_RECEIVED(null),
        /** RTP packets sent to players (retransmissions included). */
        PACKETS_SENT(null),
        /** Their bytes. */
        BYTES_SENT(null),
        /** Retransmissions sent for NACKs (RFC 4585 §6.2.1). */
        NACKS_ANSWERED(null),
        /** PLI/FIR sent to publishers. */
        KEYFRAME_REQUESTS(null),
        /** Gauge: peer connections whose DTLS handshake completed and that are still open. */
        PEERS_CONNECTED(null),
        /** Gauge: those of them whose selected ICE pair is an ICE-TCP connection (RFC 6544). */
        PEERS_CONNECTED_TCP(null),
        /** Gauge: retransmission caches ever allocated (a stream that never carried media takes none). */
        RTX_BUFFERS_ALLOCATED(null),
        /** Gauge: retransmission caches held by streams now. */
        RTX_BUFFERS_IN_USE(null),
        /** Gauge: the heap those caches take, in bytes. */
        RTX_BUFFER_BYTES(null),
        /** Retransmission caches the memory budget refused (their streams forward without answering NACKs). */
        RTX_BUFFERS_REFUSED(null);

        private final Stage stage;

        Counter(Stage stage) {
            this.stage = stage;
        }

        /** The stage that drops for this reason; null for counts that are not drops. */
        public Stage stage() {
            return stage;
        }

        /** Whether this counts datagrams dropped (then for a reason of {@link #stage()}). */
        public boolean isDrop() {
            return stage != null;
        }
    }

    private final MediaLoop[] loops;
    private final List<MediaLoop> loopList;
    private final DtlsCertificate certificate;
    private final LongSupplier nanoTime;
    private final int maxPeers;
    private final int maxPerParty;
    private final MemoryBudget budget;
    private final PeerFactory factory;
    private final Placement placement;

    private MediaEngine(Builder b) {
        if (b.loops.isEmpty()) {
            throw new IllegalArgumentException("at least one media loop (a socket with its thread) is needed");
        }
        this.certificate = b.certificate != null ? b.certificate : DtlsCertificate.generate();
        this.nanoTime = b.nanoTime;
        this.maxPeers = b.maxPeers;
        this.maxPerParty = b.maxPerParty;
        this.budget = new MemoryBudget(b.memoryBudget);
        this.factory = new PeerFactory(certificate, b.consentTimeout);
        MediaLoop.Settings settings = new MediaLoop.Settings(certificate, List.copyOf(b.profiles), b.handshakeTimeout,
                b.connectTimeout, Objects.requireNonNull(b.executor, "executor"), b.listener, nanoTime, b.tap,
                b.videoCache, b.audioCache, budget);
        this.loops = new MediaLoop[b.loops.size()];
        this.placement = new Placement(loops, maxPeers, maxPerParty, budget, PEER_MEMORY_ESTIMATE);
        for (int i = 0; i < loops.length; i++) {
            if (b.loops.get(i).candidates().isEmpty()) {
                throw new IllegalArgumentException("loop " + i + " has no candidate address: ICE-lite needs one");
            }
            loops[i] = new MediaLoop(i, b.loops.get(i), settings, placement);
        }
        this.loopList = List.of(loops);
    }

    public static Builder newBuilder() {
        return new Builder();
    }

    /** The loops, in the order they were added: the host feeds loop {@code i} its socket {@code i}. */
    public List<MediaLoop> loops() {
        return loopList;
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
     * @throws MediaException {@link MediaException.Kind#PARTY_LIMIT} if {@code owner} has its limit of live
     *                        resources in the session, {@link MediaException.Kind#LIMIT} if the engine is at its
     *                        peer limit or its memory budget is full
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
        switch (placement.admit(key.sessionId(), owner)) {
            case OK -> { }
            case PARTY_FULL -> throw new MediaException(MediaException.Kind.PARTY_LIMIT, owner + " already has "
                    + maxPerParty + " live WHIP/WHEP resources in session " + key.sessionId()
                    + " (the limit per party); DELETE one before creating another");
            case ENGINE_FULL -> throw new MediaException(MediaException.Kind.LIMIT, "the media engine serves at most "
                    + maxPeers + " peer connections; try again later");
            case MEMORY_FULL -> throw new MediaException(MediaException.Kind.LIMIT, "the media memory budget ("
                    + budget.limit() / (1024 * 1024) + " MiB) is full; try again later");
        }
        MediaLoop loop = placement.acquire(key.sessionId());
        PeerFactory.Offered offered;
        try {
            // Codec agreement: a player prefers what its publisher sends, a publisher what its players decode.
            CodecSpec hint = call(loop, l -> l.videoHint(role, key));
            offered = factory.answer(role, key, owner, offerSdp, loop.candidates(), loop.tcpCandidates(), hint,
                    nanoTime.getAsLong());
        } catch (SdpException | MediaException | RuntimeException e) {
            placement.release(key.sessionId(), owner, null);
            throw e;
        }
        placement.index(offered.peer().id, loop);
        try {
            call(loop, l -> {
                l.register(offered.peer(), offered.remoteFingerprint());
                return null;
            });
        } catch (RuntimeException e) {
            placement.release(key.sessionId(), owner, offered.peer().id); // the loop is stopped: nothing registered
            throw e;
        }
        return offered.resource();
    }

    /**
     * A WHIP/WHEP PATCH (RFC 9725 §4.3) of resource {@code id}: trickle or an ICE restart.
     *
     * @param ifMatch the entity tags of {@code If-Match}, or null for {@code If-Match: *}
     * @param remote  the client's ICE credentials from the fragment, if it has them: new ones restart ICE (only
     *                under {@code *}); the resource, its DTLS association, SRTP contexts and SSRCs stay
     */
    public IceUpdate updateIce(String id, List<String> ifMatch, Optional<IceCredentials> remote) {
        Objects.requireNonNull(remote, "remote");
        Optional<MediaLoop> loop = placement.loopOfResource(id);
        if (loop.isEmpty()) {
            return IceUpdate.of(IceUpdate.Outcome.NOT_FOUND, "");
        }
        List<String> tags = ifMatch == null ? null : List.copyOf(ifMatch);
        IceCredentials local = factory.newCredentials();
        String etag = factory.newEtag();
        return call(loop.get(), l -> l.updateIce(id, tags, remote, local, etag));
    }

    /** Ends a resource (WHIP/WHEP DELETE); false if there is no such resource. */
    public boolean delete(String id) {
        Optional<MediaLoop> loop = placement.loopOfResource(id);
        return loop.isPresent() && call(loop.get(), l -> l.delete(id));
    }

    /** A resource's current statistics. */
    public Optional<PeerStats> peer(String id) {
        Optional<MediaLoop> loop = placement.loopOfResource(id);
        return loop.isEmpty() ? Optional.empty() : call(loop.get(), l -> l.peer(id));
    }

    /** Statistics of every resource of the session {@code sessionId}. */
    public List<PeerStats> stats(String sessionId) {
        Optional<MediaLoop> loop = placement.loopOfSession(sessionId);
        return loop.isEmpty() ? List.of() : call(loop.get(), l -> l.stats(sessionId));
    }

    /** Statistics of every resource. */
    public List<PeerStats> stats() {
        List<PeerStats> out = new ArrayList<>();
        for (MediaLoop loop : loops) {
            out.addAll(call(loop, l -> l.stats(null)));
        }
        return out;
    }

    /** The index of the loop that serves the session's call, if it has resources. */
    public OptionalInt loopOf(String sessionId) {
        Optional<MediaLoop> loop = placement.loopOfSession(sessionId);
        return loop.isEmpty() ? OptionalInt.empty() : OptionalInt.of(loop.get().index());
    }

    /**
     * Stops (or restarts) forwarding for every stream of the session {@code sessionId}: nothing is forwarded in
     * either direction while paused. On resume the publishers are asked for a keyframe.
     */
    public void setPaused(String sessionId, boolean paused) {
        placement.loopOfSession(sessionId).ifPresent(loop -> call(loop, l -> {
            l.setPaused(sessionId, paused);
            return null;
        }));
    }

    /** Whether forwarding for {@code stream} is paused; false for a stream with no resources. */
    public boolean isPaused(StreamKey stream) {
        Optional<MediaLoop> loop = placement.loopOfSession(stream.sessionId());
        return loop.isPresent() && call(loop.get(), l -> l.isPaused(stream));
    }

    /**
     * Moves every player of {@code from} to {@code to}, a stream of the same session (a transfer: the customer now
     * plays the new agent). The players keep their SSRCs; sequence numbers and timestamps continue.
     *
     * @throws IllegalArgumentException if the streams belong to different sessions
     */
    public int retarget(StreamKey from, StreamKey to) {
        if (!from.sessionId().equals(to.sessionId())) {
            throw new IllegalArgumentException("a call's players move only within the call: " + from + " -> " + to);
        }
        Optional<MediaLoop> loop = placement.loopOfSession(from.sessionId());
        return loop.isEmpty() ? 0 : call(loop.get(), l -> l.retarget(from, to));
    }

    /** Ends every resource of the session {@code sessionId} that (when not null) belongs to {@code owner}. */
    public int closeAll(String sessionId, String owner) {
        Optional<MediaLoop> loop = placement.loopOfSession(sessionId);
        return loop.isEmpty() ? 0 : call(loop.get(), l -> l.closeAll(sessionId, owner));
    }

    /** Engine-wide counters, summed over the loops: datagrams, drops by reason, packet totals and gauges. */
    public Map<Counter, Long> counters() {
        long[][] sums = sums();
        Map<Counter, Long> m = new EnumMap<>(Counter.class);
        for (Counter c : Counter.values()) {
            m.put(c, sums[0][c.ordinal()]);
        }
        return m;
    }

    /** What each pipeline stage handled, summed over the loops. */
    public Map<Stage, StageCounters> stages() {
        long[][] sums = sums();
        Map<Stage, StageCounters> m = new EnumMap<>(Stage.class);
        for (Stage s : Stage.values()) {
            m.put(s, new StageCounters(sums[1][s.ordinal()], sums[2][s.ordinal()], sums[3][s.ordinal()]));
        }
        return m;
    }

    private long[][] sums() {
        int n = Stage.values().length;
        long[][] sums = {new long[Counter.values().length], new long[n], new long[n], new long[n]};
        for (MediaLoop loop : loops) {
            call(loop, l -> {
                l.addCounters(sums[0], sums[1], sums[2], sums[3]);
                return null;
            });
        }
        return sums;
    }

    /** How many resources are open. */
    public int size() {
        return placement.peers();
    }

    /** How many resources {@code owner} has open in session {@code sessionId} (against the limit per party). */
    public int resourcesOf(String sessionId, String owner) {
        return placement.resourcesOf(sessionId, owner);
    }

    /** Bytes of the memory budget taken now: peers at {@link #PEER_MEMORY_ESTIMATE}, caches at their size. */
    public long memoryUsed() {
        return budget.used();
    }

    /** The memory budget for media state, in bytes. */
    public long memoryBudget() {
        return budget.limit();
    }

    /** Ends every resource. A loop that no longer runs is skipped. */
    public void close() {
        for (MediaLoop loop : loops) {
            try {
                call(loop, l -> l.closeAll(null, null));
            } catch (IllegalStateException e) {
                // the host stopped the loop first: its peers went with it
            }
        }
    }

    /** Runs {@code command} on {@code loop}'s thread and returns its result: at once on that thread, else posted. */
    private static <T> T call(MediaLoop loop, Function<MediaLoop, T> command) {
        if (loop.inLoop()) {
            T result = command.apply(loop);
            loop.flushEvents(); // as post() does: the events a command raised follow it
            return result;
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            loop.post(() -> {
                try {
                    f.complete(command.apply(loop));
                } catch (RuntimeException | Error e) {
                    f.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("media loop " + loop.index() + " is stopped", e);
        }
        try {
            return f.get(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for media loop " + loop.index(), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("media loop " + loop.index() + " failed a command", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("media loop " + loop.index() + " did not answer within "
                    + COMMAND_TIMEOUT_SECONDS + " s: is its thread stopped or stuck?", e);
        }
    }

    /** Builds a {@link MediaEngine}; not thread-safe. */
    public static final class Builder {
        private final List<LoopContext> loops = new ArrayList<>();
        private DtlsCertificate certificate;
        private Executor executor;
        private LongSupplier nanoTime = System::nanoTime;
        private List<SrtpProfile> profiles = List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80, SrtpProfile.AEAD_AES_128_GCM);
        private Duration consentTimeout = IceLiteAgent.DEFAULT_CONSENT_TIMEOUT;
        private Duration handshakeTimeout = Duration.ofSeconds(30);
        private int maxPeers = 10_000;
        private int maxPerParty = DEFAULT_MAX_PER_PARTY;
        private long memoryBudget = defaultMemoryBudget();
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private MediaListener listener = new MediaListener() { };
        private PacketTap tap;
        private RetransmissionPool.Bounds videoCache = RetransmissionPool.DEFAULT_VIDEO;
        private RetransmissionPool.Bounds audioCache = RetransmissionPool.DEFAULT_AUDIO;

        private Builder() {
        }

        /**
         * Adds a media loop on a socket of the host, in the host's order; at least one. Each loop owns the calls
         * pinned to it (see {@link MediaEngine}): one per core spreads the calls over the cores.
         */
        public Builder loop(LoopContext loop) {
            loops.add(Objects.requireNonNull(loop, "loop"));
            return this;
        }

        /** The DTLS certificate; a fresh ECDSA P-256 one if not set. */
        public Builder certificate(DtlsCertificate certificate) {
            this.certificate = Objects.requireNonNull(certificate, "certificate");
            return this;
        }

        /** Runs the blocking DTLS handshakes; never a loop's thread. */
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

        /** Live resources one party (a resource's owner) may have in one session; default 4. */
        public Builder maxPerParty(int maxPerParty) {
            if (maxPerParty < 1) {
                throw new IllegalArgumentException("maxPerParty must be at least 1");
            }
            this.maxPerParty = maxPerParty;
            return this;
        }

        /**
         * The heap media state may take, in bytes: peers at {@link #PEER_MEMORY_ESTIMATE} each and their
         * retransmission caches. Default a quarter of the maximum heap, at least 64 MiB.
         */
        public Builder memoryBudget(long bytes) {
            if (bytes < PEER_MEMORY_ESTIMATE) {
                throw new IllegalArgumentException("the media memory budget must hold at least one peer ("
                        + PEER_MEMORY_ESTIMATE + " bytes), was " + bytes);
            }
            this.memoryBudget = bytes;
            return this;
        }

        /** How long a resource has to complete ICE and DTLS before it is ended ({@link GoneReason#NEVER_CONNECTED}). */
        public Builder connectTimeout(Duration connectTimeout) {
            if (connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive, was " + connectTimeout);
            }
            this.connectTimeout = connectTimeout;
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

        /**
         * The smallest and largest retransmission cache of an outbound stream with NACK, taken when the stream
         * first carries media and sized to its bitrate (default {@link RetransmissionPool#DEFAULT_VIDEO} and
         * {@link RetransmissionPool#DEFAULT_AUDIO}).
         */
        public Builder retransmissionCaches(RetransmissionPool.Bounds video, RetransmissionPool.Bounds audio) {
            this.videoCache = Objects.requireNonNull(video, "video");
            this.audioCache = Objects.requireNonNull(audio, "audio");
            return this;
        }

        public MediaEngine build() {
            return new MediaEngine(this);
        }

        private static long defaultMemoryBudget() {
            return Math.max(64L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 4);
        }
    }
}
