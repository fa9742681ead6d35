/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.sdp;

import java.util.List;
import java.util.Locale;

/**
 * One RTP payload type of a media section, gathered from its {@code a=rtpmap}, {@code a=fmtp} and
 * {@code a=rtcp-fb} lines (RFC 8866 §6.6, §6.15; RFC 4585 §4.2).
 *
 * @param payloadType 0–127
 * @param encoding the encoding name as written (e.g. "opus", "VP8", "rtx"); "" without an rtpmap
 * @param clockRate the clock rate, 0 without an rtpmap
 * @param channels audio channels (1 when not given)
 * @param fmtp the format parameters, "" when none
 * @param rtcpFeedback rtcp-fb values for this type (wildcard {@code *} ones included), e.g. "nack pli"
 */
public record PayloadFormat(int payloadType, String encoding, int clockRate, int channels, String fmtp,
        List<String> rtcpFeedback) {
    /** Copies the list. */
    public PayloadFormat {
        rtcpFeedback = List.copyOf(rtcpFeedback);
    }

    /** Whether the encoding name equals {@code name}, ignoring case (RFC 8866 §6.6). */
    public boolean is(String name) {
        return encoding.equalsIgnoreCase(name);
    }

    /** The value of one {@code key=value} fmtp parameter (keys compared ignoring case), or "". */
    public String fmtpParameter(String key) {
        for (String part : fmtp.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals(key.toLowerCase(Locale.ROOT))) {
                return part.substring(eq + 1).trim();
            }
        }
        return "";
    }
}
