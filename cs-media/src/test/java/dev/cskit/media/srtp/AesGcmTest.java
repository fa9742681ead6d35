/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.srtp;

import static dev.cskit.media.srtp.Hex.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link AesGcm} against the GCM specification's test vectors and against the JDK's
 * {@code AES/GCM/NoPadding} for many lengths, offsets and associated-data splits; and what a
 * forged message does (nothing).
 */
class AesGcmTest {

    /** McGrew and Viega, "The Galois/Counter Mode of Operation", Appendix B, test cases 1 and 2. */
    @ParameterizedTest
    @EnumSource(GhashKind.class)
    void matchesTheGcmSpecificationTestCases1And2(GhashKind kind) {
        byte[] key = new byte[16];
        byte[] iv = new byte[12];
        AesGcm gcm = kind.require().gcm(key);

        byte[] empty = new byte[16];
        gcm.start(iv, 0);
        gcm.seal(empty, 0, 0);
        assertArrayEquals(bytes("58e2fccefa7e3061367f1d57a4e7455a"), empty); // T

        byte[] one = new byte[32];
        gcm.start(iv, 0);
        gcm.seal(one, 0, 16);
        assertArrayEquals(bytes("0388dace60b6a392f328c2b971b2fe78" // C
                + "ab6e47d42cec13bdf53a67b21257bddf"), one); // T
    }

    @ParameterizedTest
    @EnumSource(GhashKind.class)
    void sealAndOpenMatchTheJdkForManyShapes(GhashKind kind) throws Exception {
        Random r = new Random(11);
        byte[] key = new byte[16];
        r.nextBytes(key);
        AesGcm gcm = kind.require().gcm(key);
        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
        for (int trial = 0; trial < 600; trial++) {
            int textLen = trial < 200 ? trial : r.nextInt(1600);
            int aadLen = r.nextInt(trial % 3 == 0 ? 17 : 80);
            int split = aadLen == 0 ? 0 : r.nextInt(aadLen + 1); // AAD given in two pieces
            int off = r.nextInt(9);
            byte[] iv = new byte[12];
            byte[] aad = new byte[aadLen];
            byte[] plain = new byte[textLen];
            r.nextBytes(iv);
            r.nextBytes(aad);
            r.nextBytes(plain);

            jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            jdk.updateAAD(aad);
            byte[] expected = jdk.doFinal(plain); // ciphertext || tag

            byte[] buf = new byte[off + textLen + 16 + 5];
            r.nextBytes(buf);
            byte[] around = buf.clone();
            System.arraycopy(plain, 0, buf, off, textLen);
            gcm.start(iv, 0);
            gcm.aad(aad, 0, split);
            gcm.aad(aad, split, aadLen - split);
            gcm.seal(buf, off, textLen);
            String what = "trial " + trial + ", text " + textLen + ", aad " + aadLen + "/" + split + ", off " + off;
            assertArrayEquals(expected, Arrays.copyOfRange(buf, off, off + textLen + 16), what);
            assertArrayEquals(Arrays.copyOf(around, off), Arrays.copyOf(buf, off), what); // nothing before
            assertArrayEquals(Arrays.copyOfRange(around, off + textLen + 16, around.length),
                    Arrays.copyOfRange(buf, off + textLen + 16, buf.length), what); // nor after

            gcm.start(iv, 0);
            gcm.aad(aad, 0, aadLen);
            assertTrue(gcm.open(buf, off, textLen), what);
            assertArrayEquals(plain, Arrays.copyOfRange(buf, off, off + textLen), what);
        }
    }

    @ParameterizedTest
    @EnumSource(GhashKind.class)
    void aForgedMessageIsRejectedAndLeftUntouched(GhashKind kind) {
        Random r = new Random(12);
        byte[] key = new byte[16];
        byte[] iv = new byte[12];
        byte[] aad = new byte[20];
        r.nextBytes(key);
        r.nextBytes(iv);
        r.nextBytes(aad);
        AesGcm gcm = kind.require().gcm(key);
        byte[] sealed = new byte[100 + 16];
        r.nextBytes(sealed);
        gcm.start(iv, 0);
        gcm.aad(aad, 0, aad.length);
        gcm.seal(sealed, 0, 100);

        // Every single-bit change of the ciphertext, the tag or the associated data must fail.
        for (int bit = 0; bit < 8 * (sealed.length + aad.length); bit++) {
            byte[] buf = sealed.clone();
            byte[] a = aad.clone();
            int at = bit >>> 3;
            if (at < buf.length) {
                buf[at] ^= (byte) (1 << (bit & 7));
            } else {
                a[at - buf.length] ^= (byte) (1 << (bit & 7));
            }
            byte[] before = buf.clone();
            gcm.start(iv, 0);
            gcm.aad(a, 0, a.length);
            assertFalse(gcm.open(buf, 0, 100), "bit " + bit);
            assertArrayEquals(before, buf, "bit " + bit);
        }
        // A different IV fails too; the genuine message still opens afterwards.
        byte[] otherIv = iv.clone();
        otherIv[11] ^= 1;
        byte[] buf = sealed.clone();
        gcm.start(otherIv, 0);
        gcm.aad(aad, 0, aad.length);
        assertFalse(gcm.open(buf, 0, 100));
        gcm.start(iv, 0);
        gcm.aad(aad, 0, aad.length);
        assertTrue(gcm.open(buf, 0, 100));
    }
}
