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
 * loop, each read by one thread of its own. A socket may also have an ICE-TCP listener (RFC 6544, passive): its
 * connections' RFC 4571 frames reach the same receiver, on the same thread, as datagrams of {@link Protocol#TCP},
 * and packets sent with that protocol go back as frames on the connection they came from. The plugin runs a media loop on each socket and pins every call to one
 * of them, so a call's packets are received, forwarded and sent on one thread; with one socket per core the calls
 * spread over the cores.
 *
 * <p><b>Threading:</b> {@link #sockets} is fixed once the host has started and may be called from any thread.
 */
public interface MediaTransport {

    /** The media sockets, in a fixed order; at least one once the host has started. */
    List<MediaSocket> sockets();

    /** The transport a media packet arrives or leaves over (the transport of an ICE candidate, RFC 8839 §5.1). */
    enum Protocol {
        /** A UDP datagram. */
        UDP,
        /** One RFC 4571 frame on an ICE-TCP connection, which the peer's address (its port) names. */
        TCP
    }

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

        /**
         * The addresses of this socket's ICE-TCP listener (RFC 6544 passive host candidates), empty when it has
         * none (the default).
         */
        default List<InetSocketAddress> tcpCandidates() {
            return List.of();
        }

        /** Installs the receiver of this socket's datagrams, replacing any earlier one. */
        void setReceiver(DatagramReceiver receiver);

        /**
         * Sends one datagram; {@code buf} is copied before this returns.
         *
         * @return false if it was dropped (socket closed or send queue full)
         */
        boolean send(byte[] buf, int off, int len, InetSocketAddress to);

        /**
         * Sends one packet over {@code protocol}: a UDP datagram as {@link #send(byte[], int, int, InetSocketAddress)},
         * or one RFC 4571 frame on the ICE-TCP connection from {@code to} (dropped and counted when there is no such
         * connection or it cannot keep up). The default sends UDP only.
         *
         * @return false if it was dropped
         */
        default boolean send(byte[] buf, int off, int len, InetSocketAddress to, Protocol protocol) {
            return protocol == Protocol.UDP && send(buf, off, len, to);
        }

        /**
         * The media loop tells the host that a STUN connectivity check from {@code remote} over {@code protocol}
         * passed (RFC 8445 §7.3): for TCP, the connection is now a peer's and no longer an unauthenticated one
         * (which the host closes when no check passes soon). Called on the socket's loop; the default does nothing.
         */
        default void checked(InetSocketAddress remote, Protocol protocol) {
        }

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

        /**
         * One inbound packet over {@code protocol} (for TCP, one RFC 4571 frame's payload, {@code from} naming the
         * connection), with the same contract. The default hands UDP to {@link #onDatagram(byte[], int, int,
         * InetSocketAddress)} and drops TCP.
         */
        default void onPacket(byte[] buf, int off, int len, InetSocketAddress from, Protocol protocol) {
            if (protocol == Protocol.UDP) {
                onDatagram(buf, off, len, from);
            }
        }
    }
}
