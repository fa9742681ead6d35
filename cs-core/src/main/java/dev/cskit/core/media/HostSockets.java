/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.media;

import dev.cskit.api.media.MediaTransport;
import dev.cskit.media.ice.IceProtocol;
import dev.cskit.media.whip.LoopContext;
import dev.cskit.media.whip.MediaLoop;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Where {@link WebRtcGateway} meets the host: a media loop bound to its host socket both ways (datagrams and ICE-TCP
 * frames in, sends out over the protocol of each peer's selected pair), and the entity tags of a WHIP/WHEP
 * {@code If-Match}. Stateless.
 */
final class HostSockets {

    private HostSockets() {
    }

    /** The host's datagrams and ICE-TCP frames, to the loop of their socket. */
    static MediaTransport.DatagramReceiver receiver(MediaLoop loop) {
        return new MediaTransport.DatagramReceiver() {
            @Override
            public void onDatagram(byte[] buf, int off, int len, InetSocketAddress from) {
                loop.onDatagram(buf, off, len, from);
            }

            @Override
            public void onPacket(byte[] buf, int off, int len, InetSocketAddress from,
                                 MediaTransport.Protocol protocol) {
                loop.onPacket(buf, off, len, from, iceProtocol(protocol));
            }
        };
    }

    private static IceProtocol iceProtocol(MediaTransport.Protocol p) {
        return p == MediaTransport.Protocol.TCP ? IceProtocol.TCP : IceProtocol.UDP;
    }

    private static MediaTransport.Protocol hostProtocol(IceProtocol p) {
        return p == IceProtocol.TCP ? MediaTransport.Protocol.TCP : MediaTransport.Protocol.UDP;
    }

    /** The loop's view of its host socket: candidates, sends over UDP or the peer's ICE-TCP connection, its thread. */
    static LoopContext loopContext(MediaTransport.MediaSocket socket) {
        return new LoopContext() {
            @Override
            public List<InetSocketAddress> candidates() {
                return socket.candidates();
            }

            @Override
            public List<InetSocketAddress> tcpCandidates() {
                return socket.tcpCandidates();
            }

            @Override
            public void send(byte[] buf, int off, int len, InetSocketAddress to) {
                socket.send(buf, off, len, to);
            }

            @Override
            public void send(byte[] buf, int off, int len, InetSocketAddress to, IceProtocol protocol) {
                socket.send(buf, off, len, to, hostProtocol(protocol));
            }

            @Override
            public void checked(InetSocketAddress remote, IceProtocol protocol) {
                socket.checked(remote, hostProtocol(protocol));
            }

            @Override
            public void execute(Runnable task) {
                socket.execute(task);
            }

            @Override
            public boolean inLoop() {
                return socket.inLoop();
            }
        };
    }

    /** RFC 9110 §13.1.1: the tags of an {@code If-Match} list; weak tags never match (strong comparison). */
    static List<String> entityTags(String header) {
        List<String> out = new ArrayList<>();
        for (String t : header.split(",")) {
            String tag = t.trim();
            if (!tag.isEmpty() && !tag.startsWith("W/")) {
                out.add(tag);
            }
        }
        return out;
    }
}
