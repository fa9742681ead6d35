/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.media.stun.Hex;
import org.junit.jupiter.api.Test;

class RtpPacketTest {
    static final byte[] ONE_BYTE_EXT = Hex.parse("""
            91          // V=2 P=0 X=1 CC=1
            e0          // M=1 PT=96
            69 8f       // sequence 27023
            d9 c2 93 da // timestamp 3653407706
            1c 64 27 82 // SSRC 476325762
            00 00 00 2a // CSRC 42
            be de 00 02 // RFC 8285 one-byte profile, 2 words of elements
            10 aa       // ID 1, L=0: 1 byte
            21 bb cc    // ID 2, L=1: 2 bytes
            00          // padding element
            30 dd       // ID 3, L=0: 1 byte
            98 36 be 88 // payload
            """);

    static final byte[] TWO_BYTE_EXT = Hex.parse("""
            90 6f       // V=2 X=1 CC=0 | M=0 PT=111
            00 01       // sequence 1
            00 00 03 e8 // timestamp 1000
            ca fe ba be // SSRC
            10 00 00 02 // RFC 8285 two-byte profile (appbits 0), 2 words
            01 00       // ID 1, length 0 (allowed in the two-byte form)
            10 03       // ID 16, length 3
            aa bb cc
            00          // padding
            fc          // payload (1 byte)
            """);

    static final byte[] PADDED = Hex.parse("""
            a0 08       // V=2 P=1 | PT=8
            ff ff       // sequence 65535
            ff ff ff ff // timestamp 2^32-1
            00 00 00 01 // SSRC 1
            01 02       // payload
            00 00 03    // 3 padding bytes, the last is the count
            """);

    @Test
    void parsesFixedHeaderCsrcAndOneByteExtensions() {
        RtpPacket p = new RtpPacket();
        assertTrue(p.wrap(ONE_BYTE_EXT, 0, ONE_BYTE_EXT.length));
        assertEquals(2, p.version());
        assertFalse(p.hasPadding());
        assertTrue(p.hasExtension());
        assertEquals(1, p.csrcCount());
        assertTrue(p.marker());
        assertEquals(96, p.payloadType());
        assertEquals(27023, p.sequenceNumber());
        assertEquals(3653407706L, p.timestamp());
        assertEquals(476325762L, p.ssrc());
        assertEquals(42, p.csrc(0));
        assertEquals(0xBEDE, p.extensionProfile());
        assertTrue(p.isOneByteExtension());
        assertEquals(28, p.headerLength());
        assertEquals(28, p.payloadOffset());
        assertEquals(4, p.payloadLength());

        int e = p.firstExtension();
        assertEquals(1, p.extensionId(e));
        assertEquals(1, p.extensionValueLength(e));
        assertEquals((byte) 0xaa, ONE_BYTE_EXT[p.extensionValueOffset(e)]);
        e = p.nextExtension(e);
        assertEquals(2, p.extensionId(e));
        assertEquals(2, p.extensionValueLength(e));
        assertEquals((byte) 0xcc, ONE_BYTE_EXT[p.extensionValueOffset(e) + 1]);
        e = p.nextExtension(e);
        assertEquals(3, p.extensionId(e), "the padding byte between elements is skipped");
        assertEquals((byte) 0xdd, ONE_BYTE_EXT[p.extensionValueOffset(e)]);
        assertEquals(-1, p.nextExtension(e));
        assertEquals(-1, p.findExtension(4));
    }

    @Test
    void parsesTwoByteExtensions() {
        RtpPacket p = new RtpPacket();
        assertTrue(p.wrap(TWO_BYTE_EXT, 0, TWO_BYTE_EXT.length));
        assertFalse(p.isOneByteExtension());
        int e = p.firstExtension();
        assertEquals(1, p.extensionId(e));
        assertEquals(0, p.extensionValueLength(e));
        e = p.findExtension(16);
        assertEquals(3, p.extensionValueLength(e));
        assertEquals((byte) 0xbb, TWO_BYTE_EXT[p.extensionValueOffset(e) + 1]);
        assertEquals(1, p.payloadLength());
        assertEquals((byte) 0xfc, TWO_BYTE_EXT[p.payloadOffset()]);
    }

    @Test
    void paddingIsExcludedFromThePayload() {
        RtpPacket p = new RtpPacket();
        assertTrue(p.wrap(PADDED, 0, PADDED.length));
        assertEquals(3, p.paddingLength());
        assertEquals(2, p.payloadLength());
        assertEquals(65535, p.sequenceNumber());
        assertEquals(0xFFFFFFFFL, p.timestamp());
        assertEquals(-1, p.firstExtension());
        assertEquals(-1, p.extensionProfile());
    }

    @Test
    void settersRewriteInPlaceWithoutTouchingNeighbours() {
        byte[] b = ONE_BYTE_EXT.clone();
        RtpPacket p = new RtpPacket();
        assertTrue(p.wrap(b, 0, b.length));
        p.setPayloadType(100);
        p.setSequenceNumber(70000); // wraps to 4464
        p.setTimestamp(0x1_0000_0005L);
        p.setSsrc(0xdeadbeefL);
        assertTrue(p.marker(), "setting PT keeps the marker");
        p.setMarker(false);
        assertEquals(100, p.payloadType());
        assertFalse(p.marker());
        assertEquals(4464, p.sequenceNumber());
        assertEquals(5, p.timestamp());
        assertEquals(0xdeadbeefL, p.ssrc());
        assertEquals(0x91, b[0] & 0xFF);
        assertEquals(42, p.csrc(0));
    }

    @Test
    void rewritesExtensionIdsInBothForms() {
        byte[] b = ONE_BYTE_EXT.clone();
        RtpPacket p = new RtpPacket();
        p.wrap(b, 0, b.length);
        assertTrue(p.rewriteExtensionId(2, 9));
        assertEquals(-1, p.findExtension(2));
        int e = p.findExtension(9);
        assertEquals(2, p.extensionValueLength(e), "length bits kept");
        assertFalse(p.rewriteExtensionId(9, 15), "15 is reserved in the one-byte form");
        assertFalse(p.rewriteExtensionId(7, 8), "absent id");

        byte[] t = TWO_BYTE_EXT.clone();
        p.wrap(t, 0, t.length);
        assertTrue(p.rewriteExtensionId(16, 200));
        assertEquals(3, p.extensionValueLength(p.findExtension(200)));
    }

    @Test
    void rejectsTruncatedAndInvalidPackets() {
        RtpPacket p = new RtpPacket();
        for (int len = 0; len < 28; len++) {
            assertFalse(p.wrap(ONE_BYTE_EXT, 0, len), "length " + len);
        }
        byte[] v1 = ONE_BYTE_EXT.clone();
        v1[0] = 0x51;
        assertFalse(p.wrap(v1, 0, v1.length));
        byte[] extTooLong = ONE_BYTE_EXT.clone();
        extTooLong[19] = 9;
        assertFalse(p.wrap(extTooLong, 0, extTooLong.length));
        byte[] padZero = PADDED.clone();
        padZero[padZero.length - 1] = 0;
        assertFalse(p.wrap(padZero, 0, padZero.length));
        byte[] padTooBig = PADDED.clone();
        padTooBig[padTooBig.length - 1] = 6;
        assertFalse(p.wrap(padTooBig, 0, padTooBig.length));
        byte[] tooManyCsrc = PADDED.clone();
        tooManyCsrc[0] = (byte) 0x8F;
        assertFalse(p.wrap(tooManyCsrc, 0, tooManyCsrc.length));
        assertFalse(p.isValid());
    }

    @Test
    void malformedElementEndsIterationWithoutThrowing() {
        byte[] b = ONE_BYTE_EXT.clone();
        b[26] = (byte) 0x3F; // ID 3 claims 16 bytes, past the block end
        RtpPacket p = new RtpPacket();
        assertTrue(p.wrap(b, 0, b.length));
        assertEquals(-1, p.findExtension(3));
        assertTrue(p.findExtension(2) >= 0);
    }

    @Test
    void writtenHeaderParsesBack() {
        byte[] b = new byte[20];
        int n = RtpPacket.writeHeader(b, 4, 111, true, 513, 0xF0000001L, 0x12345678L);
        RtpPacket p = new RtpPacket();
        assertTrue(p.wrap(b, 4, n + 4));
        assertEquals(111, p.payloadType());
        assertTrue(p.marker());
        assertEquals(513, p.sequenceNumber());
        assertEquals(0xF0000001L, p.timestamp());
        assertEquals(0x12345678L, p.ssrc());
        assertEquals(16, p.payloadOffset());
        assertEquals(4, p.payloadLength());
    }
}
