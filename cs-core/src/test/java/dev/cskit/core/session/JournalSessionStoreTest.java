/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.session.Session;
import dev.cskit.core.MutableClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalSessionStoreTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();

    private SessionManager open(JournalSessionStore store) throws IOException {
        SessionManager m = new SessionManager(store, clock, 100, Duration.ofHours(1));
        m.restore();
        return m;
    }

    private static Map<String, Session> byId(Collection<Session> c) {
        return c.stream().collect(Collectors.toMap(Session::id, Function.identity()));
    }

    /** Runs {@code writer} on 8 threads at once and waits for all of them (60 s at most). */
    private static void onEightThreads(java.util.concurrent.Callable<Void> writer) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                fs.add(pool.submit(writer));
            }
            for (Future<?> f : fs) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Journals three new sessions and returns the byte offset of the second record. */
    private int writeThreeSessions() throws IOException {
        try (JournalSessionStore store = new JournalSessionStore(dir)) {
            SessionManager m = open(store);
            Session first = m.create("a", "Alice", null);
            m.create("b", "Bob", null);
            m.create("c", "Carol", null);
            return JournalSessionStore.encode(first).limit();
        }
    }

    @Test
    void everyAcknowledgedChangeSurvivesReopen() throws IOException {
        Map<String, Session> acked;
        try (JournalSessionStore store = new JournalSessionStore(dir)) {
            SessionManager m = open(store);
            Session a = m.create("a", "Alice", "desc");
            m.assign(a.id(), "agent_001", "Agent Wang");
            m.accept(a.id(), "agent_001");
            clock.advance(Duration.ofSeconds(30));
            m.hold(a.id(), "agent_001");
            m.end(a.id(), a.customerId());
            m.rate(a.id(), 5, "great");
            m.create("b", "Bob", null);
            acked = byId(m.all());
        }
        try (JournalSessionStore store = new JournalSessionStore(dir)) {
            SessionManager m = open(store);
            assertEquals(acked, byId(m.all()));
            assertEquals(1, m.stats().ratedSessions());
            assertEquals(30.0, m.stats().averageDurationSeconds());
        }
    }

    @Test
    void tornLastRecordIsCutAwayAndEarlierOnesKept() throws IOException {
        Map<String, Session> acked;
        Session last;
        try (JournalSessionStore store = new JournalSessionStore(dir)) {
            SessionManager m = open(store);
            m.create("a", "Alice", null);
            m.create("b", "Bob", null);
            acked = byId(m.all());
        }
        Path journal = dir.resolve(JournalSessionStore.JOURNAL);
        long goodSize = Files.size(journal);
        // A crash while appending a third record: the header and half its payload reached the disk.
        Session c = Session.newBuilder("cs_torn", "c", "cust_x", "Carol", clock.instant()).build();
        ByteBuffer rec = JournalSessionStore.encode(c);
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(rec.array(), 0, rec.limit() / 2));
        }
        try (JournalSessionStore store = new JournalSessionStore(dir)) {
            SessionManager m = open(store);
            assertEquals(acked, byId(m.all()));
            assertEquals(goodSize, Files.size(journal));
            last = m.create("d", "Dave", null); // appends cleanly after the cut
        }
        try (JournalSessionStore store = new JournalSessionStore(dir)) {
            Map<String, Session> back = byId(store.load());
            assertEquals(last, back.get(last.id()));
            assertEquals(3, back.size());
        }
    }

    @Test
    void tornHeaderIsCutAway() throws IOException {
        try (JournalSessionStore store = new JournalSessionStore(dir)) {
            open(store).create("a", "Alice", null);
        }
        Path journal = dir.resolve(JournalSessionStore.JOURNAL);
        long goodSize = Files.size(journal);
        Files.write(journal, new byte[] {0, 0, 1}, StandardOpenOption.APPEND);
        try (JournalSessionStore store = new JournalSessionStore(dir)) {
            assertEquals(1, store.load().size());
        }
        assertEquals(goodSize, Files.size(journal));
    }

    @Test
    void corruptRecordInTheMiddleIsReportedWithItsOffset() throws IOException {
        Path journal = dir.resolve(JournalSessionStore.JOURNAL);
        int secondOffset = writeThreeSessions();
        byte[] data = Files.readAllBytes(journal);
        data[secondOffset + 8 + 10] ^= 0x20; // flip a bit in the second record's payload
        Files.write(journal, data);
        try (JournalSessionStore store = new JournalSessionStore(dir)) {
            IOException e = assertThrows(IOException.class, store::load);
            assertTrue(e.getMessage().contains("at byte offset " + secondOffset), e.getMessage());
            assertTrue(e.getMessage().contains("CRC"), e.getMessage());
        }
        assertEquals(data.length, Files.size(journal)); // nothing cut, nothing compacted
    }

    @Test
    void badJsonWithGoodCrcInTheMiddleIsReported() throws IOException {
        Path journal = dir.resolve(JournalSessionStore.JOURNAL);
        byte[] bad = "{\"id\":5}".getBytes(StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        crc.update(bad);
        ByteBuffer b = ByteBuffer.allocate(8 + bad.length);
        b.putInt(bad.length).putInt((int) crc.getValue()).put(bad).flip();
        ByteBuffer good = JournalSessionStore.encode(Session.newBuilder("cs_a", "t", "cust_a", "A", clock.instant()).build());
        Files.createDirectories(dir);
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.write(good.duplicate());
            ch.write(b);
            ch.write(good.duplicate());
        }
        try (JournalSessionStore store = new JournalSessionStore(dir)) {
            IOException e = assertThrows(IOException.class, store::load);
            assertTrue(e.getMessage().contains("at byte offset " + good.limit()), e.getMessage());
        }
    }

    @Test
    void compactionKeepsOnlyTheLastVersionOfEachSession() throws IOException {
        Path journal = dir.resolve(JournalSessionStore.JOURNAL);
        Session s;
        try (JournalSessionStore store = new JournalSessionStore(dir)) {
            SessionManager m = open(store);
            s = m.create("a", "Alice", null);
            for (int i = 0; i < 20; i++) {
                m.assign(s.id(), "agent_" + i, "Agent " + i);
            }
            s = m.require(s.id());
        }
        long before = Files.size(journal);
        try (JournalSessionStore store = new JournalSessionStore(dir)) {
            assertEquals(s, store.load().iterator().next());
        }
        assertEquals(JournalSessionStore.encode(s).limit(), Files.size(journal));
        assertTrue(Files.size(journal) < before);
        assertTrue(Files.notExists(dir.resolve(JournalSessionStore.JOURNAL + ".tmp")));
    }

    @Test
    void secondOpenOfTheSameDataDirIsRefused() throws IOException {
        JournalSessionStore first = new JournalSessionStore(dir);
        try {
            IOException e = assertThrows(IOException.class, () -> new JournalSessionStore(dir));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        } finally {
            first.close();
        }
        new JournalSessionStore(dir).close(); // released on close
    }

    @Test
    void putAfterCloseFails() throws IOException {
        JournalSessionStore store = new JournalSessionStore(dir);
        store.load();
        store.close();
        assertThrows(IOException.class,
                () -> store.put(Session.newBuilder("cs_a", "t", "cust_a", "A", clock.instant()).build()));
    }

    @Test
    void concurrentPutsAreAllDurable() throws Exception {
        Map<String, Session> acked = new ConcurrentHashMap<>();
        try (JournalSessionStore store = new JournalSessionStore(dir)) {
            SessionManager m = new SessionManager(store, clock, 10_000, Duration.ofHours(1));
            m.restore();
            onEightThreads(() -> {
                for (int i = 0; i < 40; i++) {
                    Session s = m.create("t", "c", null);
                    s = m.assign(s.id(), "agent_" + i, "A");
                    acked.put(s.id(), s);
                }
                return null;
            });
        }
        try (JournalSessionStore store = new JournalSessionStore(dir)) {
            assertEquals(acked, byId(store.load()));
        }
    }

    @Test
    void runningJournalIsCompactedOnceSupersededRecordsPileUp() throws IOException {
        Path journal = dir.resolve(JournalSessionStore.JOURNAL);
        long slack = 4096;
        Map<String, Session> acked;
        int compactions;
        try (JournalSessionStore store = new JournalSessionStore(dir, slack)) {
            SessionManager m = open(store);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Session s = m.create("topic " + i, "customer " + i, null);
                m.assign(s.id(), "agent_001", "Agent Wang");
                m.accept(s.id(), "agent_001");
                ids.add(s.id());
            }
            long maxSize = 0;
            for (int round = 0; round < 30; round++) {
                for (String id : ids) {
                    m.hold(id, "agent_001");
                    m.resume(id, "agent_001");
                    maxSize = Math.max(maxSize, Files.size(journal));
                }
            }
            m.end(ids.get(0), "agent_001"); // a write after the last compaction goes to the new file
            acked = byId(m.all());
            compactions = store.compactions();
            long live = acked.values().stream().mapToLong(s -> {
                try {
                    return JournalSessionStore.encode(s).limit();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }).sum();
            // Superseded records never exceed the live ones plus the slack by more than one record.
            assertTrue(maxSize <= 2 * live + slack + 2048, maxSize + " bytes with " + live + " live");
        }
        assertTrue(compactions >= 5, "1200 updates of 20 sessions over a 4 KiB slack compact often: " + compactions);
        try (JournalSessionStore store = new JournalSessionStore(dir)) {
            assertEquals(acked, byId(store.load()));
        }
    }

    @Test
    void concurrentPutsDuringCompactionsAreAllDurable() throws Exception {
        Map<String, Session> acked = new ConcurrentHashMap<>();
        int compactions;
        try (JournalSessionStore store = new JournalSessionStore(dir, 2048)) {
            SessionManager m = new SessionManager(store, clock, 10_000, Duration.ofHours(1));
            m.restore();
            onEightThreads(() -> {
                for (int i = 0; i < 10; i++) {
                    Session s = m.create("t", "c", null);
                    s = m.assign(s.id(), "agent_" + i, "A");
                    s = m.accept(s.id(), "agent_" + i);
                    for (int k = 0; k < 5; k++) {
                        m.hold(s.id(), "agent_" + i);
                        s = m.resume(s.id(), "agent_" + i);
                    }
                    acked.put(s.id(), s);
                }
                return null;
            });
            compactions = store.compactions();
        }
        assertTrue(compactions >= 3, "compactions under concurrent puts: " + compactions);
        try (JournalSessionStore store = new JournalSessionStore(dir)) {
            assertEquals(acked, byId(store.load()));
        }
    }

    @Test
    void damagedLengthInTheMiddleIsReportedNotCutAway() throws IOException {
        Path journal = dir.resolve(JournalSessionStore.JOURNAL);
        int second = writeThreeSessions();
        byte[] data = Files.readAllBytes(journal);
        ByteBuffer.wrap(data).putInt(second, 100_000); // the second record's length now runs past the end
        Files.write(journal, data);
        try (JournalSessionStore store = new JournalSessionStore(dir)) {
            IOException e = assertThrows(IOException.class, store::load);
            assertTrue(e.getMessage().contains("at byte offset " + second), e.getMessage());
        }
        assertEquals(data.length, Files.size(journal));
    }
}
