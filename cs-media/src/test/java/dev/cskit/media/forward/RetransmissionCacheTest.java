/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.forward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void thePoolSizesByKindAndReusesWhatStreamsGaveBack() {
        RetransmissionPool pool = new RetransmissionPool(new RetransmissionPool.Size(64, 4096),
                new RetransmissionPool.Size(8, 1024));
        RetransmissionCache video = pool.acquire(MediaKind.VIDEO);
        RetransmissionCache audio = pool.acquire(MediaKind.AUDIO);
        assertEquals(4096 + 64 * 16, video.footprint());
        assertEquals(1024 + 8 * 16, audio.footprint());
        assertEquals(2, pool.allocated());
        video.put(3, packet(3, 100), 0, 100);
        pool.release(MediaKind.VIDEO, video);
        assertEquals(1, pool.inUse());
        RetransmissionCache again = pool.acquire(MediaKind.VIDEO);
        assertSame(video, again);
        assertEquals(null, get(again, 3), "a reused cache starts empty");
        assertEquals(2, pool.allocated());
    }
}
