/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.rtcp;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A view of one SDES packet (RFC 3550 §6.5) with a chunk/item cursor. {@link #wrap} checks that
 * the source count of chunks, each a list of items ended by a null item and padded to 32 bits, fits
 * the packet. Allocation-free except {@link #itemText()} and {@link #cname()}; not thread-safe.
 */
public final class Sdes {
    /** CNAME item type. */
    public static final int CNAME = 1;

    private byte[] buf = new byte[0];
    private int firstChunk;
    private int chunk = -1;
    private int nextChunk;
    private int item = -1;
    private int chunksLeft;
    private int end;
    private boolean valid;

    /** Wraps exactly one SDES packet; false if it is not one. */
    public boolean wrap(byte[] buf, int off, int len) {
        valid = false;
        int n = Bytes.packetLength(buf, off, len);
        if (n < 0 || n != len || (buf[off + 1] & 0xFF) != RtcpCompound.SDES) {
            return false;
        }
        int pad = Bytes.padding(buf, off, n, 4);
        if (pad < 0) {
            return false;
        }
        int stop = off + n - pad;
        int p = off + 4;
        int sc = buf[off] & 0x1F;
        for (int c = 0; c < sc; c++) {
            p = chunkEnd(buf, p, stop);
            if (p < 0) {
                return false;
            }
        }
        this.buf = buf;
        this.firstChunk = off + 4;
        this.nextChunk = firstChunk;
        this.chunk = -1;
        this.item = -1;
        this.chunksLeft = sc;
        this.end = stop;
        this.valid = true;
        return true;
    }

    // Returns the offset after the chunk at p (SSRC, items, null item, padding to 4), or -1.
    private static int chunkEnd(byte[] b, int p, int stop) {
        int start = p;
        if (p + 4 > stop) {
            return -1;
        }
        p += 4;
        while (true) {
            if (p >= stop) {
                return -1;
            }
            if (b[p] == 0) {
                p++;
                break;
            }
            if (p + 2 > stop || p + 2 + (b[p + 1] & 0xFF) > stop) {
                return -1;
            }
            p += 2 + (b[p + 1] & 0xFF);
        }
        p = start + ((p - start + 3) & ~3);
        return p <= stop ? p : -1;
    }

    /** Whether the last wrap succeeded. */
    public boolean isValid() {
        return valid;
    }

    /** Number of chunks (the source count). */
    public int chunkCount() {
        return valid ? buf[firstChunk - 4] & 0x1F : 0;
    }

    /** Moves to the next chunk; false at the end. */
    public boolean nextChunk() {
        if (!valid || chunksLeft == 0) {
            chunk = -1;
            return false;
        }
        chunksLeft--;
        chunk = nextChunk;
        nextChunk = chunkEnd(buf, chunk, end);
        item = -1;
        return true;
    }

    /** SSRC/CSRC of the current chunk. */
    public long chunkSsrc() {
        return Bytes.u32(buf, chunk);
    }

    /** Moves to the next item of the current chunk; false at its null item. */
    public boolean nextItem() {
        int p = item < 0 ? chunk + 4 : item + 2 + (buf[item + 1] & 0xFF);
        if (buf[p] == 0) {
            return false;
        }
        item = p;
        return true;
    }

    /** Type of the current item (1 CNAME, 2 NAME, …). */
    public int itemType() {
        return buf[item] & 0xFF;
    }

    /** Absolute offset of the current item's text. */
    public int itemValueOffset() {
        return item + 2;
    }

    /** Length of the current item's text. */
    public int itemValueLength() {
        return buf[item + 1] & 0xFF;
    }

    /** The current item's text (UTF-8); allocates. */
    public String itemText() {
        return new String(buf, item + 2, itemValueLength(), StandardCharsets.UTF_8);
    }

    /** The CNAME of the current chunk, if it has one; moves the item cursor. Allocates. */
    public Optional<String> cname() {
        item = -1;
        while (nextItem()) {
            if (itemType() == CNAME) {
                return Optional.of(itemText());
            }
        }
        return Optional.empty();
    }
}
