/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Behaviour of {@link SrtpContext}: rollover, replay, tampering and malformed input. */
class SrtpContextTest {

    private static SrtpContext context(SrtpProfile p) {
        byte[] key = new byte[p.keyLength()];
        byte[] salt = new byte[p.saltLength()];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 7 + 1);
        }
        for (int i = 0; i < salt.length; i++) {
            salt[i] = (byte) (0xa0 + i);
        }
        return SrtpContext.create(p, key, salt);
    }

    /** A 12-byte RTP header (V=2, PT 96) followed by a payload derived from {@code seq}. */
    private static byte[] rtp(int seq, int ssrc, int payloadLen) {
        byte[] b = new byte[12 + payloadLen];
        b[0] = (byte) 0x80;
        b[1] = 96;
        b[2] = (byte) (seq >>> 8);
        b[3] = (byte) seq;
        b[4] = 0x11; // timestamp
        b[8] = (byte) (ssrc >>> 24);
        b[9] = (byte) (ssrc >>> 16);
        b[10] = (byte) (ssrc >>> 8);
        b[11] = (byte) ssrc;
        for (int i = 12; i < b.length; i++) {
            b[i] = (byte) (seq + i);
        }
        return b;
    }

    private static byte[] protect(SrtpContext tx, byte[] plain) {
        byte[] buf = Arrays.copyOf(plain, plain.length + tx.profile().rtpOverhead());
        assertEquals(buf.length, tx.protectRtp(buf, 0, plain.length));
        return buf;
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void roundTripsAcrossSequenceRollover(SrtpProfile p) {
        SrtpContext tx = context(p);
        SrtpContext rx = context(p);
        byte[] afterWrap = null;
        for (int i = 0; i < 20; i++) {
            int seq = (65530 + i) & 0xffff; // 65530..65535, then 0..13 with ROC 1
            byte[] plain = rtp(seq, 0x1234, 100);
            byte[] srtp = protect(tx, plain);
            assertNotEquals(Arrays.toString(Arrays.copyOfRange(plain, 12, 112)),
                    Arrays.toString(Arrays.copyOfRange(srtp, 12, 112)), "payload must be encrypted");
            if (seq == 3) {
                afterWrap = srtp.clone();
            }
            assertEquals(plain.length, rx.unprotectRtp(srtp, 0, srtp.length), "seq " + seq);
            assertArrayEquals(plain, Arrays.copyOf(srtp, plain.length));
        }
        // The packets after the wrap were protected with ROC 1: a receiver that believes ROC 0
        // (it never saw the wrap) cannot authenticate them.
        SrtpContext fresh = context(p);
        assertEquals(SrtpResult.AUTH_FAILED, fresh.unprotectRtp(afterWrap, 0, afterWrap.length));
        assertEquals(20, rx.counters().rtpOk());
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void reprotectsTheSameIndexIdenticallyForRetransmission(SrtpProfile p) {
        // A NACK-driven retransmission re-protects the same packet at the same index, which gives
        // the same bytes (and nothing new to an observer). The JCA's GCM would refuse a second
        // encryption under one IV; the transform must do it.
        SrtpContext tx = context(p);
        byte[] plain = rtp(9, 77, 60);
        byte[] first = protect(tx, plain);
        byte[] again = protect(tx, plain);
        assertArrayEquals(first, again);
        SrtpContext rx = context(p);
        assertEquals(plain.length, rx.unprotectRtp(again, 0, again.length));
        assertArrayEquals(plain, Arrays.copyOf(again, plain.length));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rejectsReplayedPacket(SrtpProfile p) {
        SrtpContext tx = context(p);
        SrtpContext rx = context(p);
        byte[] srtp = protect(tx, rtp(7, 42, 50));
        byte[] copy = srtp.clone();
        assertEquals(62, rx.unprotectRtp(srtp, 0, srtp.length));
        assertEquals(SrtpResult.REPLAYED, rx.unprotectRtp(copy, 0, copy.length));
        assertEquals(1, rx.counters().replayed());
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void acceptsReorderingInsideWindowAndRejectsOlder(SrtpProfile p) {
        SrtpContext tx = context(p);
        SrtpContext rx = context(p);
        byte[][] packets = new byte[1200][];
        for (int seq = 0; seq < packets.length; seq++) {
            packets[seq] = protect(tx, rtp(seq, 9, 20));
        }
        assertEquals(32, rx.unprotectRtp(packets[1100], 0, packets[1100].length));
        assertEquals(32, rx.unprotectRtp(packets[1099], 0, packets[1099].length)); // late by one
        assertEquals(32, rx.unprotectRtp(packets[200], 0, packets[200].length)); // 900 behind: in window
        assertEquals(SrtpResult.REPLAYED, rx.unprotectRtp(packets[10], 0, packets[10].length)); // 1090 behind
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rejectsTamperedPacketWithoutChangingIt(SrtpProfile p) {
        SrtpContext tx = context(p);
        SrtpContext rx = context(p);
        byte[] srtp = protect(tx, rtp(1, 5, 40));
        srtp[srtp.length - 1] ^= 1; // tag
        byte[] before = srtp.clone();
        assertEquals(SrtpResult.AUTH_FAILED, rx.unprotectRtp(srtp, 0, srtp.length));
        assertArrayEquals(before, srtp);
        srtp[srtp.length - 1] ^= 1;
        srtp[20] ^= 1; // payload
        assertEquals(SrtpResult.AUTH_FAILED, rx.unprotectRtp(srtp, 0, srtp.length));
        srtp[20] ^= 1;
        // the forged attempts created no state and consumed no replay slot
        assertEquals(52, rx.unprotectRtp(srtp, 0, srtp.length));
        assertEquals(2, rx.counters().authFailed());
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rejectsTruncatedAndMalformedPacketsWithoutException(SrtpProfile p) {
        SrtpContext tx = context(p);
        SrtpContext rx = context(p);
        byte[] srtp = protect(tx, rtp(1, 5, 40));
        for (int len = 0; len < 12 + p.tagLength(); len++) {
            assertEquals(SrtpResult.MALFORMED, rx.unprotectRtp(srtp.clone(), 0, len), "len " + len);
        }
        byte[] csrcs = srtp.clone();
        csrcs[0] = (byte) 0x8f; // claims 15 CSRCs, more than the packet holds
        assertEquals(SrtpResult.MALFORMED, rx.unprotectRtp(csrcs, 0, csrcs.length));
        byte[] v1 = srtp.clone();
        v1[0] = 0x40; // version 1
        assertEquals(SrtpResult.MALFORMED, rx.unprotectRtp(v1, 0, v1.length));
        assertEquals(SrtpResult.AUTH_FAILED, rx.unprotectRtp(srtp, 0, srtp.length - 1));
        byte[] rtcp = new byte[30];
        for (int len = 0; len < 12 + p.tagLength(); len++) {
            assertEquals(SrtpResult.MALFORMED, rx.unprotectRtcp(rtcp, 0, len), "rtcp len " + len);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void protectReportsMissingRoomForTag(SrtpProfile p) {
        SrtpContext tx = context(p);
        byte[] plain = rtp(1, 5, 40);
        byte[] before = plain.clone();
        assertEquals(SrtpResult.BUFFER_TOO_SMALL, tx.protectRtp(plain, 0, plain.length));
        assertArrayEquals(before, plain);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void roundTripsRtcpAndRejectsReplayAndTampering(SrtpProfile p) {
        SrtpContext tx = context(p);
        SrtpContext rx = context(p);
        byte[] plain = new byte[28]; // RR with one report block
        plain[0] = (byte) 0x81;
        plain[1] = (byte) 201;
        plain[3] = 6;
        plain[7] = 77; // sender SSRC
        for (int i = 8; i < plain.length; i++) {
            plain[i] = (byte) i;
        }
        for (int round = 0; round < 3; round++) {
            byte[] buf = Arrays.copyOf(plain, plain.length + p.rtcpOverhead());
            int n = tx.protectRtcp(buf, 0, plain.length);
            assertEquals(buf.length, n);
            byte[] replay = buf.clone();
            byte[] tampered = buf.clone();
            tampered[10] ^= 0x40;
            assertEquals(SrtpResult.AUTH_FAILED, rx.unprotectRtcp(tampered, 0, n));
            assertEquals(plain.length, rx.unprotectRtcp(buf, 0, n));
            assertArrayEquals(plain, Arrays.copyOf(buf, plain.length));
            assertEquals(SrtpResult.REPLAYED, rx.unprotectRtcp(replay, 0, n));
        }
        assertEquals(3, rx.counters().rtcpOk());
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void boundsTrackedStreams(SrtpProfile p) {
        byte[] key = new byte[p.keyLength()];
        byte[] salt = new byte[p.saltLength()];
        SrtpContext tx = SrtpContext.create(p, key, salt, 2);
        SrtpContext rx = SrtpContext.create(p, key, salt, 2);
        for (int ssrc = 1; ssrc <= 2; ssrc++) {
            byte[] srtp = protect(tx, rtp(1, ssrc, 10));
            assertEquals(22, rx.unprotectRtp(srtp, 0, srtp.length));
        }
        byte[] third = Arrays.copyOf(rtp(1, 3, 10), 22 + p.tagLength());
        assertEquals(SrtpResult.TOO_MANY_STREAMS, tx.protectRtp(third, 0, 22));
        assertEquals(1, tx.counters().tooManyStreams());
    }

    @org.junit.jupiter.api.Test
    void looksProfilesUpByDtlsSrtpId() {
        assertEquals(SrtpProfile.AES_CM_128_HMAC_SHA1_80, SrtpProfile.byId(0x0001).orElseThrow());
        assertEquals(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.byId(0x0007).orElseThrow());
        assertEquals(true, SrtpProfile.byId(0x0002).isEmpty());
    }

    @org.junit.jupiter.api.Test
    void estimatesIndexPerRfc3711AppendixA() {
        assertEquals(5, SrtpContext.estimateIndex(-1, 5));
        assertEquals(0x1_0000L, SrtpContext.estimateIndex(65535, 0)); // wrap forward
        assertEquals(65535, SrtpContext.estimateIndex(0x1_0002L, 65535)); // late packet from ROC 0
        assertEquals(-1, SrtpContext.estimateIndex(10, 65530)); // before the stream's ROC 0
    }
}
