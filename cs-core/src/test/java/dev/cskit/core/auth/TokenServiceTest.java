/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.CsConfig;
import dev.cskit.core.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenServiceTest {

    private final MutableClock clock = new MutableClock();
    private static final byte[] KEY = "0123456789abcdef0123".getBytes(StandardCharsets.UTF_8);
    private final TokenService tokens = new TokenService(KEY, clock);
    private final Instant exp = clock.instant().plusSeconds(60);

    private static TokenFailure failure(TokenVerification v) {
        return assertInstanceOf(TokenVerification.Invalid.class, v).failure();
    }

    @Test
    void linkTokenRoundTrips() {
        String t = tokens.issueLink("cs_abc", LinkRole.CUSTOMER, "cust_1", exp);
        assertTrue(t.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"), t);
        TokenVerification v = tokens.verify(t);
        assertEquals(new TokenPrincipal.Link("cs_abc", LinkRole.CUSTOMER, "cust_1", exp), v.principal().orElseThrow());
        TokenPrincipal.Link any = (TokenPrincipal.Link) tokens.verify(
                tokens.issueLink("cs_abc", LinkRole.AGENT, null, exp)).principal().orElseThrow();
        assertEquals(LinkRole.AGENT, any.role());
        assertEquals(null, any.subject());
    }

    @Test
    void agentTokenRoundTripsWithItsGeneration() {
        String t = tokens.issueAgent("agent_001", 3, exp);
        assertEquals(new TokenPrincipal.Agent("agent_001", 3, exp), tokens.verify(t).principal().orElseThrow());
    }

    @Test
    void monitorTokenRoundTripsAndIsNoOtherKind() {
        String t = tokens.issueMonitor("cs_abc", "admin", exp);
        assertEquals(new TokenPrincipal.Monitor("cs_abc", "admin", exp), tokens.verify(t).principal().orElseThrow());
        assertThrows(IllegalArgumentException.class, () -> tokens.issueMonitor("cs_abc", "supervisor:x", exp));
        String forged = payloadSignedWith("M|" + exp.getEpochSecond() + "|cs_abc|admin", "another-key-0123456789");
        assertEquals(TokenFailure.BAD_SIGNATURE, failure(tokens.verify(forged)));
        String empty = payloadSignedWith("M|" + exp.getEpochSecond() + "|cs_abc|", null);
        assertEquals(TokenFailure.MALFORMED, failure(tokens.verify(empty)));
        clock.advance(Duration.ofSeconds(60));
        assertEquals(TokenFailure.EXPIRED, failure(tokens.verify(t)));
    }

    /** A token of {@code payload} signed with {@code key}, or with this test's key when null. */
    private static String payloadSignedWith(String payload, String key) {
        String p = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        byte[] mac = macWith(key == null ? KEY : key.getBytes(StandardCharsets.UTF_8), p);
        return p + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
    }

    @Test
    void roundOneAgentTokensReadAsGenerationZero() {
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("A|" + exp.getEpochSecond() + "|agent_001").getBytes(StandardCharsets.UTF_8));
        String legacy = payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(macOf(payload));
        assertEquals(new TokenPrincipal.Agent("agent_001", 0, exp), tokens.verify(legacy).principal().orElseThrow());
    }

    private static byte[] macOf(String encodedPayload) {
        return macWith(KEY, encodedPayload);
    }

    private static byte[] macWith(byte[] key, String encodedPayload) {
        try {
            javax.crypto.Mac m = javax.crypto.Mac.getInstance("HmacSHA256");
            m.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
            return m.doFinal(encodedPayload.getBytes(StandardCharsets.US_ASCII));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void idsThatWouldBreakTheTokenFormatAreRefusedWhenIssuing() {
        assertThrows(IllegalArgumentException.class, () -> tokens.issueAgent("a|b", 0, exp));
        assertThrows(IllegalArgumentException.class, () -> tokens.issueAgent("x/y", 0, exp));
        assertThrows(IllegalArgumentException.class, () -> tokens.issueLink("cs|1", LinkRole.CUSTOMER, "c", exp));
        assertThrows(IllegalArgumentException.class, () -> tokens.issueLink("cs_1", LinkRole.AGENT, "a|b", exp));
    }

    @Test
    void theAgentCheckRevokesAgentTokensOnly() {
        TokenService checked = tokens.withAgentCheck(a -> a.generation() == 2);
        assertTrue(checked.verify(tokens.issueAgent("agent_001", 2, exp)).principal().isPresent());
        assertEquals(TokenFailure.REVOKED, failure(checked.verify(tokens.issueAgent("agent_001", 1, exp))));
        assertTrue(checked.verify(tokens.issueLink("cs_abc", LinkRole.CUSTOMER, "cust_1", exp)).principal().isPresent());
    }

    @Test
    void expiredTokenIsRefusedAtItsExpiry() {
        String t = tokens.issueLink("cs_abc", LinkRole.CUSTOMER, "cust_1", exp);
        clock.advance(Duration.ofSeconds(59));
        assertTrue(tokens.verify(t).principal().isPresent());
        clock.advance(Duration.ofSeconds(1));
        TokenVerification v = tokens.verify(t);
        assertEquals(TokenFailure.EXPIRED, failure(v));
        assertTrue(((TokenVerification.Invalid) v).message().contains("expired"));
    }

    @Test
    void tamperedPayloadFailsSignature() {
        String t = tokens.issueLink("cs_abc", LinkRole.CUSTOMER, "cust_1", exp);
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("L|" + exp.getEpochSecond() + "|agent|cs_abc|").getBytes(StandardCharsets.UTF_8));
        assertEquals(TokenFailure.BAD_SIGNATURE, failure(tokens.verify(forged + t.substring(t.indexOf('.')))));
        char c = t.charAt(t.length() - 1);
        String flipped = t.substring(0, t.length() - 1) + (c == 'A' ? 'B' : 'A');
        assertEquals(TokenFailure.BAD_SIGNATURE, failure(tokens.verify(flipped)));
    }

    @Test
    void otherKeyFailsSignature() {
        TokenService other = new TokenService("another-key-of-20-bytes".getBytes(StandardCharsets.UTF_8), clock);
        assertEquals(TokenFailure.BAD_SIGNATURE, failure(tokens.verify(other.issueAgent("agent_001", 0, exp))));
    }

    @Test
    void malformedTokensAreTyped() {
        for (String bad : new String[] {"", "abc", "a.b.c", ".x", "x.", "!!!.???", "a".repeat(3000)}) {
            assertEquals(TokenFailure.MALFORMED, failure(tokens.verify(bad)), bad);
        }
        assertEquals(TokenFailure.MALFORMED, failure(tokens.verify(null)));
    }

    @Test
    void generatedSecretIsKeptInDataDirWithOwnerOnlyMode(@TempDir Path dir) throws Exception {
        CsConfig cfg = CsConfig.newBuilder().dataDir(dir).build();
        TokenService a = TokenService.fromConfig(cfg, clock);
        String t = a.issueAgent("agent_001", 0, exp);
        TokenService b = TokenService.fromConfig(cfg, clock); // a restart
        assertTrue(b.verify(t).principal().isPresent());
        Path file = dir.resolve(TokenService.SECRET_FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(32, Base64.getUrlDecoder().decode(Files.readString(file).trim()).length);
    }

    @Test
    void configuredSecretWinsAndInMemoryKeysDiffer() throws Exception {
        CsConfig cfg = CsConfig.newBuilder().dataDir(null).linkSecret("a-configured-secret").build();
        String t = TokenService.fromConfig(cfg, clock).issueAgent("a", 0, exp);
        assertTrue(TokenService.fromConfig(cfg, clock).verify(t).principal().isPresent());
        CsConfig mem = CsConfig.newBuilder().dataDir(null).build();
        String m = TokenService.fromConfig(mem, clock).issueAgent("a", 0, exp);
        assertEquals(TokenFailure.BAD_SIGNATURE, failure(TokenService.fromConfig(mem, clock).verify(m)));
        assertNotEquals(t, m);
    }
}
