/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.whip;

import dev.cskit.media.dtls.DtlsEndpoint;
import dev.cskit.media.forward.MediaKind;
import dev.cskit.media.forward.OutboundStream;
import dev.cskit.media.forward.ReceiveStatistics;
import dev.cskit.media.forward.TrackSpec;
import dev.cskit.media.ice.IceLiteAgent;
import dev.cskit.media.srtp.SrtpContext;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One peer connection (one WHIP or WHEP resource): its ICE-lite agent, DTLS endpoint, SRTP contexts and the
 * tracks it publishes or plays. Inbound processing (ICE, unprotect) happens on the network thread only;
 * outbound protection is guarded by {@code this} because keyframe requests may come from other threads.
 */
final class Peer {

    final String id;
    final PeerRole role;
    final StreamKey key;
    final String owner;
    final IceLiteAgent ice;
    final List<TrackSpec> tracks;
    /** Player only: one outbound stream per track, same order as {@link #tracks}. */
    final OutboundStream[] outs;
    /** Publisher only: the track for each payload type (-1 free), from the negotiation. */
    final TrackSpec[] trackByPt = new TrackSpec[128];
    final long localSsrc;
    /** Scratch for what this peer sends: rewritten RTP, RTCP. Used under {@code synchronized (this)}. */
    final byte[] out = new byte[1600];
    /** Scratch for the ICE response (network thread). */
    final byte[] stunOut = new byte[IceLiteAgent.MIN_OUTPUT];

    DtlsEndpoint dtls;
    volatile SrtpContext rx;
    volatile SrtpContext tx;
    volatile String srtpProfile = "";
    volatile InetSocketAddress remote;
    volatile PeerState state = PeerState.NEW;
    /** The stream this peer publishes into, or (player) the stream it currently plays. */
    volatile Stream stream;
    /** Publisher only: the SSRC of the video it sends, learned from its packets (for PLI/FIR). */
    volatile long videoSsrc = -1;
    /** Publisher only: what we received of each of its sources (network thread adds, reporter reads). */
    volatile ReceiveStatistics[] receiveStats = new ReceiveStatistics[0];
    long lastKeyframeRequestNanos = Long.MIN_VALUE / 2;
    int firSequence;

    final AtomicLong packetsReceived = new AtomicLong();
    final AtomicLong bytesReceived = new AtomicLong();
    final AtomicLong packetsSent = new AtomicLong();
    final AtomicLong bytesSent = new AtomicLong();
    final AtomicLong packetsDropped = new AtomicLong();
    final AtomicLong nacksAnswered = new AtomicLong();
    final AtomicLong keyframeRequests = new AtomicLong();
    final long createdNanos;

    Peer(String id, PeerRole role, StreamKey key, String owner, IceLiteAgent ice, List<TrackSpec> tracks,
         long localSsrc, long createdNanos) {
        this.id = id;
        this.role = role;
        this.key = key;
        this.owner = owner;
        this.ice = ice;
        this.tracks = List.copyOf(tracks);
        this.localSsrc = localSsrc;
        this.createdNanos = createdNanos;
        if (role == PeerRole.PLAY) {
            outs = new OutboundStream[this.tracks.size()];
            for (int i = 0; i < outs.length; i++) {
                outs[i] = new OutboundStream(this.tracks.get(i));
            }
        } else {
            outs = new OutboundStream[0];
            for (TrackSpec t : this.tracks) {
                t.codecs().forEach(c -> trackByPt[c.payloadType()] = t);
            }
        }
    }

    /** Player: the outbound stream for {@code kind}, or null if the player did not ask for that kind. */
    OutboundStream outFor(MediaKind kind) {
        for (OutboundStream o : outs) {
            if (o.track().kind() == kind) {
                return o;
            }
        }
        return null;
    }

    /** Player: the outbound stream sent with {@code ssrc}, or null. */
    OutboundStream outBySsrc(long ssrc) {
        for (OutboundStream o : outs) {
            if (o.ssrc() == ssrc) {
                return o;
            }
        }
        return null;
    }

    /** The statistics of source {@code ssrc}, made on its first packet (network thread). */
    ReceiveStatistics receiveStats(long ssrc, int clockRate) {
        ReceiveStatistics[] cur = receiveStats;
        for (ReceiveStatistics r : cur) {
            if (r.ssrc() == ssrc) {
                return r;
            }
        }
        if (cur.length >= 8) {
            return null; // a publisher has one audio and one video source (plus rtx); do not grow without bound
        }
        ReceiveStatistics r = new ReceiveStatistics(ssrc, clockRate);
        ReceiveStatistics[] next = java.util.Arrays.copyOf(cur, cur.length + 1);
        next[cur.length] = r;
        receiveStats = next;
        return r;
    }

    /** The statistics of source {@code ssrc}, or null if it has sent nothing. */
    ReceiveStatistics findReceiveStats(long ssrc) {
        for (ReceiveStatistics r : receiveStats) {
            if (r.ssrc() == ssrc) {
                return r;
            }
        }
        return null;
    }

    boolean connected() {
        return tx != null;
    }

    PeerStats stats() {
        return new PeerStats(id, role, stream != null ? stream.key : key, owner, state, srtpProfile,
                packetsReceived.get(), bytesReceived.get(), packetsSent.get(), bytesSent.get(),
                packetsDropped.get(), nacksAnswered.get(), keyframeRequests.get());
    }
}
