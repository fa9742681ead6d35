/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.stun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cskit.media.fuzz.ByteFuzz;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, acceptance 5: {@link StunMessage} on {@link ByteFuzz#cases()} seeded mutations of the RFC 5769 vectors
 * (and random datagrams). No input throws, from {@code wrap} or any accessor; a message reads the same wherever it
 * sits in a buffer (nothing is read outside its window); the whole vectors still parse and verify.
 */
class StunFuzzTest {

    private static final long SEED = ByteFuzz.seed(5769L);
    private static final byte[] KEY = StunKeys.shortTermKey(Rfc5769Test.PASSWORD);

    /** Everything the view says about a message, offsets relative to it. */
    static String read(StunMessage m, StunStatus wrapped) {
        StringBuilder s = new StringBuilder().append(wrapped).append(m.isValid());
        s.append('|').append(m.messageType()).append('|').append(m.method()).append('|').append(m.messageClass());
        s.append('|').append(m.length());
        if (m.isValid()) {
            byte[] tx = new byte[12];
            m.copyTransactionId(tx, 0);
            s.append('|').append(HexFormat.of().formatHex(tx)).append(m.transactionIdEquals(tx, 0));
        }
        s.append('|').append(m.hasUsername()).append(m.usernameLength());
        if (m.hasUsername()) {
            int rel = m.usernameOffset() - m.offset();
            assertTrue(rel >= 0 && rel + m.usernameLength() <= m.length(), "USERNAME outside the message");
            s.append('@').append(rel).append(m.usernameEquals("evtj:h6vY".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        s.append('|').append(m.username()).append('|').append(m.hasIntegrity()).append(m.hasFingerprint());
        s.append('|').append(m.priority()).append(m.hasUseCandidate()).append(m.hasIceControlling())
                .append(m.hasIceControlled()).append(m.tieBreaker());
        s.append('|').append(m.unknownComprehensionRequired()).append('|').append(m.errorCode())
                .append(m.errorReason());
        s.append('|').append(m.hasXorMappedAddress()).append(m.xorMappedAddress());
        s.append('|').append(m.verifyFingerprint()).append(m.verifyIntegrity(KEY));
        return s.toString();
    }

    @Test
    void mutatedStunNeverThrowsAndReadsOnlyItsWindow() {
        List<byte[]> seeds = List.of(Rfc5769Test.REQUEST, Rfc5769Test.RESPONSE_V4, Rfc5769Test.RESPONSE_V6,
                Rfc5769Test.REQUEST_LONG_TERM);
        ByteFuzz fuzz = new ByteFuzz(SEED, seeds);
        StunMessage exact = new StunMessage();
        StunMessage placed = new StunMessage();
        int valid = 0;
        int cases = ByteFuzz.cases();
        for (int i = 0; i < cases; i++) {
            byte[] b = fuzz.next();
            ByteFuzz.Placed p = fuzz.place(b);
            try {
                String alone = read(exact, exact.wrap(b, 0, b.length));
                String inside = read(placed, placed.wrap(p.buffer(), p.offset(), b.length));
                assertEquals(alone, inside, () -> "read outside its window: " + ByteFuzz.describe(SEED, 0, b));
                if (exact.isValid()) {
                    valid++;
                }
            } catch (RuntimeException | AssertionError e) {
                fail(e + " on " + ByteFuzz.describe(SEED, i, b), e);
            }
        }
        System.out.println("StunFuzzTest: " + cases + " cases, seed " + SEED + ", " + valid + " well-formed");
        assertTrue(valid > cases / 50, "too few mutations stayed STUN (" + valid + "): the fuzz is too blunt");
        assertEquals(StunStatus.OK, exact.wrap(Rfc5769Test.REQUEST, 0, Rfc5769Test.REQUEST.length));
        assertEquals(StunStatus.OK, exact.verifyIntegrity(KEY));
    }
}
