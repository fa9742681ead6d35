/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.whip;

/**
 * One stream ({@link StreamKey}): at most one publisher and any number of players. The player list is a copy-on-write array
 * so the forwarding thread iterates it without locks or allocation.
 */
final class Stream {

    private static final Peer[] NONE = new Peer[0];

    final StreamKey key;
    volatile Peer publisher;
    volatile Peer[] players = NONE;
    volatile boolean paused;

    Stream(StreamKey key) {
        this.key = key;
    }

    synchronized void addPlayer(Peer p) {
        Peer[] cur = players;
        for (Peer q : cur) {
            if (q == p) {
                return;
            }
        }
        Peer[] next = java.util.Arrays.copyOf(cur, cur.length + 1);
        next[cur.length] = p;
        players = next;
    }

    synchronized void removePlayer(Peer p) {
        Peer[] cur = players;
        int n = 0;
        Peer[] next = new Peer[cur.length];
        for (Peer q : cur) {
            if (q != p) {
                next[n++] = q;
            }
        }
        players = n == 0 ? NONE : java.util.Arrays.copyOf(next, n);
    }

    boolean isEmpty() {
        return publisher == null && players.length == 0;
    }
}
