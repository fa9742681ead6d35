/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.srtp;

/**
 * AES_CM_128_HMAC_SHA1_80 (RFC 3711 §4.1.1 encryption, §4.2.1 authentication). The HMAC is
 * {@link HmacSha1} over the JDK's intrinsified SHA-1; nothing is allocated per packet. Not
 * thread-safe.
 */
final class AesCmTransform implements Transform {
    private static final int TAG = 10;

    private final AesCtr rtpCipher;
    private final AesCtr rtcpCipher;
    private final HmacSha1 rtpMac;
    private final HmacSha1 rtcpMac;
    private final byte[] rtpSalt;
    private final byte[] rtcpSalt;
    private final byte[] iv = new byte[16];
    private final byte[] mac = new byte[20];
    private final byte[] word = new byte[4];

    AesCmTransform(byte[] masterKey, byte[] masterSalt) {
        SrtpProfile p = SrtpProfile.AES_CM_128_HMAC_SHA1_80;
        rtpCipher = new AesCtr(SrtpKdf.derive(masterKey, masterSalt, SrtpKdf.LABEL_RTP_ENCRYPTION, p.keyLength()));
        rtcpCipher = new AesCtr(SrtpKdf.derive(masterKey, masterSalt, SrtpKdf.LABEL_RTCP_ENCRYPTION, p.keyLength()));
        rtpMac = new HmacSha1(SrtpKdf.derive(masterKey, masterSalt, SrtpKdf.LABEL_RTP_AUTH, p.authKeyLength()));
        rtcpMac = new HmacSha1(SrtpKdf.derive(masterKey, masterSalt, SrtpKdf.LABEL_RTCP_AUTH, p.authKeyLength()));
        rtpSalt = SrtpKdf.derive(masterKey, masterSalt, SrtpKdf.LABEL_RTP_SALT, p.saltLength());
        rtcpSalt = SrtpKdf.derive(masterKey, masterSalt, SrtpKdf.LABEL_RTCP_SALT, p.saltLength());
    }

    /** RFC 3711 §4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16). */
    private void iv(byte[] salt, int ssrc, long index) {
        System.arraycopy(salt, 0, iv, 0, 14);
        iv[14] = 0;
        iv[15] = 0;
        iv[4] ^= (byte) (ssrc >>> 24);
        iv[5] ^= (byte) (ssrc >>> 16);
        iv[6] ^= (byte) (ssrc >>> 8);
        iv[7] ^= (byte) ssrc;
        for (int i = 0; i < 6; i++) {
            iv[8 + i] ^= (byte) (index >>> (40 - 8 * i));
        }
    }

    private void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    /** RFC 3711 §4.2: the RTP tag covers the authenticated portion and then the ROC. */
    private void rtpTag(byte[] buf, int off, int len, long index) {
        rtpMac.update(buf, off, len);
        putInt(word, 0, (int) (index >>> 16));
        rtpMac.update(word, 0, 4);
        rtpMac.doFinal(mac, 0);
    }

    private static boolean tagMatches(byte[] expected, byte[] buf, int off) {
        int diff = 0;
        for (int i = 0; i < TAG; i++) {
            diff |= expected[i] ^ buf[off + i];
        }
        return diff == 0;
    }

    @Override
    public int protectRtp(byte[] buf, int off, int hdrLen, int len, int ssrc, long index) {
        iv(rtpSalt, ssrc, index);
        rtpCipher.xor(iv, buf, off + hdrLen, len - hdrLen);
        rtpTag(buf, off, len, index);
        System.arraycopy(mac, 0, buf, off + len, TAG);
        return len + TAG;
    }

    @Override
    public boolean unprotectRtp(byte[] buf, int off, int hdrLen, int len, int ssrc, long index) {
        int authLen = len - TAG;
        rtpTag(buf, off, authLen, index);
        if (!tagMatches(mac, buf, off + authLen)) {
            return false;
        }
        iv(rtpSalt, ssrc, index);
        rtpCipher.xor(iv, buf, off + hdrLen, authLen - hdrLen);
        return true;
    }

    @Override
    public int protectRtcp(byte[] buf, int off, int len, int ssrc, int eIndex) {
        // RFC 3711 §3.4: header(8) | encrypted portion | E||SRTCP index | tag
        iv(rtcpSalt, ssrc, eIndex & 0x7fffffffL);
        rtcpCipher.xor(iv, buf, off + 8, len - 8);
        putInt(buf, off + len, eIndex);
        rtcpMac.update(buf, off, len + 4);
        rtcpMac.doFinal(mac, 0);
        System.arraycopy(mac, 0, buf, off + len + 4, TAG);
        return len + 4 + TAG;
    }

    @Override
    public int rtcpIndexOffset(int len) {
        return len - TAG - 4;
    }

    @Override
    public int unprotectRtcp(byte[] buf, int off, int len, int ssrc, int eIndex) {
        int authLen = len - TAG;
        rtcpMac.update(buf, off, authLen);
        rtcpMac.doFinal(mac, 0);
        if (!tagMatches(mac, buf, off + authLen)) {
            return -1;
        }
        int plainLen = authLen - 4;
        if (eIndex < 0) { // E flag set
            iv(rtcpSalt, ssrc, eIndex & 0x7fffffffL);
            rtcpCipher.xor(iv, buf, off + 8, plainLen - 8);
        }
        return plainLen;
    }
}
