/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** {@link AesCtr} against the JDK's AES/CTR/NoPadding: every length and offset, and the 32-bit counter wrap. */
class AesCtrTest {

    @Test
    void matchesTheJdksCounterModeForEveryLengthAndOffset() throws Exception {
        Random r = new Random(42);
        byte[] key = new byte[16];
        r.nextBytes(key);
        AesCtr ctr = new AesCtr(key);
        for (int len = 0; len <= 100; len++) {
            for (int off = 0; off < 9; off++) {
                byte[] iv = new byte[16];
                r.nextBytes(iv);
                byte[] plain = new byte[off + len + 5];
                r.nextBytes(plain);
                byte[] ours = plain.clone();
                ctr.xor(iv, ours, off, len);
                byte[] expected = plain.clone();
                System.arraycopy(jdkCtr(key, iv, Arrays.copyOfRange(plain, off, off + len)), 0, expected, off, len);
                assertArrayEquals(expected, ours, "len " + len + " off " + off); // and nothing outside the range
            }
        }
    }

    @Test
    void theLow32BitsWrapWithoutCarryingIntoTheNonce() throws Exception {
        byte[] key = new byte[16];
        byte[] iv = new byte[16];
        Arrays.fill(iv, 12, 16, (byte) 0xff); // the second block's counter is ...00000000
        AesCtr ctr = new AesCtr(key);
        byte[] ours = new byte[48];
        ctr.xor(iv, ours, 0, ours.length);
        // SRTP's counter (RFC 3711 §4.1.1) only ever increments the low 16 bits, so the JDK's full 128-bit
        // carry and a 32-bit wrap agree unless the low 32 bits overflow: build the expected blocks one by one.
        Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
        ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        byte[] expected = new byte[48];
        for (int b = 0; b < 3; b++) {
            byte[] block = iv.clone();
            int c = -1 + b;
            block[12] = (byte) (c >>> 24);
            block[13] = (byte) (c >>> 16);
            block[14] = (byte) (c >>> 8);
            block[15] = (byte) c;
            System.arraycopy(ecb.doFinal(block), 0, expected, 16 * b, 16);
        }
        assertArrayEquals(expected, ours);
    }

    private static byte[] jdkCtr(byte[] key, byte[] iv, byte[] in) throws Exception {
        Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        return in.length == 0 ? new byte[0] : c.doFinal(in);
    }
}
