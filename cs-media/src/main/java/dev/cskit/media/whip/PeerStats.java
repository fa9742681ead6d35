/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.whip;

import dev.cskit.media.forward.LinkQuality;
import dev.cskit.media.ice.IceProtocol;
import java.util.List;

/**
 * A snapshot of one peer connection's counters, for room reports.
 *
 * @param id              the resource id
 * @param role            publish or play
 * @param stream          the stream it publishes, or the stream it plays
 * @param owner           the user the resource belongs to
 * @param state           where the connection is in its life
 * @param srtpProfile     the negotiated SRTP profile, empty before DTLS completes
 * @param packetsReceived RTP packets received and authenticated
 * @param bytesReceived   their bytes
 * @param packetsSent     RTP packets sent
 * @param bytesSent       their bytes
 * @param packetsDropped  datagrams dropped (failed authentication, replay, held, no codec, …)
 * @param nacksAnswered   retransmissions sent for NACKs
 * @param keyframeRequests PLI/FIR sent to this publisher
 * @param loop            the index of the media loop (and socket) that serves the peer's call
 * @param transport       the transport of the selected ICE pair (UDP, or an ICE-TCP connection); null before a
 *                        connectivity check selected one
 * @param quality         per source (publisher: as the server received it) or per outbound stream (player: as its
 *                        receiver reports describe it, once it has reported): loss, jitter and round trip
 */
public record PeerStats(String id, PeerRole role, StreamKey stream, String owner, PeerState state, String srtpProfile,
                        long packetsReceived, long bytesReceived, long packetsSent, long bytesSent,
                        long packetsDropped, long nacksAnswered, long keyframeRequests, int loop,
                        IceProtocol transport, List<LinkQuality> quality) {

    public PeerStats {
        quality = List.copyOf(quality);
    }

    /** Statistics without a selected pair yet ({@code transport} null) and no quality figures. */
    public PeerStats(String id, PeerRole role, StreamKey stream, String owner, PeerState state, String srtpProfile,
                     long packetsReceived, long bytesReceived, long packetsSent, long bytesSent,
                     long packetsDropped, long nacksAnswered, long keyframeRequests, int loop) {
        this(id, role, stream, owner, state, srtpProfile, packetsReceived, bytesReceived, packetsSent, bytesSent,
                packetsDropped, nacksAnswered, keyframeRequests, loop, null, List.of());
    }
}
