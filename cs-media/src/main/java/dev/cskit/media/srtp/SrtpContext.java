/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.srtp;

import java.util.Objects;

/**
 * One direction of an SRTP/SRTCP session (RFC 3711): a context built from the remote party's
 * master key only unprotects, one built from ours only protects. It holds the session keys
 * derived from the master key and salt, and per-SSRC state: the rollover counter and highest
 * sequence number (RFC 3711 §3.3.1, Appendix A), a replay window of {@value ReplayWindow#SIZE}
 * packets (§3.3.2), and the SRTCP index (§3.4).
 *
 * <p>Per-packet methods work in place on {@code (buf, off, len)}, return the new length or a
 * negative {@link SrtpResult} code, never throw on bad input and never log. A failed call leaves
 * the bytes and the context state untouched and bumps a counter (see {@link #counters()}).
 * State for a new SSRC is created only after its first packet authenticates.
 * Protecting needs {@link SrtpProfile#rtpOverhead()} / {@link SrtpProfile#rtcpOverhead()} spare
 * bytes after the packet in {@code buf}.
 *
 * <p>Thread-safety: not thread-safe; use a context from one thread at a time (a network thread
 * or a per-peer serial executor). {@link #counters()} may be read from any thread and is then
 * only approximately current.
 */
public final class SrtpContext {
    /** Default bound on tracked SSRCs per direction (audio, video, RTX, FEC and a few spares). */
    public static final int DEFAULT_MAX_STREAMS = 32;

    private final SrtpProfile profile;
    private final Transform transform;
    private final int tag;
    private final int maxStreams;

    private final int[] rtpSsrcs;
    private final RtpStream[] rtpStreams;
    private int rtpCount;
    private final int[] rtcpSsrcs;
    private final RtcpStream[] rtcpStreams;
    private int rtcpCount;

    private long rtpOk;
    private long rtcpOk;
    private final long[] failures = new long[SrtpResult.CODES];

    private static final class RtpStream {
        long highestIndex = -1;
        final ReplayWindow replay = new ReplayWindow();
    }

    private static final class RtcpStream {
        int nextIndex = 1; // like libsrtp, the first SRTCP index sent is 1
        final ReplayWindow replay = new ReplayWindow();
    }

    /** Snapshot of a context's counters. */
    public record Counters(long rtpOk, long rtcpOk, long malformed, long authFailed, long replayed,
                           long tooManyStreams, long bufferTooSmall) {
    }

    private SrtpContext(SrtpProfile profile, Transform transform, int maxStreams) {
        this.profile = profile;
        this.transform = transform;
        this.tag = profile.tagLength();
        this.maxStreams = maxStreams;
        this.rtpSsrcs = new int[maxStreams];
        this.rtpStreams = new RtpStream[maxStreams];
        this.rtcpSsrcs = new int[maxStreams];
        this.rtcpStreams = new RtcpStream[maxStreams];
    }

    /** Creates a context from a master key and salt, tracking up to {@link #DEFAULT_MAX_STREAMS}. */
    public static SrtpContext create(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        return create(profile, masterKey, masterSalt, DEFAULT_MAX_STREAMS);
    }

    /** Creates a context from a master key and salt, tracking up to {@code maxStreams} SSRCs. */
    public static SrtpContext create(SrtpProfile profile, byte[] masterKey, byte[] masterSalt, int maxStreams) {
        Objects.requireNonNull(profile, "profile");
        checkLength("master key", masterKey, profile.keyLength());
        checkLength("master salt", masterSalt, profile.saltLength());
        if (maxStreams < 1) {
            throw new IllegalArgumentException("maxStreams must be >= 1, was " + maxStreams);
        }
        Transform t = switch (profile) {
            case AES_CM_128_HMAC_SHA1_80 -> new AesCmTransform(masterKey, masterSalt);
            case AEAD_AES_128_GCM -> new AesGcmTransform(masterKey, masterSalt);
        };
        return new SrtpContext(profile, t, maxStreams);
    }

    /** Test hook: a GCM context keyed directly with session key and salt (RFC 7714 §16-17 vectors). */
    static SrtpContext gcmWithSessionKeys(byte[] sessionKey, byte[] sessionSalt) {
        return new SrtpContext(SrtpProfile.AEAD_AES_128_GCM,
                AesGcmTransform.withSessionKeys(sessionKey, sessionSalt), DEFAULT_MAX_STREAMS);
    }

    private static void checkLength(String what, byte[] b, int expected) {
        Objects.requireNonNull(b, what);
        if (b.length != expected) {
            throw new IllegalArgumentException(what + " must be " + expected + " bytes, was " + b.length);
        }
    }

    /** The protection profile of this context. */
    public SrtpProfile profile() {
        return profile;
    }

    /** Current counters. */
    public Counters counters() {
        return new Counters(rtpOk, rtcpOk, failures[-SrtpResult.MALFORMED], failures[-SrtpResult.AUTH_FAILED],
                failures[-SrtpResult.REPLAYED], failures[-SrtpResult.TOO_MANY_STREAMS],
                failures[-SrtpResult.BUFFER_TOO_SMALL]);
    }

    private int fail(int code) {
        failures[-code]++;
        return code;
    }

    // ---------------------------------------------------------------- RTP

    /**
     * Encrypts and authenticates the RTP packet {@code buf[off, off+len)} in place, appending the
     * tag; returns the SRTP length or a negative {@link SrtpResult}.
     */
    public int protectRtp(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        int hdrLen = rtpHeaderLength(buf, off, len);
        if (hdrLen < 0) {
            return fail(SrtpResult.MALFORMED);
        }
        if (buf.length - off - len < tag) {
            return fail(SrtpResult.BUFFER_TOO_SMALL);
        }
        int ssrc = readInt(buf, off + 8);
        int seq = readShort(buf, off + 2);
        int slot = find(rtpSsrcs, rtpCount, ssrc);
        if (slot < 0 && rtpCount == maxStreams) {
            return fail(SrtpResult.TOO_MANY_STREAMS);
        }
        RtpStream s = slot < 0 ? null : rtpStreams[slot];
        long index = estimateIndex(s == null ? -1 : s.highestIndex, seq);
        if (index < 0) {
            return fail(SrtpResult.REPLAYED); // older than the stream's first packet
        }
        int out = transform.protectRtp(buf, off, hdrLen, len, ssrc, index);
        if (s == null) {
            s = addRtp(ssrc);
        }
        if (index > s.highestIndex) {
            s.highestIndex = index;
        }
        rtpOk++;
        return out;
    }

    /**
     * Authenticates, replay-checks and decrypts the SRTP packet {@code buf[off, off+len)} in place;
     * returns the RTP length or a negative {@link SrtpResult}.
     */
    public int unprotectRtp(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < 12 + tag) {
            return fail(SrtpResult.MALFORMED);
        }
        int hdrLen = rtpHeaderLength(buf, off, len - tag);
        if (hdrLen < 0) {
            return fail(SrtpResult.MALFORMED);
        }
        int ssrc = readInt(buf, off + 8);
        int seq = readShort(buf, off + 2);
        int slot = find(rtpSsrcs, rtpCount, ssrc);
        if (slot < 0 && rtpCount == maxStreams) {
            return fail(SrtpResult.TOO_MANY_STREAMS);
        }
        RtpStream s = slot < 0 ? null : rtpStreams[slot];
        // RFC 3711 §3.3.1: a new stream starts with ROC 0 and s_l = the first SEQ seen.
        long index = estimateIndex(s == null ? -1 : s.highestIndex, seq);
        if (index < 0 || (s != null && s.replay.isReplay(index))) {
            return fail(SrtpResult.REPLAYED);
        }
        if (!transform.unprotectRtp(buf, off, hdrLen, len, ssrc, index)) {
            return fail(SrtpResult.AUTH_FAILED);
        }
        if (s == null) {
            s = addRtp(ssrc);
        }
        // RFC 3711 §3.3.1: update ROC and s_l only after the packet authenticated.
        if (index > s.highestIndex) {
            s.highestIndex = index;
        }
        s.replay.accept(index);
        rtpOk++;
        return len - tag;
    }

    /**
     * RFC 3711 Appendix A: guess the packet index from SEQ and the highest index seen so far.
     * Returns a negative value for a packet from before the stream's ROC 0.
     */
    static long estimateIndex(long highestIndex, int seq) {
        if (highestIndex < 0) {
            return seq;
        }
        long roc = highestIndex >>> 16;
        int sl = (int) (highestIndex & 0xffff);
        long v;
        if (sl < 32768) {
            v = (seq - sl > 32768) ? roc - 1 : roc;
        } else {
            v = (sl - 32768 > seq) ? roc + 1 : roc;
        }
        return v < 0 ? -1 : (v << 16) | seq;
    }

    /** RTP header length (RFC 3550 §5.1, §5.3.1), or -1 if {@code len} bytes cannot hold it. */
    private static int rtpHeaderLength(byte[] buf, int off, int len) {
        if (len < 12) {
            return -1;
        }
        int b0 = buf[off] & 0xff;
        if ((b0 >>> 6) != 2) {
            return -1;
        }
        int hdr = 12 + 4 * (b0 & 0x0f);
        if ((b0 & 0x10) != 0) {
            if (hdr + 4 > len) {
                return -1;
            }
            hdr += 4 + 4 * readShort(buf, off + hdr + 2);
        }
        return hdr <= len ? hdr : -1;
    }

    private RtpStream addRtp(int ssrc) {
        RtpStream s = new RtpStream();
        rtpSsrcs[rtpCount] = ssrc;
        rtpStreams[rtpCount++] = s;
        return s;
    }

    // ---------------------------------------------------------------- RTCP

    /**
     * Encrypts and authenticates the (compound) RTCP packet {@code buf[off, off+len)} in place,
     * appending E||SRTCP index and the tag; returns the SRTCP length or a negative {@link SrtpResult}.
     */
    public int protectRtcp(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (!isRtcpHeader(buf, off, len)) {
            return fail(SrtpResult.MALFORMED);
        }
        if (buf.length - off - len < tag + 4) {
            return fail(SrtpResult.BUFFER_TOO_SMALL);
        }
        int ssrc = readInt(buf, off + 4);
        int slot = find(rtcpSsrcs, rtcpCount, ssrc);
        RtcpStream s;
        if (slot >= 0) {
            s = rtcpStreams[slot];
        } else if (rtcpCount == maxStreams) {
            return fail(SrtpResult.TOO_MANY_STREAMS);
        } else {
            s = new RtcpStream();
            rtcpSsrcs[rtcpCount] = ssrc;
            rtcpStreams[rtcpCount++] = s;
        }
        int index = s.nextIndex;
        s.nextIndex = (index + 1) & 0x7fffffff; // RFC 3711 §3.4: 31-bit index
        int out = transform.protectRtcp(buf, off, len, ssrc, 0x80000000 | index);
        rtcpOk++;
        return out;
    }

    /**
     * Authenticates, replay-checks and decrypts the SRTCP packet {@code buf[off, off+len)} in place;
     * returns the RTCP length or a negative {@link SrtpResult}.
     */
    public int unprotectRtcp(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < 8 + 4 + tag || !isRtcpHeader(buf, off, len)) {
            return fail(SrtpResult.MALFORMED);
        }
        int ssrc = readInt(buf, off + 4);
        int eIndex = readInt(buf, off + transform.rtcpIndexOffset(len));
        long index = eIndex & 0x7fffffffL;
        int slot = find(rtcpSsrcs, rtcpCount, ssrc);
        if (slot < 0 && rtcpCount == maxStreams) {
            return fail(SrtpResult.TOO_MANY_STREAMS);
        }
        RtcpStream s = slot < 0 ? null : rtcpStreams[slot];
        if (s != null && s.replay.isReplay(index)) {
            return fail(SrtpResult.REPLAYED);
        }
        int plain = transform.unprotectRtcp(buf, off, len, ssrc, eIndex);
        if (plain < 0) {
            return fail(SrtpResult.AUTH_FAILED);
        }
        if (s == null) {
            s = new RtcpStream();
            rtcpSsrcs[rtcpCount] = ssrc;
            rtcpStreams[rtcpCount++] = s;
        }
        s.replay.accept(index);
        rtcpOk++;
        return plain;
    }

    /** Version 2 and room for the 8-byte header with the sender SSRC (RFC 3550 §6.4). */
    private static boolean isRtcpHeader(byte[] buf, int off, int len) {
        return len >= 8 && ((buf[off] & 0xff) >>> 6) == 2;
    }

    // ---------------------------------------------------------------- helpers

    private static int find(int[] ssrcs, int count, int ssrc) {
        for (int i = 0; i < count; i++) {
            if (ssrcs[i] == ssrc) {
                return i;
            }
        }
        return -1;
    }

    private static int readShort(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    private static int readInt(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }
}
