/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.stun;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;

/**
 * Encodes one STUN message into a caller's buffer (RFC 8489 §5, §14), attribute by attribute.
 *
 * <p>Call {@link #start}, then the {@code add…} methods in wire order, MESSAGE-INTEGRITY and
 * FINGERPRINT last, then {@link #finish()} for the length. The header length field is kept current
 * after every attribute, as §14.5 and §14.7 require when hashing. Running out of room is a caller
 * error ({@link IndexOutOfBoundsException}): size buffers with {@link #MAX_ICE_MESSAGE} for ICE.
 *
 * <p>Not thread-safe; reuse one instance per thread. Allocation-free except
 * {@link #addXorMappedAddress(InetAddress, int)} and the String overloads.
 */
public final class StunWriter {
    /** An upper bound for the ICE messages this package writes (a 513-byte USERNAME included). */
    public static final int MAX_ICE_MESSAGE = 640;

    private final CRC32 crc = new CRC32();
    private byte[] buf = new byte[0];
    private int off;
    private int pos;
    private int limit;

    /**
     * Starts a message of {@code messageType} at {@code buf[off]} with a 12-byte transaction id
     * copied from {@code txId[txOff..]}.
     */
    public StunWriter start(byte[] buf, int off, int capacity, int messageType, byte[] txId, int txOff) {
        if (off < 0 || capacity < StunMessage.HEADER_LENGTH || off + capacity > buf.length) {
            throw new IndexOutOfBoundsException("buffer too small for a STUN header: off=" + off
                    + " capacity=" + capacity + " length=" + buf.length);
        }
        if ((messageType & ~0x3FFF) != 0) {
            throw new IllegalArgumentException("STUN message type is 14 bits: " + messageType);
        }
        this.buf = buf;
        this.off = off;
        this.limit = off + capacity;
        putShort(off, messageType);
        putShort(off + 2, 0);
        putInt(off + 4, StunMessage.MAGIC_COOKIE);
        System.arraycopy(txId, txOff, buf, off + 8, 12);
        pos = off + StunMessage.HEADER_LENGTH;
        return this;
    }

    /** Adds an attribute with a raw value, zero-padded to 4 bytes (RFC 8489 §14). */
    public StunWriter addAttribute(int type, byte[] value, int valueOff, int valueLen) {
        int at = beginAttribute(type, valueLen);
        System.arraycopy(value, valueOff, buf, at, valueLen);
        return endAttribute(at, valueLen);
    }

    /** Adds USERNAME (RFC 8489 §14.3). */
    public StunWriter addUsername(byte[] username) {
        return addAttribute(StunMessage.ATTR_USERNAME, username, 0, username.length);
    }

    /** Adds USERNAME from a string (UTF-8); allocates. */
    public StunWriter addUsername(String username) {
        return addUsername(username.getBytes(StandardCharsets.UTF_8));
    }

    /** Adds SOFTWARE (RFC 8489 §14.14); allocates. */
    public StunWriter addSoftware(String software) {
        byte[] b = software.getBytes(StandardCharsets.UTF_8);
        return addAttribute(StunMessage.ATTR_SOFTWARE, b, 0, b.length);
    }

    /** Adds PRIORITY (RFC 8445 §16.1). */
    public StunWriter addPriority(long priority) {
        int at = beginAttribute(StunMessage.ATTR_PRIORITY, 4);
        putInt(at, (int) priority);
        return endAttribute(at, 4);
    }

    /** Adds USE-CANDIDATE (RFC 8445 §16.1), an empty attribute. */
    public StunWriter addUseCandidate() {
        int at = beginAttribute(StunMessage.ATTR_USE_CANDIDATE, 0);
        return endAttribute(at, 0);
    }

    /** Adds ICE-CONTROLLING with a 64-bit tie-breaker (RFC 8445 §16.1). */
    public StunWriter addIceControlling(long tieBreaker) {
        return addUint64(StunMessage.ATTR_ICE_CONTROLLING, tieBreaker);
    }

    /** Adds ICE-CONTROLLED with a 64-bit tie-breaker (RFC 8445 §16.1). */
    public StunWriter addIceControlled(long tieBreaker) {
        return addUint64(StunMessage.ATTR_ICE_CONTROLLED, tieBreaker);
    }

    private StunWriter addUint64(int type, long v) {
        int at = beginAttribute(type, 8);
        putInt(at, (int) (v >>> 32));
        putInt(at + 4, (int) v);
        return endAttribute(at, 8);
    }

    /**
     * Adds ERROR-CODE (RFC 8489 §14.8): class = code / 100, number = code % 100, then the reason
     * (at most 127 characters, UTF-8).
     */
    public StunWriter addErrorCode(int code, String reason) {
        if (code < 300 || code > 699) {
            throw new IllegalArgumentException("STUN error code must be 300..699: " + code);
        }
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        int at = beginAttribute(StunMessage.ATTR_ERROR_CODE, 4 + r.length);
        buf[at] = 0;
        buf[at + 1] = 0;
        buf[at + 2] = (byte) (code / 100);
        buf[at + 3] = (byte) (code % 100);
        System.arraycopy(r, 0, buf, at + 4, r.length);
        return endAttribute(at, 4 + r.length);
    }

    /**
     * Adds XOR-MAPPED-ADDRESS (RFC 8489 §14.2) for the transaction id already written: the port is
     * XOR-ed with the cookie's top 16 bits, IPv4 with the cookie, IPv6 with cookie || transaction id.
     */
    public StunWriter addXorMappedAddress(InetAddress address, int port) {
        byte[] a = address.getAddress();
        int at = beginAttribute(StunMessage.ATTR_XOR_MAPPED_ADDRESS, 4 + a.length);
        buf[at] = 0;
        buf[at + 1] = (byte) (a.length == 4 ? 0x01 : 0x02);
        putShort(at + 2, (port ^ (StunMessage.MAGIC_COOKIE >>> 16)) & 0xFFFF);
        for (int i = 0; i < a.length; i++) {
            buf[at + 4 + i] = (byte) (a[i] ^ buf[off + 4 + i]);
        }
        return endAttribute(at, 4 + a.length);
    }

    /**
     * Adds MESSAGE-INTEGRITY (RFC 8489 §14.5): HMAC-SHA1, keyed by the {@code mac}'s key, over the
     * message so far with the header length already counting this attribute.
     */
    public StunWriter addMessageIntegrity(Mac hmacSha1) {
        int at = beginAttribute(StunMessage.ATTR_MESSAGE_INTEGRITY, 20);
        putShort(off + 2, at + 20 - off - StunMessage.HEADER_LENGTH);
        hmacSha1.reset();
        hmacSha1.update(buf, off, at - 4 - off);
        try {
            hmacSha1.doFinal(buf, at);
        } catch (ShortBufferException e) {
            throw new IllegalArgumentException("the Mac must be HmacSHA1 (20-byte output)", e);
        }
        return endAttribute(at, 20);
    }

    /** Adds FINGERPRINT (RFC 8489 §14.7): CRC-32 of the message so far XOR 0x5354554e. */
    public StunWriter addFingerprint() {
        int at = beginAttribute(StunMessage.ATTR_FINGERPRINT, 4);
        putShort(off + 2, at + 4 - off - StunMessage.HEADER_LENGTH);
        crc.reset();
        crc.update(buf, off, at - 4 - off);
        putInt(at, (int) crc.getValue() ^ StunMessage.FINGERPRINT_XOR);
        return endAttribute(at, 4);
    }

    /** Finishes the message; returns its length in bytes, header included. */
    public int finish() {
        putShort(off + 2, pos - off - StunMessage.HEADER_LENGTH);
        return pos - off;
    }

    private int beginAttribute(int type, int valueLen) {
        if (valueLen > 0xFFFF) {
            throw new IllegalArgumentException("STUN attribute too long: " + valueLen);
        }
        int padded = (valueLen + 3) & ~3;
        if (pos + 4 + padded > limit) {
            throw new IndexOutOfBoundsException("STUN message does not fit the buffer: need "
                    + (pos + 4 + padded - off) + " bytes, capacity " + (limit - off));
        }
        putShort(pos, type);
        putShort(pos + 2, valueLen);
        return pos + 4;
    }

    private StunWriter endAttribute(int valueAt, int valueLen) {
        int end = valueAt + valueLen;
        int padded = valueAt + ((valueLen + 3) & ~3);
        for (int i = end; i < padded; i++) {
            buf[i] = 0;
        }
        pos = padded;
        putShort(off + 2, pos - off - StunMessage.HEADER_LENGTH);
        return this;
    }

    private void putShort(int p, int v) {
        buf[p] = (byte) (v >>> 8);
        buf[p + 1] = (byte) v;
    }

    private void putInt(int p, int v) {
        buf[p] = (byte) (v >>> 24);
        buf[p + 1] = (byte) (v >>> 16);
        buf[p + 2] = (byte) (v >>> 8);
        buf[p + 3] = (byte) v;
    }
}
