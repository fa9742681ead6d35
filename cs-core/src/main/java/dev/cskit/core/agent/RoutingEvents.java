/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.agent;

import dev.cskit.api.session.Session;
import java.time.Duration;

/**
 * What the {@link AgentRouter} has to tell agents and waiting customers;
 * {@link dev.cskit.core.agent.lobby.AgentFrames} turns it into room frames. Keeps the router free of JSON and
 * of the room service.
 *
 * <p><b>Threading:</b> called under the router's lock, on whichever thread drove the router (a room callback,
 * an HTTP handler, a timer on the scheduler, the thread that changed a session); must not block and must not
 * call back into the router.
 */
public interface RoutingEvents {

    /** The agent's state changed, or a new lobby connection has to learn it: {@code agent_state}. */
    void agentState(AgentView agent);

    /** A ring starts (or a reconnected lobby has to see it again): {@code incoming_call} to the rung agent. */
    void incomingCall(Ring ring, Duration ringTimeout);

    /** A ring was withdrawn: {@code incoming_cancelled} to the agent it rang. */
    void incomingCancelled(String agentId, String sessionId, CancelReason reason);

    /** The agent accepted and now has the session: {@code incoming_accepted}. */
    void incomingAccepted(String agentId, Session session, String media, boolean transfer);

    /** A transfer rings its target: {@code transfer_ringing} to the transferring agent in its call room. */
    void transferRinging(String byAgentId, Ring ring, Duration ringTimeout);

    /** The target did not take a transfer; the call stays: {@code transfer_failed} to the transferring agent. */
    void transferFailed(String byAgentId, String sessionId, String toAgentId, CancelReason reason);

    /**
     * A waiting customer's place changed: {@code queue_position}.
     *
     * @return whether the customer was seated to hear it (else it is told again later)
     */
    boolean queuePosition(String sessionId, String customerId, int position, long estimatedWait);
}
