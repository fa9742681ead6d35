/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.whip;

import dev.cskit.media.ice.IceProtocol;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * One media loop's routing state: peers by resource id, by local ICE ufrag (a check from a new address) and by
 * remote address (every other datagram; UDP and ICE-TCP connections apart, as their port spaces are), and the
 * streams by key.
 *
 * <p>Not thread-safe: owned by its loop.
 */
final class PeerTable {

    final Map<String, Peer> byId = new HashMap<>();
    final Map<String, Peer> byUfrag = new HashMap<>();
    final Map<InetSocketAddress, Peer> byAddress = new HashMap<>();
    /** ICE-TCP connections (the client's end of each) that passed a check. */
    final Map<InetSocketAddress, Peer> byTcpAddress = new HashMap<>();
    final Map<StreamKey, Stream> streams = new HashMap<>();

    /** The peers by remote address of {@code protocol}. */
    Map<InetSocketAddress, Peer> byAddress(IceProtocol protocol) {
        return protocol == IceProtocol.TCP ? byTcpAddress : byAddress;
    }

    /** Registers {@code p} and puts it into its stream; returns the publisher it replaced, or null. */
    Peer add(Peer p) {
        byId.put(p.id, p);
        byUfrag.put(p.ice.localCredentials().ufrag(), p);
        Stream stream = streams.computeIfAbsent(p.key, Stream::new);
        p.stream = stream;
        Peer replaced = null;
        if (p.role == PeerRole.PUBLISH) {
            replaced = stream.publisher;
            stream.publisher = p;
        } else {
            stream.addPlayer(p);
        }
        return replaced;
    }

    /** Forgets {@code p} everywhere; false if it was not registered (already removed). */
    boolean remove(Peer p) {
        if (byId.remove(p.id) == null) {
            return false;
        }
        byUfrag.values().removeIf(q -> q == p); // its ufrags from before an ICE restart too
        byAddress.values().removeIf(q -> q == p);
        byTcpAddress.values().removeIf(q -> q == p);
        Stream s = p.stream;
        if (s != null) {
            if (s.publisher == p) {
                s.publisher = null;
            }
            s.removePlayer(p);
            if (s.isEmpty()) {
                streams.remove(s.key, s);
            }
        }
        return true;
    }
}
