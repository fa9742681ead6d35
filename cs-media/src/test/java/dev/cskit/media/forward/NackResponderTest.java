/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The responder's cache: none before media, then sized to the measured bitrate, on a manual clock. */
class NackResponderTest {

    private static final long MS = 1_000_000L;

    private final RetransmissionPool pool = new RetransmissionPool();
    private final byte[] packet = new byte[1200];
    private long now = 5_000 * MS;

    /** Sends {@code perSecond} packets of {@code len} bytes a second for {@code millis}, at 10 ms spacing. */
    private int send(NackResponder r, int seq, int len, int millis) {
        for (int t = 0; t < millis; t += 10) {
            packet[2] = (byte) (seq >>> 8);
            packet[3] = (byte) seq;
            r.remember(packet, 0, len, now);
            seq++;
            now += 10 * MS;
        }
        return seq;
    }

    @Test
    void aStreamThatNeverCarriedMediaHoldsNoCache() {
        NackResponder r = new NackResponder(MediaKind.VIDEO, pool);
        assertFalse(r.hasCache());
        assertEquals(0, pool.allocated());
        r.remember(packet, 0, 11, now); // shorter than an RTP header: not media
        assertFalse(r.hasCache());
        assertEquals(0, pool.allocated());
    }

    @Test
    void theFirstPacketTakesTheSmallestCacheAndTheMeasuredBitrateSizesTheNext() {
        NackResponder r = new NackResponder(MediaKind.VIDEO, pool);
        int seq = send(r, 0, 1000, 10);
        assertEquals(16 * 1024, r.cacheCapacity(), "the rate is not known yet");
        seq = send(r, seq, 1000, 1000); // 100 packets of 1000 B a second: 800 kbit/s, 50 kB in 500 ms
        assertEquals(64 * 1024, r.cacheCapacity());
        assertEquals(2, pool.allocated());
        assertEquals(1, pool.inUse(), "the small cache went back to the pool");
        seq = send(r, seq, 1000, 1000);
        assertEquals(64 * 1024, r.cacheCapacity(), "a steady rate keeps its cache");
        send(r, seq, 100, 2000); // 80 kbit/s: 5 kB, well under a quarter of 64 KiB
        assertEquals(16 * 1024, r.cacheCapacity());
        assertEquals(2, pool.allocated(), "the pooled small cache served it");
        r.close();
        assertEquals(0, pool.inUse());
    }

    @Test
    void packetsCachedBeforeAMoveAreStillAnsweredAfterIt() {
        NackResponder r = new NackResponder(MediaKind.VIDEO, pool);
        int seq = send(r, 0, 1000, 1000);
        assertEquals(16 * 1024, r.cacheCapacity());
        int last = seq - 1;
        send(r, seq, 1000, 10); // the window ends: the stream moves to a larger cache
        assertEquals(64 * 1024, r.cacheCapacity());
        byte[] scratch = new byte[1500];
        int[] resent = {0};
        // NACK of the last packet sent into the small cache: PID = last, no BLP bits (RFC 4585 §6.2.1).
        dev.cskit.media.rtcp.Nack nack = new dev.cskit.media.rtcp.Nack();
        byte[] fb = nackPacket(last);
        assertTrue(nack.wrap(fb, 0, fb.length));
        assertEquals(1, r.answer(nack, scratch, (b, len) -> {
            resent[0] = ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
            return true;
        }));
        assertEquals(last, resent[0]);
    }

    @Test
    void aFullBudgetLeavesTheStreamWithoutACacheUntilThereIsRoom() {
        MemoryBudget budget = new MemoryBudget(1024);
        RetransmissionPool tight = new RetransmissionPool(RetransmissionPool.DEFAULT_VIDEO,
                RetransmissionPool.DEFAULT_AUDIO, budget);
        NackResponder r = new NackResponder(MediaKind.VIDEO, tight);
        send(r, 0, 1000, 1100);
        assertFalse(r.hasCache());
        assertEquals(2, tight.refused(), "asked with the first packet and again when the window ended");
        assertEquals(0, budget.used());
    }

    // RTPFB, FMT 1 (generic NACK): header, sender SSRC, media SSRC, one FCI of PID and BLP.
    private static byte[] nackPacket(int pid) {
        return new byte[] {
            (byte) 0x81, (byte) 205, 0, 3,   // V=2, FMT=1, PT=205, length 3 words
            0, 0, 0, 1,                      // sender SSRC
            0, 0, 0, 2,                      // media SSRC
            (byte) (pid >>> 8), (byte) pid,  // PID
            0, 0                             // BLP
        };
    }
}
