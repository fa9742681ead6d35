/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cskit.media.fuzz.ByteFuzz;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, acceptance 5: {@link RtcpCompound} and the report and feedback views ({@link SenderReport},
 * {@link ReceiverReport}, {@link Sdes}, {@link Bye}, {@link Nack}, {@link Pli}, {@link Fir}, {@link Remb}) on
 * {@link ByteFuzz#cases()} seeded mutations of compound and single packets. No input throws, from a {@code wrap}
 * or from the accessors of a packet it accepted; loops end; a packet reads the same wherever it sits in a buffer.
 */
class RtcpFuzzTest {

    private static final long SEED = ByteFuzz.seed(4585L);

    private final RtcpCompound compound = new RtcpCompound();
    private final SenderReport sr = new SenderReport();
    private final ReceiverReport rr = new ReceiverReport();
    private final Sdes sdes = new Sdes();
    private final Bye bye = new Bye();
    private final Nack nack = new Nack();
    private final Pli pli = new Pli();
    private final Fir fir = new Fir();
    private final Remb remb = new Remb();
    private final int[] lost = new int[64];

    /** What every view says about {@code buf[off, off+len)}: as a compound, then as each kind of single packet. */
    String read(byte[] buf, int off, int len) {
        StringBuilder s = new StringBuilder();
        boolean isCompound = compound.wrap(buf, off, len);
        s.append(isCompound);
        if (isCompound) {
            int steps = 0;
            while (compound.next()) {
                assertTrue(++steps <= len / 4, "the compound walk does not end");
                int p = compound.packetOffset();
                int n = compound.packetLength();
                assertTrue(p >= off && n >= 4 && p + n <= off + len, "a packet outside the datagram");
                s.append('[').append(compound.packetType()).append('/').append(compound.count()).append('@')
                        .append(p - off).append('+').append(n).append('/').append(compound.senderSsrc());
                views(s, buf, p, n);
                s.append(']');
            }
        }
        s.append('|');
        views(s, buf, off, len);
        return s.toString();
    }

    private void views(StringBuilder s, byte[] buf, int off, int len) {
        if (sr.wrap(buf, off, len)) {
            s.append("SR").append(sr.ntpTimestamp()).append(sr.rtpTimestamp()).append(sr.packetCount())
                    .append(sr.octetCount());
            blocks(s, sr);
        }
        if (rr.wrap(buf, off, len)) {
            s.append("RR");
            blocks(s, rr);
        }
        if (sdes.wrap(buf, off, len)) {
            s.append("SDES").append(sdes.chunkCount());
            int items = 0;
            while (sdes.nextChunk()) {
                s.append(',').append(sdes.chunkSsrc());
                while (sdes.nextItem()) {
                    assertTrue(++items <= len, "the SDES item walk does not end");
                    int v = sdes.itemValueOffset() - off;
                    assertTrue(v >= 0 && v + sdes.itemValueLength() <= len, "an SDES item outside the packet");
                    s.append(sdes.itemType()).append(':').append(sdes.itemText());
                }
                s.append(sdes.cname()); // walks the chunk's items again from its start
            }
        }
        if (bye.wrap(buf, off, len)) {
            s.append("BYE").append(bye.ssrcCount());
            for (int i = 0; i < bye.ssrcCount(); i++) {
                s.append(',').append(bye.ssrc(i));
            }
            s.append(bye.reason());
        }
        if (nack.wrap(buf, off, len)) {
            s.append("NACK").append(nack.senderSsrc()).append(nack.mediaSsrc()).append(nack.fciLength());
            for (int i = 0; i < nack.entryCount(); i++) {
                s.append(',').append(nack.pid(i)).append('/').append(nack.blp(i));
            }
            int n = nack.lostSequenceNumbers(lost);
            s.append(Arrays.toString(Arrays.copyOf(lost, n)));
        }
        if (pli.wrap(buf, off, len)) {
            s.append("PLI").append(pli.senderSsrc()).append(pli.mediaSsrc());
        }
        if (fir.wrap(buf, off, len)) {
            s.append("FIR");
            for (int i = 0; i < fir.entryCount(); i++) {
                s.append(',').append(fir.entrySsrc(i)).append('/').append(fir.entrySequence(i));
            }
        }
        if (remb.wrap(buf, off, len)) {
            s.append("REMB").append(remb.bitrate()).append(remb.ssrcCount());
            for (int i = 0; i < remb.ssrcCount(); i++) {
                s.append(',').append(remb.ssrc(i));
            }
        }
    }

    private static void blocks(StringBuilder s, ReportBlocks r) {
        s.append(r.ssrc()).append('/').append(r.reportCount());
        for (int i = 0; i < r.reportCount(); i++) {
            s.append(',').append(r.blockSsrc(i)).append(r.fractionLost(i)).append(r.cumulativeLost(i))
                    .append(r.extendedHighestSequence(i)).append(r.jitter(i)).append(r.lastSr(i))
                    .append(r.delaySinceLastSr(i));
        }
    }

    @Test
    void mutatedRtcpNeverThrowsAndReadsOnlyItsWindow() {
        List<byte[]> seeds = new ArrayList<>(List.of(RtcpTest.COMPOUND, RtcpTest.PLI, RtcpTest.FIR, RtcpTest.NACK,
                RtcpTest.REMB));
        byte[] b = new byte[1500];
        int n = RtcpWriter.writeReceiverReport(b, 0, 1, List.of(
                new RtcpWriter.ReportBlock(2, 10, -5, 70_000, 300, 0x12345678L, 6553),
                new RtcpWriter.ReportBlock(3, 0, 0, 1, 0, 0, 0)));
        n += RtcpWriter.writeSdesCname(b, n, 1, "someone@example.com");
        n += RtcpWriter.writeBye(b, n, 1);
        seeds.add(Arrays.copyOf(b, n));
        n = RtcpWriter.writeRemb(b, 0, 1, 2_500_000, new long[] {7, 8, 9});
        n += RtcpWriter.writeNack(b, n, 1, 7, new int[] {10, 11, 30, 65535, 0}, 5);
        seeds.add(Arrays.copyOf(b, n));

        ByteFuzz fuzz = new ByteFuzz(SEED, seeds);
        int valid = 0;
        int cases = ByteFuzz.cases();
        for (int i = 0; i < cases; i++) {
            byte[] c = fuzz.next();
            ByteFuzz.Placed p = fuzz.place(c);
            try {
                String alone = read(c, 0, c.length);
                String inside = read(p.buffer(), p.offset(), c.length);
                assertEquals(alone, inside, "read outside its window");
                if (alone.startsWith("true")) {
                    valid++;
                }
            } catch (RuntimeException | AssertionError e) {
                fail(e + " on " + ByteFuzz.describe(SEED, i, c), e);
            }
        }
        System.out.println("RtcpFuzzTest: " + cases + " cases, seed " + SEED + ", " + valid + " well-formed compounds");
        assertTrue(valid > cases / 20, "too few mutations stayed RTCP (" + valid + "): the fuzz is too blunt");
    }
}
