/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.bench;

import org.jitsi.utils.ByteArrayBuffer;

/** A minimal {@link ByteArrayBuffer} over a caller's array, for driving jitsi-srtp. Not thread-safe. */
final class JitsiBuffer implements ByteArrayBuffer {
    private byte[] buf;
    private int off;
    private int len;

    void set(byte[] buf, int off, int len) {
        this.buf = buf;
        this.off = off;
        this.len = len;
    }

    @Override
    public byte[] getBuffer() {
        return buf;
    }

    @Override
    public int getOffset() {
        return off;
    }

    @Override
    public int getLength() {
        return len;
    }

    @Override
    public void setLength(int len) {
        this.len = len;
    }

    @Override
    public void setOffset(int off) {
        this.off = off;
    }

    @Override
    public boolean isInvalid() {
        return false;
    }

    @Override
    public void readRegionToBuff(int off, int len, byte[] out) {
        System.arraycopy(buf, this.off + off, out, 0, len);
    }

    @Override
    public void grow(int howMuch) {
        if (buf.length - off - len < howMuch) {
            byte[] b = new byte[len + howMuch];
            System.arraycopy(buf, off, b, 0, len);
            buf = b;
            off = 0;
        }
    }

    @Override
    public void append(byte[] data, int n) {
        grow(n);
        System.arraycopy(data, 0, buf, off + len, n);
        len += n;
    }

    @Override
    public void shrink(int n) {
        len = Math.max(0, len - n);
    }
}
