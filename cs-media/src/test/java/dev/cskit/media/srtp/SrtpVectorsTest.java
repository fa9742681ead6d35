/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.srtp;

import static dev.cskit.media.srtp.Hex.bytes;
import static dev.cskit.media.srtp.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Known-answer tests from RFC 3711 Appendix B, RFC 7714 §16-17 and libsrtp's reference packet. */
class SrtpVectorsTest {

    @Test
    void aesCmKeystreamMatchesRfc3711AppendixB2() {
        AesCtr ctr = new AesCtr(bytes("2B7E151628AED2A6ABF7158809CF4F3C")); // session key
        // session salt F0..FD already shifted; SSRC = ROC = SEQ = 0, so the IV is the offset
        byte[] iv = bytes("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");
        byte[] keystream = new byte[1044512]; // 65282 blocks, the RFC's segment
        ctr.xor(iv, keystream, 0, keystream.length);
        assertEquals("e03ead0935c95e80e166b16dd92b4eb4" // counter ...0000
                + "d23513162b02d0f72a43a2fe4a5f97ab" // counter ...0001
                + "41e95b3bb0a2e8dd477901e4fca894c0", hex(keystream, 0, 48)); // counter ...0002
        assertEquals("ec8cdf7398607cb0f2d21675ea9ea1e4" // counter ...FEFF
                + "362b7c3c6773516318a077d7fc5073ae" // counter ...FF00
                + "6a2cc3787889374fbeb4c81b17ba6c44", hex(keystream, keystream.length - 48, 48)); // ...FF01
    }

    @Test
    void keyDerivationMatchesRfc3711AppendixB3() {
        byte[] masterKey = bytes("E1F97A0D3E018BE0D64FA32C06DE4139");
        byte[] masterSalt = bytes("0EC675AD498AFEEBB6960B3AABE6");
        assertArrayEquals(bytes("C61E7A93744F39EE10734AFE3FF7A087"),
                SrtpKdf.derive(masterKey, masterSalt, SrtpKdf.LABEL_RTP_ENCRYPTION, 16));
        assertArrayEquals(bytes("30CBBC08863D8C85D49DB34A9AE1"),
                SrtpKdf.derive(masterKey, masterSalt, SrtpKdf.LABEL_RTP_SALT, 14));
        assertArrayEquals(bytes("CEBE321F6FF7716B6FD4AB49AF256A15 6D38BAA48F0A0ACF3C34E2359E6CDBCE"
                        + "E049646C43D9327AD175578EF7227098 6371C10C9A369AC2F94A8C5FBCDDDC25"
                        + "6D6E919A48B610EF17C2041E47403576 6B68642C59BBFC2F34DB60DBDFB2"),
                SrtpKdf.derive(masterKey, masterSalt, SrtpKdf.LABEL_RTP_AUTH, 94));
    }

    // libsrtp test/srtp_driver.c reference packets for AES_CM_128_HMAC_SHA1_80 (master key and
    // salt of RFC 3711 B.3): exercises KDF + AES-CM + HMAC-SHA1 + ROC/index wiring end to end.
    private static final byte[] CM_KEY = bytes("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static final byte[] CM_SALT = bytes("0EC675AD498AFEEBB6960B3AABE6");
    private static final String CM_RTP_PLAIN = "800f1234 decafbad cafebabe" // V=2 PT=15 SEQ=0x1234, TS, SSRC
            + "abababababababababababababababab"; // payload
    private static final String CM_RTP_PROTECTED = "800f1234 decafbad cafebabe"
            + "4e55dc4ce79978d88ca4d215949d2402" // encrypted payload
            + "b78d6acc99ea179b8dbb"; // 80-bit HMAC-SHA1 tag
    private static final String CM_RTCP_PLAIN = "81c8000b cafebabe" // SR, length 11, sender SSRC
            + "abababababababababababababababab";
    private static final String CM_RTCP_PROTECTED = "81c8000b cafebabe"
            + "7128035be487b9bdbef89041f977a5a8" // encrypted portion
            + "80000001" // E=1, SRTCP index 1
            + "993e08cd54d6c1230798"; // tag

    @Test
    void aesCmProtectMatchesLibsrtpReferencePackets() {
        SrtpContext tx = SrtpContext.create(SrtpProfile.AES_CM_128_HMAC_SHA1_80, CM_KEY, CM_SALT);
        byte[] rtp = Arrays.copyOf(bytes(CM_RTP_PLAIN), 100);
        int n = tx.protectRtp(rtp, 0, 28);
        assertEquals(CM_RTP_PROTECTED.replace(" ", ""), hex(rtp, 0, n));
        byte[] rtcp = Arrays.copyOf(bytes(CM_RTCP_PLAIN), 100);
        n = tx.protectRtcp(rtcp, 0, 24);
        assertEquals(CM_RTCP_PROTECTED.replace(" ", ""), hex(rtcp, 0, n));
    }

    @Test
    void aesCmUnprotectRecoversLibsrtpReferencePackets() {
        SrtpContext rx = SrtpContext.create(SrtpProfile.AES_CM_128_HMAC_SHA1_80, CM_KEY, CM_SALT);
        byte[] rtp = bytes(CM_RTP_PROTECTED);
        assertEquals(28, rx.unprotectRtp(rtp, 0, rtp.length));
        assertEquals(CM_RTP_PLAIN.replace(" ", ""), hex(rtp, 0, 28));
        byte[] rtcp = bytes(CM_RTCP_PROTECTED);
        assertEquals(24, rx.unprotectRtcp(rtcp, 0, rtcp.length));
        assertEquals(CM_RTCP_PLAIN.replace(" ", ""), hex(rtcp, 0, 24));
    }

    // RFC 7714 §16-17: session key and salt are given directly (no KDF).
    private static final byte[] GCM_KEY = bytes("000102030405060708090a0b0c0d0e0f");
    private static final byte[] GCM_SALT = bytes("517569642070726f2071756f"); // "Quid pro quo"
    private static final String GCM_RTP_PLAIN = "8040f17b 8041f8d3 5501a0b2" // SEQ 0xf17b, SSRC 0x5501a0b2
            + "47616c6c 69612065 7374206f 6d6e6973 20646976 69736120 696e2070 61727465 73207472 6573";
    private static final String GCM_RTP_PROTECTED = "8040f17b 8041f8d3 5501a0b2"
            + "f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5 0d294e6f 42a5f47a 51c7d19b 36de3adf 8833"
            + "899d7f27 beb16a91 52cf765e e4390cce"; // 16-byte tag
    private static final String GCM_RTCP_PLAIN = "81c8000d 4d617273" // SR, length 13, SSRC "Mars"
            + "4e545031 4e545032 52545020 0000042a 0000e930 4c756e61"
            + "deadbeef deadbeef deadbeef deadbeef deadbeef";
    private static final String GCM_RTCP_PROTECTED = "81c8000d 4d617273"
            + "63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7 6c06f32d c676a5f1 730d6fda 4ce09b46 86303ded"
            + "0bb9275b c84aa458 96cf4d2f c5abf872 45d9eade" // ciphertext, then the 16-byte tag
            + "800005d4"; // E=1, SRTCP index 0x5d4

    @Test
    void gcmRtpMatchesRfc7714Section16() {
        SrtpContext tx = SrtpContext.gcmWithSessionKeys(GCM_KEY, GCM_SALT);
        byte[] plain = bytes(GCM_RTP_PLAIN);
        byte[] buf = Arrays.copyOf(plain, plain.length + 16);
        assertEquals(plain.length + 16, tx.protectRtp(buf, 0, plain.length));
        assertArrayEquals(bytes(GCM_RTP_PROTECTED), buf);

        SrtpContext rx = SrtpContext.gcmWithSessionKeys(GCM_KEY, GCM_SALT);
        assertEquals(plain.length, rx.unprotectRtp(buf, 0, buf.length));
        assertArrayEquals(plain, Arrays.copyOf(buf, plain.length));
    }

    @Test
    void gcmRtcpMatchesRfc7714Section17() {
        byte[] plain = bytes(GCM_RTCP_PLAIN);
        byte[] buf = Arrays.copyOf(plain, plain.length + 20);
        int n = AesGcmTransform.withSessionKeys(GCM_KEY, GCM_SALT).protectRtcp(buf, 0, plain.length,
                0x4d617273, 0x800005d4);
        assertEquals(plain.length + 20, n);
        assertArrayEquals(bytes(GCM_RTCP_PROTECTED), buf);

        SrtpContext rx = SrtpContext.gcmWithSessionKeys(GCM_KEY, GCM_SALT);
        assertEquals(plain.length, rx.unprotectRtcp(buf, 0, buf.length));
        assertArrayEquals(plain, Arrays.copyOf(buf, plain.length));
    }
}
