/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.dtls;

import dev.cskit.media.srtp.SrtpProfile;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsTimeoutException;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DTLS 1.2 association (RFC 6347) for DTLS-SRTP (RFC 5764), server or client role, for one
 * peer connection. BouncyCastle's handshake is blocking and wants to pull datagrams itself, so
 * {@link #receive} only queues a copy (bounded; overflow is dropped and counted) and the handshake
 * runs on the caller's {@link Executor}, reading that queue with timeouts. The peer must present
 * a certificate matching the fingerprint from its SDP (RFC 8122 §5; in the server role a client
 * certificate is required). On success the negotiated {@link SrtpProfile} and SRTP contexts keyed
 * from the {@code EXTRACTOR-dtls_srtp} exporter are delivered through {@link #handshake()} and
 * {@link DtlsListener#onConnected}. After the handshake, queued datagrams are drained by short
 * executor tasks: retransmitted handshake flights are answered, application data is discarded,
 * and close_notify is reported via {@link DtlsListener#onClosedByPeer()}.
 *
 * <p>Usage (server): {@code DtlsEndpoint.server().certificate(c).remoteFingerprint(fp)
 * .sender(udp::send).executor(pool).listener(l).build()}, then {@link #start()}, then feed every
 * DTLS datagram (first byte 20..63, RFC 7983 §7; see {@link #isDtlsRecord}) to {@link #receive}.
 *
 * <p>Thread-safety: {@link #receive}, {@link #close()} and the getters may be called from any
 * thread; {@code receive} never blocks. The handshake occupies one executor thread until it
 * completes, fails or times out; the executor must not be the network thread. Timeouts use
 * {@link System#nanoTime()}.
 */
public final class DtlsEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(DtlsEndpoint.class);
    private static final byte[] WAKE_UP = new byte[0];
    private static final int RECEIVE_LIMIT = 2048;
    /** Lifecycle states. */
    public enum State { NEW, HANDSHAKING, CONNECTED, CLOSED, FAILED }

    private final boolean server;
    private final List<SrtpProfile> profiles;
    private final DtlsSender sender;
    private final Executor executor;
    private final DtlsListener listener;
    private final long timeoutNanos;
    private final int mtu;

    private final BlockingQueue<byte[]> inbox;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();
    private final CompletableFuture<DtlsSrtpKeys> handshake = new CompletableFuture<>();
    /** Made by the first drain: most associations never receive a record after their handshake. */
    private byte[] drainBuffer;
    private volatile DTLSTransport dtls;
    private volatile long deadline;
    private final RecordShape shape = new RecordShape();
    private final SrtpTls tls;
    private final AtomicLong malformedAfterHandshake = new AtomicLong();

    private DtlsEndpoint(Builder b) {
        this.server = b.server;
        this.sender = Objects.requireNonNull(b.sender, "sender is required");
        this.executor = Objects.requireNonNull(b.executor, "executor is required");
        this.listener = b.listener;
        this.profiles = List.copyOf(b.profiles);
        if (profiles.isEmpty()) {
            throw new IllegalArgumentException("at least one SRTP profile is required");
        }
        this.timeoutNanos = b.handshakeTimeout.toNanos();
        // The same timeout for BouncyCastle's handshake, which both roles report.
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
        this.tls = new SrtpTls(server, Objects.requireNonNull(b.certificate, "certificate is required"),
                Objects.requireNonNull(b.remoteFingerprint, "remoteFingerprint is required"), profiles, timeoutMillis,
                shape);
        this.mtu = b.mtu;
        this.inbox = new ArrayBlockingQueue<>(b.queueCapacity);
    }

    /** A builder for the server role (what the SFU uses for each browser peer). */
    public static Builder server() {
        return new Builder(true);
    }

    /** A builder for the client role (tests, load harness, benchmarks). */
    public static Builder client() {
        return new Builder(false);
    }

    /** RFC 7983 §7 demultiplexing: a datagram whose first byte is 20..63 is DTLS. */
    public static boolean isDtlsRecord(byte[] buf, int off, int len) {
        if (len < 1) {
            return false;
        }
        int b = buf[off] & 0xff;
        return b >= 20 && b <= 63;
    }

    /** Starts the handshake on the executor. Datagrams received before this are kept (up to the queue size). */
    public void start() {
        if (!state.compareAndSet(State.NEW, State.HANDSHAKING)) {
            throw new IllegalStateException("start() may be called once, state is " + state.get());
        }
        deadline = System.nanoTime() + timeoutNanos;
        try {
            executor.execute(this::runHandshake);
        } catch (RejectedExecutionException e) {
            fail(new DtlsException(DtlsException.Kind.PROTOCOL, "executor rejected the handshake task", e));
        }
    }

    /**
     * Hands a datagram from the peer to this endpoint; copies it and returns at once. Dropped
     * (and counted) when the queue is full or the endpoint is closed or failed.
     */
    public void receive(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        State s = state.get();
        if (s == State.CLOSED || s == State.FAILED || len == 0) {
            dropped.incrementAndGet();
            return;
        }
        if (shape.known() && !shape.plausible(buf, off, len)) {
            // See RecordShape: after the handshake a forged short record must not end the call.
            malformedAfterHandshake.incrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        byte[] copy = java.util.Arrays.copyOfRange(buf, off, off + len);
        if (!inbox.offer(copy)) {
            dropped.incrementAndGet();
            return;
        }
        if (s == State.CONNECTED) {
            scheduleDrain();
        }
    }

    /** Datagrams dropped after the handshake because they could not be valid DTLS records. */
    public long malformedAfterHandshake() {
        return malformedAfterHandshake.get();
    }

    /** Completes with the SRTP keys on success, or exceptionally with a {@link DtlsException}. */
    public CompletableFuture<DtlsSrtpKeys> handshake() {
        return handshake;
    }

    /** The current lifecycle state. */
    public State state() {
        return state.get();
    }

    /** Datagrams dropped because the queue was full or the endpoint was closed. */
    public long droppedDatagrams() {
        return dropped.get();
    }

    /** Sends close_notify if connected, aborts a running handshake, and drops queued datagrams. Idempotent. */
    public void close() {
        State prev = state.getAndSet(State.CLOSED);
        if (prev == State.CLOSED || prev == State.FAILED) {
            state.set(prev);
            return;
        }
        if (prev == State.CONNECTED) {
            DTLSTransport t = dtls;
            try {
                t.close(); // sends close_notify through our sender
            } catch (IOException | RuntimeException e) {
                LOG.debug("close_notify not sent: {}", e.toString());
            }
        }
        inbox.clear();
        inbox.offer(WAKE_UP);
        if (prev != State.CONNECTED) {
            fail(new DtlsException(DtlsException.Kind.CLOSED, "closed before the handshake completed", null));
        }
    }

    // ------------------------------------------------------------------ handshake

    private void runHandshake() {
        try {
            BcTlsCrypto crypto = SrtpTls.CRYPTO;
            Transport transport = new Transport();
            DTLSTransport t;
            if (server) {
                DTLSServerProtocol protocol = new DTLSServerProtocol();
                // ICE connectivity checks already proved the peer's address: no cookie round trip.
                protocol.setVerifyRequests(false);
                t = protocol.accept(tls.new Server(crypto), transport);
            } else {
                t = new DTLSClientProtocol().connect(tls.new Client(crypto), transport);
            }
            dtls = t;
            DtlsSrtpKeys k = tls.keys;
            if (k == null) {
                throw new TlsFatalAlert(AlertDescription.internal_error, "handshake completed without SRTP keys");
            }
            if (!state.compareAndSet(State.HANDSHAKING, State.CONNECTED)) {
                t.close();
                return;
            }
            LOG.debug("DTLS-SRTP {} connected with {}", server ? "server" : "client", k.profile());
            handshake.complete(k);
            safely(() -> listener.onConnected(k));
            if (!inbox.isEmpty()) {
                scheduleDrain();
            }
        } catch (Throwable e) {
            fail(classify(e));
        }
    }

    private DtlsException classify(Throwable e) {
        if (e instanceof DtlsException d) {
            return d;
        }
        DtlsException.Kind kind = tls.failureKind;
        if (kind == null) {
            if (state.get() == State.CLOSED) {
                kind = DtlsException.Kind.CLOSED;
            } else if (e instanceof TlsFatalAlertReceived) {
                kind = DtlsException.Kind.ALERT_RECEIVED;
            } else if (e instanceof TlsTimeoutException || System.nanoTime() - deadline >= 0) {
                // BouncyCastle runs its own handshake timer too and may give up a moment before ours.
                kind = DtlsException.Kind.TIMEOUT;
            } else {
                kind = DtlsException.Kind.PROTOCOL;
            }
        }
        return new DtlsException(kind, String.valueOf(e.getMessage()), e);
    }

    private void fail(DtlsException e) {
        state.compareAndSet(State.HANDSHAKING, State.FAILED);
        state.compareAndSet(State.NEW, State.FAILED);
        state.compareAndSet(State.CONNECTED, State.FAILED);
        if (handshake.completeExceptionally(e)) {
            LOG.debug("DTLS {} failed: {}", server ? "server" : "client", e.getMessage());
            safely(() -> listener.onFailed(e));
        } else if (state.get() == State.FAILED) {
            safely(() -> listener.onFailed(e));
        }
        inbox.clear();
    }

    private void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("DtlsListener threw", e);
        }
    }

    // ------------------------------------------------------------------ after the handshake

    private void scheduleDrain() {
        if (draining.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                draining.set(false);
            }
        }
    }

    /** Feeds queued records to BouncyCastle: it answers retransmitted flights and handles alerts. */
    private void drain() {
        try {
            if (drainBuffer == null) {
                drainBuffer = new byte[RECEIVE_LIMIT];
            }
            while (!inbox.isEmpty() && state.get() == State.CONNECTED && !tls.peerClosed) {
                dtls.receive(drainBuffer, 0, drainBuffer.length, 1); // application data is ignored
            }
        } catch (IOException | RuntimeException e) {
            if (!tls.peerClosed && state.get() == State.CONNECTED) {
                fail(classify(e));
            }
        } finally {
            draining.set(false);
        }
        if (tls.peerClosed) {
            if (state.compareAndSet(State.CONNECTED, State.CLOSED)) {
                inbox.clear();
                safely(listener::onClosedByPeer);
            }
        } else if (!inbox.isEmpty() && state.get() == State.CONNECTED) {
            scheduleDrain();
        }
    }

    // ------------------------------------------------------------------ plumbing for BouncyCastle

    /** The datagram transport BouncyCastle pulls from: our queue in, the caller's sender out. */
    private final class Transport implements DatagramTransport {
        @Override
        public int getReceiveLimit() {
            return RECEIVE_LIMIT;
        }

        @Override
        public int getSendLimit() {
            return mtu;
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            long wait = waitMillis;
            if (state.get() == State.HANDSHAKING) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    tls.failureKind = DtlsException.Kind.TIMEOUT;
                    throw new IOException("DTLS handshake timed out");
                }
                wait = Math.min(wait, left);
            }
            byte[] d;
            try {
                d = inbox.poll(Math.max(wait, 0), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for a DTLS datagram");
            }
            State s = state.get();
            if (s == State.CLOSED || s == State.FAILED) {
                throw new IOException("DTLS endpoint closed");
            }
            if (d == null || d == WAKE_UP) {
                return -1;
            }
            int n = Math.min(len, d.length);
            System.arraycopy(d, 0, buf, off, n);
            return n;
        }

        @Override
        public void send(byte[] buf, int off, int len) throws IOException {
            try {
                sender.send(buf, off, len);
            } catch (RuntimeException e) {
                throw new IOException("DTLS sender failed", e);
            }
        }

        @Override
        public void close() {
            // The UDP socket belongs to the caller.
        }
    }

    /** Configures a {@link DtlsEndpoint}. Not thread-safe. */
    public static final class Builder {
        private final boolean server;
        private DtlsCertificate certificate;
        private DtlsFingerprint remoteFingerprint;
        private List<SrtpProfile> profiles =
                List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80, SrtpProfile.AEAD_AES_128_GCM);
        private DtlsSender sender;
        private Executor executor;
        private DtlsListener listener = new DtlsListener() { };
        private Duration handshakeTimeout = Duration.ofSeconds(30);
        private int queueCapacity = 64;
        private int mtu = 1200;

        private Builder(boolean server) {
            this.server = server;
        }

        /** Our certificate and key (required). */
        public Builder certificate(DtlsCertificate c) {
            this.certificate = Objects.requireNonNull(c);
            return this;
        }

        /** The fingerprint the peer announced in its SDP (required). */
        public Builder remoteFingerprint(DtlsFingerprint fp) {
            this.remoteFingerprint = Objects.requireNonNull(fp);
            return this;
        }

        /** SRTP profiles in preference order; default AES_CM_128_HMAC_SHA1_80 then AEAD_AES_128_GCM. */
        public Builder profiles(List<SrtpProfile> p) {
            this.profiles = new ArrayList<>(Objects.requireNonNull(p));
            return this;
        }

        /** Where outgoing datagrams go (required). */
        public Builder sender(DtlsSender s) {
            this.sender = Objects.requireNonNull(s);
            return this;
        }

        /** Runs the blocking handshake and post-handshake drains; never the network thread (required). */
        public Builder executor(Executor e) {
            this.executor = Objects.requireNonNull(e);
            return this;
        }

        /** Lifecycle callbacks; default no-op. */
        public Builder listener(DtlsListener l) {
            this.listener = Objects.requireNonNull(l);
            return this;
        }

        /** Handshake timeout; default 30 s. */
        public Builder handshakeTimeout(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("handshakeTimeout must be positive");
            }
            this.handshakeTimeout = d;
            return this;
        }

        /** Inbound datagram queue bound; default 64. */
        public Builder queueCapacity(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("queueCapacity must be >= 1");
            }
            this.queueCapacity = n;
            return this;
        }

        /** Largest datagram we send; default 1200 (fits any path WebRTC uses). */
        public Builder mtu(int n) {
            if (n < 256) {
                throw new IllegalArgumentException("mtu must be >= 256");
            }
            this.mtu = n;
            return this;
        }

        /** Builds the endpoint; call {@link DtlsEndpoint#start()} to begin. */
        public DtlsEndpoint build() {
            return new DtlsEndpoint(this);
        }
    }
}
