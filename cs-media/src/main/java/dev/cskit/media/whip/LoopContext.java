/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.whip;

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

    /** Runs {@code task} on the loop's thread, after what is already queued there. Must not block. */
    void execute(Runnable task);

    /** Whether the calling thread is the loop's thread. */
    boolean inLoop();
}
