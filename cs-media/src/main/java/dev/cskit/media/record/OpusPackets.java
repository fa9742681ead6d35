/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.record;

/** Reads an Opus packet's duration from its TOC byte (RFC 6716 §3.1). Stateless. */
public final class OpusPackets {

    private static final int[] SILK = {480, 960, 1920, 2880};
    private static final int[] CELT = {120, 240, 480, 960};

    private OpusPackets() {
    }

    /** The packet's duration in 48 kHz samples, or -1 if the packet is malformed. */
    public static int samples(byte[] buf, int off, int len) {
        if (len < 1) {
            return -1;
        }
        int toc = buf[off] & 0xFF;
        int frames;
        switch (toc & 0x03) {
            case 0 -> frames = 1;
            case 1, 2 -> frames = 2;
            default -> {
                // RFC 6716 §3.2.5: code 3 carries the frame count M in the low 6 bits of the second byte.
                if (len < 2) {
                    return -1;
                }
                frames = buf[off + 1] & 0x3F;
                if (frames == 0) {
                    return -1;
                }
            }
        }
        int samples = frames * frameSamples(toc >>> 3);
        // RFC 6716 §3.2.5: a packet lasts at most 120 ms.
        return samples > 5760 ? -1 : samples;
    }

    // RFC 6716 §3.1, Table 2: configurations 0-11 SILK (10/20/40/60 ms), 12-15 hybrid (10/20 ms),
    // 16-31 CELT (2.5/5/10/20 ms).
    private static int frameSamples(int config) {
        if (config < 12) {
            return SILK[config & 3];
        }
        if (config < 16) {
            return (config & 1) == 0 ? 480 : 960;
        }
        return CELT[config & 3];
    }
}
