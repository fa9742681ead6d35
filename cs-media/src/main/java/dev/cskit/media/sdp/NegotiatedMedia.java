/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.sdp;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What was agreed for one accepted media section: everything a forwarder needs per mid.
 *
 * @param mid the section's mid
 * @param kind "audio" or "video"
 * @param direction the server's direction in the answer (RECVONLY for WHIP, SENDONLY for WHEP)
 * @param codecs the chosen codecs (one primary codec per section, with its rtx if any)
 * @param extmapIds header extension ids by URI, as offered and answered
 * @param remoteSsrcs the SSRCs the offer announced ({@code a=ssrc}), in order; empty if none
 * @param remoteSsrcGroups the offer's {@code a=ssrc-group} lines (FID pairs media and rtx)
 * @param sendTrack for WHEP, the track the server announced in this section
 */
public record NegotiatedMedia(String mid, String kind, Direction direction, List<NegotiatedCodec> codecs,
        Map<String, Integer> extmapIds, List<Long> remoteSsrcs, List<SsrcGroup> remoteSsrcGroups,
        Optional<SendTrack> sendTrack) {
    /** Copies the collections. */
    public NegotiatedMedia {
        codecs = List.copyOf(codecs);
        extmapIds = Map.copyOf(extmapIds);
        remoteSsrcs = List.copyOf(remoteSsrcs);
        remoteSsrcGroups = List.copyOf(remoteSsrcGroups);
    }

    /** The extension id for {@code uri}, if negotiated. */
    public Optional<Integer> extmapId(String uri) {
        return Optional.ofNullable(extmapIds.get(uri));
    }

    /** The codec with payload type {@code pt} (primary or its rtx counterpart). */
    public Optional<NegotiatedCodec> codecForPayloadType(int pt) {
        for (NegotiatedCodec c : codecs) {
            if (c.payloadType() == pt || c.rtxPayloadType() == pt) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
