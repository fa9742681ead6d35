/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cskit.media.dtls.DtlsCertificate;
import dev.cskit.media.rtp.RtpPacket;
import dev.cskit.testkit.ClientPeer;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link ClientPeer} on its own loopback UDP socket, read by a thread of its own, counting the RTP it decrypts
 * (waiters on {@link #rtp} are notified). For the media ITs that drive the real server without a browser.
 */
final class LoopbackPeer {

    final DatagramSocket socket;
    final InetSocketAddress address;
    final ClientPeer peer;
    final AtomicInteger rtp = new AtomicInteger();

    /** A peer whose handshakes and reading thread run on {@code threads}. */
    LoopbackPeer(ClientPeer.Role role, ExecutorService threads, DtlsCertificate certificate) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        socket.setSoTimeout(200);
        address = (InetSocketAddress) socket.getLocalSocketAddress();
        peer = ClientPeer.newBuilder(role).executor(threads).certificate(certificate)
                .sender((buf, off, len, to) -> {
                    try {
                        socket.send(new DatagramPacket(buf, off, len, to));
                    } catch (IOException e) {
                        // closed at the end of the test
                    }
                })
                .listener(new ClientPeer.Listener() {
                    @Override
                    public void onRtp(RtpPacket packet) {
                        rtp.incrementAndGet();
                        synchronized (rtp) {
                            rtp.notifyAll();
                        }
                    }
                }).build();
        threads.submit(() -> {
            byte[] buf = new byte[2048];
            while (!socket.isClosed()) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                    peer.receive(buf, 0, p.getLength());
                } catch (SocketTimeoutException e) {
                    // poll again
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    /** {@link #negotiate(ClientPeer, int, String, String, String)} for this peer. */
    void negotiate(int port, String kind, String path, String token) throws Exception {
        negotiate(peer, port, kind, path, token);
    }

    /**
     * POSTs {@code peer}'s offer to {@code /webrtc/{kind}/customer-service/{path}} of the server on {@code port} with
     * {@code token}, requires 201, and has the peer take the answer, which it returns.
     */
    static String negotiate(ClientPeer peer, int port, String kind, String path, String token) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/webrtc/" + kind + "/customer-service/" + path))
                .header("Content-Type", "application/sdp").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(peer.offer())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        peer.acceptAnswer(r.body());
        return r.body();
    }

    void close() {
        peer.close();
        socket.close();
    }
}
