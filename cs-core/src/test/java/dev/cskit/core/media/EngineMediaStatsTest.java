/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.cskit.api.metrics.Tags;
import dev.cskit.core.metrics.MediaTotals;
import dev.cskit.core.metrics.MediaTotals.HandshakeOutcome;
import dev.cskit.core.metrics.MediaTotals.IceTransport;
import dev.cskit.core.metrics.RecordingMeters;
import dev.cskit.media.whip.MediaEngine;
import dev.cskit.media.whip.PeerRole;
import dev.cskit.media.whip.PeerStats;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The binding of the media metrics to the engine's counters: per-peer figures summed into totals that never go
 * down, though the engine forgets a peer when it ends. The engine is a stub that shows the peers a test says.
 */
class EngineMediaStatsTest {

    private final MediaEngine engine = mock(MediaEngine.class);
    private final List<PeerStats> live = new ArrayList<>();
    private final Map<MediaEngine.Counter, Long> counters = new EnumMap<>(MediaEngine.Counter.class);
    private final RecordingMeters meters = new RecordingMeters();
    private EngineMediaStats stats;

    @BeforeEach
    void setUp() {
        for (MediaEngine.Counter c : MediaEngine.Counter.values()) {
            counters.put(c, 0L);
        }
        when(engine.stats("")).thenAnswer(i -> List.copyOf(live));
        when(engine.counters()).thenAnswer(i -> new EnumMap<>(counters));
        stats = new EngineMediaStats(engine, meters.histogram("h", "", Tags.empty(), 1));
    }

    /** A peer whose counts all derive from {@code n}: n packets in, 100n bytes in, 2n out, 200n bytes out. */
    private static PeerStats peer(String id, long n, String state) {
        return new PeerStats(id, PeerRole.PUBLISH, "customer-service/s/u", "u", state, "", n, 100 * n, 2 * n,
                200 * n, 0, n / 10, n / 20);
    }

    private void show(PeerStats... peers) {
        live.clear();
        live.addAll(List.of(peers));
    }

    @Test
    void totalsKeepWhatEndedPeersCountedSoTheyNeverGoDown() {
        show(peer("a", 10, "connected"), peer("b", 5, "connected"));
        MediaTotals t1 = stats.totals();
        assertEquals(15, t1.packetsReceived());
        assertEquals(1500, t1.bytesReceived());
        assertEquals(30, t1.packetsSent());
        assertEquals(3000, t1.bytesSent());
        assertEquals(2, t1.connectedByTransport().get(IceTransport.UDP));

        stats.closing(List.of(peer("a", 12, "connected"))); // the gateway closes "a" with its last figures
        show(peer("b", 7, "connected"));
        MediaTotals t2 = stats.totals();
        assertEquals(12 + 7, t2.packetsReceived());
        assertEquals(1, t2.connectedByTransport().get(IceTransport.UDP));

        show(); // "b" ends without a word (e.g. a publisher replaced): what the last scrape saw stays counted
        assertEquals(12 + 7, stats.totals().packetsReceived());
        assertEquals(12 + 7, stats.totals().packetsReceived(), "an ended peer is counted once");
    }

    @Test
    void aPeerThatLivesAndEndsBetweenTwoScrapesIsCounted() {
        assertEquals(0, stats.totals().packetsReceived());
        stats.closing(List.of(peer("a", 40, "connected")));
        assertEquals(40, stats.totals().packetsReceived());
        stats.gone(peer("b", 8, "failed"), "ice consent expired");
        assertEquals(48, stats.totals().packetsReceived());
        assertEquals(48, stats.totals().packetsReceived());
    }

    @Test
    void aLateReportOfAPeerAlreadyCountedAsEndedIsNotCountedAgain() {
        show(peer("a", 10, "connected"));
        stats.totals();
        show();
        assertEquals(10, stats.totals().packetsReceived()); // the scrape finds it gone before the engine says so
        stats.gone(peer("a", 10, "failed"), "ice consent expired");
        assertEquals(10, stats.totals().packetsReceived());
    }

    @Test
    void handshakesAreCountedByOutcomeAndTheSuccessfulOnesTimed() {
        stats.created("a");
        stats.created("b");
        stats.created("c");
        show(peer("a", 0, "connecting"), peer("b", 0, "connecting"), peer("c", 0, "connecting"));
        stats.connected(peer("a", 0, "connected"));
        stats.gone(peer("b", 0, "failed"), "dtls failed: bad certificate");
        stats.gone(peer("c", 0, "failed"), "never connected");
        Map<HandshakeOutcome, Long> hs = stats.totals().handshakes();
        assertEquals(Map.of(HandshakeOutcome.OK, 1L, HandshakeOutcome.FAILED, 1L, HandshakeOutcome.TIMEOUT, 1L),
                hs);
        assertEquals(1, meters.observed("h").size());
        assertTrue(meters.observed("h").get(0) >= 0);
    }

    @Test
    void dropsComeFromTheEnginesCountersByReason() {
        counters.put(MediaEngine.Counter.DATAGRAMS, 100L);
        counters.put(MediaEngine.Counter.SRTP_FAILED, 3L);
        counters.put(MediaEngine.Counter.RTCP_FAILED, 2L);
        counters.put(MediaEngine.Counter.NO_PEER, 5L);
        MediaTotals t = stats.totals();
        assertEquals(100, t.datagramsReceived());
        assertEquals(3, t.srtpFailures());
        assertEquals(2, t.srtcpFailures());
        assertEquals(5L, t.droppedByReason().get("no_peer"));
        assertEquals(stats.dropReasons().size(), t.droppedByReason().size());
        assertTrue(!t.droppedByReason().containsKey("datagrams"), "datagrams received are not a drop");
    }
}
