/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.session.EndReason;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link MediaChanges}: a change that steers media, made on a node that is not the session's media home, reaches the
 * home, whose media hears it from the version it last acted on.
 */
class MediaChangesTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private final FakeNodeRegistry registry = new FakeNodeRegistry(List::of);
    private final Map<String, Session> store = new HashMap<>();
    private final List<String> heard = new ArrayList<>();
    private final MediaChanges changes = new MediaChanges(registry, "a", id -> Optional.ofNullable(store.get(id)),
            (@Nullable Session before, Session after) -> heard.add(describe(before) + " -> " + describe(after)),
            Runnable::run);

    private static String describe(@Nullable Session s) {
        return s == null ? "none" : s.status() + (s.onHold() ? " held" : "") + " " + s.agentId();
    }

    private static Session active(String id) {
        return Session.newBuilder(id, "t", "cust_1", "Ann", T0).agent("agent_001", "Wang")
                .status(SessionStatus.ACTIVE).acceptedAt(T0).build();
    }

    @Test
    void aHoldMadeHereOfASessionHomedElsewhereIsSentToItsHome() {
        Session s = active("cs_1");
        registry.homes.put("cs_1", "b");
        changes.onChanged(s, s.toBuilder().onHold(true).build());
        changes.onChanged(s, s.toBuilder().description("another description").build()); // does not steer media
        registry.homes.put("cs_2", "a");
        changes.onChanged(active("cs_2"), active("cs_2").toBuilder().onHold(true).build()); // homed here
        changes.onChanged(active("cs_3"), active("cs_3").toBuilder().onHold(true).build()); // no media yet
        changes.onChanged(null, s); // made
        assertEquals(List.of("b cs_1"), registry.sent);
    }

    @Test
    void theHomesMediaHearsAChangeMadeElsewhereFromTheVersionItLastActedOn() {
        Session s = active("cs_1");
        store.put("cs_1", s);
        changes.homedHere("cs_1");
        changes.receive("cs_1"); // nothing changed
        assertEquals(List.of(), heard);

        store.put("cs_1", s.toBuilder().onHold(true).build());
        changes.receive("cs_1");
        store.put("cs_1", s.toBuilder().agent("agent_002", "Li").build()); // resumed and transferred at once
        changes.receive("cs_1");
        assertEquals(List.of("ACTIVE agent_001 -> ACTIVE held agent_001",
                "ACTIVE held agent_001 -> ACTIVE agent_002"), heard);

        store.put("cs_1", s.toBuilder().status(SessionStatus.ENDED).ended(T0, EndReason.AGENT_HANGUP).build());
        changes.receive("cs_1");
        assertEquals("ACTIVE agent_002 -> ENDED agent_001", heard.get(2));
        assertEquals(0, changes.homed(), "an ended session's media is forgotten");
        changes.receive("cs_1");
        assertEquals(3, heard.size());
    }

    @Test
    void aChangeMadeOnTheHomeItselfMovesTheKeptVersionAndIdsOfOtherSessionsAreIgnored() {
        Session s = active("cs_1");
        store.put("cs_1", s);
        changes.homedHere("cs_1");
        Session held = s.toBuilder().onHold(true).build();
        changes.onChanged(s, held); // the media here heard it from the session manager
        store.put("cs_1", held);
        changes.receive("cs_1");
        changes.receive("cs_9");
        changes.receive("not an id!");
        assertEquals(List.of(), heard);
    }
}
