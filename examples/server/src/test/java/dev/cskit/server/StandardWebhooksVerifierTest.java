/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 acceptance 1, third point: the ITs' verifier accepts the published Standard Webhooks test vector and
 * refuses a wrong signature: a tampered body, id or timestamp, another secret, an old timestamp.
 */
class StandardWebhooksVerifierTest {

    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final String TS = "1614265330";
    static final String SIG = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    static final Instant NOW = Instant.ofEpochSecond(1614265330 + 10);

    final StandardWebhooksVerifier verifier = new StandardWebhooksVerifier(SECRET);

    @Test
    void acceptsThePublishedVectorAlsoAmongOtherSignatures() throws Exception {
        verifier.verify(ID, TS, SIG, BODY, NOW);
        verifier.verify(ID, TS, "v1,bm9wZQ== v1a,abc " + SIG, BODY, NOW);
    }

    @Test
    void refusesATamperedBody() {
        byte[] tampered = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);
        assertThrows(StandardWebhooksVerifier.Rejected.class, () -> verifier.verify(ID, TS, SIG, tampered, NOW));
    }

    @Test
    void refusesAnotherSecret() {
        StandardWebhooksVerifier other = new StandardWebhooksVerifier("whsec_" + "A".repeat(32));
        assertThrows(StandardWebhooksVerifier.Rejected.class, () -> other.verify(ID, TS, SIG, BODY, NOW));
        StandardWebhooksVerifier raw = new StandardWebhooksVerifier("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertThrows(StandardWebhooksVerifier.Rejected.class, () -> raw.verify(ID, TS, SIG, BODY, NOW),
                "the base64 after whsec_ is the key, not its text");
    }

    @Test
    void refusesATamperedIdOrTimestampAnOldOneAndNoSignature() {
        assertThrows(StandardWebhooksVerifier.Rejected.class, () -> verifier.verify("msg_other", TS, SIG, BODY, NOW));
        assertThrows(StandardWebhooksVerifier.Rejected.class,
                () -> verifier.verify(ID, "1614265331", SIG, BODY, NOW));
        assertThrows(StandardWebhooksVerifier.Rejected.class,
                () -> verifier.verify(ID, TS, SIG, BODY, NOW.plusSeconds(3600)));
        assertThrows(StandardWebhooksVerifier.Rejected.class,
                () -> verifier.verify(ID, TS, "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", BODY, NOW));
        assertThrows(StandardWebhooksVerifier.Rejected.class, () -> verifier.verify(ID, TS, null, BODY, NOW));
    }
}
