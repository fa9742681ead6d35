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
import dev.cskit.media.whip.GoneReason;
import dev.cskit.media.whip.MediaEngine;
import dev.cskit.media.whip.PeerRole;
import dev.cskit.media.whip.PeerState;
import dev.cskit.media.whip.PeerStats;
import dev.cskit.media.whip.StreamKey;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The binding of the media metrics to the engine's counters: the engine's totals (which keep what ended peers
 * counted, see {@code MediaEngineTest}) as the metrics' totals, drops by reason, and handshakes by outcome. The engine
 * is a stub that shows the counters a test says.
 */
class EngineMediaStatsTest {

    private final MediaEngine engine = mock(MediaEngine.class);
    private final Map<MediaEngine.Counter, Long> counters = new EnumMap<>(MediaEngine.Counter.class);
    private final RecordingMeters meters = new RecordingMeters();
    private EngineMediaStats stats;

    @BeforeEach
    void setUp() {
        for (MediaEngine.Counter c : MediaEngine.Counter.values()) {
            counters.put(c, 0L);
        }
        when(engine.counters()).thenAnswer(i -> new EnumMap<>(counters));
        stats = new EngineMediaStats(engine, meters.histogram("h", "", Tags.empty(), 1));
    }

    private static PeerStats peer(String id, PeerState state) {
        return new PeerStats(id, PeerRole.PUBLISH, new StreamKey("s", "u"), "u", state, "", 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void totalsAreTheEnginesPacketTotalsAndConnectedGauge() {
        counters.put(MediaEngine.Counter.PACKETS_RECEIVED, 15L);
        counters.put(MediaEngine.Counter.BYTES_RECEIVED, 1500L);
        counters.put(MediaEngine.Counter.PACKETS_SENT, 30L);
        counters.put(MediaEngine.Counter.BYTES_SENT, 3000L);
        counters.put(MediaEngine.Counter.NACKS_ANSWERED, 4L);
        counters.put(MediaEngine.Counter.KEYFRAME_REQUESTS, 2L);
        counters.put(MediaEngine.Counter.PEERS_CONNECTED, 3L);
        MediaTotals t = stats.totals();
        assertEquals(15, t.packetsReceived());
        assertEquals(1500, t.bytesReceived());
        assertEquals(30, t.packetsSent());
        assertEquals(3000, t.bytesSent());
        assertEquals(4, t.nacksAnswered());
        assertEquals(2, t.keyframeRequests());
        assertEquals(3, t.connectedByTransport().get(IceTransport.UDP));
        assertEquals(0, t.connectedByTransport().get(IceTransport.TCP));
    }

    @Test
    void handshakesAreCountedByOutcomeAndTheSuccessfulOnesTimed() {
        stats.created("a");
        stats.created("b");
        stats.created("c");
        stats.created("d");
        stats.connected(peer("a", PeerState.CONNECTED));
        stats.gone(peer("b", PeerState.FAILED), GoneReason.DTLS_FAILED);
        stats.gone(peer("c", PeerState.FAILED), GoneReason.NEVER_CONNECTED);
        stats.gone(peer("a", PeerState.FAILED), GoneReason.CONSENT_EXPIRED); // not a handshake outcome
        stats.closed("d"); // deleted before it connected: no outcome
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
        counters.put(MediaEngine.Counter.PROTECT_FAILED, 1L);
        counters.put(MediaEngine.Counter.PACKETS_RECEIVED, 90L);
        MediaTotals t = stats.totals();
        assertEquals(100, t.datagramsReceived());
        assertEquals(3, t.srtpFailures());
        assertEquals(2, t.srtcpFailures());
        assertEquals(5L, t.droppedByReason().get("no_peer"));
        assertEquals(1L, t.droppedByReason().get("protect_failed"));
        assertEquals(stats.dropReasons().size(), t.droppedByReason().size());
        assertTrue(!t.droppedByReason().containsKey("datagrams"), "datagrams received are not a drop");
        assertTrue(!t.droppedByReason().containsKey("packets_received"), "packets forwarded are not a drop");
        assertTrue(!t.droppedByReason().containsKey("rtx_buffers_in_use"), "a gauge is not a drop");
    }
}
