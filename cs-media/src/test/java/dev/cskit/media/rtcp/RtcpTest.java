/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.rtcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.media.stun.Hex;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RtcpTest {
    static final byte[] COMPOUND = Hex.parse("""
            81 c8 00 0c // V=2 P=0 RC=1 | PT=200 SR | length 12 words (52 bytes)
            90 2f 9e 2e // sender SSRC
            da 8b d1 fc // NTP seconds
            dd dd a0 5a // NTP fraction
            aa f4 ed d5 // RTP timestamp
            00 00 00 01 // sender packet count 1
            00 00 00 02 // sender octet count 2
            bc 5e 9a 40 // block 0: source SSRC
            10          //   fraction lost 16/256
            ff ff ff    //   cumulative lost -1 (signed 24 bits)
            00 00 46 e1 //   extended highest sequence 18145
            00 00 01 11 //   jitter 273
            09 f3 64 32 //   last SR
            00 02 4a 79 //   delay since last SR
            81 ca 00 06 // SC=1 | PT=202 SDES | length 6 words (28 bytes)
            90 2f 9e 2e // chunk SSRC
            01 10       // CNAME, 16 bytes
            75 73 65 72 40 65 78 61 6d 70 6c 65 2e 63 6f 6d // "user@example.com"
            00 00       // null item, 1 byte padding
            81 cb 00 03 // SC=1 | PT=203 BYE | length 3 words (16 bytes)
            90 2f 9e 2e // leaving SSRC
            05          // reason length 5
            62 79 65 21 21 // "bye!!"
            00 00       // padding
            """);

    static final byte[] PLI = Hex.parse("""
            81 ce 00 02 // FMT=1 | PT=206 PSFB | length 2
            00 00 00 01 // sender SSRC
            90 2f 9e 2e // media SSRC
            """);

    static final byte[] FIR = Hex.parse("""
            84 ce 00 04 // FMT=4 | PT=206 PSFB | length 4
            00 00 00 01 // sender SSRC
            00 00 00 00 // media SSRC, unused (RFC 5104 §4.3.1.2)
            90 2f 9e 2e // FCI: target SSRC
            2a 00 00 00 //      seq nr 42, reserved
            """);

    static final byte[] NACK = Hex.parse("""
            81 cd 00 04 // FMT=1 | PT=205 RTPFB | length 4
            00 00 00 01 // sender SSRC
            90 2f 9e 2e // media SSRC
            00 64 00 05 // PID 100, BLP 0b101: 100, 101, 103 lost
            ff fe 80 00 // PID 65534, BLP bit 15: 65534, 14 (wrapped)
            """);

    static final byte[] REMB = Hex.parse("""
            8f ce 00 05 // FMT=15 | PT=206 PSFB | length 5
            00 00 00 01 // sender SSRC
            00 00 00 00 // media SSRC 0
            52 45 4d 42 // "REMB"
            01          // 1 SSRC
            0e 86 a0    // exponent 3, mantissa 165536: 1324288 bit/s
            90 2f 9e 2e // SSRC
            """);

    @Test
    void iteratesCompoundAndReadsSrSdesBye() {
        RtcpCompound c = new RtcpCompound();
        assertTrue(c.wrap(COMPOUND, 0, COMPOUND.length));
        assertTrue(c.next());
        assertEquals(RtcpCompound.SR, c.packetType());
        assertEquals(52, c.packetLength());
        SenderReport sr = new SenderReport();
        assertTrue(sr.wrap(COMPOUND, c.packetOffset(), c.packetLength()));
        assertEquals(0x902f9e2eL, sr.ssrc());
        assertEquals(0xda8bd1fcdddda05aL, sr.ntpTimestamp());
        assertEquals(0xaaf4edd5L, sr.rtpTimestamp());
        assertEquals(1, sr.packetCount());
        assertEquals(2, sr.octetCount());
        assertEquals(1, sr.reportCount());
        assertEquals(0xbc5e9a40L, sr.blockSsrc(0));
        assertEquals(16, sr.fractionLost(0));
        assertEquals(-1, sr.cumulativeLost(0));
        assertEquals(18145, sr.extendedHighestSequence(0));
        assertEquals(273, sr.jitter(0));
        assertEquals(0x09f36432L, sr.lastSr(0));
        assertEquals(0x00024a79L, sr.delaySinceLastSr(0));

        assertTrue(c.next());
        assertEquals(RtcpCompound.SDES, c.packetType());
        Sdes sdes = new Sdes();
        assertTrue(sdes.wrap(COMPOUND, c.packetOffset(), c.packetLength()));
        assertEquals(1, sdes.chunkCount());
        assertTrue(sdes.nextChunk());
        assertEquals(0x902f9e2eL, sdes.chunkSsrc());
        assertEquals(Optional.of("user@example.com"), sdes.cname());
        assertFalse(sdes.nextChunk());

        assertTrue(c.next());
        assertEquals(RtcpCompound.BYE, c.packetType());
        Bye bye = new Bye();
        assertTrue(bye.wrap(COMPOUND, c.packetOffset(), c.packetLength()));
        assertEquals(1, bye.ssrcCount());
        assertEquals(0x902f9e2eL, bye.ssrc(0));
        assertEquals(Optional.of("bye!!"), bye.reason());
        assertFalse(c.next());
    }

    @Test
    void rejectsTruncatedOrInconsistentCompounds() {
        RtcpCompound c = new RtcpCompound();
        for (int len = 0; len < COMPOUND.length; len++) {
            boolean packetBoundary = len == 52 || len == 80; // SR alone, SR + SDES
            assertEquals(packetBoundary, c.wrap(COMPOUND, 0, len), "length " + len);
        }
        byte[] badVersion = COMPOUND.clone();
        badVersion[52] = (byte) 0x41; // SDES with version 1
        assertFalse(c.wrap(badVersion, 0, badVersion.length));
        byte[] trailing = Arrays.copyOf(COMPOUND, COMPOUND.length + 2);
        assertFalse(c.wrap(trailing, 0, trailing.length));
        SenderReport sr = new SenderReport();
        byte[] tooManyBlocks = Arrays.copyOf(COMPOUND, 52);
        tooManyBlocks[0] = (byte) 0x82; // RC=2 but room for one block
        assertFalse(sr.wrap(tooManyBlocks, 0, 52));
        assertFalse(new ReceiverReport().wrap(COMPOUND, 0, 52), "an SR is not an RR");
        byte[] sdesNoNull = Arrays.copyOfRange(COMPOUND, 52, 80);
        sdesNoNull[9] = 20; // CNAME runs past the packet
        assertFalse(new Sdes().wrap(sdesNoNull, 0, sdesNoNull.length));
    }

    @Test
    void senderReportSettersRewriteInPlace() {
        byte[] b = COMPOUND.clone();
        SenderReport sr = new SenderReport();
        assertTrue(sr.wrap(b, 0, 52));
        sr.setSsrc(7);
        sr.setNtpTimestamp(0x0102030405060708L);
        sr.setRtpTimestamp(0xFFFFFFFFL);
        sr.setPacketCount(9);
        sr.setOctetCount(10);
        sr.setBlockSsrc(0, 11);
        assertEquals(7, sr.ssrc());
        assertEquals(0x0102030405060708L, sr.ntpTimestamp());
        assertEquals(0xFFFFFFFFL, sr.rtpTimestamp());
        assertEquals(9, sr.packetCount());
        assertEquals(10, sr.octetCount());
        assertEquals(11, sr.blockSsrc(0));
        assertEquals(18145, sr.extendedHighestSequence(0), "neighbouring fields untouched");
        assertArrayEquals(Arrays.copyOfRange(COMPOUND, 52, COMPOUND.length), Arrays.copyOfRange(b, 52, b.length));
    }

    @Test
    void readsFeedbackFixtures() {
        Pli pli = new Pli();
        assertTrue(pli.wrap(PLI, 0, PLI.length));
        assertEquals(1, pli.senderSsrc());
        assertEquals(0x902f9e2eL, pli.mediaSsrc());
        assertFalse(new Fir().wrap(PLI, 0, PLI.length), "a PLI is not a FIR");

        Fir fir = new Fir();
        assertTrue(fir.wrap(FIR, 0, FIR.length));
        assertEquals(1, fir.entryCount());
        assertEquals(0x902f9e2eL, fir.entrySsrc(0));
        assertEquals(42, fir.entrySequence(0));

        Nack nack = new Nack();
        assertTrue(nack.wrap(NACK, 0, NACK.length));
        assertEquals(2, nack.entryCount());
        assertEquals(100, nack.pid(0));
        assertEquals(5, nack.blp(0));
        int[] lost = new int[40];
        int n = nack.lostSequenceNumbers(lost);
        assertArrayEquals(new int[] {100, 101, 103, 65534, 14}, Arrays.copyOf(lost, n));
        assertEquals(2, nack.lostSequenceNumbers(new int[2]), "bounded by the destination");

        Remb remb = new Remb();
        assertTrue(remb.wrap(REMB, 0, REMB.length));
        assertEquals(1324288L, remb.bitrate());
        assertEquals(1, remb.ssrcCount());
        assertEquals(0x902f9e2eL, remb.ssrc(0));
    }

    @Test
    void feedbackFromCompoundIsRecognisedByType() {
        byte[] compound = new byte[PLI.length + NACK.length];
        System.arraycopy(NACK, 0, compound, 0, NACK.length);
        System.arraycopy(PLI, 0, compound, NACK.length, PLI.length);
        RtcpCompound c = new RtcpCompound();
        assertTrue(c.wrap(compound, 0, compound.length));
        assertTrue(c.next());
        assertEquals(RtcpCompound.RTPFB, c.packetType());
        assertEquals(Nack.FMT, c.count());
        assertTrue(c.next());
        assertEquals(RtcpCompound.PSFB, c.packetType());
        assertEquals(Pli.FMT, c.count());
        assertTrue(new Pli().wrap(compound, c.packetOffset(), c.packetLength()));
        assertFalse(c.next());
    }

    @Test
    void rejectsTruncatedFeedback() {
        for (int len = 0; len < NACK.length; len++) {
            assertFalse(new Nack().wrap(NACK, 0, len), "NACK length " + len);
        }
        for (int len = 0; len < FIR.length; len++) {
            assertFalse(new Fir().wrap(FIR, 0, len), "FIR length " + len);
        }
        byte[] notRemb = REMB.clone();
        notRemb[12] = 'X';
        assertFalse(new Remb().wrap(notRemb, 0, notRemb.length));
    }

    @Test
    void writersReproduceTheFixtures() {
        byte[] b = new byte[64];
        assertEquals(PLI.length, RtcpWriter.writePli(b, 0, 1, 0x902f9e2eL));
        assertArrayEquals(PLI, Arrays.copyOf(b, PLI.length));
        assertEquals(FIR.length, RtcpWriter.writeFir(b, 0, 1, 0x902f9e2eL, 42));
        assertArrayEquals(FIR, Arrays.copyOf(b, FIR.length));
        int n = RtcpWriter.writeNack(b, 0, 1, 0x902f9e2eL, new int[] {100, 101, 103, 65534, 14}, 5);
        assertArrayEquals(NACK, Arrays.copyOf(b, n));
        n = RtcpWriter.writeRemb(b, 0, 1, 1324288L, new long[] {0x902f9e2eL});
        assertArrayEquals(REMB, Arrays.copyOf(b, n));
    }

    @Test
    void nackWriterSplitsEntriesAndSkipsDuplicates() {
        byte[] b = new byte[64];
        int[] lost = {10, 10, 11, 26, 27, 60};
        int n = RtcpWriter.writeNack(b, 0, 5, 6, lost, lost.length);
        Nack nack = new Nack();
        assertTrue(nack.wrap(b, 0, n));
        assertEquals(3, nack.entryCount()); // 10..26 (PID 10, bit 15 = 26), 27, 60
        int[] out = new int[40];
        int k = nack.lostSequenceNumbers(out);
        assertArrayEquals(new int[] {10, 11, 26, 27, 60}, Arrays.copyOf(out, k));
    }

    @Test
    void compoundOfWrittenReportsRoundTrips() {
        byte[] b = new byte[256];
        RtcpWriter.ReportBlock block = new RtcpWriter.ReportBlock(0xbc5e9a40L, 16, -1, 18145, 273, 0x09f36432L,
                0x00024a79L);
        int n = RtcpWriter.writeSenderReport(b, 0, 0x902f9e2eL, 0xda8bd1fcdddda05aL, 0xaaf4edd5L, 1, 2, List.of(block));
        n += RtcpWriter.writeSdesCname(b, n, 0x902f9e2eL, "user@example.com");
        assertArrayEquals(Arrays.copyOf(COMPOUND, 80), Arrays.copyOf(b, n), "SR + SDES match the fixture");

        int rrAt = n;
        n += RtcpWriter.writeReceiverReport(b, n, 77, List.of(block, new RtcpWriter.ReportBlock(1, 0, 9_000_000, 0,
                0, 0, 0)));
        n += RtcpWriter.writeBye(b, n, 77);
        RtcpCompound c = new RtcpCompound();
        assertTrue(c.wrap(b, 0, n));
        long types = 0;
        while (c.next()) {
            types = types * 1000 + c.packetType();
        }
        assertEquals(200_202_201_203L, types);
        ReceiverReport rr = new ReceiverReport();
        assertTrue(rr.wrap(b, rrAt, 8 + 48));
        assertEquals(77, rr.ssrc());
        assertEquals(2, rr.reportCount());
        assertEquals(-1, rr.cumulativeLost(0));
        assertEquals(0x7FFFFF, rr.cumulativeLost(1), "clamped to 24 bits");
    }
}
