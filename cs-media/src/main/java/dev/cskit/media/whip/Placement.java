/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.whip;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which media loop serves which call: a session is pinned to one loop when its first resource is created (the
 * loop with the fewest pinned sessions, the lowest index among equals) and stays there while it has resources,
 * so a call's publishers and players meet on one thread and forwarding never crosses threads. Also the index of
 * resource ids to loops and the count of peers against the engine's limit.
 *
 * <p>Thread-safe: resources are created on the callers' threads and removed on the loops'.
 */
final class Placement {

    private record Pin(MediaLoop loop, int resources) {
    }

    private final MediaLoop[] loops;
    private final AtomicInteger[] sessionsPerLoop;
    private final ConcurrentHashMap<String, Pin> pins = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, MediaLoop> resources = new ConcurrentHashMap<>();
    private final AtomicInteger peers = new AtomicInteger();

    Placement(MediaLoop[] loops) {
        this.loops = loops;
        this.sessionsPerLoop = new AtomicInteger[loops.length];
        for (int i = 0; i < loops.length; i++) {
            sessionsPerLoop[i] = new AtomicInteger();
        }
    }

    /** Counts a new peer against {@code max}; false (and nothing counted) if the engine is full. */
    boolean reserve(int max) {
        if (peers.incrementAndGet() > max) {
            peers.decrementAndGet();
            return false;
        }
        return true;
    }

    /** The loop of {@code sessionId}'s call, pinning it now if it has none; counts one more resource on it. */
    MediaLoop acquire(String sessionId) {
        return pins.compute(sessionId, (id, pin) -> {
            if (pin != null) {
                return new Pin(pin.loop(), pin.resources() + 1);
            }
            int best = 0;
            for (int i = 1; i < loops.length; i++) {
                if (sessionsPerLoop[i].get() < sessionsPerLoop[best].get()) {
                    best = i;
                }
            }
            sessionsPerLoop[best].incrementAndGet();
            return new Pin(loops[best], 1);
        }).loop();
    }

    /** Remembers which loop serves resource {@code id}. */
    void index(String id, MediaLoop loop) {
        resources.put(id, loop);
    }

    /** A resource of {@code sessionId} is gone (or was never made): the call is unpinned with its last one. */
    void release(String sessionId, String id) {
        if (id != null) {
            resources.remove(id);
        }
        peers.decrementAndGet();
        pins.computeIfPresent(sessionId, (sid, pin) -> {
            if (pin.resources() > 1) {
                return new Pin(pin.loop(), pin.resources() - 1);
            }
            sessionsPerLoop[pin.loop().index()].decrementAndGet();
            return null;
        });
    }

    Optional<MediaLoop> loopOfSession(String sessionId) {
        Pin p = pins.get(sessionId);
        return p == null ? Optional.empty() : Optional.of(p.loop());
    }

    Optional<MediaLoop> loopOfResource(String id) {
        return Optional.ofNullable(resources.get(id));
    }

    int peers() {
        return peers.get();
    }
}
