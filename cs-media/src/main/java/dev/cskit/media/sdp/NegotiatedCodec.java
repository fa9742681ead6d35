/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.sdp;

import java.util.List;

/**
 * The codec chosen for one media section, with the offer's payload type numbers.
 *
 * @param payloadType the RTP payload type
 * @param name the encoding name as offered ("opus", "VP8", "H264")
 * @param clockRate the RTP clock rate
 * @param channels audio channels (1 for video)
 * @param fmtp the format parameters as offered (and answered)
 * @param rtcpFeedback the rtcp-fb values both sides use ("nack", "nack pli", "ccm fir", "goog-remb")
 * @param rtxPayloadType the rtx payload type with {@code apt} = {@code payloadType}, or -1
 */
public record NegotiatedCodec(int payloadType, String name, int clockRate, int channels, String fmtp,
        List<String> rtcpFeedback, int rtxPayloadType) {
    /** Copies the list. */
    public NegotiatedCodec {
        rtcpFeedback = List.copyOf(rtcpFeedback);
    }

    /** Whether the peers agreed on {@code fb} (e.g. "nack pli"). */
    public boolean hasFeedback(String fb) {
        return rtcpFeedback.contains(fb);
    }
}
