/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.testkit;

import dev.cskit.media.dtls.DtlsSrtpKeys;
import dev.cskit.media.rtp.RtpPacket;
import dev.cskit.media.srtp.SrtpContext;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The media side of one {@link ClientPeer}: SRTP/SRTCP with the keys of its DTLS handshake, protecting what it
 * sends and unprotecting what it receives, with the counters.
 *
 * <p>Thread-safe: sends from any thread (one at a time under a lock), receives on the receive thread.
 */
final class ClientSrtp {

    private static final int MAX_PACKET = 1600;

    private volatile SrtpContext rx;
    private volatile SrtpContext tx;
    private final Object txLock = new Object();
    private final byte[] txBuf = new byte[MAX_PACKET];
    private final byte[] rxBuf = new byte[MAX_PACKET];
    private final RtpPacket rtp = new RtpPacket();
    final AtomicLong rtpSent = new AtomicLong();
    final AtomicLong rtcpSent = new AtomicLong();
    final AtomicLong rtpReceived = new AtomicLong();
    final AtomicLong rtcpReceived = new AtomicLong();
    final AtomicLong srtpFailed = new AtomicLong();

    void start(DtlsSrtpKeys keys) {
        rx = keys.inbound();
        tx = keys.outbound();
    }

    /** Sends nothing more (the association closed). */
    void stop() {
        tx = null;
    }

    SrtpContext tx() {
        return tx;
    }

    /** One SRTP or SRTCP datagram: authenticated and handed to the listener, or counted as failed. */
    boolean receive(byte[] buf, int off, int len, boolean rtcp, ClientPeer.Listener listener) {
        SrtpContext c = rx;
        if (c == null || len > rxBuf.length) {
            srtpFailed.incrementAndGet();
            return true;
        }
        System.arraycopy(buf, off, rxBuf, 0, len);
        int n = rtcp ? c.unprotectRtcp(rxBuf, 0, len) : c.unprotectRtp(rxBuf, 0, len);
        if (n < 0) {
            srtpFailed.incrementAndGet();
            return true;
        }
        if (rtcp) {
            rtcpReceived.incrementAndGet();
            listener.onRtcp(rxBuf, 0, n);
        } else if (rtp.wrap(rxBuf, 0, n)) {
            rtpReceived.incrementAndGet();
            listener.onRtp(rtp);
        } else {
            return false;
        }
        return true;
    }

    int sendRtp(int payloadType, long ssrc, int seq, long timestamp, boolean marker, byte[] payload, int off, int len,
                ClientPeer.Sender sender, InetSocketAddress to) {
        SrtpContext c = tx;
        if (c == null) {
            return ClientPeer.NOT_CONNECTED;
        }
        synchronized (txLock) {
            if (RtpPacket.FIXED_HEADER_LENGTH + len + c.profile().rtpOverhead() > txBuf.length) {
                return ClientPeer.TOO_LARGE;
            }
            RtpPacket.writeHeader(txBuf, 0, payloadType, marker, seq & 0xFFFF, timestamp & 0xFFFFFFFFL, ssrc);
            System.arraycopy(payload, off, txBuf, RtpPacket.FIXED_HEADER_LENGTH, len);
            int n = c.protectRtp(txBuf, 0, RtpPacket.FIXED_HEADER_LENGTH + len);
            if (n > 0) {
                sender.send(txBuf, 0, n, to);
                rtpSent.incrementAndGet();
            }
            return n;
        }
    }

    int sendRtcp(byte[] plain, int off, int len, ClientPeer.Sender sender, InetSocketAddress to) {
        SrtpContext c = tx;
        if (c == null) {
            return ClientPeer.NOT_CONNECTED;
        }
        synchronized (txLock) {
            if (len + c.profile().rtcpOverhead() > txBuf.length) {
                return ClientPeer.TOO_LARGE;
            }
            System.arraycopy(plain, off, txBuf, 0, len);
            int n = c.protectRtcp(txBuf, 0, len);
            if (n > 0) {
                sender.send(txBuf, 0, n, to);
                rtcpSent.incrementAndGet();
            }
            return n;
        }
    }
}
