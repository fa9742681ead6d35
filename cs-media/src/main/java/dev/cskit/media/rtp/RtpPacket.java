/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.rtp;

/**
 * A reusable flyweight view of one RTP packet in a caller's buffer (RFC 3550 §5.1) with RFC 8285
 * header extensions.
 *
 * <p>{@link #wrap} validates the layout once (version 2, CSRC list, extension block and padding
 * inside the packet) and returns false for anything else; the accessors then read the buffer in
 * place and the setters rewrite fields in place (for SSRC/sequence/timestamp/payload type
 * rewriting in a forwarder). Nothing is allocated. Header extension elements are addressed by an
 * element position (an absolute offset in the buffer): {@link #firstExtension()},
 * {@link #nextExtension(int)}, {@link #findExtension(int)}.
 *
 * <p>Works on plain RTP and on SRTP (the header is in the clear, RFC 3711 §3.1; the payload and the
 * auth tag are then opaque bytes at the end). Not thread-safe; one instance per thread.
 */
public final class RtpPacket {
    /** The fixed header length (RFC 3550 §5.1). */
    public static final int FIXED_HEADER_LENGTH = 12;
    /** RFC 8285 §4.2: the one-byte header form's "defined by profile" value. */
    public static final int ONE_BYTE_PROFILE = 0xBEDE;
    /** RFC 8285 §4.3: the two-byte form's profile value with the 4 appbits zero. */
    public static final int TWO_BYTE_PROFILE = 0x1000;

    private byte[] buf = new byte[0];
    private int off;
    private int len;
    private int payloadOffset;
    private int paddingLength;
    private int extensionStart = -1; // first element byte
    private int extensionEnd = -1;
    private boolean oneByteForm;
    private boolean valid;

    /** Points the view at {@code buf[off, off+len)}; returns false (view invalid) if it is not RTP. */
    public boolean wrap(byte[] buf, int off, int len) {
        valid = false;
        extensionStart = extensionEnd = -1;
        if (buf == null || off < 0 || len < FIXED_HEADER_LENGTH || off + len > buf.length || off + len < 0) {
            return false;
        }
        int b0 = buf[off] & 0xFF;
        if ((b0 >>> 6) != 2) {
            return false;
        }
        int p = off + FIXED_HEADER_LENGTH + 4 * (b0 & 0x0F);
        int end = off + len;
        if (p > end) {
            return false;
        }
        if ((b0 & 0x10) != 0) {
            // RFC 3550 §5.3.1: 16-bit profile, 16-bit length in 32-bit words, then the data.
            if (p + 4 > end) {
                return false;
            }
            int profile = ((buf[p] & 0xFF) << 8) | (buf[p + 1] & 0xFF);
            int words = ((buf[p + 2] & 0xFF) << 8) | (buf[p + 3] & 0xFF);
            int dataEnd = p + 4 + 4 * words;
            if (dataEnd > end) {
                return false;
            }
            if (profile == ONE_BYTE_PROFILE || (profile & 0xFFF0) == TWO_BYTE_PROFILE) {
                oneByteForm = profile == ONE_BYTE_PROFILE;
                extensionStart = p + 4;
                extensionEnd = dataEnd;
            }
            p = dataEnd;
        }
        int pad = 0;
        if ((b0 & 0x20) != 0) {
            // RFC 3550 §5.1: the last octet counts the padding octets, itself included.
            pad = buf[end - 1] & 0xFF;
            if (pad == 0 || pad > end - p) {
                return false;
            }
        }
        this.buf = buf;
        this.off = off;
        this.len = len;
        this.payloadOffset = p;
        this.paddingLength = pad;
        this.valid = true;
        return true;
    }

    /** Whether the last {@link #wrap} succeeded. */
    public boolean isValid() {
        return valid;
    }

    /** The buffer this view reads. */
    public byte[] buffer() {
        return buf;
    }

    /** Offset of the packet in the buffer. */
    public int offset() {
        return off;
    }

    /** Packet length in bytes. */
    public int length() {
        return len;
    }

    /** Version (always 2 for a valid view). */
    public int version() {
        return (buf[off] & 0xFF) >>> 6;
    }

    /** Padding bit. */
    public boolean hasPadding() {
        return (buf[off] & 0x20) != 0;
    }

    /** Extension bit. */
    public boolean hasExtension() {
        return (buf[off] & 0x10) != 0;
    }

    /** CSRC count. */
    public int csrcCount() {
        return buf[off] & 0x0F;
    }

    /** The {@code i}-th CSRC. */
    public long csrc(int i) {
        if (i < 0 || i >= csrcCount()) {
            throw new IndexOutOfBoundsException("csrc " + i + " of " + csrcCount());
        }
        return readUint32(off + FIXED_HEADER_LENGTH + 4 * i);
    }

    /** Marker bit. */
    public boolean marker() {
        return (buf[off + 1] & 0x80) != 0;
    }

    /** Payload type, 0–127. */
    public int payloadType() {
        return buf[off + 1] & 0x7F;
    }

    /** Sequence number, 0–65535. */
    public int sequenceNumber() {
        return ((buf[off + 2] & 0xFF) << 8) | (buf[off + 3] & 0xFF);
    }

    /** Timestamp as an unsigned 32-bit value. */
    public long timestamp() {
        return readUint32(off + 4);
    }

    /** SSRC as an unsigned 32-bit value. */
    public long ssrc() {
        return readUint32(off + 8);
    }

    /** Header length: fixed header, CSRCs and the extension block. */
    public int headerLength() {
        return payloadOffset - off;
    }

    /** Absolute offset of the payload in the buffer. */
    public int payloadOffset() {
        return payloadOffset;
    }

    /** Payload length without the padding. */
    public int payloadLength() {
        return off + len - payloadOffset - paddingLength;
    }

    /** Number of padding bytes (0 without the P bit). */
    public int paddingLength() {
        return paddingLength;
    }

    /** Sets the marker bit in place. */
    public void setMarker(boolean marker) {
        buf[off + 1] = (byte) (marker ? buf[off + 1] | 0x80 : buf[off + 1] & 0x7F);
    }

    /** Sets the payload type (0–127) in place. */
    public void setPayloadType(int pt) {
        if ((pt & ~0x7F) != 0) {
            throw new IllegalArgumentException("payload type is 7 bits: " + pt);
        }
        buf[off + 1] = (byte) ((buf[off + 1] & 0x80) | pt);
    }

    /** Sets the sequence number (low 16 bits used) in place. */
    public void setSequenceNumber(int seq) {
        buf[off + 2] = (byte) (seq >>> 8);
        buf[off + 3] = (byte) seq;
    }

    /** Sets the timestamp (low 32 bits used) in place. */
    public void setTimestamp(long ts) {
        writeUint32(off + 4, ts);
    }

    /** Sets the SSRC (low 32 bits used) in place. */
    public void setSsrc(long ssrc) {
        writeUint32(off + 8, ssrc);
    }

    /** The extension profile ("defined by profile" field), or -1 without an extension. */
    public int extensionProfile() {
        if (!hasExtension()) {
            return -1;
        }
        int p = off + FIXED_HEADER_LENGTH + 4 * csrcCount();
        return ((buf[p] & 0xFF) << 8) | (buf[p + 1] & 0xFF);
    }

    /** Whether the extension uses the RFC 8285 one-byte form (false for two-byte or none). */
    public boolean isOneByteExtension() {
        return extensionStart >= 0 && oneByteForm;
    }

    /**
     * The position of the first RFC 8285 extension element, or -1 if there are none (or the
     * extension block is not RFC 8285).
     */
    public int firstExtension() {
        return extensionStart < 0 ? -1 : skipPadding(extensionStart);
    }

    /** The element after the one at {@code element}, or -1 at the end. */
    public int nextExtension(int element) {
        int next = extensionValueOffset(element) + extensionValueLength(element);
        return skipPadding(next);
    }

    // RFC 8285 §4.2/§4.3: ID 0 is a one-byte padding; in the one-byte form ID 15 stops parsing.
    // Elements running past the block are treated as the end (the packet stays forwardable).
    private int skipPadding(int p) {
        while (p < extensionEnd && buf[p] == 0) {
            p++;
        }
        if (p >= extensionEnd) {
            return -1;
        }
        if (oneByteForm) {
            if (((buf[p] & 0xFF) >>> 4) == 15) {
                return -1;
            }
            int vlen = (buf[p] & 0x0F) + 1;
            return p + 1 + vlen <= extensionEnd ? p : -1;
        }
        if (p + 2 > extensionEnd) {
            return -1;
        }
        int vlen = buf[p + 1] & 0xFF;
        return p + 2 + vlen <= extensionEnd ? p : -1;
    }

    /** The ID of the element at {@code element}. */
    public int extensionId(int element) {
        return oneByteForm ? (buf[element] & 0xFF) >>> 4 : buf[element] & 0xFF;
    }

    /** Absolute offset of the element's value. */
    public int extensionValueOffset(int element) {
        return element + (oneByteForm ? 1 : 2);
    }

    /** Length of the element's value in bytes. */
    public int extensionValueLength(int element) {
        return oneByteForm ? (buf[element] & 0x0F) + 1 : buf[element + 1] & 0xFF;
    }

    /** The position of the first element with {@code id}, or -1. */
    public int findExtension(int id) {
        for (int e = firstExtension(); e >= 0; e = nextExtension(e)) {
            if (extensionId(e) == id) {
                return e;
            }
        }
        return -1;
    }

    /**
     * Rewrites the ID of every element with {@code oldId} to {@code newId} in place (for mapping
     * extmap ids between two peers). Returns false, changing nothing, if none has {@code oldId} or
     * {@code newId} does not fit the form (1–14 one-byte, 1–255 two-byte).
     */
    public boolean rewriteExtensionId(int oldId, int newId) {
        int max = oneByteForm ? 14 : 255;
        if (newId < 1 || newId > max || findExtension(oldId) < 0) {
            return false;
        }
        for (int e = firstExtension(); e >= 0; e = nextExtension(e)) {
            if (extensionId(e) == oldId) {
                if (oneByteForm) {
                    buf[e] = (byte) ((newId << 4) | (buf[e] & 0x0F));
                } else {
                    buf[e] = (byte) newId;
                }
            }
        }
        return true;
    }

    /**
     * Writes a 12-byte RTP fixed header (no CSRC, no extension, no padding) at {@code buf[off]};
     * returns 12.
     */
    public static int writeHeader(byte[] buf, int off, int payloadType, boolean marker, int seq, long timestamp,
            long ssrc) {
        buf[off] = (byte) 0x80;
        buf[off + 1] = (byte) ((marker ? 0x80 : 0) | (payloadType & 0x7F));
        buf[off + 2] = (byte) (seq >>> 8);
        buf[off + 3] = (byte) seq;
        for (int i = 0; i < 4; i++) {
            buf[off + 4 + i] = (byte) (timestamp >>> (24 - 8 * i));
            buf[off + 8 + i] = (byte) (ssrc >>> (24 - 8 * i));
        }
        return FIXED_HEADER_LENGTH;
    }

    private long readUint32(int p) {
        return ((buf[p] & 0xFFL) << 24) | ((buf[p + 1] & 0xFFL) << 16) | ((buf[p + 2] & 0xFFL) << 8)
                | (buf[p + 3] & 0xFFL);
    }

    private void writeUint32(int p, long v) {
        buf[p] = (byte) (v >>> 24);
        buf[p + 1] = (byte) (v >>> 16);
        buf[p + 2] = (byte) (v >>> 8);
        buf[p + 3] = (byte) v;
    }
}
