/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.rtcp;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes RTCP packets into a caller's buffer; each method returns the bytes written. Packets can be
 * written back to back to build a compound packet (RFC 3550 §6.1). A buffer that is too small is a
 * caller error ({@link IndexOutOfBoundsException}). Stateless and thread-safe.
 */
public final class RtcpWriter {
    private RtcpWriter() {
    }

    /**
     * One report block to write (RFC 3550 §6.4.1).
     *
     * @param ssrc the source reported on
     * @param fractionLost lost fraction ×256 (0–255)
     * @param cumulativeLost packets lost, clamped to the signed 24-bit range
     * @param extendedHighestSequence cycles << 16 | highest sequence number
     * @param jitter interarrival jitter in timestamp units
     * @param lastSr middle 32 bits of the last SR's NTP time, 0 if none
     * @param delaySinceLastSr delay since that SR in 1/65536 s
     */
    public record ReportBlock(long ssrc, int fractionLost, int cumulativeLost, long extendedHighestSequence,
            long jitter, long lastSr, long delaySinceLastSr) {
    }

    /** PLI (RFC 4585 §6.3.1); 12 bytes. */
    public static int writePli(byte[] buf, int off, long senderSsrc, long mediaSsrc) {
        check(buf, off, 12);
        header(buf, off, Pli.FMT, RtcpCompound.PSFB, 12);
        Bytes.put32(buf, off + 4, senderSsrc);
        Bytes.put32(buf, off + 8, mediaSsrc);
        return 12;
    }

    /**
     * FIR (RFC 5104 §4.3.1) asking {@code targetSsrc} for a decoder refresh; 20 bytes. The header's
     * media source SSRC is 0 (§4.3.1.2); increment {@code sequenceNumber} per new request (mod 256).
     */
    public static int writeFir(byte[] buf, int off, long senderSsrc, long targetSsrc, int sequenceNumber) {
        check(buf, off, 20);
        header(buf, off, Fir.FMT, RtcpCompound.PSFB, 20);
        Bytes.put32(buf, off + 4, senderSsrc);
        Bytes.put32(buf, off + 8, 0);
        Bytes.put32(buf, off + 12, targetSsrc);
        buf[off + 16] = (byte) sequenceNumber;
        buf[off + 17] = 0;
        buf[off + 18] = 0;
        buf[off + 19] = 0;
        return 20;
    }

    /**
     * Generic NACK (RFC 4585 §6.2.1) for {@code lost[0..count)}, which must be in RTP sequence order
     * (wrap-around allowed); consecutive losses within 16 of an entry's PID share it via BLP.
     */
    public static int writeNack(byte[] buf, int off, long senderSsrc, long mediaSsrc, int[] lost, int count) {
        if (count < 1 || count > lost.length) {
            throw new IllegalArgumentException("NACK needs 1..lost.length sequence numbers, got " + count);
        }
        int entries = 0;
        int pid = -1;
        for (int i = 0; i < count; i++) {
            int seq = lost[i] & 0xFFFF;
            int d = pid < 0 ? 0 : (seq - pid) & 0xFFFF;
            if (pid < 0 || d == 0 || d > 16) {
                if (pid >= 0 && d == 0) {
                    continue;
                }
                pid = seq;
                entries++;
            }
        }
        int n = FeedbackPacket.FIXED_LENGTH + 4 * entries;
        check(buf, off, n);
        header(buf, off, Nack.FMT, RtcpCompound.RTPFB, n);
        Bytes.put32(buf, off + 4, senderSsrc);
        Bytes.put32(buf, off + 8, mediaSsrc);
        int p = off + FeedbackPacket.FIXED_LENGTH - 4;
        pid = -1;
        int blp = 0;
        for (int i = 0; i < count; i++) {
            int seq = lost[i] & 0xFFFF;
            int d = pid < 0 ? 0 : (seq - pid) & 0xFFFF;
            if (pid >= 0 && d >= 1 && d <= 16) {
                blp |= 1 << (d - 1);
            } else if (pid < 0 || d != 0) {
                if (pid >= 0) {
                    Bytes.put16(buf, p + 2, blp);
                }
                p += 4;
                pid = seq;
                blp = 0;
                Bytes.put16(buf, p, pid);
            }
        }
        Bytes.put16(buf, p + 2, blp);
        return n;
    }

    /** RR (RFC 3550 §6.4.2) with up to 31 report blocks. */
    public static int writeReceiverReport(byte[] buf, int off, long ssrc, List<ReportBlock> blocks) {
        int n = ReceiverReport.FIXED_LENGTH + ReportBlocks.BLOCK_LENGTH * checkBlocks(blocks);
        check(buf, off, n);
        header(buf, off, blocks.size(), RtcpCompound.RR, n);
        Bytes.put32(buf, off + 4, ssrc);
        writeBlocks(buf, off + ReceiverReport.FIXED_LENGTH, blocks);
        return n;
    }

    /** SR (RFC 3550 §6.4.1) with sender info and up to 31 report blocks. */
    public static int writeSenderReport(byte[] buf, int off, long ssrc, long ntpTimestamp, long rtpTimestamp,
            long packetCount, long octetCount, List<ReportBlock> blocks) {
        int n = SenderReport.FIXED_LENGTH + ReportBlocks.BLOCK_LENGTH * checkBlocks(blocks);
        check(buf, off, n);
        header(buf, off, blocks.size(), RtcpCompound.SR, n);
        Bytes.put32(buf, off + 4, ssrc);
        Bytes.put64(buf, off + 8, ntpTimestamp);
        Bytes.put32(buf, off + 16, rtpTimestamp);
        Bytes.put32(buf, off + 20, packetCount);
        Bytes.put32(buf, off + 24, octetCount);
        writeBlocks(buf, off + SenderReport.FIXED_LENGTH, blocks);
        return n;
    }

    /** SDES with one chunk holding a CNAME item (RFC 3550 §6.5.1), as every compound packet needs. */
    public static int writeSdesCname(byte[] buf, int off, long ssrc, String cname) {
        byte[] c = cname.getBytes(StandardCharsets.UTF_8);
        if (c.length > 255) {
            throw new IllegalArgumentException("CNAME longer than 255 bytes");
        }
        int chunk = 4 + 2 + c.length + 1;
        int n = 4 + ((chunk + 3) & ~3);
        check(buf, off, n);
        header(buf, off, 1, RtcpCompound.SDES, n);
        Bytes.put32(buf, off + 4, ssrc);
        buf[off + 8] = Sdes.CNAME;
        buf[off + 9] = (byte) c.length;
        System.arraycopy(c, 0, buf, off + 10, c.length);
        for (int p = off + 10 + c.length; p < off + n; p++) {
            buf[p] = 0;
        }
        return n;
    }

    /** BYE (RFC 3550 §6.6) for one SSRC, no reason. */
    public static int writeBye(byte[] buf, int off, long ssrc) {
        check(buf, off, 8);
        header(buf, off, 1, RtcpCompound.BYE, 8);
        Bytes.put32(buf, off + 4, ssrc);
        return 8;
    }

    /** REMB (draft-alvestrand-rmcat-remb §2.2) for {@code ssrcs}, bitrate in bits/s. */
    public static int writeRemb(byte[] buf, int off, long senderSsrc, long bitrate, long[] ssrcs) {
        if (bitrate < 0 || ssrcs.length > 255) {
            throw new IllegalArgumentException("REMB needs bitrate >= 0 and at most 255 SSRCs");
        }
        int n = FeedbackPacket.FIXED_LENGTH + 8 + 4 * ssrcs.length;
        check(buf, off, n);
        header(buf, off, Remb.FMT, RtcpCompound.PSFB, n);
        Bytes.put32(buf, off + 4, senderSsrc);
        Bytes.put32(buf, off + 8, 0);
        int p = off + FeedbackPacket.FIXED_LENGTH;
        buf[p] = 'R';
        buf[p + 1] = 'E';
        buf[p + 2] = 'M';
        buf[p + 3] = 'B';
        buf[p + 4] = (byte) ssrcs.length;
        int exp = 0;
        long mantissa = bitrate;
        while (mantissa > 0x3FFFF) {
            mantissa >>>= 1;
            exp++;
        }
        buf[p + 5] = (byte) ((exp << 2) | (int) (mantissa >>> 16));
        buf[p + 6] = (byte) (mantissa >>> 8);
        buf[p + 7] = (byte) mantissa;
        for (int i = 0; i < ssrcs.length; i++) {
            Bytes.put32(buf, p + 8 + 4 * i, ssrcs[i]);
        }
        return n;
    }

    private static int checkBlocks(List<ReportBlock> blocks) {
        if (blocks.size() > 31) {
            throw new IllegalArgumentException("at most 31 report blocks per packet, got " + blocks.size());
        }
        return blocks.size();
    }

    private static void writeBlocks(byte[] buf, int p, List<ReportBlock> blocks) {
        for (ReportBlock b : blocks) {
            Bytes.put32(buf, p, b.ssrc());
            int lost = Math.max(-0x800000, Math.min(0x7FFFFF, b.cumulativeLost()));
            Bytes.put32(buf, p + 4, ((long) (b.fractionLost() & 0xFF) << 24) | (lost & 0xFFFFFF));
            Bytes.put32(buf, p + 8, b.extendedHighestSequence());
            Bytes.put32(buf, p + 12, b.jitter());
            Bytes.put32(buf, p + 16, b.lastSr());
            Bytes.put32(buf, p + 20, b.delaySinceLastSr());
            p += ReportBlocks.BLOCK_LENGTH;
        }
    }

    private static void header(byte[] buf, int off, int count, int type, int length) {
        buf[off] = (byte) (0x80 | count);
        buf[off + 1] = (byte) type;
        Bytes.put16(buf, off + 2, length / 4 - 1);
    }

    private static void check(byte[] buf, int off, int n) {
        if (off < 0 || off + n > buf.length) {
            throw new IndexOutOfBoundsException("RTCP packet of " + n + " bytes does not fit at " + off
                    + " in a buffer of " + buf.length);
        }
    }
}
