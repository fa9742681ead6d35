/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.srtp;

import static dev.cskit.media.srtp.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** RFC 2202 §3 HMAC-SHA1 test cases, and reuse of one instance across messages. */
class HmacSha1Test {

    private static String mac(HmacSha1 hmac, byte[] data) {
        byte[] out = new byte[HmacSha1.LENGTH + 3];
        hmac.update(data, 0, data.length);
        hmac.doFinal(out, 3);
        return hex(out, 3, HmacSha1.LENGTH);
    }

    @Test
    void matchesRfc2202TestCase1() {
        byte[] key = new byte[20];
        Arrays.fill(key, (byte) 0x0b);
        assertEquals("b617318655057264e28bc0b6fb378c8ef146be00",
                mac(new HmacSha1(key), "Hi There".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void matchesRfc2202TestCase2ShortKey() {
        assertEquals("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
                mac(new HmacSha1("Jefe".getBytes(StandardCharsets.US_ASCII)),
                        "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void hashesKeysLongerThanTheBlockRfc2202TestCase6() {
        byte[] key = new byte[80];
        Arrays.fill(key, (byte) 0xaa);
        assertEquals("aa4ae5e15272d00e95705637ce8a3b55ed402112",
                mac(new HmacSha1(key), "Test Using Larger Than Block-Size Key - Hash Key First"
                        .getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void resetsBetweenMessagesAndAcceptsSplitInput() {
        byte[] key = new byte[20];
        Arrays.fill(key, (byte) 0xaa);
        byte[] data = new byte[50];
        Arrays.fill(data, (byte) 0xdd);
        HmacSha1 hmac = new HmacSha1(key);
        String expected = "125d7342b9ac11cd91a39af48aa17b4f63f175d3"; // RFC 2202 test case 3
        assertEquals(expected, mac(hmac, data));
        hmac.update(data, 0, 7);
        hmac.update(data, 7, 43);
        byte[] out = new byte[HmacSha1.LENGTH];
        hmac.doFinal(out, 0);
        assertEquals(expected, hex(out, 0, HmacSha1.LENGTH));
        assertEquals(expected, mac(hmac, data));
    }
}
