/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.media;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The one UDP port a host opens for all WebRTC media (ICE, DTLS, SRTP, demultiplexed by first byte).
 * The plugin installs a {@link DatagramReceiver} and sends through {@link #send}.
 *
 * <p><b>Threading:</b> {@link #send} is thread-safe and never blocks (the datagram is copied and queued; when
 * the socket cannot keep up it is dropped and counted). The receiver is called on the host's I/O thread.
 */
public interface MediaTransport {

    /** The addresses peers can reach the port at: the host candidates put into SDP answers. */
    List<InetSocketAddress> candidates();

    /** Installs the receiver of every inbound datagram, replacing any earlier one. */
    void setReceiver(DatagramReceiver receiver);

    /**
     * Sends one datagram; {@code buf} is copied before this returns.
     *
     * @return false if it was dropped (socket closed or send queue full)
     */
    boolean send(byte[] buf, int off, int len, InetSocketAddress to);

    /** Receives datagrams from the media port. */
    @FunctionalInterface
    interface DatagramReceiver {
        /**
         * One inbound datagram. Called on the host's I/O thread: must not block, must not throw (garbage is
         * dropped and counted), and must not keep {@code buf} after returning (the host reuses it).
         */
        void onDatagram(byte[] buf, int off, int len, InetSocketAddress from);
    }
}
