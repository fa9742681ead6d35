/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.forward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RetransmissionCacheTest {

    private static byte[] packet(int seq, int len) {
        byte[] b = new byte[len];
        Arrays.fill(b, (byte) seq);
        b[2] = (byte) (seq >>> 8);
        b[3] = (byte) seq;
        return b;
    }

    private static byte[] get(RetransmissionCache c, int seq) {
        byte[] out = new byte[1500];
        int n = c.get(seq, out, 0);
        return n < 0 ? null : Arrays.copyOf(out, n);
    }

    @Test
    void keepsPacketsBackToBackAndForgetsThoseOverwrittenByNewerBytes() {
        RetransmissionCache c = new RetransmissionCache(16, 1000);
        for (int seq = 0; seq < 4; seq++) {
            c.put(seq, packet(seq, 300), 0, 300); // 0..299, 300..599, 600..899, then 0..299 again (the tail skipped)
        }
        assertEquals(null, get(c, 0), "its bytes were overwritten by packet 3");
        assertArrayEquals(packet(1, 300), get(c, 1));
        assertArrayEquals(packet(2, 300), get(c, 2));
        assertArrayEquals(packet(3, 300), get(c, 3));
        c.put(4, packet(4, 350), 0, 350); // 300..649: overwrites packet 1 and the start of packet 2
        assertEquals(null, get(c, 1));
        assertEquals(null, get(c, 2));
        assertArrayEquals(packet(3, 300), get(c, 3));
        assertArrayEquals(packet(4, 350), get(c, 4));
    }

    @Test
    void anIndexSlotReusedByALaterSequenceForgetsTheEarlierOne() {
        RetransmissionCache c = new RetransmissionCache(4, 8192);
        c.put(1, packet(1, 100), 0, 100);
        c.put(5, packet(5, 100), 0, 100); // 5 & 3 == 1 & 3
        assertEquals(null, get(c, 1));
        assertArrayEquals(packet(5, 100), get(c, 5));
        assertEquals(null, get(c, 9), "never stored");
    }

    @Test
    void aPacketLargerThanTheRingIsNotKeptAndClearForgetsEverything() {
        RetransmissionCache c = new RetransmissionCache(8, 500);
        c.put(7, packet(7, 600), 0, 600);
        assertEquals(null, get(c, 7));
        c.put(8, packet(8, 200), 0, 200);
        c.clear();
        assertEquals(null, get(c, 8));
        c.put(8, packet(8, 200), 0, 200);
        assertArrayEquals(packet(8, 200), get(c, 8));
    }

    @Test
    void copyToMovesTheLivePacketsOldestFirst() {
        RetransmissionCache small = new RetransmissionCache(16, 1000);
        for (int seq = 0; seq < 4; seq++) {
            small.put(seq, packet(seq, 300), 0, 300); // packet 0 is overwritten by packet 3
        }
        RetransmissionCache big = new RetransmissionCache(64, 8192);
        small.copyTo(big);
        assertEquals(null, get(big, 0), "gone before the move, gone after it");
        for (int seq = 1; seq < 4; seq++) {
            assertArrayEquals(packet(seq, 300), get(big, seq));
        }
    }

    @Test
    void thePoolSizesCachesToTheBitrateWithinTheKindsBounds() {
        RetransmissionPool pool = new RetransmissionPool();
        assertEquals(16 * 1024, pool.sizeFor(MediaKind.VIDEO, 0), "unknown rate: the smallest");
        assertEquals(64 * 1024, pool.sizeFor(MediaKind.VIDEO, 1_000_000), "500 ms of 1 Mbit/s is 62.5 kB");
        assertEquals(512 * 1024, pool.sizeFor(MediaKind.VIDEO, 100_000_000), "capped");
        assertEquals(4 * 1024, pool.sizeFor(MediaKind.AUDIO, 64_000), "500 ms of 64 kbit/s is 4 kB");
        assertEquals(2 * 1024, pool.sizeFor(MediaKind.AUDIO, 8_000), "at least the minimum");
    }

    @Test
    void thePoolReusesWhatStreamsGaveBackAndRefusesPastTheBudget() {
        int footprint = RetransmissionCache.footprint(16 * 1024, 128);
        MemoryBudget budget = new MemoryBudget(2L * footprint);
        RetransmissionPool pool = new RetransmissionPool(RetransmissionPool.DEFAULT_VIDEO,
                RetransmissionPool.DEFAULT_AUDIO, budget);
        RetransmissionCache a = pool.acquire(16 * 1024);
        RetransmissionCache b = pool.acquire(16 * 1024);
        assertEquals(footprint, a.footprint());
        assertEquals(2L * footprint, budget.used());
        assertNull(pool.acquire(16 * 1024), "the budget is full");
        assertEquals(1, pool.refused());
        assertEquals(2, pool.allocated());

        a.put(3, packet(3, 100), 0, 100);
        pool.release(a);
        assertEquals(1, pool.inUse());
        assertEquals(2L * footprint, budget.used(), "a pooled cache still takes its heap");
        RetransmissionCache again = pool.acquire(16 * 1024);
        assertSame(a, again);
        assertEquals(null, get(again, 3), "a reused cache starts empty");
        assertEquals(2, pool.allocated());

        pool.release(again);
        pool.release(b);
        RetransmissionCache other = pool.acquire(2 * 1024);
        assertNotNull(other, "the free caches were dropped to make room for another size");
        assertEquals(other.footprint(), budget.used());
    }
}
