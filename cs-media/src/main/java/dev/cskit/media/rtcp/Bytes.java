/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.rtcp;

/** Big-endian helpers shared by the RTCP views and writer. */
final class Bytes {
    private Bytes() {
    }

    static int u16(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    static long u32(byte[] b, int p) {
        return ((b[p] & 0xFFL) << 24) | ((b[p + 1] & 0xFFL) << 16) | ((b[p + 2] & 0xFFL) << 8) | (b[p + 3] & 0xFFL);
    }

    static long u64(byte[] b, int p) {
        return (u32(b, p) << 32) | u32(b, p + 4);
    }

    static void put16(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 8);
        b[p + 1] = (byte) v;
    }

    static void put32(byte[] b, int p, long v) {
        b[p] = (byte) (v >>> 24);
        b[p + 1] = (byte) (v >>> 16);
        b[p + 2] = (byte) (v >>> 8);
        b[p + 3] = (byte) v;
    }

    static void put64(byte[] b, int p, long v) {
        put32(b, p, v >>> 32);
        put32(b, p + 4, v);
    }

    /**
     * Checks an RTCP common header at {@code b[off]} (RFC 3550 §6.4.1): version 2, length field
     * within {@code len}; returns the packet length in bytes, or -1.
     */
    static int packetLength(byte[] b, int off, int len) {
        if (b == null || off < 0 || len < 4 || off + len > b.length || off + len < 0) {
            return -1;
        }
        if (((b[off] & 0xFF) >>> 6) != 2) {
            return -1;
        }
        int n = (u16(b, off + 2) + 1) * 4;
        return n <= len ? n : -1;
    }

    /** Padding bytes of a packet of {@code n} bytes at {@code off}, or -1 if the count is invalid. */
    static int padding(byte[] b, int off, int n, int minBody) {
        if ((b[off] & 0x20) == 0) {
            return 0;
        }
        int pad = b[off + n - 1] & 0xFF;
        return pad == 0 || pad > n - minBody ? -1 : pad;
    }
}
