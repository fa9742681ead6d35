/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.media;

import dev.cskit.api.metrics.Histogram;
import dev.cskit.core.metrics.MediaStatsSource;
import dev.cskit.core.metrics.MediaTotals;
import dev.cskit.core.metrics.MediaTotals.HandshakeOutcome;
import dev.cskit.core.metrics.MediaTotals.IceTransport;
import dev.cskit.media.whip.GoneReason;
import dev.cskit.media.whip.MediaEngine;
import dev.cskit.media.whip.MediaEngine.Counter;
import dev.cskit.media.whip.PeerStats;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The media metrics' binding to the {@link MediaEngine}'s public counters: the one class that knows which engine
 * API they come from ({@link MediaEngine#counters()} for packets, drops and connected peers, and the
 * {@link WebRtcGateway}'s engine events for handshakes).
 *
 * <p>The engine keeps its totals itself, ended peer connections included (each media loop adds a peer's counts
 * to its own when the peer ends), so every total only grows and nothing here remembers peers.
 *
 * <p>Thread-safe. Nothing here runs per packet: {@link #totals} runs when the registry is scraped (it waits for
 * each media loop to add up its counters, so it must not be called on a media loop), the other methods once per
 * peer connection, on the media loop that owns it or an HTTP thread.
 */
final class EngineMediaStats implements MediaStatsSource {

    /** Above this many handshakes in progress, those older than any handshake can take are forgotten. */
    private static final int PRUNE_ABOVE = 1024;
    private static final long FORGET_AFTER_NANOS = 600_000_000_000L;

    private final MediaEngine engine;
    private final Histogram handshakeSeconds;
    private final Map<String, Long> createdNanos = new ConcurrentHashMap<>();
    private final Map<HandshakeOutcome, AtomicLong> handshakes = new EnumMap<>(HandshakeOutcome.class);
    private final List<String> dropReasons;

    EngineMediaStats(MediaEngine engine, Histogram handshakeSeconds) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.handshakeSeconds = Objects.requireNonNull(handshakeSeconds, "handshakeSeconds");
        for (HandshakeOutcome o : HandshakeOutcome.values()) {
            handshakes.put(o, new AtomicLong());
        }
        List<String> reasons = new ArrayList<>();
        for (Counter c : Counter.values()) {
            if (c.isDrop()) {
                reasons.add(reasonName(c));
            }
        }
        this.dropReasons = List.copyOf(reasons);
    }

    private static String reasonName(Counter c) {
        return c.name().toLowerCase(Locale.ROOT);
    }

    /** A peer connection was answered: its handshake time starts now. */
    void created(String resourceId) {
        long now = System.nanoTime();
        if (createdNanos.size() >= PRUNE_ABOVE) {
            // Peers the engine ended without an event (a publisher replaced before it connected).
            createdNanos.values().removeIf(t0 -> now - t0 > FORGET_AFTER_NANOS);
        }
        createdNanos.put(resourceId, now);
    }

    /** DTLS completed. */
    void connected(PeerStats peer) {
        handshakeDone(peer.id(), HandshakeOutcome.OK);
    }

    /** The engine ended a peer by itself. */
    void gone(PeerStats peer, GoneReason reason) {
        switch (reason) {
            case DTLS_FAILED -> handshakeDone(peer.id(), HandshakeOutcome.FAILED);
            case NEVER_CONNECTED -> handshakeDone(peer.id(), HandshakeOutcome.TIMEOUT);
            case CONSENT_EXPIRED, DTLS_CLOSED_BY_PEER -> { }
        }
        createdNanos.remove(peer.id());
    }

    /** The gateway closed a peer (deleted, or its call ended): it will not report a handshake any more. */
    void closed(String resourceId) {
        createdNanos.remove(resourceId);
    }

    private void handshakeDone(String id, HandshakeOutcome outcome) {
        handshakes.get(outcome).incrementAndGet();
        Long t0 = createdNanos.remove(id);
        if (t0 != null && outcome == HandshakeOutcome.OK) {
            handshakeSeconds.recordNanos(System.nanoTime() - t0);
        }
    }

    @Override
    public List<String> dropReasons() {
        return dropReasons;
    }

    @Override
    public MediaTotals totals() {
        Map<Counter, Long> c = engine.counters();
        Map<String, Long> drops = new HashMap<>();
        c.forEach((counter, n) -> {
            if (counter.isDrop()) {
                drops.put(reasonName(counter), n);
            }
        });
        Map<HandshakeOutcome, Long> hs = new EnumMap<>(HandshakeOutcome.class);
        handshakes.forEach((o, n) -> hs.put(o, n.get()));
        long tcp = get(c, Counter.PEERS_CONNECTED_TCP);
        Map<IceTransport, Long> transports = Map.of(IceTransport.UDP, get(c, Counter.PEERS_CONNECTED) - tcp,
                IceTransport.TCP, tcp);
        return new MediaTotals(get(c, Counter.PACKETS_RECEIVED), get(c, Counter.BYTES_RECEIVED),
                get(c, Counter.PACKETS_SENT), get(c, Counter.BYTES_SENT), get(c, Counter.NACKS_ANSWERED),
                get(c, Counter.KEYFRAME_REQUESTS), get(c, Counter.DATAGRAMS), drops, get(c, Counter.SRTP_FAILED),
                get(c, Counter.RTCP_FAILED), hs, transports);
    }

    private static long get(Map<Counter, Long> counters, Counter c) {
        return counters.getOrDefault(c, 0L);
    }
}
