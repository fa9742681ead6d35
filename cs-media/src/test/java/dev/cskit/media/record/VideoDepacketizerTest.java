/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.media.rtp.RtpPacket;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class VideoDepacketizerTest {

    private static final HexFormat HEX = HexFormat.of();
    // RFC 6386 §9.1 keyframe header: frame tag (P=0, version 0, show_frame, first partition size), start code
    // 9d 01 2a, width 160 and height 120 (14 bits each, scale 0), then compressed data.
    private static final byte[] VP8_KEY = HEX.parseHex("5003009d012aa000780000112233445566778899");
    // An interframe: P=1.
    private static final byte[] VP8_INTER = HEX.parseHex("3101000a0b0c0d0e0f");

    private final RtpPacket rtp = new RtpPacket();

    private int push(VideoDepacketizer d, byte[] packet) {
        assertTrue(rtp.wrap(packet, 0, packet.length));
        return d.push(rtp);
    }

    @Test
    void vp8DescriptorsOfEveryShapeAreStripped() {
        // RFC 7741 §4.2: X=0; X with I (7-bit PictureID); I with M (15-bit); L; T/K; all of them.
        String[] descriptors = {"10", "9080" + "05", "9080" + "8123", "9040" + "07", "9020" + "40", "90f0" + "812307c0"};
        for (String desc : descriptors) {
            Vp8Depacketizer d = new Vp8Depacketizer();
            byte[] payload = concat(HEX.parseHex(desc), VP8_KEY);
            assertEquals(VideoDepacketizer.FRAME, push(d, RtpFixtures.rtp(96, true, 1, 0, 1, payload)), desc);
            assertArrayEquals(VP8_KEY, Arrays.copyOf(d.frame(), d.frameLength()), desc);
            assertTrue(d.frameIsKeyframe());
            assertEquals(160, d.width());
            assertEquals(120, d.height());
        }
        assertEquals(-1, Vp8Depacketizer.descriptorLength(HEX.parseHex("9080"), 0, 2), "PictureID missing");
    }

    @Test
    void vp8FramesSpanPacketsUntilTheMarker() {
        Vp8Depacketizer d = new Vp8Depacketizer();
        byte[] part1 = Arrays.copyOfRange(VP8_KEY, 0, 12);
        byte[] part2 = Arrays.copyOfRange(VP8_KEY, 12, VP8_KEY.length);
        assertEquals(VideoDepacketizer.NEED_MORE, push(d, RtpFixtures.rtp(96, false, 10, 90, 1, concat(b(0x10), part1))));
        assertEquals(VideoDepacketizer.FRAME, push(d, RtpFixtures.rtp(96, true, 11, 90, 1, concat(b(0x00), part2))));
        assertArrayEquals(VP8_KEY, Arrays.copyOf(d.frame(), d.frameLength()));
        assertEquals(VideoDepacketizer.FRAME, push(d, RtpFixtures.rtp(96, true, 12, 3090, 1, concat(b(0x10), VP8_INTER))));
        assertFalse(d.frameIsKeyframe());
        assertEquals(3090, d.frameTimestamp());
        assertEquals(2, d.framesCompleted());
    }

    @Test
    void vp8LossDropsTheFrameAndEverythingUntilTheNextKeyframe() {
        Vp8Depacketizer d = new Vp8Depacketizer();
        assertEquals(VideoDepacketizer.SKIPPED, push(d, RtpFixtures.rtp(96, true, 1, 0, 1, concat(b(0x10), VP8_INTER))),
                "the recording starts with a keyframe");
        assertEquals(VideoDepacketizer.FRAME, push(d, RtpFixtures.rtp(96, true, 2, 3000, 1, concat(b(0x10), VP8_KEY))));
        // Frame at 6000: first packet arrives, second (seq 4) lost, third (marker) arrives.
        assertEquals(VideoDepacketizer.NEED_MORE, push(d, RtpFixtures.rtp(96, false, 3, 6000, 1, concat(b(0x10), VP8_INTER))));
        assertEquals(VideoDepacketizer.DROPPED, push(d, RtpFixtures.rtp(96, true, 5, 6000, 1, concat(b(0x00), VP8_INTER))));
        assertEquals(1, d.packetsLost());
        // A complete interframe after the loss references what was lost: skipped.
        assertEquals(VideoDepacketizer.SKIPPED, push(d, RtpFixtures.rtp(96, true, 6, 9000, 1, concat(b(0x10), VP8_INTER))));
        assertEquals(VideoDepacketizer.LATE, push(d, RtpFixtures.rtp(96, true, 4, 6000, 1, concat(b(0x00), VP8_INTER))));
        assertEquals(VideoDepacketizer.FRAME, push(d, RtpFixtures.rtp(96, true, 7, 12000, 1, concat(b(0x10), VP8_KEY))));
        assertEquals(1, d.framesDropped());
        assertEquals(2, d.framesSkipped());
        assertEquals(1, d.packetsLate());
    }

    @Test
    void vp8FrameWithoutItsStartPacketIsDropped() {
        Vp8Depacketizer d = new Vp8Depacketizer();
        // Recording joins mid-frame: the first packet seen has S=0.
        assertEquals(VideoDepacketizer.DROPPED, push(d, RtpFixtures.rtp(96, true, 1, 0, 1, concat(b(0x00), VP8_KEY))));
        // A "keyframe" whose start code is wrong is not VP8.
        byte[] bad = VP8_KEY.clone();
        bad[3] = 0;
        assertEquals(VideoDepacketizer.DROPPED, push(d, RtpFixtures.rtp(96, true, 2, 3000, 1, concat(b(0x10), bad))));
        assertEquals(2, d.framesDropped());
    }

    @Test
    void h264FuAFragmentsAreReassembledIntoOneNalUnit() {
        H264Depacketizer d = new H264Depacketizer();
        byte[] idr = new byte[3000];
        for (int i = 0; i < idr.length; i++) {
            idr[i] = (byte) (i * 7 + 3);
        }
        idr[0] = 0x65; // F=0, NRI=3, type 5 (IDR)
        byte[] sps = HEX.parseHex("6742c01e8c8d40");
        byte[] pps = HEX.parseHex("68ce3c80");
        List<List<byte[]>> packets = RtpFixtures.h264(List.of(List.of(sps, pps, idr)), 1200, 100, 7);
        List<byte[]> au = packets.get(0);
        assertEquals(4, au.size(), "one STAP-A and three FU-A fragments");
        assertEquals(24, au.get(0)[12] & 0x1F);
        for (int i = 1; i < 4; i++) {
            assertEquals(28, au.get(i)[12] & 0x1F);
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(VideoDepacketizer.NEED_MORE, push(d, au.get(i)));
        }
        assertEquals(VideoDepacketizer.FRAME, push(d, au.get(3)));
        assertTrue(d.frameIsKeyframe());
        byte[] expected = annexB(sps, pps, idr);
        assertArrayEquals(expected, Arrays.copyOf(d.frame(), d.frameLength()));
    }

    @Test
    void h264SingleNalUnitsAndNonIdrFrames() {
        H264Depacketizer d = new H264Depacketizer();
        byte[] sps = HEX.parseHex("6742c01e8c8d40");
        byte[] slice = HEX.parseHex("419a0102030405");
        assertEquals(VideoDepacketizer.NEED_MORE, push(d, RtpFixtures.rtp(102, false, 1, 0, 1, sps)));
        assertEquals(VideoDepacketizer.SKIPPED, push(d, RtpFixtures.rtp(102, true, 2, 0, 1, slice)),
                "no IDR yet: not a keyframe");
        byte[] idr = HEX.parseHex("6588840011");
        assertEquals(VideoDepacketizer.FRAME, push(d, RtpFixtures.rtp(102, true, 3, 3000, 1, idr)));
        assertArrayEquals(annexB(idr), Arrays.copyOf(d.frame(), d.frameLength()));
        assertEquals(VideoDepacketizer.FRAME, push(d, RtpFixtures.rtp(102, true, 4, 6000, 1, slice)));
        assertFalse(d.frameIsKeyframe());
    }

    @Test
    void h264BrokenFragmentsDropTheAccessUnit() {
        byte[] idr = new byte[2500];
        Arrays.fill(idr, (byte) 0x11);
        idr[0] = 0x65;
        List<byte[]> au = RtpFixtures.h264(List.of(List.of(idr)), 1000, 1, 1).get(0);
        assertEquals(3, au.size());

        H264Depacketizer lostMiddle = new H264Depacketizer();
        push(lostMiddle, au.get(0));
        assertEquals(VideoDepacketizer.DROPPED, push(lostMiddle, au.get(2)));

        H264Depacketizer noStart = new H264Depacketizer();
        push(noStart, RtpFixtures.rtp(102, false, 2, 0, 1, Arrays.copyOfRange(au.get(1), 12, au.get(1).length)));
        assertEquals(VideoDepacketizer.DROPPED, push(noStart, au.get(2)), "FU-A continuation without its start");

        H264Depacketizer openAtMarker = new H264Depacketizer();
        byte[] last = au.get(1).clone();
        last[1] |= (byte) 0x80; // the marker on a fragment that is not the end
        push(openAtMarker, au.get(0));
        assertEquals(VideoDepacketizer.DROPPED, push(openAtMarker, last));

        H264Depacketizer badStap = new H264Depacketizer();
        assertEquals(VideoDepacketizer.DROPPED, push(badStap, RtpFixtures.rtp(102, true, 1, 0, 1,
                HEX.parseHex("18" + "0009" + "6742c0"))), "STAP-A size beyond the payload");

        H264Depacketizer fuB = new H264Depacketizer();
        assertEquals(VideoDepacketizer.DROPPED, push(fuB, RtpFixtures.rtp(102, true, 1, 0, 1, HEX.parseHex("5d85000102"))),
                "FU-B (interleaved mode) is not supported");
    }

    private static byte[] annexB(byte[]... nals) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] n : nals) {
            out.writeBytes(new byte[] {0, 0, 0, 1});
            out.writeBytes(n);
        }
        return out.toByteArray();
    }

    private static byte[] b(int v) {
        return new byte[] {(byte) v};
    }

    private static byte[] concat(byte[] a, byte[] c) {
        byte[] r = Arrays.copyOf(a, a.length + c.length);
        System.arraycopy(c, 0, r, a.length, c.length);
        return r;
    }
}
