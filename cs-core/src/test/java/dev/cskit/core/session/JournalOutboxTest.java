/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.session.OutboxRecord;
import dev.cskit.api.session.OutboxRecord.Status;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStore;
import dev.cskit.core.MutableClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook outbox in the session journal: written with the change, progress kept, compaction keeps it. */
class JournalOutboxTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();

    /** One record per change, its type the change's new status; what the manager said was stored, in order. */
    private static final class OneRecordPerChange implements SessionOutbox {
        final List<OutboxRecord> stored = new CopyOnWriteArrayList<>();
        private int n;

        @Override
        public synchronized List<OutboxRecord> recordsFor(@Nullable Session before, Session after) {
            n++;
            String type = before == null ? "created" : after.onHold() ? "held" : after.status().wireName();
            return List.of(OutboxRecord.pending("dlv_" + after.id() + "_" + n, "msg_" + n, type, after.id(),
                    "http://127.0.0.1:1/hook", "{\"n\":" + n + "}", after.createdAt()));
        }

        @Override
        public void stored(List<OutboxRecord> records) {
            stored.addAll(records);
        }
    }

    private SessionManager open(SessionStore store, SessionOutbox outbox) throws IOException {
        SessionManager m = new SessionManager(store, clock, 1000, Duration.ofHours(1));
        m.restore();
        m.useOutbox(outbox);
        return m;
    }

    private static List<String> ids(Collection<OutboxRecord> records) {
        return records.stream().map(OutboxRecord::id).collect(Collectors.toList());
    }

    @Test
    void recordsAreStoredWithTheirChangeAndSurviveReopen() throws IOException {
        OneRecordPerChange outbox = new OneRecordPerChange();
        Session s;
        try (JournalSessionStore store = new JournalSessionStore(dir)) {
            SessionManager m = open(store, outbox);
            s = m.create("a", "Alice", null);
            m.assign(s.id(), "agent_001", "Agent Wang");
            s = m.accept(s.id(), "agent_001");
        }
        assertEquals(List.of("created", "Waiting", "Active"), outbox.stored.stream().map(OutboxRecord::type).toList());
        try (JournalSessionStore store = new JournalSessionStore(dir)) {
            assertEquals(List.of(s), List.copyOf(store.load()));
            List<OutboxRecord> kept = store.loadOutbox();
            assertEquals(outbox.stored, kept); // every field, in the order written
        }
    }

    @Test
    void aRefusedOrUnstoredChangeHasNoRecords() throws IOException {
        OneRecordPerChange outbox = new OneRecordPerChange();
        FailingStore store = new FailingStore();
        SessionManager m = open(store, outbox);
        Session s = m.create("a", "Alice", null);
        assertThrows(SessionException.class, () -> m.accept(s.id(), "agent_001")); // refused: not assigned
        store.failing = true;
        assertThrows(SessionException.class, () -> m.assign(s.id(), "agent_001", "Agent Wang")); // not stored
        assertEquals(List.of("created"), outbox.stored.stream().map(OutboxRecord::type).toList());
        assertEquals(ids(outbox.stored), ids(store.loadOutbox()));
    }

    @Test
    void deliveredAndDiscardedRecordsAreForgottenAndProgressIsKept() throws IOException {
        OneRecordPerChange outbox = new OneRecordPerChange();
        try (JournalSessionStore store = new JournalSessionStore(dir)) {
            SessionManager m = open(store, outbox);
            Session s = m.create("a", "Alice", null);
            m.assign(s.id(), "agent_001", "Agent Wang");
            m.accept(s.id(), "agent_001");
            List<OutboxRecord> r = outbox.stored;
            clock.advance(Duration.ofSeconds(5));
            store.putOutbox(List.of(r.get(0).withStatus(Status.DELIVERED),
                    r.get(1).failed(clock.instant(), "HTTP 503")));
            store.putOutbox(List.of(r.get(2).failed(clock.instant(), "timed out").withStatus(Status.DEAD)));
            store.putOutbox(List.of(OutboxRecord.pending("dlv_x", "msg_x", "recording.ready", s.id(),
                    "http://127.0.0.1:1/hook", "{}", clock.instant())));
            store.putOutbox(List.of(OutboxRecord.pending("dlv_x", "msg_x", "recording.ready", s.id(),
                    "http://127.0.0.1:1/hook", "{}", clock.instant()).withStatus(Status.DISCARDED)));
            store.putOutbox(List.of(r.get(0).withStatus(Status.DELIVERED))); // again, unknown by now: ignored
        }
        try (JournalSessionStore store = new JournalSessionStore(dir)) {
            store.load();
            List<OutboxRecord> kept = store.loadOutbox();
            assertEquals(List.of(outbox.stored.get(1).id(), outbox.stored.get(2).id()), ids(kept));
            assertEquals(1, kept.get(0).attempts());
            assertEquals("HTTP 503", kept.get(0).lastError());
            assertEquals(Status.PENDING, kept.get(0).status());
            assertEquals(Status.DEAD, kept.get(1).status());
            assertEquals(clock.instant(), kept.get(1).lastAttemptAt());
        }
        // The compacted journal (written at the load above) reads back the same.
        try (JournalSessionStore store = new JournalSessionStore(dir)) {
            store.load();
            assertEquals(List.of(outbox.stored.get(1).id(), outbox.stored.get(2).id()), ids(store.loadOutbox()));
        }
    }

    @Test
    void aTornChangeLosesItsRecordsToo() throws IOException {
        OneRecordPerChange outbox = new OneRecordPerChange();
        Session s;
        try (JournalSessionStore store = new JournalSessionStore(dir)) {
            SessionManager m = open(store, outbox);
            s = m.create("a", "Alice", null);
        }
        // A crash while appending the next change with its record: half of it reached the disk.
        Session assigned = s.toBuilder().agent("agent_001", "Agent Wang").build();
        ByteBuffer rec = JournalSessionStore.encodeOutbox(assigned, List.of(OutboxRecord.pending("dlv_torn", "msg_t",
                "session.assigned", s.id(), "http://127.0.0.1:1/hook", "{}", clock.instant())));
        try (FileChannel ch = FileChannel.open(dir.resolve(JournalSessionStore.JOURNAL), StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(rec.array(), 0, rec.limit() - 3));
        }
        try (JournalSessionStore store = new JournalSessionStore(dir)) {
            assertEquals(List.of(s), List.copyOf(store.load()));
            assertEquals(ids(outbox.stored), ids(store.loadOutbox()));
        }
    }

    @Test
    void runningCompactionKeepsEveryUndeliveredRecordAndForgetsTheDelivered() throws IOException {
        OneRecordPerChange outbox = new OneRecordPerChange();
        Map<String, Session> acked;
        List<OutboxRecord> undelivered = new ArrayList<>();
        int compactions;
        try (JournalSessionStore store = new JournalSessionStore(dir, 4096)) {
            SessionManager m = open(store, outbox);
            List<String> sessions = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Session s = m.create("topic " + i, "customer " + i, null);
                m.assign(s.id(), "agent_001", "Agent Wang");
                m.accept(s.id(), "agent_001");
                sessions.add(s.id());
            }
            for (int round = 0; round < 30; round++) {
                for (String id : sessions) {
                    m.hold(id, "agent_001");
                    m.resume(id, "agent_001");
                }
                // Deliver all but every seventh record so far: those stay, at any compaction.
                List<OutboxRecord> progress = new ArrayList<>();
                for (OutboxRecord r : outbox.stored) {
                    if (undelivered.contains(r)) {
                        continue;
                    }
                    if (Math.floorMod(r.id().hashCode(), 7) == 0) {
                        undelivered.add(r);
                    } else {
                        progress.add(r.withStatus(Status.DELIVERED));
                    }
                }
                outbox.stored.removeIf(r -> !undelivered.contains(r));
                store.putOutbox(progress);
            }
            acked = m.all().stream().collect(Collectors.toMap(Session::id, x -> x));
            compactions = store.compactions();
        }
        assertTrue(compactions >= 3, "the journal was compacted while records were pending: " + compactions);
        assertTrue(undelivered.size() >= 20, "enough undelivered records to mean something: " + undelivered.size());
        try (JournalSessionStore store = new JournalSessionStore(dir)) {
            assertEquals(acked, store.load().stream().collect(Collectors.toMap(Session::id, x -> x)));
            assertEquals(undelivered, store.loadOutbox()); // every one, every field, in the order written
        }
        // And the journal holds no more than the live sessions and those records, compacted at load.
        long size = Files.size(dir.resolve(JournalSessionStore.JOURNAL));
        assertTrue(size < 64 * 1024, "compacted journal of " + size + " bytes");
    }

    /** A store in memory whose puts fail while {@code failing}. */
    private static final class FailingStore implements SessionStore {
        final InMemorySessionStore inner = new InMemorySessionStore();
        volatile boolean failing;

        @Override
        public Collection<Session> load() {
            return inner.load();
        }

        @Override
        public void put(Session session) throws IOException {
            if (failing) {
                throw new IOException("disk full");
            }
            inner.put(session);
        }

        @Override
        public boolean keepsOutbox() {
            return true;
        }

        @Override
        public void put(Session session, List<OutboxRecord> outbox) throws IOException {
            if (failing) {
                throw new IOException("disk full");
            }
            inner.put(session, outbox);
        }

        @Override
        public List<OutboxRecord> loadOutbox() {
            return inner.loadOutbox();
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
