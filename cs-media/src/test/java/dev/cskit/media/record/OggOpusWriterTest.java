/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class OggOpusWriterTest {

    @Test
    void crcMatchesEveryPageFfmpegWrote() {
        // An independent implementation's pages: if our RFC 3533 CRC were wrong, these would not verify.
        MediaFiles.Ogg ogg = MediaFiles.readOgg(MediaFiles.resource("sine-1s.opus"));
        assertTrue(ogg.pages().size() > 3);
        ogg.pages().forEach(p -> assertTrue(p.crcValid(), "page " + p.sequence()));
    }

    @Test
    void writesHeadersThenOnePacketPerPageWithGranulesAndEndOfStream() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OggOpusWriter w = new OggOpusWriter(Channels.newChannel(bytes), 2, 0, 0x12345678);
        byte[] a = packet(0xFC, 40);   // config 31 (CELT FB 20 ms), code 0
        byte[] b = packet(0xFC, 600);  // spans three lacing values: 255, 255, 90
        byte[] c = packet(0xFC, 510);  // a multiple of 255 ends with a 0 lacing value
        assertTrue(w.writePacket(a, 0, a.length, 960));
        assertTrue(w.writePacket(b, 0, b.length, 1920));
        assertTrue(w.writePacket(c, 0, c.length, 2880));
        w.close();
        assertEquals(bytes.size(), w.bytesWritten());

        MediaFiles.Ogg ogg = MediaFiles.readOgg(bytes.toByteArray());
        assertEquals(5, ogg.pages().size());
        for (int i = 0; i < 5; i++) {
            MediaFiles.Page p = ogg.pages().get(i);
            assertTrue(p.crcValid(), "CRC of page " + i);
            assertEquals(i, p.sequence());
            assertEquals(0x12345678, p.serial());
            assertEquals(1, p.completedPackets().size(), "one packet per page");
        }
        assertEquals(0x02, ogg.pages().get(0).flags(), "BOS on the first page only");
        assertEquals(0, ogg.pages().get(1).flags());
        assertEquals(0, ogg.pages().get(3).flags());
        assertEquals(0x04, ogg.pages().get(4).flags(), "EOS on the last page only");
        assertArrayEquals(new int[] {255, 255, 90}, ogg.pages().get(3).lacing());
        assertArrayEquals(new int[] {255, 255, 0}, ogg.pages().get(4).lacing());
        assertEquals(List.of(0L, 0L, 960L, 1920L, 2880L), ogg.packetGranules());
        assertArrayEquals(b, ogg.packets().get(3));
        assertArrayEquals(c, ogg.packets().get(4));

        // RFC 7845 §5.1 OpusHead: magic, version 1, channels, pre-skip, 48000 Hz, gain 0, family 0.
        ByteBuffer head = ByteBuffer.wrap(ogg.packets().get(0)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("OpusHead", new String(ogg.packets().get(0), 0, 8, StandardCharsets.US_ASCII));
        assertEquals(19, head.limit());
        assertEquals(1, head.get(8));
        assertEquals(2, head.get(9));
        assertEquals(0, head.getShort(10));
        assertEquals(48000, head.getInt(12));
        assertEquals(0, head.get(18));
        assertEquals("OpusTags", new String(ogg.packets().get(1), 0, 8, StandardCharsets.US_ASCII));
    }

    @Test
    void refusesPacketsThatGoBackInTimeOrCannotFitAPage() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OggOpusWriter w = new OggOpusWriter(Channels.newChannel(bytes), 1, 312, 1);
        byte[] p = packet(0xFC, 10);
        assertTrue(w.writePacket(p, 0, p.length, 1920));
        assertFalse(w.writePacket(p, 0, p.length, 960), "granule went backwards");
        assertFalse(w.writePacket(p, 0, 0, 2880), "empty packet");
        byte[] huge = new byte[OggOpusWriter.MAX_PACKET + 1];
        assertFalse(w.writePacket(huge, 0, huge.length, 2880), "too large for one page");
        w.close();
        MediaFiles.Ogg ogg = MediaFiles.readOgg(bytes.toByteArray());
        assertEquals(3, ogg.packets().size());
        assertEquals(312, ByteBuffer.wrap(ogg.packets().get(0)).order(ByteOrder.LITTLE_ENDIAN).getShort(10));
    }

    @Test
    void opusDurationsFollowTheTocByte() {
        assertEquals(960, OpusPackets.samples(new byte[] {(byte) 0xFC}, 0, 1));               // CELT 20 ms, code 0
        assertEquals(480, OpusPackets.samples(new byte[] {(byte) 0xF4}, 0, 1));               // CELT 10 ms (config 30)
        assertEquals(960, OpusPackets.samples(new byte[] {(byte) 0x08}, 0, 1));               // SILK NB 20 ms
        assertEquals(2880, OpusPackets.samples(new byte[] {(byte) 0x18}, 0, 1));              // SILK NB 60 ms
        assertEquals(1920, OpusPackets.samples(new byte[] {(byte) 0xFD}, 0, 1));              // code 1: two frames
        assertEquals(2880, OpusPackets.samples(new byte[] {(byte) 0xFF, 0x03}, 0, 2));        // code 3, M = 3
        assertEquals(-1, OpusPackets.samples(new byte[] {(byte) 0xFF}, 0, 1));                // code 3 without M
        assertEquals(-1, OpusPackets.samples(new byte[] {(byte) 0xFF, 0x07}, 0, 2));          // 140 ms > 120 ms
        assertEquals(-1, OpusPackets.samples(new byte[0], 0, 0));
    }

    private static byte[] packet(int toc, int len) {
        byte[] p = new byte[len];
        Arrays.fill(p, (byte) 0x5A);
        p[0] = (byte) toc;
        return p;
    }
}
