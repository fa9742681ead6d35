/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.media;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.session.CallQuality;
import dev.cskit.api.session.DirectionQuality;
import dev.cskit.api.session.Session;
import dev.cskit.media.forward.LinkQuality;
import dev.cskit.media.forward.MediaKind;
import dev.cskit.media.whip.PeerRole;
import dev.cskit.media.whip.PeerStats;
import dev.cskit.media.whip.StreamKey;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A call's quality per direction ({@link CallQuality}), from its peer connections' {@link LinkQuality} figures: the
 * live ones, read through the media loop's command path, and those of peers that ended during the call (remembered
 * here when they end, so a reconnect or a transfer does not lose them).
 *
 * <p>For the direction speaker → listener, of the audio:
 * <ul>
 *   <li><b>loss</b>: what the listener's players reported (end to end: the server keeps the publisher's sequence
 *       numbers, so the speaker's leg's gaps are the listener's too), over every packet they expected; while no
 *       report came, what the server missed of the speaker's publishers.</li>
 *   <li><b>jitter</b>: from the same source, weighted by packets.</li>
 *   <li><b>RTT</b>: the listener's leg (its player's reports) plus the speaker's leg (the speaker's own player, on the
 *       same network path); a leg not measured counts 0, and with neither the RTT is unknown.</li>
 *   <li><b>MOS</b>: {@link EModel#mos(double, double, double)} of those.</li>
 * </ul>
 * The customer's streams are those whose user is the session's customer; every other stream of the session is the
 * agent side (after a transfer, both agents' together).
 *
 * <p>Thread-safe. {@link #measure} waits for the call's media loop: never call it on another media loop's thread.
 */
public final class CallQualityMeter {

    private static final Logger LOG = LoggerFactory.getLogger(CallQualityMeter.class);

    private final Function<String, List<PeerStats>> live;
    /** Session id → resource id → the last figures of a peer connection that ended. */
    private final Map<String, Map<String, PeerStats>> ended = new ConcurrentHashMap<>();

    /** @param live the statistics of a session's live peer connections ({@code MediaEngine::stats}) */
    public CallQualityMeter(Function<String, List<PeerStats>> live) {
        this.live = Objects.requireNonNull(live, "live");
    }

    /** A peer connection of a session that has not ended is about to end, or has: its figures count all the same. */
    public void remember(PeerStats peer) {
        if (!peer.quality().isEmpty()) {
            ended.computeIfAbsent(peer.stream().sessionId(), k -> new ConcurrentHashMap<>()).put(peer.id(), peer);
        }
    }

    /** The session ended and its quality was taken: drop what was remembered of it. */
    public void forget(String sessionId) {
        ended.remove(sessionId);
    }

    /** The session's quality so far, or null if no audio was measured. Never throws: the media path may be stopped. */
    public @Nullable CallQuality measure(Session s) {
        Map<String, PeerStats> peers = new LinkedHashMap<>(ended.getOrDefault(s.id(), Map.of()));
        try {
            for (PeerStats p : live.apply(s.id())) {
                peers.put(p.id(), p);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not read the media statistics of session {} for its call quality: {}", s.id(),
                    e.toString());
        }
        return of(s.customerId(), peers.values());
    }

    /** The quality of a call whose customer is {@code customerId}, from its peers' figures; null if none has audio. */
    public static @Nullable CallQuality of(String customerId, Collection<PeerStats> peers) {
        DirectionQuality toAgent = direction(customerId, true, peers);
        DirectionQuality toCustomer = direction(customerId, false, peers);
        return toAgent == null && toCustomer == null ? null : new CallQuality(toAgent, toCustomer);
    }

    private static @Nullable DirectionQuality direction(String customerId, boolean fromCustomer,
                                                        Collection<PeerStats> peers) {
        Sum sent = new Sum();      // the server's receive statistics of the speaker's publishers
        Sum heard = new Sum();     // the listener's players' reports on the speaker's stream
        Sum speakerLeg = new Sum(); // the speaker's own players' reports: the RTT of the speaker's leg
        for (PeerStats p : peers) {
            if (Monitors.isMonitor(p.owner()) || p.stream().source() == StreamKey.Source.WHISPER) {
                continue; // a supervisor listening or whispering is not the call between its parties
            }
            boolean customerStream = p.stream().userId().equals(customerId);
            boolean speakersStream = customerStream == fromCustomer;
            for (LinkQuality q : p.quality()) {
                if (q.kind() != MediaKind.AUDIO) {
                    continue;
                }
                if (p.role() == PeerRole.PUBLISH && speakersStream) {
                    sent.add(q);
                } else if (p.role() == PeerRole.PLAY && speakersStream) {
                    heard.add(q);
                } else if (p.role() == PeerRole.PLAY) {
                    speakerLeg.add(q);
                }
            }
        }
        Sum used = heard.expected > 0 ? heard : sent;
        if (used.expected <= 0) {
            return null;
        }
        double loss = 100.0 * used.lost / used.expected;
        double jitter = used.jitterWeighted / used.expected;
        Double rtt = heard.rttCount == 0 && speakerLeg.rttCount == 0 ? null : heard.rtt() + speakerLeg.rtt();
        double mos = EModel.mos(loss, rtt == null ? 0 : rtt, jitter);
        return new DirectionQuality(loss, jitter, rtt, mos, used.expected);
    }

    /** Figures added up over sources: packets, losses, jitter weighted by packets, round trips averaged. */
    private static final class Sum {
        long expected;
        long lost;
        double jitterWeighted;
        double rttTotal;
        int rttCount;

        void add(LinkQuality q) {
            expected += Math.max(0, q.expected());
            lost += Math.max(0, Math.min(q.expected(), q.lost()));
            jitterWeighted += q.jitterMs() * Math.max(0, q.expected());
            if (q.hasRtt()) {
                rttTotal += q.rttMs();
                rttCount++;
            }
        }

        double rtt() {
            return rttCount == 0 ? 0 : rttTotal / rttCount;
        }
    }
}
