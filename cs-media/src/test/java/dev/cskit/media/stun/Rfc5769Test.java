/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.stun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** RFC 5769 test vectors: parse, MESSAGE-INTEGRITY and FINGERPRINT, both ways where possible. */
class Rfc5769Test {
    static final String PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt";
    static final byte[] TX = Hex.parse("b7e7a701 bc34d686 fa87dfae");

    // RFC 5769 §2.1 Sample Request
    static final byte[] REQUEST = Hex.parse("""
            00 01 00 58   // Binding request, length 88
            21 12 a4 42   // magic cookie
            b7 e7 a7 01   // transaction id
            bc 34 d6 86
            fa 87 df ae
            80 22 00 10   // SOFTWARE, 16 bytes
            53 54 55 4e   // "STUN test client"
            20 74 65 73
            74 20 63 6c
            69 65 6e 74
            00 24 00 04   // PRIORITY
            6e 00 01 ff   // 0x6e0001ff
            80 29 00 08   // ICE-CONTROLLED
            93 2f f9 b1   // tie breaker
            51 26 3b 36
            00 06 00 09   // USERNAME, 9 bytes
            65 76 74 6a   // "evtj:h6vY" + 3 padding bytes (0x20)
            3a 68 36 76
            59 20 20 20
            00 08 00 14   // MESSAGE-INTEGRITY
            9a ea a7 0c
            bf d8 cb 56
            78 1e f2 b5
            b2 d3 f2 49
            c1 b5 71 a2
            80 28 00 04   // FINGERPRINT
            e5 7a 3b cf
            """);

    // RFC 5769 §2.2 Sample IPv4 Response
    static final byte[] RESPONSE_V4 = Hex.parse("""
            01 01 00 3c   // Binding success, length 60
            21 12 a4 42   // magic cookie
            b7 e7 a7 01   // transaction id
            bc 34 d6 86
            fa 87 df ae
            80 22 00 0b   // SOFTWARE, 11 bytes
            74 65 73 74   // "test vector" + 1 padding byte
            20 76 65 63
            74 6f 72 20
            00 20 00 08   // XOR-MAPPED-ADDRESS
            00 01 a1 47   // IPv4, port 32853 ^ 0x2112
            e1 12 a6 43   // 192.0.2.1 ^ cookie
            00 08 00 14   // MESSAGE-INTEGRITY
            2b 91 f5 99
            fd 9e 90 c3
            8c 74 89 f9
            2a f9 ba 53
            f0 6b e7 d7
            80 28 00 04   // FINGERPRINT
            c0 7d 4c 96
            """);

    // RFC 5769 §2.3 Sample IPv6 Response
    static final byte[] RESPONSE_V6 = Hex.parse("""
            01 01 00 48   // Binding success, length 72
            21 12 a4 42   // magic cookie
            b7 e7 a7 01   // transaction id
            bc 34 d6 86
            fa 87 df ae
            80 22 00 0b   // SOFTWARE "test vector"
            74 65 73 74
            20 76 65 63
            74 6f 72 20
            00 20 00 14   // XOR-MAPPED-ADDRESS, 20 bytes
            00 02 a1 47   // IPv6, port 32853 ^ 0x2112
            01 13 a9 fa   // 2001:db8:1234:5678:11:2233:4455:6677 ^ cookie||tx
            a5 d3 f1 79
            bc 25 f4 b5
            be d2 b9 d9
            00 08 00 14   // MESSAGE-INTEGRITY
            a3 82 95 4e
            4b e6 7b f1
            17 84 c9 7c
            82 92 c2 75
            bf e3 ed 41
            80 28 00 04   // FINGERPRINT
            c8 fb 0b 4c
            """);

    // RFC 5769 §2.4 Sample Request with Long-Term Authentication (no FINGERPRINT)
    static final byte[] REQUEST_LONG_TERM = Hex.parse("""
            00 01 00 60   // Binding request, length 96
            21 12 a4 42   // magic cookie
            78 ad 34 33   // transaction id
            c6 ad 72 c0
            29 da 41 2e
            00 06 00 12   // USERNAME, 18 bytes: U+30DE U+30C8 U+30EA U+30C3 U+30AF U+30B9
            e3 83 9e e3
            83 88 e3 83
            aa e3 83 83
            e3 82 af e3
            82 b9 00 00
            00 15 00 1c   // NONCE, 28 bytes
            66 2f 2f 34
            39 39 6b 39
            35 34 64 36
            4f 4c 33 34
            6f 4c 39 46
            53 54 76 79
            36 34 73 41
            00 14 00 0b   // REALM "example.org"
            65 78 61 6d
            70 6c 65 2e
            6f 72 67 00
            00 08 00 14   // MESSAGE-INTEGRITY
            f6 70 24 65
            6d d6 4a 3e
            02 b8 e0 71
            2e 85 c9 a2
            8c a8 96 66
            """);

    @Test
    void parsesSampleRequestAndVerifiesIntegrityAndFingerprint() {
        StunMessage m = new StunMessage();
        assertEquals(StunStatus.OK, m.wrap(REQUEST, 0, REQUEST.length));
        assertEquals(StunMessage.BINDING_REQUEST, m.messageType());
        assertEquals(1, m.method());
        assertEquals(0, m.messageClass());
        assertTrue(m.transactionIdEquals(TX, 0));
        assertEquals("evtj:h6vY", m.username().orElseThrow());
        assertEquals(0x6e0001ffL, m.priority());
        assertTrue(m.hasIceControlled());
        assertFalse(m.hasIceControlling());
        assertEquals(0x932ff9b151263b36L, m.tieBreaker());
        assertFalse(m.hasUseCandidate());
        assertEquals(StunStatus.OK, m.verifyFingerprint());
        assertEquals(StunStatus.OK, m.verifyIntegrity(StunKeys.shortTermKey(PASSWORD)));
        assertEquals(StunStatus.BAD_INTEGRITY, m.verifyIntegrity(StunKeys.shortTermKey(PASSWORD + "x")));
    }

    @Test
    void parsesSampleIpv4Response() {
        StunMessage m = new StunMessage();
        assertEquals(StunStatus.OK, m.wrap(RESPONSE_V4, 0, RESPONSE_V4.length));
        assertEquals(StunMessage.BINDING_SUCCESS, m.messageType());
        assertEquals(2, m.messageClass());
        assertEquals(new InetSocketAddress("192.0.2.1", 32853), m.xorMappedAddress().orElseThrow());
        assertEquals(StunStatus.OK, m.verifyFingerprint());
        assertEquals(StunStatus.OK, m.verifyIntegrity(StunKeys.shortTermKey(PASSWORD)));
    }

    @Test
    void parsesSampleIpv6Response() throws Exception {
        StunMessage m = new StunMessage();
        assertEquals(StunStatus.OK, m.wrap(RESPONSE_V6, 0, RESPONSE_V6.length));
        assertEquals(new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853),
                m.xorMappedAddress().orElseThrow());
        assertEquals(StunStatus.OK, m.verifyFingerprint());
        assertEquals(StunStatus.OK, m.verifyIntegrity(StunKeys.shortTermKey(PASSWORD)));
    }

    @Test
    void verifiesLongTermCredentialSample() {
        StunMessage m = new StunMessage();
        assertEquals(StunStatus.OK, m.wrap(REQUEST_LONG_TERM, 0, REQUEST_LONG_TERM.length));
        String user = "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9";
        assertEquals(user, m.username().orElseThrow());
        assertEquals(StunStatus.NO_FINGERPRINT, m.verifyFingerprint());
        // RFC 5769 §2.4: the password "The<U+00AD>M<U+00AA>tr<U+2168>" SASLprep-s to "TheMatrIX".
        assertEquals(StunStatus.OK, m.verifyIntegrity(StunKeys.longTermKey(user, "example.org", "TheMatrIX")));
    }

    @Test
    void writerReproducesSampleRequestByteForByte() {
        byte[] out = new byte[256];
        StunWriter w = new StunWriter();
        w.start(out, 0, out.length, StunMessage.BINDING_REQUEST, TX, 0)
                .addAttribute(StunMessage.ATTR_SOFTWARE, REQUEST, 24, 16)
                .addPriority(0x6e0001ffL)
                .addIceControlled(0x932ff9b151263b36L)
                // The RFC pads USERNAME with 0x20 (§14: padding is arbitrary, we write 0x00): write the
                // 9 bytes plus the RFC's 3 pad bytes as a 12-byte value, then set the length to 9.
                .addAttribute(StunMessage.ATTR_USERNAME, REQUEST, 64, 12);
        out[63] = 9;
        int n = w.addMessageIntegrity(StunKeys.hmacSha1(StunKeys.shortTermKey(PASSWORD)))
                .addFingerprint()
                .finish();
        assertArrayEquals(REQUEST, Arrays.copyOf(out, n));
    }

    @Test
    void writerReproducesIpv4AndIpv6SampleResponsesByteForByte() throws Exception {
        byte[] out = new byte[256];
        StunWriter w = new StunWriter();
        w.start(out, 0, out.length, StunMessage.BINDING_SUCCESS, TX, 0)
                .addAttribute(StunMessage.ATTR_SOFTWARE, RESPONSE_V4, 24, 12); // "test vector" + RFC pad 0x20
        out[23] = 11;
        int n = w.addXorMappedAddress(InetAddress.getByName("192.0.2.1"), 32853)
                .addMessageIntegrity(StunKeys.hmacSha1(StunKeys.shortTermKey(PASSWORD)))
                .addFingerprint()
                .finish();
        assertArrayEquals(RESPONSE_V4, Arrays.copyOf(out, n));

        w.start(out, 0, out.length, StunMessage.BINDING_SUCCESS, TX, 0)
                .addAttribute(StunMessage.ATTR_SOFTWARE, RESPONSE_V6, 24, 12);
        out[23] = 11;
        n = w.addXorMappedAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853)
                .addMessageIntegrity(StunKeys.hmacSha1(StunKeys.shortTermKey(PASSWORD)))
                .addFingerprint()
                .finish();
        assertArrayEquals(RESPONSE_V6, Arrays.copyOf(out, n));
    }

    @Test
    void rejectsEveryTruncationOfTheSampleRequest() {
        StunMessage m = new StunMessage();
        for (int len = 0; len < REQUEST.length; len++) {
            assertEquals(StunStatus.MALFORMED, m.wrap(REQUEST, 0, len), "length " + len);
            assertFalse(m.isValid());
        }
    }

    @Test
    void flippedBitBreaksFingerprintAndIntegrity() {
        byte[] copy = REQUEST.clone();
        copy[30] ^= 0x01; // inside SOFTWARE
        StunMessage m = new StunMessage();
        assertEquals(StunStatus.OK, m.wrap(copy, 0, copy.length));
        assertEquals(StunStatus.BAD_FINGERPRINT, m.verifyFingerprint());
        assertEquals(StunStatus.BAD_INTEGRITY, m.verifyIntegrity(StunKeys.shortTermKey(PASSWORD)));
    }

    @Test
    void rejectsGarbageAndBadHeaders() {
        StunMessage m = new StunMessage();
        byte[] badCookie = REQUEST.clone();
        badCookie[4] = 0x22;
        assertEquals(StunStatus.MALFORMED, m.wrap(badCookie, 0, badCookie.length));
        byte[] highBits = REQUEST.clone();
        highBits[0] = (byte) 0x80;
        assertEquals(StunStatus.MALFORMED, m.wrap(highBits, 0, highBits.length));
        byte[] badLength = REQUEST.clone();
        badLength[3] = 0x5c; // claims 4 more bytes than present
        assertEquals(StunStatus.MALFORMED, m.wrap(badLength, 0, badLength.length));
        byte[] attrOverrun = REQUEST.clone();
        attrOverrun[23] = (byte) 0xF0; // SOFTWARE claims 240 bytes
        assertEquals(StunStatus.MALFORMED, m.wrap(attrOverrun, 0, attrOverrun.length));
        byte[] random = new byte[64];
        new java.util.Random(7).nextBytes(random);
        random[0] = 0;
        assertEquals(StunStatus.MALFORMED, m.wrap(random, 0, random.length));
        assertEquals(StunStatus.MALFORMED, m.wrap(REQUEST, 100, 20));
        assertEquals(StunStatus.MALFORMED, m.verifyFingerprint());
    }

    @Test
    void parsesAtAnOffsetInsideALargerBuffer() {
        byte[] big = new byte[REQUEST.length + 37];
        System.arraycopy(REQUEST, 0, big, 17, REQUEST.length);
        StunMessage m = new StunMessage();
        assertEquals(StunStatus.OK, m.wrap(big, 17, REQUEST.length));
        assertEquals(StunStatus.OK, m.verifyFingerprint());
        assertEquals(StunStatus.OK, m.verifyIntegrity(StunKeys.shortTermKey(PASSWORD)));
    }

    @Test
    void writerRefusesToOverrunTheCallersBuffer() {
        byte[] small = new byte[30];
        StunWriter w = new StunWriter().start(small, 0, small.length, StunMessage.BINDING_REQUEST, TX, 0);
        org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class,
                () -> w.addUsername("a-username-longer-than-ten-bytes"));
        org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class,
                () -> new StunWriter().start(small, 20, 19, StunMessage.BINDING_REQUEST, TX, 0));
    }
}
