/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.stun;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PacketKindTest {
    @Test
    void classifiesFirstByteRangesOfRfc7983() {
        for (int b = 0; b < 256; b++) {
            PacketKind expected = b <= 3 ? PacketKind.STUN
                    : b >= 20 && b <= 63 ? PacketKind.DTLS
                    : b >= 128 && b <= 191 ? PacketKind.RTP
                    : PacketKind.UNKNOWN;
            assertEquals(expected, PacketKind.classify((byte) b), "first byte " + b);
        }
    }

    @Test
    void splitsRtcpFromRtpByPacketType() {
        assertEquals(PacketKind.RTCP, PacketKind.classify((byte) 0x80, (byte) 200)); // SR
        assertEquals(PacketKind.RTCP, PacketKind.classify((byte) 0x81, (byte) 206)); // PSFB
        assertEquals(PacketKind.RTCP, PacketKind.classify((byte) 0x80, (byte) 192));
        assertEquals(PacketKind.RTCP, PacketKind.classify((byte) 0x80, (byte) 223));
        assertEquals(PacketKind.RTP, PacketKind.classify((byte) 0x80, (byte) 191));
        assertEquals(PacketKind.RTP, PacketKind.classify((byte) 0x80, (byte) 224));
        assertEquals(PacketKind.RTP, PacketKind.classify((byte) 0x90, (byte) 0xE0)); // PT 96 + marker
        assertEquals(PacketKind.RTP, PacketKind.classify((byte) 0x80, (byte) 111));
    }

    @Test
    void shortDatagramsAreUnknown() {
        assertEquals(PacketKind.UNKNOWN, PacketKind.classify(new byte[0], 0, 0));
        assertEquals(PacketKind.UNKNOWN, PacketKind.classify(new byte[19], 0, 19)); // STUN < 20
        assertEquals(PacketKind.STUN, PacketKind.classify(new byte[20], 0, 20));
        byte[] rtp = new byte[11];
        rtp[0] = (byte) 0x80;
        rtp[1] = 96;
        assertEquals(PacketKind.UNKNOWN, PacketKind.classify(rtp, 0, 11));
        byte[] rtcp = {(byte) 0x80, (byte) 201, 0, 1, 0, 0, 0, 1};
        assertEquals(PacketKind.RTCP, PacketKind.classify(rtcp, 0, 8));
        assertEquals(PacketKind.DTLS, PacketKind.classify(new byte[] {22, (byte) 0xfe, (byte) 0xfd}, 0, 3));
        assertEquals(PacketKind.UNKNOWN, PacketKind.classify(new byte[4], 2, 3)); // out of bounds
    }
}
