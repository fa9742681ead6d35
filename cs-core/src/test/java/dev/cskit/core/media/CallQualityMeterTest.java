/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.session.CallQuality;
import dev.cskit.api.session.DirectionQuality;
import dev.cskit.api.session.Session;
import dev.cskit.media.forward.LinkQuality;
import dev.cskit.media.forward.MediaKind;
import dev.cskit.media.whip.PeerRole;
import dev.cskit.media.whip.PeerState;
import dev.cskit.media.whip.PeerStats;
import dev.cskit.media.whip.StreamKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-direction aggregation of a call's peer figures into its quality. */
class CallQualityMeterTest {

    private static final String SID = "cs_q";
    private static final String CUSTOMER = "cust_1";
    private static final String AGENT = "agent_001";
    private static final double NO_RTT = Double.NaN;

    private static PeerStats peer(String id, PeerRole role, String streamUser, String owner, LinkQuality... q) {
        return new PeerStats(id, role, new StreamKey(SID, streamUser), owner, PeerState.CONNECTED, "", 0, 0, 0, 0, 0,
                0, 0, 0, null, List.of(q));
    }

    private static LinkQuality audio(long expected, long lost, double jitterMs, double rttMs, boolean reported) {
        return new LinkQuality(MediaKind.AUDIO, expected, lost, jitterMs, rttMs, reported);
    }

    @Test
    void eachDirectionUsesTheListenersReportsAndBothLegsRoundTrips() {
        List<PeerStats> peers = List.of(
                // The customer publishes: the server missed 10 of 1000; the agent's player reports 100 of 1000 lost.
                peer("p1", PeerRole.PUBLISH, CUSTOMER, CUSTOMER, audio(1000, 10, 3, NO_RTT, false),
                        new LinkQuality(MediaKind.VIDEO, 5000, 2500, 50, NO_RTT, false)),
                peer("w1", PeerRole.PLAY, CUSTOMER, AGENT, audio(1000, 100, 8, 40, true)),
                // The agent publishes cleanly; the customer's player reports 1 of 500 lost with a 60 ms round trip.
                peer("p2", PeerRole.PUBLISH, AGENT, AGENT, audio(500, 0, 2, NO_RTT, false)),
                peer("w2", PeerRole.PLAY, AGENT, CUSTOMER, audio(500, 1, 4, 60, true)));
        CallQuality q = CallQualityMeter.of(CUSTOMER, peers);
        assertNotNull(q);
        DirectionQuality up = q.customerToAgent();
        assertEquals(10.0, up.lossPercent(), 1e-9, "what the agent heard: end to end, from its reports");
        assertEquals(8.0, up.jitterMs(), 1e-9);
        assertEquals(100.0, up.rttMs(), 1e-9, "the agent's leg (40) plus the customer's leg (60)");
        assertEquals(1000, up.packets());
        assertEquals(EModel.mos(10, 100, 8), up.mos(), 1e-9);
        DirectionQuality down = q.agentToCustomer();
        assertEquals(0.2, down.lossPercent(), 1e-9);
        assertEquals(100.0, down.rttMs(), 1e-9);
        assertTrue(down.mos() > up.mos());
        assertEquals(up.mos(), q.worstMos().getAsDouble(), 1e-9, "the video's loss does not enter the MOS");
    }

    @Test
    void withoutReportsTheServersOwnReceiveStatisticsStandInAndTheRttIsUnknown() {
        List<PeerStats> peers = List.of(
                peer("p1", PeerRole.PUBLISH, CUSTOMER, CUSTOMER, audio(800, 80, 5, NO_RTT, false)),
                peer("w1", PeerRole.PLAY, CUSTOMER, AGENT)); // connected, but never reported
        CallQuality q = CallQualityMeter.of(CUSTOMER, peers);
        assertEquals(10.0, q.customerToAgent().lossPercent(), 1e-9);
        assertEquals(5.0, q.customerToAgent().jitterMs(), 1e-9);
        assertNull(q.customerToAgent().rttMs());
        assertEquals(EModel.mos(10, 0, 5), q.customerToAgent().mos(), 1e-9);
        assertNull(q.agentToCustomer(), "no audio went to the customer");
    }

    @Test
    void severalSourcesAddUpByPacketsAndRoundTripsAverage() {
        // A transfer: the customer's player heard agent 1, then agent 2; agent 1's player ended before.
        List<PeerStats> peers = List.of(
                peer("w-old", PeerRole.PLAY, CUSTOMER, AGENT, audio(1000, 0, 10, 20, true)),
                peer("w-new", PeerRole.PLAY, CUSTOMER, "agent_002", audio(3000, 300, 2, 40, true)));
        DirectionQuality up = CallQualityMeter.of(CUSTOMER, peers).customerToAgent();
        assertEquals(300 * 100.0 / 4000, up.lossPercent(), 1e-9);
        assertEquals((10 * 1000 + 2 * 3000) / 4000.0, up.jitterMs(), 1e-9);
        assertEquals(30.0, up.rttMs(), 1e-9, "the listener leg's mean, the speaker's leg unmeasured");
        assertEquals(4000, up.packets());
    }

    @Test
    void noAudioNoQuality() {
        assertNull(CallQualityMeter.of(CUSTOMER, List.of()));
        assertNull(CallQualityMeter.of(CUSTOMER, List.of(peer("p", PeerRole.PUBLISH, CUSTOMER, CUSTOMER,
                new LinkQuality(MediaKind.VIDEO, 100, 0, 1, NO_RTT, false)))));
    }

    @Test
    void rememberedPeersCountWithTheLiveOnesUntilTheSessionIsForgotten() {
        List<PeerStats> live = new ArrayList<>();
        CallQualityMeter meter = new CallQualityMeter(id -> {
            assertEquals(SID, id);
            return live;
        });
        Session s = Session.newBuilder(SID, "t", CUSTOMER, "John", Instant.EPOCH).build();
        meter.remember(peer("gone", PeerRole.PUBLISH, CUSTOMER, CUSTOMER, audio(100, 50, 1, NO_RTT, false)));
        live.add(peer("now", PeerRole.PUBLISH, CUSTOMER, CUSTOMER, audio(100, 0, 1, NO_RTT, false)));
        assertEquals(25.0, meter.measure(s).customerToAgent().lossPercent(), 1e-9);
        // The same resource live and remembered counts once, with its live figures.
        meter.remember(peer("now", PeerRole.PUBLISH, CUSTOMER, CUSTOMER, audio(50, 0, 1, NO_RTT, false)));
        assertEquals(25.0, meter.measure(s).customerToAgent().lossPercent(), 1e-9);
        meter.forget(SID);
        assertEquals(0.0, meter.measure(s).customerToAgent().lossPercent(), 1e-9);
    }

    @Test
    void aStoppedMediaPathYieldsWhatWasRememberedInsteadOfThrowing() {
        CallQualityMeter meter = new CallQualityMeter(id -> {
            throw new IllegalStateException("media loop 0 is stopped");
        });
        Session s = Session.newBuilder(SID, "t", CUSTOMER, "John", Instant.EPOCH).build();
        assertNull(meter.measure(s));
        meter.remember(peer("gone", PeerRole.PUBLISH, CUSTOMER, CUSTOMER, audio(100, 5, 1, NO_RTT, false)));
        assertEquals(5.0, meter.measure(s).customerToAgent().lossPercent(), 1e-9);
    }
}
