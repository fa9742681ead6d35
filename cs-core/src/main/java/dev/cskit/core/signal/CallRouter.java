/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.signal;

/**
 * What {@link CallSignaling} asks of call routing (the agent pool): whether a transfer should ring its target
 * first, and who just took a seat in a call room (a waiting customer is told its queue position).
 *
 * <p><b>Threading:</b> called from the call room's callbacks, on the host's room threads; implementations are
 * thread-safe and must not block.
 */
public interface CallRouter {

    /**
     * An agent asked to transfer its call.
     *
     * @return true if the router took it over (the target is rung; the transfer happens when it accepts),
     *         false to transfer at once as without routing
     * @throws dev.cskit.core.session.SessionException if the transfer cannot be offered (e.g. the target is busy)
     */
    boolean transfer(String sessionId, String byUserId, String toAgentId, String toAgentName);

    /** A party of a session took its seat in the call room. */
    default void partyJoined(String sessionId, String userId) {
    }

    /** {@code router}, which also tells {@code joined} (after the router) of each party that took its seat. */
    static CallRouter alsoOnJoin(CallRouter router, java.util.function.BiConsumer<String, String> joined) {
        java.util.Objects.requireNonNull(router, "router");
        java.util.Objects.requireNonNull(joined, "joined");
        return new CallRouter() {
            @Override
            public boolean transfer(String sessionId, String byUserId, String toAgentId, String toAgentName) {
                return router.transfer(sessionId, byUserId, toAgentId, toAgentName);
            }

            @Override
            public void partyJoined(String sessionId, String userId) {
                router.partyJoined(sessionId, userId);
                joined.accept(sessionId, userId);
            }
        };
    }
}
