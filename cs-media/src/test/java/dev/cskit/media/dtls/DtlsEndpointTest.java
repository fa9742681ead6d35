/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.media.srtp.SrtpContext;
import dev.cskit.media.srtp.SrtpProfile;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Client and server endpoints wired back to back in memory: no sockets. */
class DtlsEndpointTest {
    private static final DtlsCertificate SERVER_CERT = DtlsCertificate.generate();
    private static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generate();

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }

    /** A pair whose senders deliver straight into the other side's receive(). */
    private final class Pair {
        final DtlsEndpoint server;
        final DtlsEndpoint client;

        Pair(DtlsEndpoint.Builder serverBuilder, DtlsEndpoint.Builder clientBuilder) {
            DtlsEndpoint[] peers = new DtlsEndpoint[2];
            server = serverBuilder.executor(pool).sender((b, o, l) -> peers[1].receive(b, o, l)).build();
            client = clientBuilder.executor(pool).sender((b, o, l) -> peers[0].receive(b, o, l)).build();
            peers[0] = server;
            peers[1] = client;
        }

        void start() {
            server.start();
            client.start();
        }
    }

    private static DtlsEndpoint.Builder server() {
        return DtlsEndpoint.server().certificate(SERVER_CERT).remoteFingerprint(CLIENT_CERT.fingerprint());
    }

    private static DtlsEndpoint.Builder client() {
        return DtlsEndpoint.client().certificate(CLIENT_CERT).remoteFingerprint(SERVER_CERT.fingerprint());
    }

    private static DtlsSrtpKeys await(DtlsEndpoint e) throws Exception {
        return e.handshake().get(20, TimeUnit.SECONDS);
    }

    private static DtlsException failure(DtlsEndpoint e) throws Exception {
        ExecutionException x = assertThrows(ExecutionException.class, () -> e.handshake().get(20, TimeUnit.SECONDS));
        return assertInstanceOf(DtlsException.class, x.getCause());
    }

    private static void assertRtpFlows(SrtpContext tx, SrtpContext rx, int seq) {
        byte[] plain = new byte[60];
        plain[0] = (byte) 0x80;
        plain[1] = 111;
        plain[3] = (byte) seq;
        plain[11] = 9; // SSRC
        for (int i = 12; i < plain.length; i++) {
            plain[i] = (byte) (i * seq);
        }
        byte[] buf = Arrays.copyOf(plain, plain.length + tx.profile().rtpOverhead());
        int n = tx.protectRtp(buf, 0, plain.length);
        assertEquals(buf.length, n);
        assertEquals(plain.length, rx.unprotectRtp(buf, 0, n));
        assertArrayEquals(plain, Arrays.copyOf(buf, plain.length));

        byte[] rtcp = {(byte) 0x80, (byte) 201, 0, 1, 0, 0, 0, 9};
        byte[] rbuf = Arrays.copyOf(rtcp, rtcp.length + tx.profile().rtcpOverhead());
        n = tx.protectRtcp(rbuf, 0, rtcp.length);
        assertEquals(rtcp.length, rx.unprotectRtcp(rbuf, 0, n));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void handshakeYieldsMatchingSrtpContexts(SrtpProfile profile) throws Exception {
        Pair pair = new Pair(server(), client().profiles(List.of(profile)));
        pair.start();
        DtlsSrtpKeys serverKeys = await(pair.server);
        DtlsSrtpKeys clientKeys = await(pair.client);
        assertEquals(profile, serverKeys.profile());
        assertEquals(profile, clientKeys.profile());
        assertEquals(CLIENT_CERT.fingerprint(), serverKeys.remoteFingerprint());
        assertEquals(DtlsEndpoint.State.CONNECTED, pair.server.state());
        assertRtpFlows(clientKeys.outbound(), serverKeys.inbound(), 1);
        assertRtpFlows(serverKeys.outbound(), clientKeys.inbound(), 2);
    }

    @Test
    void serverPicksItsPreferredProfileAmongThoseTheClientOffers() throws Exception {
        Pair byDefault = new Pair(server(),
                client().profiles(List.of(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AES_CM_128_HMAC_SHA1_80)));
        byDefault.start();
        assertEquals(SrtpProfile.AES_CM_128_HMAC_SHA1_80, await(byDefault.server).profile());
        assertEquals(SrtpProfile.AES_CM_128_HMAC_SHA1_80, await(byDefault.client).profile());

        Pair gcmFirst = new Pair(
                server().profiles(List.of(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AES_CM_128_HMAC_SHA1_80)),
                client());
        gcmFirst.start();
        assertEquals(SrtpProfile.AEAD_AES_128_GCM, await(gcmFirst.server).profile());
    }

    @Test
    void failsWhenNoSrtpProfileIsShared() throws Exception {
        Pair pair = new Pair(server().profiles(List.of(SrtpProfile.AEAD_AES_128_GCM)),
                client().profiles(List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80)));
        pair.start();
        assertEquals(DtlsException.Kind.NO_COMMON_SRTP_PROFILE, failure(pair.server).kind());
        failure(pair.client);
    }

    @Test
    void serverRejectsClientCertificateNotMatchingSdpFingerprint() throws Exception {
        DtlsCertificate other = DtlsCertificate.generate();
        CountDownLatch failed = new CountDownLatch(1);
        Pair pair = new Pair(server().remoteFingerprint(other.fingerprint()).listener(new DtlsListener() {
            @Override
            public void onFailed(Throwable cause) {
                failed.countDown();
            }
        }), client());
        pair.start();
        assertEquals(DtlsException.Kind.FINGERPRINT_MISMATCH, failure(pair.server).kind());
        assertTrue(failed.await(5, TimeUnit.SECONDS));
        failure(pair.client);
        assertEquals(DtlsEndpoint.State.FAILED, pair.server.state());
    }

    @Test
    void clientRejectsServerCertificateNotMatchingSdpFingerprint() throws Exception {
        DtlsCertificate other = DtlsCertificate.generate();
        Pair pair = new Pair(server(), client().remoteFingerprint(other.fingerprint()));
        pair.start();
        assertEquals(DtlsException.Kind.FINGERPRINT_MISMATCH, failure(pair.client).kind());
        failure(pair.server);
    }

    @Test
    void garbageDatagramsAreDroppedAndHandshakeStillSucceeds() throws Exception {
        Pair pair = new Pair(server(), client());
        pair.server.start();
        Random random = new Random(42);
        for (int i = 0; i < 30; i++) {
            byte[] junk = new byte[random.nextInt(300)];
            random.nextBytes(junk);
            if (i % 2 == 0 && junk.length > 0) {
                junk[0] = 22; // looks like a handshake record
            }
            pair.server.receive(junk, 0, junk.length);
        }
        pair.server.receive(new byte[] {22, (byte) 0xfe, (byte) 0xfd}, 0, 3); // truncated header
        pair.client.start();
        DtlsSrtpKeys serverKeys = await(pair.server);
        DtlsSrtpKeys clientKeys = await(pair.client);
        // garbage after the handshake is drained and ignored too
        for (int i = 0; i < 10; i++) {
            byte[] junk = new byte[100];
            random.nextBytes(junk);
            junk[0] = 23; // application_data record type
            pair.server.receive(junk, 0, junk.length);
        }
        Thread.sleep(200);
        assertEquals(DtlsEndpoint.State.CONNECTED, pair.server.state());
        assertRtpFlows(clientKeys.outbound(), serverKeys.inbound(), 3);
    }

    @Test
    void handshakeTimesOutWithoutPeer() throws Exception {
        DtlsEndpoint lonely = server().handshakeTimeout(Duration.ofMillis(300))
                .executor(pool).sender((b, o, l) -> { }).build();
        lonely.start();
        assertEquals(DtlsException.Kind.TIMEOUT, failure(lonely).kind());
        assertEquals(DtlsEndpoint.State.FAILED, lonely.state());
    }

    @Test
    void closeNotifyIsReportedToThePeer() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        Pair pair = new Pair(server().listener(new DtlsListener() {
            @Override
            public void onClosedByPeer() {
                closed.countDown();
            }
        }), client());
        pair.start();
        await(pair.server);
        await(pair.client);
        pair.client.close();
        assertTrue(closed.await(10, TimeUnit.SECONDS), "server saw close_notify");
        assertEquals(DtlsEndpoint.State.CLOSED, pair.server.state());
        assertEquals(DtlsEndpoint.State.CLOSED, pair.client.state());
    }

    @Test
    void closeAbortsRunningHandshake() throws Exception {
        DtlsEndpoint e = server().executor(pool).sender((b, o, l) -> { }).build();
        e.start();
        e.close();
        assertEquals(DtlsException.Kind.CLOSED, failure(e).kind());
    }

    @Test
    void fullQueueDropsAndCounts() {
        DtlsEndpoint e = server().queueCapacity(2).executor(pool).sender((b, o, l) -> { }).build();
        for (int i = 0; i < 5; i++) {
            e.receive(new byte[] {22, 1, 2}, 0, 3);
        }
        assertEquals(3, e.droppedDatagrams());
    }

    @Test
    void recognisesDtlsByFirstByte() {
        assertTrue(DtlsEndpoint.isDtlsRecord(new byte[] {22}, 0, 1));
        assertEquals(false, DtlsEndpoint.isDtlsRecord(new byte[] {(byte) 0x80}, 0, 1)); // RTP
        assertEquals(false, DtlsEndpoint.isDtlsRecord(new byte[] {0, 1}, 0, 2)); // STUN
        assertEquals(false, DtlsEndpoint.isDtlsRecord(new byte[0], 0, 0));
    }
}
