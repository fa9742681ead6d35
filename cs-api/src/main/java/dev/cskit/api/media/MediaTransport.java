/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.media;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The UDP sockets a host opens for WebRTC media (ICE, DTLS, SRTP, demultiplexed by first byte): one per media
 * loop, each read by one thread of its own. The plugin runs a media loop on each socket and pins every call to one
 * of them, so a call's packets are received, forwarded and sent on one thread; with one socket per core the calls
 * spread over the cores.
 *
 * <p><b>Threading:</b> {@link #sockets} is fixed once the host has started and may be called from any thread.
 */
public interface MediaTransport {

    /** The media sockets, in a fixed order; at least one once the host has started. */
    List<MediaSocket> sockets();

    /**
     * One UDP socket and its loop: the one thread that reads the socket, calls its receiver and runs the tasks
     * given to {@link #execute} and {@link #schedule}, in order, between datagrams.
     *
     * <p><b>Threading:</b> every method may be called from any thread. {@link #send} never blocks (the datagram
     * is copied and queued; when the socket cannot keep up it is dropped and counted) and is cheapest on the loop's
     * thread, where the datagrams sent while the receiver handles a batch of reads go out together. Tasks must not
     * block; a task that throws is logged and the loop goes on.
     */
    interface MediaSocket {

        /** The addresses peers reach this socket at: the host candidates put into SDP answers. */
        List<InetSocketAddress> candidates();

        /** Installs the receiver of this socket's datagrams, replacing any earlier one. */
        void setReceiver(DatagramReceiver receiver);

        /**
         * Sends one datagram; {@code buf} is copied before this returns.
         *
         * @return false if it was dropped (socket closed or send queue full)
         */
        boolean send(byte[] buf, int off, int len, InetSocketAddress to);

        /** Runs {@code task} on the socket's loop, after what is queued there. */
        void execute(Runnable task);

        /** Runs {@code task} on the socket's loop after {@code delay}; cancel it through the returned future. */
        Future<?> schedule(Runnable task, long delay, TimeUnit unit);

        /** Whether the calling thread is the socket's loop. */
        boolean inLoop();
    }

    /** Receives datagrams from a media socket. */
    @FunctionalInterface
    interface DatagramReceiver {
        /**
         * One inbound datagram. Called on the socket's loop: must not block, must not throw (garbage is dropped and
         * counted), and must not keep {@code buf} after returning (the host reuses it).
         */
        void onDatagram(byte[] buf, int off, int len, InetSocketAddress from);
    }
}
