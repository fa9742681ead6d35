/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.agent;

import dev.cskit.api.annotation.Nullable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the router keeps of one agent ({@link RoutingState}). Immutable: the router writes a new version back
 * after each change, so a shared store sees every change.
 *
 * @param id         the agent id
 * @param name       its display name
 * @param present    checked in (lobby seat or status)
 * @param seated     holds its lobby seat (can be rung for transfers)
 * @param wantsReady said it is ready for calls
 * @param ring       the offer ringing it, or {@code null}
 * @param calls      the sessions it is in (Active), in the order it got them
 * @param wrapUntil  when its after-call work ends, or {@code null}
 * @param idleSince  when it last became free
 * @param stateSince when its published state began
 * @param published  the state it was last told ({@code agent_state})
 */
public record AgentRecord(String id, String name, boolean present, boolean seated, boolean wantsReady,
                          @Nullable Ring ring, List<String> calls, @Nullable Instant wrapUntil, Instant idleSince,
                          Instant stateSince, AgentState published) {

    public AgentRecord {
        calls = List.copyOf(calls);
    }

    /** An agent not checked in, idle since {@code now}. */
    public static AgentRecord offline(String id, String name, Instant now) {
        return new AgentRecord(id, name, false, false, false, null, List.of(), null, now, now, AgentState.OFFLINE);
    }

    /** Where it is: ringing, then busy, then offline, then wrap-up, then ready or online. */
    public AgentState state() {
        if (ring != null) {
            return AgentState.RINGING;
        }
        if (!calls.isEmpty()) {
            return AgentState.BUSY;
        }
        if (!present) {
            return AgentState.OFFLINE;
        }
        if (wrapUntil != null) {
            return AgentState.WRAP_UP;
        }
        return wantsReady ? AgentState.READY : AgentState.ONLINE;
    }

    AgentView view() {
        return new AgentView(id, name, state(), present, ring == null ? null : ring.sessionId(), calls, idleSince,
                stateSince, wrapUntil);
    }

    AgentRecord named(String value) {
        return new AgentRecord(id, value, present, seated, wantsReady, ring, calls, wrapUntil, idleSince, stateSince,
                published);
    }

    AgentRecord present(boolean value) {
        return new AgentRecord(id, name, value, seated, wantsReady, ring, calls, wrapUntil, idleSince, stateSince,
                published);
    }

    AgentRecord seated(boolean value) {
        return new AgentRecord(id, name, present, value, wantsReady, ring, calls, wrapUntil, idleSince, stateSince,
                published);
    }

    AgentRecord wantsReady(boolean value) {
        return new AgentRecord(id, name, present, seated, value, ring, calls, wrapUntil, idleSince, stateSince,
                published);
    }

    AgentRecord ring(@Nullable Ring value) {
        return new AgentRecord(id, name, present, seated, wantsReady, value, calls, wrapUntil, idleSince, stateSince,
                published);
    }

    AgentRecord withCall(String sessionId) {
        if (calls.contains(sessionId)) {
            return this;
        }
        List<String> more = new ArrayList<>(calls);
        more.add(sessionId);
        return new AgentRecord(id, name, present, seated, wantsReady, ring, more, wrapUntil, idleSince, stateSince,
                published);
    }

    AgentRecord withoutCall(String sessionId) {
        List<String> fewer = new ArrayList<>(calls);
        fewer.remove(sessionId);
        return new AgentRecord(id, name, present, seated, wantsReady, ring, fewer, wrapUntil, idleSince, stateSince,
                published);
    }

    AgentRecord wrapUntil(@Nullable Instant value) {
        return new AgentRecord(id, name, present, seated, wantsReady, ring, calls, value, idleSince, stateSince,
                published);
    }

    AgentRecord idleSince(Instant value) {
        return new AgentRecord(id, name, present, seated, wantsReady, ring, calls, wrapUntil, value, stateSince,
                published);
    }

    AgentRecord published(AgentState value, Instant since) {
        return new AgentRecord(id, name, present, seated, wantsReady, ring, calls, wrapUntil, idleSince, since, value);
    }
}
