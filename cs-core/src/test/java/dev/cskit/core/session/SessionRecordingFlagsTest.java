/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.session.EndReason;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStore;
import dev.cskit.core.MutableClock;
import dev.cskit.core.json.SessionJson;
import dev.cskit.core.session.SessionException.Kind;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A session's {@code recorded} and {@code recording_disabled}: one-way, written once, kept by the journal. */
class SessionRecordingFlagsTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();

    /** A store that counts its writes. */
    private static final class CountingStore implements SessionStore {
        final InMemorySessionStore inner = new InMemorySessionStore();
        final AtomicInteger puts = new AtomicInteger();

        @Override
        public Collection<Session> load() {
            return inner.load();
        }

        @Override
        public void put(Session session) throws IOException {
            puts.incrementAndGet();
            inner.put(session);
        }

        @Override
        public void close() {
        }
    }

    private SessionManager manager(SessionStore store) throws IOException {
        SessionManager m = new SessionManager(store, clock, 10, Duration.ofHours(1));
        m.restore();
        return m;
    }

    @Test
    void markRecordedIsWrittenAndAnnouncedOnceHoweverOftenTheRecorderSaysSo() throws IOException {
        CountingStore store = new CountingStore();
        SessionManager m = manager(store);
        List<Session[]> changes = new ArrayList<>();
        m.addListener((b, a) -> changes.add(new Session[] {b, a}));
        Session s = m.create("Help", "John", null);
        assertFalse(s.recorded());
        int writes = store.puts.get();

        Session marked = m.markRecorded(s.id());
        assertTrue(marked.recorded());
        assertEquals(writes + 1, store.puts.get());
        assertEquals(2, changes.size());
        assertFalse(changes.get(1)[0].recorded());
        assertTrue(changes.get(1)[1].recorded());

        assertSame(marked, m.markRecorded(s.id())); // a second track, a restart: nothing new
        assertEquals(writes + 1, store.puts.get());
        assertEquals(2, changes.size());
    }

    @Test
    void aCallEndedJustAfterItsRecorderStartedIsStillMarkedRecorded() throws IOException {
        SessionManager m = manager(new InMemorySessionStore());
        Session s = m.create("Help", "John", null);
        m.end(s.id(), EndReason.CLOSED);
        Session after = m.markRecorded(s.id());
        assertTrue(after.recorded());
        assertTrue(after.isEnded());
    }

    @Test
    void recordingTurnedOffStaysOffAndCannotBeTurnedOffAfterTheEnd() throws IOException {
        CountingStore store = new CountingStore();
        SessionManager m = manager(store);
        Session s = m.create("Help", "John", null);
        Session off = m.disableRecording(s.id());
        assertTrue(off.recordingDisabled());
        int writes = store.puts.get();
        assertSame(off, m.disableRecording(s.id()));
        assertEquals(writes, store.puts.get());

        Session other = m.create("Other", "Ann", null);
        m.end(other.id(), EndReason.CLOSED);
        Session ended = m.require(other.id());
        SessionException e = assertThrows(SessionException.class, () -> m.disableRecording(other.id()));
        assertEquals(Kind.CONFLICT, e.kind());
        assertTrue(e.getMessage().contains("Ended"), e.getMessage());
        assertEquals(ended, m.require(other.id()));

        SessionException missing = assertThrows(SessionException.class, () -> m.markRecorded("cs_nope"));
        assertEquals(Kind.NOT_FOUND, missing.kind());
    }

    @Test
    void bothFlagsSurviveARestartOfTheJournal() throws IOException {
        String id;
        try (JournalSessionStore store = new JournalSessionStore(dir)) {
            SessionManager m = manager(store);
            id = m.create("Help", "John", null).id();
            m.markRecorded(id);
            m.disableRecording(id);
        }
        try (JournalSessionStore store = new JournalSessionStore(dir)) {
            Session s = manager(store).require(id);
            assertTrue(s.recorded());
            assertTrue(s.recordingDisabled());
        }
    }

    @Test
    void sessionJsonCarriesTheFlagsAndReadsOlderRecordsWithoutThemAsFalse() {
        Session s = Session.newBuilder("cs_1", "t", "cust_1", "John", clock.instant()).recorded(true).build();
        var n = SessionJson.toNode(s, clock.instant());
        assertTrue(n.get("recorded").asBoolean());
        assertFalse(n.get("recording_disabled").asBoolean());
        assertEquals(s, SessionJson.fromNode(n));

        n.remove("recorded");
        n.remove("recording_disabled");
        Session old = SessionJson.fromNode(n);
        assertFalse(old.recorded());
        assertFalse(old.recordingDisabled());
    }
}
