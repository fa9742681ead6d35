/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.media;

import dev.cskit.api.metrics.Histogram;
import dev.cskit.core.metrics.MediaStatsSource;
import dev.cskit.core.metrics.MediaTotals;
import dev.cskit.core.metrics.MediaTotals.HandshakeOutcome;
import dev.cskit.core.metrics.MediaTotals.IceTransport;
import dev.cskit.media.whip.MediaEngine;
import dev.cskit.media.whip.PeerStats;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The media metrics' binding to the {@link MediaEngine}'s public counters: the one class that knows which engine
 * API they come from ({@link MediaEngine#counters()} for drops, {@link MediaEngine#stats} for each peer's packets,
 * and the {@link WebRtcGateway}'s engine events for handshakes).
 *
 * <p>The engine counts packets per peer connection and forgets a peer when it ends, so the totals are the sum over
 * the live peers plus what the ended ones had counted: the gateway hands over a peer's last figures just before it
 * closes it ({@link #closing}) or when the engine reports it gone ({@link #gone}), and a scrape that finds a peer
 * missing keeps what it saw of it at the scrape before. A peer the engine ends by itself between two scrapes (a
 * publisher replaced by a new one) loses only what it counted since the last scrape; the totals never go down.
 *
 * <p>Thread-safe. Nothing here runs per packet: {@link #totals} runs when the registry is scraped, the other
 * methods once per peer connection.
 */
final class EngineMediaStats implements MediaStatsSource {

    /** Peers whose figures were moved into the ended totals lately: a late report of one of them is ignored. */
    private static final int FINISHED_MEMORY = 4096;

    private final MediaEngine engine;
    private final Histogram handshakeSeconds;
    private final Map<String, Long> createdNanos = new ConcurrentHashMap<>();
    private final Map<HandshakeOutcome, AtomicLong> handshakes = new EnumMap<>(HandshakeOutcome.class);
    private final List<String> dropReasons;

    // guarded by this: the figures of each peer at the last look, those of ended peers, and who ended lately
    private Map<String, PeerStats> seen = new HashMap<>();
    private final long[] ended = new long[6];
    private final Map<String, Boolean> finished = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > FINISHED_MEMORY;
        }
    };

    EngineMediaStats(MediaEngine engine, Histogram handshakeSeconds) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.handshakeSeconds = Objects.requireNonNull(handshakeSeconds, "handshakeSeconds");
        for (HandshakeOutcome o : HandshakeOutcome.values()) {
            handshakes.put(o, new AtomicLong());
        }
        List<String> reasons = new ArrayList<>();
        for (MediaEngine.Counter c : MediaEngine.Counter.values()) {
            if (c != MediaEngine.Counter.DATAGRAMS) {
                reasons.add(c.name().toLowerCase(Locale.ROOT));
            }
        }
        this.dropReasons = List.copyOf(reasons);
    }

    /** A peer connection was answered: its handshake time starts now. */
    void created(String resourceId) {
        createdNanos.put(resourceId, System.nanoTime());
    }

    /** DTLS completed. */
    void connected(PeerStats peer) {
        handshakeDone(peer.id(), HandshakeOutcome.OK);
    }

    /** The engine ended a peer by itself ({@code reason} as {@link dev.cskit.media.whip.MediaListener#onGone}). */
    void gone(PeerStats peer, String reason) {
        if (reason.startsWith("dtls failed")) {
            handshakeDone(peer.id(), HandshakeOutcome.FAILED);
        } else if (reason.startsWith("never connected")) {
            handshakeDone(peer.id(), HandshakeOutcome.TIMEOUT);
        }
        createdNanos.remove(peer.id());
        synchronized (this) {
            if (!finished.containsKey(peer.id())) {
                remember(peer);
            }
        }
    }

    /** The gateway is about to close these peers: keep their last figures. */
    synchronized void closing(List<PeerStats> peers) {
        for (PeerStats p : peers) {
            createdNanos.remove(p.id());
            remember(p);
        }
    }

    private void handshakeDone(String id, HandshakeOutcome outcome) {
        handshakes.get(outcome).incrementAndGet();
        Long t0 = createdNanos.remove(id);
        if (t0 != null && outcome == HandshakeOutcome.OK) {
            handshakeSeconds.recordNanos(System.nanoTime() - t0);
        }
    }

    // guarded by this
    private void remember(PeerStats p) {
        seen.merge(p.id(), p, EngineMediaStats::later);
    }

    /** Counters only grow: of two looks at one peer, the one with more packets is the later. */
    private static PeerStats later(PeerStats a, PeerStats b) {
        return b.packetsReceived() + b.packetsSent() >= a.packetsReceived() + a.packetsSent() ? b : a;
    }

    @Override
    public List<String> dropReasons() {
        return dropReasons;
    }

    @Override
    public synchronized MediaTotals totals() {
        Map<String, PeerStats> now = new HashMap<>();
        long connected = 0;
        for (PeerStats p : engine.stats("")) {
            PeerStats before = seen.get(p.id());
            now.put(p.id(), before == null ? p : later(before, p));
            if ("connected".equals(p.state())) {
                connected++;
            }
        }
        for (PeerStats p : seen.values()) {
            if (!now.containsKey(p.id())) {
                add(ended, p);
                finished.put(p.id(), Boolean.TRUE);
            }
        }
        seen = now;
        createdNanos.keySet().retainAll(now.keySet()); // peers closed before they connected
        long[] sum = ended.clone();
        now.values().forEach(p -> add(sum, p));
        Map<MediaEngine.Counter, Long> counters = engine.counters();
        Map<String, Long> drops = new HashMap<>();
        counters.forEach((c, n) -> {
            if (c != MediaEngine.Counter.DATAGRAMS) {
                drops.put(c.name().toLowerCase(Locale.ROOT), n);
            }
        });
        Map<HandshakeOutcome, Long> hs = new EnumMap<>(HandshakeOutcome.class);
        handshakes.forEach((o, n) -> hs.put(o, n.get()));
        // The engine serves ICE over UDP only.
        Map<IceTransport, Long> transports = Map.of(IceTransport.UDP, connected, IceTransport.TCP, 0L);
        return new MediaTotals(sum[0], sum[1], sum[2], sum[3], sum[4], sum[5],
                counters.getOrDefault(MediaEngine.Counter.DATAGRAMS, 0L), drops,
                counters.getOrDefault(MediaEngine.Counter.SRTP_FAILED, 0L),
                counters.getOrDefault(MediaEngine.Counter.RTCP_FAILED, 0L), hs, transports);
    }

    private static void add(long[] sum, PeerStats p) {
        sum[0] += p.packetsReceived();
        sum[1] += p.bytesReceived();
        sum[2] += p.packetsSent();
        sum[3] += p.bytesSent();
        sum[4] += p.nacksAnswered();
        sum[5] += p.keyframeRequests();
    }
}
