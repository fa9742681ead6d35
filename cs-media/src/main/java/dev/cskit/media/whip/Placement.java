/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.whip;

import dev.cskit.media.forward.MemoryBudget;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which media loop serves which call: a session is pinned to one loop when its first resource is created (the
 * loop with the fewest pinned sessions, the lowest index among equals) and stays there while it has resources,
 * so a call's publishers and players meet on one thread and forwarding never crosses threads. Also the index of
 * resource ids to loops, and the admission of new peers: the engine's peer limit, each party's limit in its
 * session, and each peer's share of the memory budget.
 *
 * <p>Thread-safe: resources are created on the callers' threads and removed on the loops'.
 */
final class Placement {

    /** Why a new peer was refused, or {@link #OK}. */
    enum Admission {
        OK,
        /** The party has its limit of live resources in this session. */
        PARTY_FULL,
        /** The engine has its limit of peers. */
        ENGINE_FULL,
        /** The memory budget has no room for another peer. */
        MEMORY_FULL
    }

    private record Pin(MediaLoop loop, int resources) {
    }

    private record Party(String sessionId, String owner) {
    }

    private final MediaLoop[] loops;
    private final int maxPeers;
    private final int maxPerParty;
    private final MemoryBudget budget;
    private final long peerBytes;
    private final AtomicInteger[] sessionsPerLoop;
    private final ConcurrentHashMap<String, Pin> pins = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, MediaLoop> resources = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Party, Integer> parties = new ConcurrentHashMap<>();
    private final AtomicInteger peers = new AtomicInteger();

    Placement(MediaLoop[] loops, int maxPeers, int maxPerParty, MemoryBudget budget, long peerBytes) {
        this.loops = loops;
        this.maxPeers = maxPeers;
        this.maxPerParty = maxPerParty;
        this.budget = budget;
        this.peerBytes = peerBytes;
        this.sessionsPerLoop = new AtomicInteger[loops.length];
        for (int i = 0; i < loops.length; i++) {
            sessionsPerLoop[i] = new AtomicInteger();
        }
    }

    /**
     * Counts a new peer of {@code owner} in {@code sessionId}: against the party's limit, the engine's and the
     * memory budget. On anything but {@link Admission#OK} nothing stays counted.
     */
    Admission admit(String sessionId, String owner) {
        boolean[] counted = {false};
        parties.compute(new Party(sessionId, owner), (k, n) -> {
            int c = n == null ? 0 : n;
            if (c >= maxPerParty) {
                return n;
            }
            counted[0] = true;
            return c + 1;
        });
        if (!counted[0]) {
            return Admission.PARTY_FULL;
        }
        if (peers.incrementAndGet() > maxPeers) {
            peers.decrementAndGet();
            releaseParty(sessionId, owner);
            return Admission.ENGINE_FULL;
        }
        if (!budget.tryReserve(peerBytes)) {
            peers.decrementAndGet();
            releaseParty(sessionId, owner);
            return Admission.MEMORY_FULL;
        }
        return Admission.OK;
    }

    private void releaseParty(String sessionId, String owner) {
        parties.computeIfPresent(new Party(sessionId, owner), (k, n) -> n > 1 ? n - 1 : null);
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

    /**
     * A resource of {@code owner} in {@code sessionId} is gone (or was never made after {@link #admit} and
     * {@link #acquire}): its slots and its memory are free, and the call is unpinned with its last one.
     */
    void release(String sessionId, String owner, String id) {
        if (id != null) {
            resources.remove(id);
        }
        peers.decrementAndGet();
        budget.release(peerBytes);
        releaseParty(sessionId, owner);
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

    /** Live resources of {@code owner} in {@code sessionId}. */
    int resourcesOf(String sessionId, String owner) {
        Integer n = parties.get(new Party(sessionId, owner));
        return n == null ? 0 : n;
    }
}
