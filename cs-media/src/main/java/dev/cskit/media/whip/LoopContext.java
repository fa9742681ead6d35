/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.whip;

import dev.cskit.media.ice.IceProtocol;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * What one {@link MediaLoop} needs from its host: a UDP socket, and the one thread that reads it and owns the
 * loop. The host feeds the socket's datagrams to {@link MediaLoop#onDatagram} on that thread and calls
 * {@link MediaLoop#handleTimeout} there when {@link MediaLoop#nextTimeout} says.
 *
 * <p><b>Threading:</b> {@link #send} is called on the loop's thread only; {@link #execute} and {@link #inLoop}
 * from any thread.
 */
public interface LoopContext {

    /** The addresses clients reach the socket at: the host candidates of the SDP answers of this loop's calls. */
    List<InetSocketAddress> candidates();

    /** Sends one datagram. Must copy {@code buf} before returning and must not block (drop and count instead). */
    void send(byte[] buf, int off, int len, InetSocketAddress to);

    /**
     * The addresses of the loop's ICE-TCP listener (RFC 6544 passive host candidates, after the UDP ones in the
     * answers), empty when it has none (the default).
     */
    default List<InetSocketAddress> tcpCandidates() {
        return List.of();
    }

    /**
     * Sends one packet over {@code protocol}: a UDP datagram, or one RFC 4571 frame on the ICE-TCP connection from
     * {@code to}; same contract as {@link #send(byte[], int, int, InetSocketAddress)}. The default sends UDP only.
     */
    default void send(byte[] buf, int off, int len, InetSocketAddress to, IceProtocol protocol) {
        if (protocol == IceProtocol.UDP) {
            send(buf, off, len, to);
        }
    }

    /**
     * A connectivity check from {@code remote} over {@code protocol} passed: an ICE-TCP connection is now a peer's
     * (the host stops its unauthenticated deadline). On the loop's thread; the default does nothing.
     */
    default void checked(InetSocketAddress remote, IceProtocol protocol) {
    }

    /** Runs {@code task} on the loop's thread, after what is already queued there. Must not block. */
    void execute(Runnable task);

    /** Whether the calling thread is the loop's thread. */
    boolean inLoop();
}
