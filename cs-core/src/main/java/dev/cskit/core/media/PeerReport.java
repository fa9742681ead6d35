/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.media;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.media.whip.PeerRole;
import dev.cskit.media.whip.PeerStats;
import java.util.List;

/**
 * One WHIP/WHEP peer connection of a session as the room report shows it: what the HTTP API needs of the
 * media engine's {@link PeerStats}, so the API does not reach into cs-media's types. Immutable.
 *
 * @param resourceId       the resource id (the {@code Location} of the 201)
 * @param kind             {@code whip} (publish) or {@code whep} (play)
 * @param streamPath       the path it publishes or plays, {@code customer-service/{session_id}/{user_id}}
 * @param userId           the party the resource belongs to
 * @param state            {@code new}, {@code connecting}, {@code connected}, {@code closed} or {@code failed}
 * @param srtpProfile      the negotiated SRTP profile, empty before DTLS completes
 * @param packetsReceived  RTP packets received and authenticated
 * @param bytesReceived    their bytes
 * @param packetsSent      RTP packets sent
 * @param bytesSent        their bytes
 * @param packetsDropped   datagrams dropped
 * @param nacksAnswered    retransmissions sent for NACKs
 * @param keyframeRequests PLI/FIR sent to this publisher
 * @param transport        {@code udp} or {@code tcp} (ICE-TCP): the transport of the selected ICE pair; null before
 *                         a connectivity check selected one
 */
public record PeerReport(String resourceId, String kind, String streamPath, String userId, String state,
                         String srtpProfile, long packetsReceived, long bytesReceived, long packetsSent,
                         long bytesSent, long packetsDropped, long nacksAnswered, long keyframeRequests,
                         @Nullable String transport) {

    /** The report of one peer connection. */
    public static PeerReport of(PeerStats st) {
        return new PeerReport(st.id(), st.role() == PeerRole.PUBLISH ? "whip" : "whep",
                WebRtcGateway.streamPath(st.stream()), st.owner(), st.state().wireName(), st.srtpProfile(), st.packetsReceived(), st.bytesReceived(), st.packetsSent(),
                st.bytesSent(), st.packetsDropped(), st.nacksAnswered(), st.keyframeRequests(),
                st.transport() == null ? null : st.transport().wireName());
    }

    /** The peer connections of one session, for the room report. */
    public static List<PeerReport> ofSession(WebRtcGateway media, String sessionId) {
        return media.stats(sessionId).stream().map(PeerReport::of).toList();
    }
}
