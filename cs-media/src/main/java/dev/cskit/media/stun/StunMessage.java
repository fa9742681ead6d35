/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.stun;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;

/**
 * A reusable read-only view of one STUN message inside a caller's buffer (RFC 8489 §5, §14).
 *
 * <p>{@link #wrap} checks the header and the attribute layout and remembers where the attributes
 * this server cares about are; the accessors then read the buffer in place. Nothing is copied and
 * nothing is allocated per message, except by the accessors documented as allocating. Per RFC 8489
 * §14 only the first occurrence of an attribute counts, and attributes after MESSAGE-INTEGRITY other
 * than FINGERPRINT are ignored (§14.5). Network input never throws: problems are {@link StunStatus}
 * codes.
 *
 * <p>Not thread-safe: it holds scratch buffers for integrity checks. Use one instance per thread (or
 * per agent); the buffer must not change while the view is in use.
 */
public final class StunMessage {
    /** The fixed STUN header length (RFC 8489 §5). */
    public static final int HEADER_LENGTH = 20;
    /** RFC 8489 §5: the magic cookie, fixed. */
    public static final int MAGIC_COOKIE = 0x2112A442;
    /** RFC 8489 §14.7: the CRC-32 is XOR-ed with this value ("STUN"). */
    public static final int FINGERPRINT_XOR = 0x5354554e;

    /** Binding request (method 0x001, class request). */
    public static final int BINDING_REQUEST = 0x0001;
    /** Binding indication (RFC 8489 §5: class indication). */
    public static final int BINDING_INDICATION = 0x0011;
    /** Binding success response. */
    public static final int BINDING_SUCCESS = 0x0101;
    /** Binding error response. */
    public static final int BINDING_ERROR = 0x0111;

    /** RFC 8489 §14.3. */
    public static final int ATTR_USERNAME = 0x0006;
    /** RFC 8489 §14.5. */
    public static final int ATTR_MESSAGE_INTEGRITY = 0x0008;
    /** RFC 8489 §14.8. */
    public static final int ATTR_ERROR_CODE = 0x0009;
    /** RFC 8489 §14.2. */
    public static final int ATTR_XOR_MAPPED_ADDRESS = 0x0020;
    /** RFC 8489 §14.6 (MESSAGE-INTEGRITY-SHA256, recognised but not verified here). */
    public static final int ATTR_MESSAGE_INTEGRITY_SHA256 = 0x001C;
    /** RFC 8445 §16.1. */
    public static final int ATTR_PRIORITY = 0x0024;
    /** RFC 8445 §16.1. */
    public static final int ATTR_USE_CANDIDATE = 0x0025;
    /** RFC 8489 §14.14. */
    public static final int ATTR_SOFTWARE = 0x8022;
    /** RFC 8489 §14.7. */
    public static final int ATTR_FINGERPRINT = 0x8028;
    /** RFC 8445 §16.1. */
    public static final int ATTR_ICE_CONTROLLED = 0x8029;
    /** RFC 8445 §16.1. */
    public static final int ATTR_ICE_CONTROLLING = 0x802A;

    private static final int MI_LENGTH = 20;

    private final byte[] macScratch = new byte[MI_LENGTH];
    private final byte[] lengthScratch = new byte[2];
    private final CRC32 crc = new CRC32();

    private byte[] buf = new byte[0];
    private int off;
    private int len;
    private boolean valid;

    private int username = -1;
    private int integrity = -1;
    private int fingerprint = -1;
    private int xorMapped = -1;
    private int errorCode = -1;
    private int priority = -1;
    private int useCandidate = -1;
    private int controlling = -1;
    private int controlled = -1;
    private int unknownRequired;

    /**
     * Points this view at {@code buf[off, off+len)} and checks the header and attribute layout.
     *
     * @return {@link StunStatus#OK} or {@link StunStatus#MALFORMED}; on MALFORMED every accessor
     *     other than {@link #isValid()} returns its "absent" value
     */
    public StunStatus wrap(byte[] buf, int off, int len) {
        reset();
        if (buf == null || off < 0 || len < HEADER_LENGTH || off + len > buf.length || off + len < 0) {
            return StunStatus.MALFORMED;
        }
        // RFC 8489 §5: the two most significant bits are zero, the length is a multiple of 4 and
        // covers exactly the attributes; the magic cookie is fixed.
        if ((buf[off] & 0xC0) != 0 || readInt(buf, off + 4) != MAGIC_COOKIE) {
            return StunStatus.MALFORMED;
        }
        int msgLen = readShort(buf, off + 2);
        if ((msgLen & 3) != 0 || msgLen + HEADER_LENGTH != len) {
            return StunStatus.MALFORMED;
        }
        this.buf = buf;
        this.off = off;
        this.len = len;
        int p = off + HEADER_LENGTH;
        int end = off + len;
        boolean afterIntegrity = false;
        while (p < end) {
            if (end - p < 4) {
                return malformed();
            }
            int type = readShort(buf, p);
            int alen = readShort(buf, p + 2);
            int value = p + 4;
            int padded = (alen + 3) & ~3;
            if (padded > end - value) {
                return malformed();
            }
            if (fingerprint >= 0) {
                // RFC 8489 §14.7: FINGERPRINT is the last attribute.
                return malformed();
            }
            if (type == ATTR_FINGERPRINT) {
                if (alen != 4) {
                    return malformed();
                }
                fingerprint = value;
            } else if (!afterIntegrity) {
                switch (type) {
                    case ATTR_USERNAME:
                        if (username < 0) {
                            if (alen > 513) {
                                return malformed();
                            }
                            username = value;
                        }
                        break;
                    case ATTR_MESSAGE_INTEGRITY:
                        if (alen != MI_LENGTH) {
                            return malformed();
                        }
                        integrity = value;
                        afterIntegrity = true;
                        break;
                    case ATTR_MESSAGE_INTEGRITY_SHA256:
                        afterIntegrity = true;
                        break;
                    case ATTR_ERROR_CODE:
                        if (errorCode < 0) {
                            if (alen < 4) {
                                return malformed();
                            }
                            errorCode = value;
                        }
                        break;
                    case ATTR_XOR_MAPPED_ADDRESS:
                        if (xorMapped < 0) {
                            if (alen != 8 && alen != 20) {
                                return malformed();
                            }
                            xorMapped = value;
                        }
                        break;
                    case ATTR_PRIORITY:
                        if (priority < 0) {
                            if (alen != 4) {
                                return malformed();
                            }
                            priority = value;
                        }
                        break;
                    case ATTR_USE_CANDIDATE:
                        if (alen != 0) {
                            return malformed();
                        }
                        useCandidate = value;
                        break;
                    case ATTR_ICE_CONTROLLING:
                        if (controlling < 0) {
                            if (alen != 8) {
                                return malformed();
                            }
                            controlling = value;
                        }
                        break;
                    case ATTR_ICE_CONTROLLED:
                        if (controlled < 0) {
                            if (alen != 8) {
                                return malformed();
                            }
                            controlled = value;
                        }
                        break;
                    default:
                        // RFC 8489 §14: 0x0000-0x7FFF are comprehension-required.
                        if (type < 0x8000 && unknownRequired == 0) {
                            unknownRequired = type;
                        }
                        break;
                }
            }
            p = value + padded;
        }
        valid = true;
        return StunStatus.OK;
    }

    private StunStatus malformed() {
        reset();
        return StunStatus.MALFORMED;
    }

    private void reset() {
        valid = false;
        off = 0;
        len = 0;
        username = integrity = fingerprint = xorMapped = errorCode = -1;
        priority = useCandidate = controlling = controlled = -1;
        unknownRequired = 0;
    }

    /** Whether the last {@link #wrap} succeeded. */
    public boolean isValid() {
        return valid;
    }

    /** The 14-bit message type (method and class), or -1 when not valid. */
    public int messageType() {
        return valid ? readShort(buf, off) : -1;
    }

    /** The method (RFC 8489 §5: type bits without the class bits), or -1. */
    public int method() {
        int t = messageType();
        return t < 0 ? -1 : ((t & 0x3E00) >> 2) | ((t & 0x00E0) >> 1) | (t & 0x000F);
    }

    /** The class: 0 request, 1 indication, 2 success response, 3 error response; -1 when not valid. */
    public int messageClass() {
        int t = messageType();
        return t < 0 ? -1 : ((t & 0x0100) >> 7) | ((t & 0x0010) >> 4);
    }

    /** The message length in bytes, header included. */
    public int length() {
        return len;
    }

    /** The offset of the message in the buffer. */
    public int offset() {
        return off;
    }

    /** Copies the 12-byte transaction id into {@code dst[dstOff..]}. */
    public void copyTransactionId(byte[] dst, int dstOff) {
        requireValid();
        System.arraycopy(buf, off + 8, dst, dstOff, 12);
    }

    /** Whether the transaction id equals {@code other[otherOff, otherOff+12)}. */
    public boolean transactionIdEquals(byte[] other, int otherOff) {
        if (!valid) {
            return false;
        }
        for (int i = 0; i < 12; i++) {
            if (buf[off + 8 + i] != other[otherOff + i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether USERNAME is present. */
    public boolean hasUsername() {
        return username >= 0;
    }

    /** Offset of the USERNAME value in the buffer, or -1. */
    public int usernameOffset() {
        return username;
    }

    /** Length of the USERNAME value, or -1. */
    public int usernameLength() {
        return username < 0 ? -1 : readShort(buf, username - 2);
    }

    /** Whether USERNAME equals the given bytes exactly. Allocation-free. */
    public boolean usernameEquals(byte[] expected) {
        if (username < 0 || usernameLength() != expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (buf[username + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    /** USERNAME as a UTF-8 string; allocates. */
    public Optional<String> username() {
        return username < 0 ? Optional.empty()
                : Optional.of(new String(buf, username, usernameLength(), StandardCharsets.UTF_8));
    }

    /** Whether MESSAGE-INTEGRITY is present. */
    public boolean hasIntegrity() {
        return integrity >= 0;
    }

    /** Whether FINGERPRINT is present. */
    public boolean hasFingerprint() {
        return fingerprint >= 0;
    }

    /** PRIORITY (RFC 8445 §16.1), or -1 when absent. */
    public long priority() {
        return priority < 0 ? -1 : readInt(buf, priority) & 0xFFFFFFFFL;
    }

    /** Whether USE-CANDIDATE is present (RFC 8445 §16.1). */
    public boolean hasUseCandidate() {
        return useCandidate >= 0;
    }

    /** Whether ICE-CONTROLLING is present. */
    public boolean hasIceControlling() {
        return controlling >= 0;
    }

    /** Whether ICE-CONTROLLED is present. */
    public boolean hasIceControlled() {
        return controlled >= 0;
    }

    /** The tie-breaker of ICE-CONTROLLING or ICE-CONTROLLED, whichever is present; 0 if neither. */
    public long tieBreaker() {
        int at = controlling >= 0 ? controlling : controlled;
        return at < 0 ? 0 : ((long) readInt(buf, at) << 32) | (readInt(buf, at + 4) & 0xFFFFFFFFL);
    }

    /** The first unknown comprehension-required attribute type (RFC 8489 §14), or 0 if none. */
    public int unknownComprehensionRequired() {
        return unknownRequired;
    }

    /** ERROR-CODE as class*100+number (RFC 8489 §14.8), or -1 when absent. */
    public int errorCode() {
        if (errorCode < 0) {
            return -1;
        }
        return (buf[errorCode + 2] & 0x07) * 100 + (buf[errorCode + 3] & 0xFF);
    }

    /** The ERROR-CODE reason phrase; allocates. */
    public Optional<String> errorReason() {
        if (errorCode < 0) {
            return Optional.empty();
        }
        int alen = readShort(buf, errorCode - 2);
        return Optional.of(new String(buf, errorCode + 4, alen - 4, StandardCharsets.UTF_8));
    }

    /** Whether XOR-MAPPED-ADDRESS is present. */
    public boolean hasXorMappedAddress() {
        return xorMapped >= 0;
    }

    /**
     * Decodes XOR-MAPPED-ADDRESS (RFC 8489 §14.2): port XOR the cookie's top 16 bits, IPv4 XOR the
     * cookie, IPv6 XOR cookie||transaction id. Allocates; empty when absent or of unknown family.
     */
    public Optional<InetSocketAddress> xorMappedAddress() {
        if (xorMapped < 0) {
            return Optional.empty();
        }
        int family = buf[xorMapped + 1] & 0xFF;
        int alen = readShort(buf, xorMapped - 2);
        int port = readShort(buf, xorMapped + 2) ^ (MAGIC_COOKIE >>> 16);
        byte[] addr;
        if (family == 0x01 && alen == 8) {
            addr = new byte[4];
        } else if (family == 0x02 && alen == 20) {
            addr = new byte[16];
        } else {
            return Optional.empty();
        }
        for (int i = 0; i < addr.length; i++) {
            // bytes 4..19 of the header are the cookie followed by the transaction id
            addr[i] = (byte) (buf[xorMapped + 4 + i] ^ buf[off + 4 + i]);
        }
        try {
            return Optional.of(new InetSocketAddress(InetAddress.getByAddress(addr), port));
        } catch (UnknownHostException e) {
            return Optional.empty(); // unreachable: the address length is 4 or 16
        }
    }

    /**
     * Verifies FINGERPRINT (RFC 8489 §14.7): CRC-32 of the message up to the attribute, XOR
     * 0x5354554e. Allocation-free.
     */
    public StunStatus verifyFingerprint() {
        if (!valid) {
            return StunStatus.MALFORMED;
        }
        if (fingerprint < 0) {
            return StunStatus.NO_FINGERPRINT;
        }
        crc.reset();
        // FINGERPRINT is last, so the header length already covers it.
        crc.update(buf, off, fingerprint - 4 - off);
        int expected = (int) crc.getValue() ^ FINGERPRINT_XOR;
        return readInt(buf, fingerprint) == expected ? StunStatus.OK : StunStatus.BAD_FINGERPRINT;
    }

    /**
     * Verifies MESSAGE-INTEGRITY (RFC 8489 §14.5) with a {@code HmacSHA1} {@link Mac} already
     * initialised with the key (short-term: the UTF-8 password). The HMAC covers the message up to
     * the attribute, with the header length adjusted to end just after it. Allocation-free; the
     * comparison is constant-time.
     */
    public StunStatus verifyIntegrity(Mac hmacSha1) {
        if (!valid) {
            return StunStatus.MALFORMED;
        }
        if (integrity < 0) {
            return StunStatus.NO_INTEGRITY;
        }
        int attrStart = integrity - 4;
        int adjusted = attrStart + 4 + MI_LENGTH - off - HEADER_LENGTH;
        lengthScratch[0] = (byte) (adjusted >>> 8);
        lengthScratch[1] = (byte) adjusted;
        hmacSha1.reset();
        hmacSha1.update(buf, off, 2);
        hmacSha1.update(lengthScratch, 0, 2);
        hmacSha1.update(buf, off + 4, attrStart - off - 4);
        try {
            hmacSha1.doFinal(macScratch, 0);
        } catch (ShortBufferException e) {
            throw new IllegalArgumentException("the Mac must be HmacSHA1 (20-byte output)", e);
        }
        int diff = 0;
        for (int i = 0; i < MI_LENGTH; i++) {
            diff |= macScratch[i] ^ buf[integrity + i];
        }
        return diff == 0 ? StunStatus.OK : StunStatus.BAD_INTEGRITY;
    }

    /** Verifies MESSAGE-INTEGRITY with a raw key; allocates a {@link Mac}. */
    public StunStatus verifyIntegrity(byte[] key) {
        return verifyIntegrity(StunKeys.hmacSha1(key));
    }

    private void requireValid() {
        if (!valid) {
            throw new IllegalStateException("no valid STUN message wrapped; check wrap()'s result first");
        }
    }

    static int readShort(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    static int readInt(byte[] b, int p) {
        return ((b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }
}
