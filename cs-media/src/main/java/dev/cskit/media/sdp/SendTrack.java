/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.sdp;

import java.util.Objects;

/**
 * What the server will send in one WHEP {@code sendonly} section: announced with {@code a=ssrc}
 * (cname, msid), {@code a=msid} and, with {@code rtxSsrc != 0} and an offered rtx, an
 * {@code a=ssrc-group:FID} (RFC 5576, RFC 8830).
 *
 * @param kind "audio" or "video"
 * @param ssrc the media SSRC (1..2^32-1)
 * @param rtxSsrc the retransmission SSRC, or 0 for none
 * @param streamId the MediaStream id of {@code a=msid}
 * @param trackId the track id of {@code a=msid}
 * @param cname the RTCP CNAME
 */
public record SendTrack(String kind, long ssrc, long rtxSsrc, String streamId, String trackId, String cname) {
    /** Validates the values. */
    public SendTrack {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(trackId, "trackId");
        Objects.requireNonNull(cname, "cname");
        if (!kind.equals("audio") && !kind.equals("video")) {
            throw new IllegalArgumentException("kind must be audio or video: " + kind);
        }
        if (ssrc <= 0 || ssrc > 0xFFFFFFFFL || rtxSsrc < 0 || rtxSsrc > 0xFFFFFFFFL || rtxSsrc == ssrc) {
            throw new IllegalArgumentException("ssrc must be 1..2^32-1 and rtxSsrc 0 or another such value");
        }
        for (String token : new String[] {streamId, trackId, cname}) {
            if (token.isEmpty() || token.chars().anyMatch(c -> c <= ' ' || c == 0x7F)) {
                throw new IllegalArgumentException("streamId, trackId and cname must be non-empty tokens without spaces");
            }
        }
    }
}
