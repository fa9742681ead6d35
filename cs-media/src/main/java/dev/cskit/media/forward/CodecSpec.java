/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.forward;

import java.util.Locale;
import java.util.Objects;

/**
 * A codec as negotiated on one peer connection: the payload type that peer uses for it.
 *
 * @param payloadType the RTP payload type number on this peer connection
 * @param name        the encoding name, e.g. {@code opus}, {@code VP8}, {@code H264}
 * @param clockRate   the RTP clock rate in Hz
 * @param channels    the channel count (audio), 0 if not given
 * @param fmtp        the format parameters, empty if none
 */
public record CodecSpec(int payloadType, String name, int clockRate, int channels, String fmtp) {

    public CodecSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(fmtp, "fmtp");
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type must be 0..127, was " + payloadType);
        }
    }

    /**
     * Whether media encoded as {@code this} can be forwarded to a peer that negotiated {@code other}: same
     * name and clock rate, and for H.264 the same packetization mode (RFC 6184 §8.1).
     */
    public boolean sameCodec(CodecSpec other) {
        if (!name.equalsIgnoreCase(other.name) || clockRate != other.clockRate) {
            return false;
        }
        if (name.equalsIgnoreCase("H264")) {
            return packetizationMode().equals(other.packetizationMode());
        }
        return true;
    }

    private String packetizationMode() {
        for (String p : fmtp.split(";")) {
            String kv = p.trim().toLowerCase(Locale.ROOT);
            if (kv.startsWith("packetization-mode=")) {
                return kv.substring("packetization-mode=".length());
            }
        }
        return "0";
    }
}
