/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.whip;

import java.util.Arrays;

/**
 * One stream ({@link StreamKey}): at most one publisher and any number of players. The players are an array so
 * that fan-out iterates them without allocation.
 *
 * <p>Not thread-safe: owned by the media loop of its session.
 */
final class Stream {

    private static final Peer[] NONE = new Peer[0];

    final StreamKey key;
    Peer publisher;
    Peer[] players = NONE;
    boolean paused;

    Stream(StreamKey key) {
        this.key = key;
    }

    void addPlayer(Peer p) {
        for (Peer q : players) {
            if (q == p) {
                return;
            }
        }
        players = Arrays.copyOf(players, players.length + 1);
        players[players.length - 1] = p;
    }

    void removePlayer(Peer p) {
        int n = 0;
        Peer[] next = new Peer[players.length];
        for (Peer q : players) {
            if (q != p) {
                next[n++] = q;
            }
        }
        players = n == 0 ? NONE : Arrays.copyOf(next, n);
    }

    boolean isEmpty() {
        return publisher == null && players.length == 0;
    }
}
