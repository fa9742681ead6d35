/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.health.Readiness;
import dev.cskit.api.metrics.Tags;
import dev.cskit.api.session.Session;
import dev.cskit.core.metrics.RecordingMeters;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the journal tells a readiness probe, and the fsync times it records. */
class JournalReadinessTest {

    @TempDir
    Path dir;

    @Test
    void readyWhileOpenAndEveryPutIsOneTimedFsync() throws Exception {
        RecordingMeters meters = new RecordingMeters();
        JournalSessionStore store = new JournalSessionStore(dir,
                meters.histogram("cskit_journal_fsync_seconds", "", Tags.empty(), 0.001, 0.01));
        store.load();
        assertEquals(Readiness.READY, store.readiness());
        store.put(Session.newBuilder("cs_1", "t", "cust_1", "Ann", Instant.parse("2026-01-01T00:00:00Z")).build());
        store.put(Session.newBuilder("cs_2", "t", "cust_2", "Bob", Instant.parse("2026-01-01T00:00:00Z")).build());
        assertEquals(2, meters.observed("cskit_journal_fsync_seconds").size(), "puts one after another: two fsyncs");
        assertTrue(meters.observed("cskit_journal_fsync_seconds").stream().allMatch(s -> s >= 0 && s < 60));
        store.close();
        Readiness closed = store.readiness();
        assertFalse(closed.ready());
        assertEquals("the session journal is closed", closed.reason());
    }
}
