/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.srtp;

/**
 * AEAD_AES_128_GCM for SRTP and SRTCP (RFC 7714 §8, §9): the RTP header is the associated data,
 * the 16-byte tag follows the ciphertext, and SRTCP puts E||index after the tag. RTP, the bulk of
 * the traffic, gets the fast 16 KiB GHASH tables; SRTCP, a few packets a second, the compact 4 KiB
 * ones. Not thread-safe.
 */
final class AesGcmTransform implements Transform {
    private static final int TAG = AesGcm.TAG_LENGTH;

    private final AesGcm rtpGcm;
    private final AesGcm rtcpGcm;
    private final byte[] rtpSalt;
    private final byte[] rtcpSalt;
    private final byte[] iv = new byte[12];

    AesGcmTransform(byte[] masterKey, byte[] masterSalt) {
        SrtpProfile p = SrtpProfile.AEAD_AES_128_GCM;
        rtpGcm = new AesGcm(SrtpKdf.derive(masterKey, masterSalt, SrtpKdf.LABEL_RTP_ENCRYPTION, p.keyLength()),
                Ghash.Tables.FAST);
        rtcpGcm = new AesGcm(SrtpKdf.derive(masterKey, masterSalt, SrtpKdf.LABEL_RTCP_ENCRYPTION, p.keyLength()),
                Ghash.Tables.COMPACT);
        rtpSalt = SrtpKdf.derive(masterKey, masterSalt, SrtpKdf.LABEL_RTP_SALT, p.saltLength());
        rtcpSalt = SrtpKdf.derive(masterKey, masterSalt, SrtpKdf.LABEL_RTCP_SALT, p.saltLength());
    }

    /** For tests: use the given session key and salt for both RTP and RTCP, skipping the KDF. */
    static AesGcmTransform withSessionKeys(byte[] sessionKey, byte[] sessionSalt) {
        return new AesGcmTransform(sessionKey, sessionSalt, true);
    }

    private AesGcmTransform(byte[] sessionKey, byte[] sessionSalt, boolean sessionKeys) {
        rtpGcm = new AesGcm(sessionKey, Ghash.Tables.FAST);
        rtcpGcm = new AesGcm(sessionKey, Ghash.Tables.COMPACT);
        rtpSalt = sessionSalt.clone();
        rtcpSalt = sessionSalt.clone();
    }

    /**
     * RFC 7714 §8.1 (RTP): IV = (0x0000 || SSRC || ROC || SEQ) XOR salt, where ROC||SEQ is the
     * 48-bit index; §9.1 (RTCP): IV = (0x0000 || SSRC || 0x0000 || 0 || SRTCP index) XOR salt,
     * which is the same layout with the 31-bit index in place of the 48-bit one.
     */
    private void iv(byte[] salt, int ssrc, long index) {
        iv[0] = salt[0];
        iv[1] = salt[1];
        iv[2] = (byte) (salt[2] ^ (ssrc >>> 24));
        iv[3] = (byte) (salt[3] ^ (ssrc >>> 16));
        iv[4] = (byte) (salt[4] ^ (ssrc >>> 8));
        iv[5] = (byte) (salt[5] ^ ssrc);
        for (int i = 0; i < 6; i++) {
            iv[6 + i] = (byte) (salt[6 + i] ^ (index >>> (40 - 8 * i)));
        }
    }

    @Override
    public int protectRtp(byte[] buf, int off, int hdrLen, int len, int ssrc, long index) {
        iv(rtpSalt, ssrc, index);
        rtpGcm.start(iv, 0);
        rtpGcm.aad(buf, off, hdrLen);
        rtpGcm.seal(buf, off + hdrLen, len - hdrLen);
        return len + TAG;
    }

    @Override
    public boolean unprotectRtp(byte[] buf, int off, int hdrLen, int len, int ssrc, long index) {
        int ctEnd = len - TAG;
        iv(rtpSalt, ssrc, index);
        rtpGcm.start(iv, 0);
        rtpGcm.aad(buf, off, hdrLen);
        return rtpGcm.open(buf, off + hdrLen, ctEnd - hdrLen);
    }

    @Override
    public int protectRtcp(byte[] buf, int off, int len, int ssrc, int eIndex) {
        // RFC 7714 §9: header(8) | ciphertext | tag(16) | E||SRTCP index; AAD = header || E||index
        int indexAt = off + len + TAG;
        buf[indexAt] = (byte) (eIndex >>> 24);
        buf[indexAt + 1] = (byte) (eIndex >>> 16);
        buf[indexAt + 2] = (byte) (eIndex >>> 8);
        buf[indexAt + 3] = (byte) eIndex;
        iv(rtcpSalt, ssrc, eIndex & 0x7fffffffL);
        rtcpGcm.start(iv, 0);
        rtcpGcm.aad(buf, off, 8);
        rtcpGcm.aad(buf, indexAt, 4);
        rtcpGcm.seal(buf, off + 8, len - 8);
        return len + TAG + 4;
    }

    @Override
    public int rtcpIndexOffset(int len) {
        return len - 4;
    }

    @Override
    public int unprotectRtcp(byte[] buf, int off, int len, int ssrc, int eIndex) {
        int plainLen = len - 4 - TAG;
        int indexAt = off + len - 4;
        iv(rtcpSalt, ssrc, eIndex & 0x7fffffffL);
        rtcpGcm.start(iv, 0);
        boolean ok;
        if (eIndex < 0) {
            rtcpGcm.aad(buf, off, 8);
            rtcpGcm.aad(buf, indexAt, 4);
            ok = rtcpGcm.open(buf, off + 8, plainLen - 8);
        } else {
            // RFC 7714 §9.3: unencrypted SRTCP authenticates the whole packet as AAD.
            rtcpGcm.aad(buf, off, plainLen);
            rtcpGcm.aad(buf, indexAt, 4);
            ok = rtcpGcm.open(buf, off + plainLen, 0);
        }
        return ok ? plainLen : -1;
    }
}
