/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cskit.media.fuzz.ByteFuzz;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, acceptance 5: {@link RtpPacket} on {@link ByteFuzz#cases()} seeded mutations of RTP packets with
 * one-byte and two-byte header extensions, CSRCs and padding. No input throws; every offset it gives stays inside
 * the packet; a packet reads the same wherever it sits in a buffer; extension walks end.
 */
class RtpFuzzTest {

    private static final long SEED = ByteFuzz.seed(3550L);

    static String read(RtpPacket r, boolean wrapped, int off, int len) {
        StringBuilder s = new StringBuilder().append(wrapped).append(r.isValid());
        if (!wrapped) {
            return s.toString();
        }
        s.append('|').append(r.version()).append(r.hasPadding()).append(r.hasExtension()).append(r.csrcCount());
        for (int i = 0; i < r.csrcCount(); i++) {
            s.append(',').append(r.csrc(i));
        }
        s.append('|').append(r.marker()).append(r.payloadType()).append('/').append(r.sequenceNumber())
                .append('/').append(r.timestamp()).append('/').append(r.ssrc());
        int payload = r.payloadOffset() - off;
        assertTrue(payload >= RtpPacket.FIXED_HEADER_LENGTH && r.payloadLength() >= 0 && r.paddingLength() >= 0
                && payload + r.payloadLength() + r.paddingLength() == len, "payload outside the packet");
        s.append('|').append(r.headerLength()).append('/').append(payload).append('/').append(r.payloadLength())
                .append('/').append(r.paddingLength()).append('|').append(r.extensionProfile())
                .append(r.isOneByteExtension());
        int steps = 0;
        for (int e = r.firstExtension(); e >= 0; e = r.nextExtension(e)) {
            assertTrue(++steps <= len, "the extension walk does not end");
            int v = r.extensionValueOffset(e) - off;
            assertTrue(e >= off && v >= 0 && v + r.extensionValueLength(e) <= len, "extension outside the packet");
            s.append(',').append(r.extensionId(e)).append('@').append(v).append('+').append(r.extensionValueLength(e));
        }
        for (int id = 1; id < 16; id++) {
            int e = r.findExtension(id);
            s.append(e < 0 ? -1 : e - off);
        }
        return s.toString();
    }

    @Test
    void mutatedRtpNeverThrowsAndReadsOnlyItsWindow() {
        byte[] plain = new byte[172];
        RtpPacket.writeHeader(plain, 0, 111, true, 4711, 123_456_789L, 0x11223344L);
        List<byte[]> seeds = List.of(RtpPacketTest.ONE_BYTE_EXT, RtpPacketTest.TWO_BYTE_EXT, RtpPacketTest.PADDED,
                plain);
        ByteFuzz fuzz = new ByteFuzz(SEED, seeds);
        RtpPacket exact = new RtpPacket();
        RtpPacket placed = new RtpPacket();
        int valid = 0;
        int cases = ByteFuzz.cases();
        for (int i = 0; i < cases; i++) {
            byte[] b = fuzz.next();
            ByteFuzz.Placed p = fuzz.place(b);
            try {
                String alone = read(exact, exact.wrap(b, 0, b.length), 0, b.length);
                String inside = read(placed, placed.wrap(p.buffer(), p.offset(), b.length), p.offset(), b.length);
                assertEquals(alone, inside, "read outside its window");
                if (exact.isValid()) {
                    valid++;
                    // Rewriting ids in place must stay inside the packet too.
                    exact.rewriteExtensionId(fuzz.random().nextInt(16), 1 + fuzz.random().nextInt(14));
                }
            } catch (RuntimeException | AssertionError e) {
                fail(e + " on " + ByteFuzz.describe(SEED, i, b), e);
            }
        }
        System.out.println("RtpFuzzTest: " + cases + " cases, seed " + SEED + ", " + valid + " well-formed");
        assertTrue(valid > cases / 10, "too few mutations stayed RTP (" + valid + "): the fuzz is too blunt");
    }
}
