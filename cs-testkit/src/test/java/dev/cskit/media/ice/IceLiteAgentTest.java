/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.media.stun.StunKeys;
import dev.cskit.media.stun.StunMessage;
import dev.cskit.media.stun.StunStatus;
import dev.cskit.media.stun.StunWriter;
import dev.cskit.testkit.IceClient;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IceLiteAgentTest {
    static final long SECOND = 1_000_000_000L;
    final SecureRandom random = new SecureRandom();
    final IceCredentials server = new IceCredentials("srvU", "serverPasswordOf22chars");
    final IceCredentials browser = new IceCredentials("brwsr", "browserPassword+/22chars");
    final IceLiteAgent agent = new IceLiteAgent(server, browser, Duration.ofSeconds(30));
    final IceClient client = new IceClient(browser, server, 0x1122334455667788L);
    final InetSocketAddress hostA = new InetSocketAddress("192.168.1.20", 50000);
    final InetSocketAddress hostB = new InetSocketAddress("10.0.0.7", 61000);
    final byte[] req = new byte[512];
    final byte[] out = new byte[512];

    private byte[] tx() {
        byte[] t = new byte[12];
        random.nextBytes(t);
        return t;
    }

    private IceResult check(IceClient c, InetSocketAddress from, boolean useCandidate, long now, byte[] tx) {
        int n = c.writeBindingRequest(req, 0, tx, 2130706431L, useCandidate);
        return agent.handle(req, 0, n, from, now, out, 0);
    }

    @Test
    void fullExchangeYieldsVerifiedSuccessWithMappedAddress() {
        byte[] tx = tx();
        assertEquals(IceResult.SUCCESS, check(client, hostA, false, 0, tx));
        IceClient.Response r = client.verifyResponse(out, 0, agent.responseLength(), tx);
        assertEquals(IceClient.Outcome.SUCCESS, r.outcome());
        assertEquals(Optional.of(hostA), r.mappedAddress());
        assertEquals(1, agent.count(IceResult.SUCCESS));
        assertEquals(Optional.of(hostA), agent.selectedAddress());
        assertFalse(agent.isNominated());
        assertTrue(agent.isValidated(hostA));
        assertFalse(agent.isValidated(hostB));
    }

    @Test
    void ipv6SenderGetsIpv6MappedAddress() {
        InetSocketAddress v6 = new InetSocketAddress("2001:db8::5", 40000);
        byte[] tx = tx();
        assertEquals(IceResult.SUCCESS, check(client, v6, true, 0, tx));
        assertEquals(Optional.of(v6), client.verifyResponse(out, 0, agent.responseLength(), tx).mappedAddress());
    }

    @Test
    void wrongPasswordGets401WithoutIntegrityAndSelectsNothing() {
        IceClient wrongPwd = new IceClient(browser, new IceCredentials("srvU", "notTheServerPassword22c"), 1);
        byte[] tx = tx();
        assertEquals(IceResult.UNAUTHORIZED, check(wrongPwd, hostA, true, 0, tx));
        StunMessage m = new StunMessage();
        assertEquals(StunStatus.OK, m.wrap(out, 0, agent.responseLength()));
        assertEquals(StunMessage.BINDING_ERROR, m.messageType());
        assertEquals(401, m.errorCode());
        assertFalse(m.hasIntegrity());
        assertEquals(StunStatus.OK, m.verifyFingerprint());
        assertEquals(IceClient.Outcome.ERROR_RESPONSE, wrongPwd.verifyResponse(out, 0, agent.responseLength(), tx).outcome());
        assertTrue(agent.selectedAddress().isEmpty());
        assertFalse(agent.isValidated(hostA));
    }

    @Test
    void wrongUfragGets401() {
        IceClient otherSession = new IceClient(new IceCredentials("mallory", "browserPassword+/22chars"), server, 1);
        assertEquals(IceResult.UNAUTHORIZED, check(otherSession, hostA, false, 0, tx()));
        IceClient wrongTarget = new IceClient(browser, new IceCredentials("othr", server.pwd()), 1);
        assertEquals(IceResult.UNAUTHORIZED, check(wrongTarget, hostA, false, 0, tx()));
        assertEquals(2, agent.count(IceResult.UNAUTHORIZED));
        assertTrue(agent.selectedAddress().isEmpty());
    }

    @Test
    void requestWithoutIntegrityGets400() {
        StunWriter w = new StunWriter();
        int n = w.start(req, 0, req.length, StunMessage.BINDING_REQUEST, tx(), 0)
                .addUsername("srvU:brwsr").addFingerprint().finish();
        assertEquals(IceResult.BAD_REQUEST, agent.handle(req, 0, n, hostA, 0, out, 0));
        StunMessage m = new StunMessage();
        m.wrap(out, 0, agent.responseLength());
        assertEquals(400, m.errorCode());
    }

    @Test
    void missingOrBadFingerprintAndGarbageAreDroppedSilently() {
        StunWriter w = new StunWriter();
        int n = w.start(req, 0, req.length, StunMessage.BINDING_REQUEST, tx(), 0)
                .addUsername("srvU:brwsr")
                .addMessageIntegrity(StunKeys.hmacSha1(StunKeys.shortTermKey(server.pwd())))
                .finish();
        assertEquals(IceResult.DROPPED_BAD_FINGERPRINT, agent.handle(req, 0, n, hostA, 0, out, 0));
        assertEquals(0, agent.responseLength());
        n = client.writeBindingRequest(req, 0, tx(), 1, false);
        req[n - 1] ^= 1;
        assertEquals(IceResult.DROPPED_BAD_FINGERPRINT, agent.handle(req, 0, n, hostA, 0, out, 0));
        assertEquals(IceResult.DROPPED_MALFORMED, agent.handle(new byte[] {0, 1, 0}, 0, 3, hostA, 0, out, 0));
        assertEquals(IceResult.DROPPED_MALFORMED, agent.handle(req, 0, n - 3, hostA, 0, out, 0));
        assertEquals(2, agent.count(IceResult.DROPPED_BAD_FINGERPRINT));
        assertEquals(2, agent.count(IceResult.DROPPED_MALFORMED));
        assertTrue(agent.selectedAddress().isEmpty());
    }

    @Test
    void responsesAndIndicationsGetNoAnswer() {
        StunWriter w = new StunWriter();
        int n = w.start(req, 0, req.length, StunMessage.BINDING_INDICATION, tx(), 0).addFingerprint().finish();
        assertEquals(IceResult.INDICATION, agent.handle(req, 0, n, hostA, 0, out, 0));
        n = w.start(req, 0, req.length, StunMessage.BINDING_SUCCESS, tx(), 0).addFingerprint().finish();
        assertEquals(IceResult.DROPPED_NOT_REQUEST, agent.handle(req, 0, n, hostA, 0, out, 0));
        assertEquals(0, agent.responseLength());
    }

    @Test
    void controlledPeerGetsAuthenticatedRoleConflict() {
        byte[] tx = tx();
        StunWriter w = new StunWriter();
        int n = w.start(req, 0, req.length, StunMessage.BINDING_REQUEST, tx, 0)
                .addUsername("srvU:brwsr").addIceControlled(5)
                .addMessageIntegrity(StunKeys.hmacSha1(StunKeys.shortTermKey(server.pwd())))
                .addFingerprint().finish();
        assertEquals(IceResult.ROLE_CONFLICT, agent.handle(req, 0, n, hostA, 0, out, 0));
        StunMessage m = new StunMessage();
        m.wrap(out, 0, agent.responseLength());
        assertEquals(487, m.errorCode());
        assertEquals(StunStatus.OK, m.verifyIntegrity(StunKeys.shortTermKey(server.pwd())));
        assertTrue(agent.selectedAddress().isEmpty());
    }

    @Test
    void unknownComprehensionRequiredAttributeGets420() {
        StunWriter w = new StunWriter();
        int n = w.start(req, 0, req.length, StunMessage.BINDING_REQUEST, tx(), 0)
                .addUsername("srvU:brwsr").addAttribute(0x7777, new byte[4], 0, 4)
                .addMessageIntegrity(StunKeys.hmacSha1(StunKeys.shortTermKey(server.pwd())))
                .addFingerprint().finish();
        assertEquals(IceResult.UNKNOWN_ATTRIBUTE, agent.handle(req, 0, n, hostA, 0, out, 0));
        StunMessage m = new StunMessage();
        m.wrap(out, 0, agent.responseLength());
        assertEquals(420, m.errorCode());
    }

    @Test
    void firstValidatedAddressIsUsableUntilUseCandidateSwitchesThePair() {
        assertEquals(IceResult.SUCCESS, check(client, hostA, false, 0, tx()));
        assertEquals(IceResult.SUCCESS, check(client, hostB, false, SECOND, tx()));
        assertEquals(Optional.of(hostA), agent.selectedAddress(), "the first validated address stays");
        assertEquals(IceResult.SUCCESS, check(client, hostB, true, 2 * SECOND, tx()));
        assertEquals(Optional.of(hostB), agent.selectedAddress());
        assertTrue(agent.isNominated());
        assertEquals(IceResult.SUCCESS, check(client, hostA, false, 3 * SECOND, tx()));
        assertEquals(Optional.of(hostB), agent.selectedAddress(), "a plain check does not undo a nomination");
        assertEquals(IceResult.SUCCESS, check(client, hostA, true, 4 * SECOND, tx()));
        assertEquals(Optional.of(hostA), agent.selectedAddress(), "a later USE-CANDIDATE switches");
    }

    @Test
    void consentExpiresWithoutChecksFromTheSelectedAddress() {
        long t0 = 1_000 * SECOND; // arbitrary monotonic origin
        assertFalse(agent.isConsentFresh(t0), "no consent before any check");
        check(client, hostA, true, t0, tx());
        assertTrue(agent.isConsentFresh(t0 + 29 * SECOND));
        // checks from another, unselected address (while the selected one is not quiet) do not keep it alive
        check(client, hostB, false, t0 + 2 * SECOND, tx());
        assertFalse(agent.isConsentFresh(t0 + 30 * SECOND));
        check(client, hostA, false, t0 + 31 * SECOND, tx());
        assertTrue(agent.isConsentFresh(t0 + 60 * SECOND));
        assertFalse(agent.isConsentFresh(t0 + 61 * SECOND));
    }

    @Test
    void natRebindingMovesThePairToTheNewAddressOnceTheOldOneWentQuiet() {
        long t0 = 1_000 * SECOND;
        assertEquals(IceResult.SUCCESS, check(client, hostA, true, t0, tx()));
        // A backup pair's ping while the selected address is alive does not move the pair.
        assertEquals(IceResult.SUCCESS, check(client, hostB, false, t0 + 2 * SECOND, tx()));
        assertEquals(Optional.of(hostA), agent.selectedAddress());
        assertEquals(0, agent.rebinds());
        // The NAT rebinds: the peer's consent checks, same credentials, now come from hostB; hostA is quiet.
        long quiet = t0 + IceLiteAgent.REBIND_SILENCE_NANOS;
        assertEquals(IceResult.SUCCESS, check(client, hostB, false, quiet, tx()));
        assertEquals(Optional.of(hostB), agent.selectedAddress());
        assertEquals(1, agent.rebinds());
        assertTrue(agent.isConsentFresh(quiet + 29 * SECOND), "the check from the new address is its consent");
        // A check with bad credentials from a third address moves nothing, however quiet hostB is.
        InetSocketAddress hostC = new InetSocketAddress("203.0.113.9", 40000);
        IceClient stranger = new IceClient(browser, new IceCredentials("srvU", "notTheServerPassword22c"), 1);
        assertEquals(IceResult.UNAUTHORIZED, check(stranger, hostC, false, quiet + 20 * SECOND, tx()));
        assertEquals(Optional.of(hostB), agent.selectedAddress());
        assertFalse(agent.isValidated(hostC), "media from hostC stays refused");
    }

    @Test
    void iceRestartSwapsTheCredentialsAndTheOldOnesEndWithTheNewNomination() {
        assertEquals(IceResult.SUCCESS, check(client, hostA, true, 0, tx()));
        IceCredentials server2 = new IceCredentials("srv2", "serverPasswordNumber2x");
        IceCredentials browser2 = new IceCredentials("brw2", "browserPasswordNumber2x");
        IceClient client2 = new IceClient(browser2, server2, 0x1122334455667788L);
        agent.restart(server2, browser2);
        assertEquals(server2, agent.localCredentials());
        assertEquals(browser2, agent.remoteCredentials());
        assertEquals(Optional.of(server), agent.previousLocalCredentials());
        assertEquals(Optional.of(hostA), agent.selectedAddress(), "the pair is kept: media goes on");
        // Old checks still refresh the old pair; their responses are signed with the old password.
        byte[] tx = tx();
        assertEquals(IceResult.SUCCESS, check(client, hostA, true, SECOND, tx));
        assertEquals(IceClient.Outcome.SUCCESS, client.verifyResponse(out, 0, agent.responseLength(), tx).outcome());
        // A check with the new credentials is answered with the new password; a plain one keeps the old pair.
        tx = tx();
        assertEquals(IceResult.SUCCESS, check(client2, hostB, false, 2 * SECOND, tx));
        assertEquals(IceClient.Outcome.SUCCESS, client2.verifyResponse(out, 0, agent.responseLength(), tx).outcome());
        assertEquals(Optional.of(hostA), agent.selectedAddress());
        assertEquals(IceResult.SUCCESS, check(client, hostA, false, 3 * SECOND, tx()));
        // The new nomination completes the restart: the old credentials are refused from then on.
        assertEquals(IceResult.SUCCESS, check(client2, hostB, true, 4 * SECOND, tx()));
        assertEquals(Optional.of(hostB), agent.selectedAddress());
        assertTrue(agent.previousLocalCredentials().isEmpty());
        assertEquals(IceResult.UNAUTHORIZED, check(client, hostA, true, 5 * SECOND, tx()));
        assertEquals(Optional.of(hostB), agent.selectedAddress());
        assertThrows(IllegalArgumentException.class, () -> agent.restart(server2, browser));
    }

    @Test
    void consentTimeoutIsConfigurable() {
        IceLiteAgent shortConsent = new IceLiteAgent(server, browser, Duration.ofSeconds(5));
        int n = client.writeBindingRequest(req, 0, tx(), 1, true);
        assertEquals(IceResult.SUCCESS, shortConsent.handle(req, 0, n, hostA, 0, out, 0));
        assertTrue(shortConsent.isConsentFresh(4 * SECOND));
        assertFalse(shortConsent.isConsentFresh(5 * SECOND));
    }

    @Test
    void routesByUfragFromUsername() {
        int n = client.writeBindingRequest(req, 0, tx(), 1, false);
        assertEquals(Optional.of("srvU"), IceLiteAgent.localUfragOf(req, 0, n));
        assertEquals(Optional.empty(), IceLiteAgent.localUfragOf(req, 0, n - 1));
        assertEquals(Optional.empty(), IceLiteAgent.localUfragOf(new byte[] {(byte) 0x80, 0}, 0, 2));
    }

    @Test
    void tooSmallOutputBufferIsCountedNotThrown() {
        int n = client.writeBindingRequest(req, 0, tx(), 1, false);
        assertEquals(IceResult.DROPPED_NO_ROOM, agent.handle(req, 0, n, hostA, 0, new byte[100], 0));
        assertEquals(1, agent.count(IceResult.DROPPED_NO_ROOM));
    }

    @Test
    void randomCredentialsMeetRfc8839Lengths() {
        IceCredentials c = IceCredentials.random(random);
        assertTrue(c.ufrag().length() >= 4 && IceCredentials.isIceChars(c.ufrag()));
        assertTrue(c.pwd().length() >= 22 && IceCredentials.isIceChars(c.pwd()));
        assertThrows(IllegalArgumentException.class, () -> new IceCredentials("abc", "x".repeat(22)));
        assertThrows(IllegalArgumentException.class, () -> new IceCredentials("abcd", "x".repeat(21)));
        assertThrows(IllegalArgumentException.class, () -> new IceCredentials("ab:d", "x".repeat(22)));
    }
}
