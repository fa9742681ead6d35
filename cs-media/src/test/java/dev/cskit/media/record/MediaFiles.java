/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.record;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Independent readers of the recorded formats (and of ffmpeg's fixtures), strict about every field. */
final class MediaFiles {

    private MediaFiles() {
    }

    static byte[] resource(String name) {
        try (InputStream in = MediaFiles.class.getResourceAsStream("/record/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /record/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One Ogg page (RFC 3533 §6). */
    record Page(int flags, long granule, int serial, long sequence, int[] lacing, List<byte[]> completedPackets,
                boolean crcValid) {
    }

    /** Ogg file: pages with their CRC checked, and the packets they carry. */
    record Ogg(List<Page> pages, List<byte[]> packets, List<Long> packetGranules) {
    }

    /** Parses every page; fails on a bad capture pattern or version, reports CRC validity per page. */
    static Ogg readOgg(byte[] f) {
        List<Page> pages = new ArrayList<>();
        List<byte[]> packets = new ArrayList<>();
        List<Long> granules = new ArrayList<>();
        ByteBuffer partial = ByteBuffer.allocate(f.length);
        int at = 0;
        while (at < f.length) {
            if (f[at] != 'O' || f[at + 1] != 'g' || f[at + 2] != 'g' || f[at + 3] != 'S' || f[at + 4] != 0) {
                throw new IllegalArgumentException("no Ogg page at " + at);
            }
            ByteBuffer h = ByteBuffer.wrap(f, at, 27).order(ByteOrder.LITTLE_ENDIAN);
            int flags = f[at + 5] & 0xFF;
            long granule = h.getLong(at + 6);
            int serial = h.getInt(at + 14);
            long seq = h.getInt(at + 18) & 0xFFFFFFFFL;
            int crc = h.getInt(at + 22);
            int nseg = f[at + 26] & 0xFF;
            int[] lacing = new int[nseg];
            int body = 0;
            for (int i = 0; i < nseg; i++) {
                lacing[i] = f[at + 27 + i] & 0xFF;
                body += lacing[i];
            }
            int total = 27 + nseg + body;
            byte[] copy = Arrays.copyOfRange(f, at, at + total);
            copy[22] = copy[23] = copy[24] = copy[25] = 0;
            boolean crcValid = OggOpusWriter.crc(copy, 0, total) == crc;
            List<byte[]> done = new ArrayList<>();
            int p = at + 27 + nseg;
            for (int l : lacing) {
                partial.put(f, p, l);
                p += l;
                if (l < 255) {
                    byte[] packet = Arrays.copyOf(partial.array(), partial.position());
                    partial.clear();
                    done.add(packet);
                    packets.add(packet);
                    granules.add(granule);
                }
            }
            pages.add(new Page(flags, granule, serial, seq, lacing, done, crcValid));
            at += total;
        }
        return new Ogg(pages, packets, granules);
    }

    record IvfFrame(long pts, byte[] data) {
    }

    record Ivf(String fourcc, int width, int height, int rate, int scale, int frameCount, List<IvfFrame> frames) {
    }

    static Ivf readIvf(byte[] f) {
        ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
        if (f[0] != 'D' || f[1] != 'K' || f[2] != 'I' || f[3] != 'F' || b.getShort(4) != 0 || b.getShort(6) != 32) {
            throw new IllegalArgumentException("not an IVF file");
        }
        String fourcc = new String(f, 8, 4, java.nio.charset.StandardCharsets.US_ASCII);
        List<IvfFrame> frames = new ArrayList<>();
        int at = 32;
        while (at < f.length) {
            int size = b.getInt(at);
            long pts = b.getLong(at + 4);
            frames.add(new IvfFrame(pts, Arrays.copyOfRange(f, at + 12, at + 12 + size)));
            at += 12 + size;
        }
        return new Ivf(fourcc, b.getShort(12) & 0xFFFF, b.getShort(14) & 0xFFFF, b.getInt(16), b.getInt(20),
                b.getInt(24), frames);
    }

    /** Splits an Annex B byte stream at its 3- or 4-byte start codes into NAL units. */
    static List<byte[]> nalUnits(byte[] f) {
        List<byte[]> out = new ArrayList<>();
        int start = -1;
        int i = 0;
        while (i + 2 < f.length) {
            if (f[i] == 0 && f[i + 1] == 0 && f[i + 2] == 1) {
                if (start >= 0) {
                    int end = i;
                    if (end > start && f[end - 1] == 0) {
                        end--; // 4-byte start code
                    }
                    out.add(Arrays.copyOfRange(f, start, end));
                }
                i += 3;
                start = i;
            } else {
                i++;
            }
        }
        if (start >= 0) {
            out.add(Arrays.copyOfRange(f, start, f.length));
        }
        return out;
    }

    /** NAL units grouped into access units, each starting at an access unit delimiter (type 9). */
    static List<List<byte[]>> accessUnits(byte[] f) {
        List<List<byte[]>> aus = new ArrayList<>();
        for (byte[] nal : nalUnits(f)) {
            if ((nal[0] & 0x1F) == 9 || aus.isEmpty()) {
                aus.add(new ArrayList<>());
            }
            aus.get(aus.size() - 1).add(nal);
        }
        return aus;
    }
}
