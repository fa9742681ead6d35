/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.agent;

import java.time.Duration;
import java.time.Instant;

/**
 * What a node of a cluster does every few seconds for the nodes that are gone ({@link AgentRouter#sweep}): an agent
 * whose lobby seat was on a node gone loses its presence (a ring moves on, as when its socket drops); a ring whose
 * timeout is due while the node that set it (its lease) is gone or late times out here, as its own timer would have;
 * a wrap-up past its end by more than {@link #LATE} ends here. Each step re-checks what it acts on, so two nodes
 * sweeping at once, or a timer firing meanwhile, change nothing twice.
 *
 * <p><b>Threading:</b> stateless; runs under the router's lock (it re-enters the router's commands).
 */
final class RouterSweep {

    /** How late a timer of another node may be before this node runs it. */
    static final Duration LATE = Duration.ofSeconds(2);

    private RouterSweep() {
    }

    static void run(AgentRouter router, RoutingState state, Instant now) {
        for (AgentRecord a : state.agents()) {
            if (a.seated() && state.seatLost(a.id())) {
                router.presenceLost(a.id(), true);
                a = state.agent(a.id()).orElse(a);
            }
            Ring r = a.ring();
            if (r != null && !r.accepting() && state.ringOrphaned(r, now)) {
                router.onRingTimeout(a.id(), r.id());
            }
            Instant until = state.agent(a.id()).map(AgentRecord::wrapUntil).orElse(null);
            if (until != null && until.plus(LATE).isBefore(now)) {
                router.onWrapUpOver(a.id(), until);
            }
        }
    }
}
