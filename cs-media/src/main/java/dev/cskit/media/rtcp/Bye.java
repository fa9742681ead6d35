/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.rtcp;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** A view of one BYE packet (RFC 3550 §6.6). Allocation-free except {@link #reason()}; not thread-safe. */
public final class Bye {
    private byte[] buf = new byte[0];
    private int off;
    private int reasonAt = -1;
    private boolean valid;

    /** Wraps exactly one BYE packet; false if it is not one. */
    public boolean wrap(byte[] buf, int off, int len) {
        valid = false;
        int n = Bytes.packetLength(buf, off, len);
        if (n < 0 || n != len || (buf[off + 1] & 0xFF) != RtcpCompound.BYE) {
            return false;
        }
        int sc = buf[off] & 0x1F;
        int pad = Bytes.padding(buf, off, n, 4 + 4 * sc);
        int stop = off + n - Math.max(pad, 0);
        int p = off + 4 + 4 * sc;
        if (pad < 0 || p > stop) {
            return false;
        }
        reasonAt = -1;
        if (p < stop) {
            if (p + 1 + (buf[p] & 0xFF) > stop) {
                return false;
            }
            reasonAt = p;
        }
        this.buf = buf;
        this.off = off;
        this.valid = true;
        return true;
    }

    /** Whether the last wrap succeeded. */
    public boolean isValid() {
        return valid;
    }

    /** Number of SSRC/CSRC identifiers leaving. */
    public int ssrcCount() {
        return buf[off] & 0x1F;
    }

    /** The {@code i}-th identifier. */
    public long ssrc(int i) {
        if (i < 0 || i >= ssrcCount()) {
            throw new IndexOutOfBoundsException("ssrc " + i + " of " + ssrcCount());
        }
        return Bytes.u32(buf, off + 4 + 4 * i);
    }

    /** The optional reason for leaving; allocates. */
    public Optional<String> reason() {
        return reasonAt < 0 ? Optional.empty()
                : Optional.of(new String(buf, reasonAt + 1, buf[reasonAt] & 0xFF, StandardCharsets.UTF_8));
    }
}
