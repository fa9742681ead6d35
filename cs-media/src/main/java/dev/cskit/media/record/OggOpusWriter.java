/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Writes an Ogg Opus stream (RFC 7845 on RFC 3533 pages): the {@code OpusHead} and {@code OpusTags} header
 * pages, then one audio packet per page, each page stamped with the granule position (48 kHz samples) at the
 * end of its packet. The last packet is held back so that {@link #close()} can flag its page end-of-stream.
 *
 * <p>Not thread-safe: one writer thread. Does not close the channel.
 */
public final class OggOpusWriter {

    /** RFC 3533 §6: a page carries at most 255 lacing values, so one page holds a packet of at most this. */
    public static final int MAX_PACKET = 255 * 255 - 1;
    private static final int FLAG_BOS = 0x02;
    private static final int FLAG_EOS = 0x04;
    private static final int[] CRC_TABLE = crcTable();

    private final WritableByteChannel out;
    private final int serial;
    private final byte[] page = new byte[27 + 255 + MAX_PACKET];
    private final byte[] pending = new byte[MAX_PACKET];
    private int pendingLength = -1;
    private long pendingGranule;
    private long pageSequence;
    private long bytesWritten;
    private long packetsWritten;
    private boolean closed;

    /**
     * Writes the two header pages.
     *
     * @param channels the channel count for {@code OpusHead} (1 or 2; WebRTC negotiates {@code opus/48000/2})
     * @param preSkip  samples to discard at the start of decoding (RFC 7845 §4.2)
     * @param serial   the logical bitstream serial number
     */
    public OggOpusWriter(WritableByteChannel out, int channels, int preSkip, int serial) throws IOException {
        this.out = Objects.requireNonNull(out, "out");
        if (channels < 1 || channels > 2) {
            throw new IllegalArgumentException("channels must be 1 or 2 (mapping family 0), was " + channels);
        }
        if (preSkip < 0 || preSkip > 0xFFFF) {
            throw new IllegalArgumentException("preSkip must be 0..65535, was " + preSkip);
        }
        this.serial = serial;
        // RFC 7845 §5.1: identification header.
        ByteBuffer head = ByteBuffer.allocate(19).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        head.put("OpusHead".getBytes(StandardCharsets.US_ASCII));
        head.put((byte) 1);                 // version
        head.put((byte) channels);          // output channel count
        head.putShort((short) preSkip);     // pre-skip
        head.putInt(48_000);                // input sample rate (informational)
        head.putShort((short) 0);           // output gain, Q7.8 dB
        head.put((byte) 0);                 // channel mapping family 0: mono/stereo, no table
        writePage(head.array(), 0, 19, 0, FLAG_BOS);
        // RFC 7845 §5.2: comment header, vendor string and no comments.
        byte[] vendor = "cskit".getBytes(StandardCharsets.UTF_8);
        ByteBuffer tags = ByteBuffer.allocate(8 + 4 + vendor.length + 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        tags.put("OpusTags".getBytes(StandardCharsets.US_ASCII));
        tags.putInt(vendor.length).put(vendor);
        tags.putInt(0);
        writePage(tags.array(), 0, tags.capacity(), 0, 0);
    }

    /**
     * Adds one Opus packet whose last sample ends at {@code granule} (48 kHz samples since the start, pre-skip
     * included). Returns false, writing nothing, if the packet is empty, too large for one page, or its granule
     * position goes backwards.
     */
    public boolean writePacket(byte[] buf, int off, int len, long granule) throws IOException {
        if (closed) {
            throw new IllegalStateException("the Ogg stream is closed");
        }
        if (len <= 0 || len > MAX_PACKET || granule < 0 || (pendingLength >= 0 && granule < pendingGranule)) {
            return false;
        }
        if (pendingLength >= 0) {
            writePage(pending, 0, pendingLength, pendingGranule, 0);
        }
        System.arraycopy(buf, off, pending, 0, len);
        pendingLength = len;
        pendingGranule = granule;
        packetsWritten++;
        return true;
    }

    /** Writes the last page, flagged end-of-stream (RFC 3533 §6, header_type bit 0x04). */
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (pendingLength >= 0) {
            writePage(pending, 0, pendingLength, pendingGranule, FLAG_EOS);
        } else {
            writePage(pending, 0, 0, 0, FLAG_EOS); // no audio: an empty page still ends the stream
        }
        pendingLength = -1;
    }

    /** Bytes written to the channel so far. */
    public long bytesWritten() {
        return bytesWritten;
    }

    /** Audio packets accepted so far (the last one reaches the channel on the next packet or on close). */
    public long packetsWritten() {
        return packetsWritten;
    }

    // RFC 3533 §6: capture pattern, version, header type, granule position, serial, page sequence, CRC,
    // segment count and lacing values (255 per full segment, then the remainder, 0 if the packet ends on 255).
    private void writePage(byte[] data, int off, int len, long granule, int flags) throws IOException {
        int segments = len == 0 ? 0 : len / 255 + 1;
        page[0] = 'O';
        page[1] = 'g';
        page[2] = 'g';
        page[3] = 'S';
        page[4] = 0;
        page[5] = (byte) flags;
        putLe(page, 6, granule, 8);
        putLe(page, 14, serial, 4);
        putLe(page, 18, pageSequence++, 4);
        putLe(page, 22, 0, 4);
        page[26] = (byte) segments;
        for (int i = 0; i < segments; i++) {
            page[27 + i] = (byte) (i < segments - 1 ? 255 : len % 255);
        }
        int header = 27 + segments;
        System.arraycopy(data, off, page, header, len);
        int total = header + len;
        putLe(page, 22, crc(page, 0, total), 4);
        ByteBuffer bb = ByteBuffer.wrap(page, 0, total);
        while (bb.hasRemaining()) {
            out.write(bb);
        }
        bytesWritten += total;
    }

    private static void putLe(byte[] b, int at, long v, int n) {
        for (int i = 0; i < n; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    /** RFC 3533 §6: CRC-32, generator 0x04c11db7, initial value 0, no reflection, no final XOR. */
    public static int crc(byte[] b, int off, int len) {
        int crc = 0;
        for (int i = off; i < off + len; i++) {
            crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ b[i]) & 0xFF];
        }
        return crc;
    }

    private static int[] crcTable() {
        int[] t = new int[256];
        for (int i = 0; i < 256; i++) {
            int r = i << 24;
            for (int j = 0; j < 8; j++) {
                r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04C11DB7 : r << 1;
            }
            t[i] = r;
        }
        return t;
    }
}
