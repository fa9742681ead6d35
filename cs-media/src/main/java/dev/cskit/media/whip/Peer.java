/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.whip;

import dev.cskit.media.dtls.DtlsEndpoint;
import dev.cskit.media.forward.CodecSpec;
import dev.cskit.media.forward.LinkQuality;
import dev.cskit.media.forward.MediaKind;
import dev.cskit.media.forward.NackResponder;
import dev.cskit.media.forward.OutboundStream;
import dev.cskit.media.forward.ReceiverReporter;
import dev.cskit.media.forward.RetransmissionPool;
import dev.cskit.media.forward.TrackSpec;
import dev.cskit.media.ice.IceLiteAgent;
import dev.cskit.media.ice.IceProtocol;
import dev.cskit.media.srtp.SrtpContext;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * One peer connection (one WHIP or WHEP resource): its ICE-lite agent, DTLS endpoint, SRTP contexts, the tracks
 * it publishes or plays and its per-stream units (a publisher's {@link ReceiverReporter}, a player's outbound
 * streams with their {@link NackResponder}s).
 *
 * <p>Not thread-safe: made by {@link PeerFactory} on any thread, then owned by its media loop alone.
 */
final class Peer {

    private static final OutboundStream[] NO_OUTS = new OutboundStream[0];

    final String id;
    final PeerRole role;
    final StreamKey key;
    final String owner;
    final IceLiteAgent ice;
    final List<TrackSpec> tracks;
    /** Publisher only: the track and the codec of each payload type (null: not negotiated). */
    final TrackSpec[] trackByPt;
    final CodecSpec[] codecByPt;
    final long localSsrc;
    final long createdNanos;
    /** Publisher only: what the server received of it, and its receiver reports. */
    final ReceiverReporter reports;

    /** Player only: one outbound stream per track, same order as {@link #tracks}; made by {@link #attach}. */
    OutboundStream[] outs = NO_OUTS;
    /** Player only: the outbound audio and video stream, or null: one load on the fan-out, no search. */
    OutboundStream audioOut;
    OutboundStream videoOut;
    DtlsEndpoint dtls;
    SrtpContext rx;
    SrtpContext tx;
    String srtpProfile = "";
    InetSocketAddress remote;
    /** How {@link #remote} is reached: UDP, or the ICE-TCP connection from it. */
    IceProtocol remoteProtocol = IceProtocol.UDP;
    PeerState state = PeerState.NEW;
    /** The stream this peer publishes into, or (player) the stream it currently plays. */
    Stream stream;
    /** Publisher only: the SSRC of the video it sends, learned from its packets (for PLI/FIR). */
    long videoSsrc = -1;
    long lastKeyframeRequestNanos = Long.MIN_VALUE / 2;
    /** The strong entity tag of the resource's ICE session (RFC 9725 §4.3.1); an ICE restart changes it. */
    String etag;

    long packetsReceived;
    long bytesReceived;
    long packetsSent;
    long bytesSent;
    long packetsDropped;
    long keyframeRequests;

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
        if (role == PeerRole.PUBLISH) {
            trackByPt = new TrackSpec[128];
            codecByPt = new CodecSpec[128];
            for (TrackSpec t : this.tracks) {
                for (CodecSpec c : t.codecs()) {
                    trackByPt[c.payloadType()] = t;
                    codecByPt[c.payloadType()] = c;
                }
            }
            reports = new ReceiverReporter(localSsrc, "cskit");
        } else {
            trackByPt = null;
            codecByPt = null;
            reports = null;
        }
    }

    /** Player: makes the outbound streams, their NACK responders drawing caches from {@code pool} (loop thread). */
    void attach(RetransmissionPool pool) {
        if (role != PeerRole.PLAY) {
            return;
        }
        OutboundStream[] o = new OutboundStream[tracks.size()];
        for (int i = 0; i < o.length; i++) {
            TrackSpec t = tracks.get(i);
            o[i] = new OutboundStream(t, t.nack() ? new NackResponder(t.kind(), pool) : null);
        }
        outs = o;
        audioOut = outFor(MediaKind.AUDIO);
        videoOut = outFor(MediaKind.VIDEO);
    }

    /** The peer ended: its retransmission caches go back to the pool. */
    void detach() {
        for (OutboundStream o : outs) {
            if (o.nacks() != null) {
                o.nacks().close();
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

    boolean connected() {
        return tx != null;
    }

    /** Player: retransmissions sent for NACKs, over its outbound streams. */
    long nacksAnswered() {
        long n = 0;
        for (OutboundStream o : outs) {
            n += o.nacks() == null ? 0 : o.nacks().answered();
        }
        return n;
    }

    /** The first negotiated track of {@code kind}, or null. */
    TrackSpec track(MediaKind kind) {
        for (TrackSpec t : tracks) {
            if (t.kind() == kind) {
                return t;
            }
        }
        return null;
    }

    PeerStats stats(int loop) {
        return new PeerStats(id, role, stream != null ? stream.key : key, owner, state, srtpProfile,
                packetsReceived, bytesReceived, packetsSent, bytesSent, packetsDropped, nacksAnswered(),
                keyframeRequests, loop, remote == null ? null : remoteProtocol, quality());
    }

    /** Publisher: what the server received of each source; player: what its receiver reports said of each stream. */
    private List<LinkQuality> quality() {
        if (role == PeerRole.PUBLISH) {
            return reports.quality();
        }
        List<LinkQuality> out = new ArrayList<>(outs.length);
        for (OutboundStream o : outs) {
            LinkQuality q = o.feedback().quality(o.track().kind());
            if (q != null) {
                out.add(q);
            }
        }
        return out;
    }
}
