/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.session;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.health.Readiness;
import dev.cskit.api.metrics.Histogram;
import dev.cskit.api.metrics.Meters;
import dev.cskit.api.metrics.Tags;
import dev.cskit.api.session.OutboxRecord;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable {@link SessionStore}: an append-only journal {@code sessions.journal} in a data directory.
 *
 * <p>Record format ({@link JournalFormat}, big-endian): {@code [int length][int CRC32 of the payload][payload:
 * UTF-8 JSON]}. The payload is a session's JSON; or {@code {"session":{…},"outbox":[…]}}, a session change and the webhook
 * deliveries it caused ({@link #put(Session, List)}: one record, so a crash keeps both or neither); or
 * {@code {"outbox":[…]}}, deliveries' progress ({@link #putOutbox}; a delivered or discarded one is written as
 * its id and status only, and forgotten). Every put appends one record and {@link FileChannel#force forces} it
 * to disk before it returns, so an acknowledged change survives a crash.
 *
 * <p>{@link #load} replays the journal (the last record of an id wins). A torn last record (the file ends
 * inside it, or the last record fails its CRC: it was never acknowledged) is cut off with a WARN log. A
 * complete record that fails its CRC or holds bad JSON and is <em>not</em> the last is corruption: load
 * throws an {@link IOException} naming its byte offset and changes nothing. After replay the journal is
 * compacted: the live set is written to a temp file, forced, atomically renamed over the journal, and the
 * directory is forced.
 *
 * <p>While running, the journal is compacted the same way whenever superseded records make up more than half
 * of it and it has grown {@code compactSlack} bytes (64 MiB by default) beyond twice the live records: the
 * last record of each session is copied, verbatim with its CRC (or, if it carried outbox records, rewritten as
 * the session alone), into the temp file, followed by the outbox records still kept (pending and dead); it
 * replaces the journal. Puts wait meanwhile; compaction never loses an undelivered delivery. A compaction that fails before the rename leaves the journal as it was and is retried
 * after later growth; one that fails after it (the journal cannot be reopened) stops writes as a failed force
 * does.
 *
 * <p>A lock file ({@code sessions.lock}) is held from construction to {@link #close} so two processes cannot
 * open one data directory.
 *
 * <p>Puts from many threads are group-committed: records are appended in call order under the store's
 * monitor, then one {@code force} covers every record written so far. If a write or force fails, that put
 * throws; after a failed force the store takes no more writes (the page cache state is unknown) until it is
 * reopened.
 *
 * <p>Each group commit's {@code fsync} is timed into the histogram given at construction (the
 * {@code cskit_journal_fsync_seconds} metric of the plugin).
 *
 * <p><b>Threading:</b> thread-safe.
 */
public final class JournalSessionStore implements SessionStore {

    private static final Logger LOG = LoggerFactory.getLogger(JournalSessionStore.class);

    public static final String JOURNAL = "sessions.journal";
    public static final String LOCK = "sessions.lock";
    static final long DEFAULT_COMPACT_SLACK = 64L << 20;
    private static final Histogram UNTIMED = Meters.none().histogram("cskit_journal_fsync_seconds", "", Tags.empty());

    private final Path dir;
    private final Path journal;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private FileChannel out; // guarded by this; null before load and after close
    private boolean loaded; // guarded by this
    private boolean closed; // guarded by this
    private long written; // guarded by this: end of the last record appended
    private @Nullable String failed; // guarded by this: why the journal stopped taking writes, or null
    private final Object forceLock = new Object();
    private long forced; // guarded by forceLock: every record ending at or before it is on disk
    private final long compactSlack;
    // guarded by this: where each session's last record is in the journal, {offset, length, 1 if it carries outbox
    // records else 0}, and the sum of their lengths
    private Map<String, long[]> index = new HashMap<>();
    private long liveBytes;
    // guarded by this: the outbox records kept (pending, dead), in the order first stored, and about their size
    private final KeptOutbox outbox = new KeptOutbox(); // guarded by this
    private int compactions; // guarded by this
    private final Histogram fsyncSeconds;

    /**
     * Opens (creating if needed) the data directory and locks it.
     *
     * @throws IOException if it cannot be created, or another process holds it
     */
    public JournalSessionStore(Path dataDir) throws IOException {
        this(dataDir, UNTIMED);
    }

    /**
     * As {@link #JournalSessionStore(Path)}, timing each {@code fsync} into {@code fsyncSeconds}.
     *
     * @throws IOException if it cannot be created, or another process holds it
     */
    public JournalSessionStore(Path dataDir, Histogram fsyncSeconds) throws IOException {
        this(dataDir, DEFAULT_COMPACT_SLACK, fsyncSeconds);
    }

    /** As {@link #JournalSessionStore(Path)}, compacting once superseded records exceed {@code compactSlack}. */
    JournalSessionStore(Path dataDir, long compactSlack) throws IOException {
        this(dataDir, compactSlack, UNTIMED);
    }

    private JournalSessionStore(Path dataDir, long compactSlack, Histogram fsyncSeconds) throws IOException {
        this.fsyncSeconds = Objects.requireNonNull(fsyncSeconds, "fsyncSeconds");
        if (compactSlack < 0) {
            throw new IllegalArgumentException("compactSlack must not be negative, was " + compactSlack);
        }
        this.compactSlack = compactSlack;
        this.dir = Objects.requireNonNull(dataDir, "dataDir");
        Files.createDirectories(dir);
        this.journal = dir.resolve(JOURNAL);
        this.lockChannel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            lockChannel.close();
            throw new IOException("data directory " + dir.toAbsolutePath()
                    + " is in use by another cskit instance; give each instance its own data_dir");
        }
        this.lock = l;
    }

    /** The journal file. */
    public Path journalPath() {
        return journal;
    }

    @Override
    public synchronized Collection<Session> load() throws IOException {
        if (closed) {
            throw new IOException("session store is closed");
        }
        if (loaded) {
            throw new IllegalStateException("load() is called once");
        }
        Map<String, Session> live = JournalFormat.replay(journal, outbox);
        index = compact(live.values());
        out = FileChannel.open(journal, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        written = out.size();
        liveBytes = 0;
        for (long[] where : index.values()) {
            liveBytes += where[1];
        }
        loaded = true;
        return List.copyOf(live.values());
    }

    @Override
    public boolean keepsOutbox() {
        return true;
    }

    @Override
    public synchronized List<OutboxRecord> loadOutbox() {
        if (!loaded) {
            throw new IllegalStateException("call load() before loadOutbox()");
        }
        return outbox.records();
    }

    /** Writes {@code sessions} as the whole journal (via a temp file and a rename); returns where each went. */
    private Map<String, long[]> compact(Collection<Session> sessions) throws IOException {
        Path tmp = dir.resolve(JOURNAL + ".tmp");
        Map<String, long[]> where = new HashMap<>();
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long pos = 0;
            for (Session s : sessions) {
                ByteBuffer record = encode(s);
                where.put(s.id(), new long[] {pos, record.limit(), 0});
                pos += record.limit();
                writeFully(ch, record);
            }
            outbox.writeTo(ch);
            ch.force(true);
        }
        replaceJournalWith(tmp);
        return where;
    }

    private void replaceJournalWith(Path tmp) throws IOException {
        try {
            Files.move(tmp, journal, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + dir + " cannot rename atomically; use another data_dir", e);
        }
        forceDirectory();
    }

    /** Compacts the running journal if superseded records have piled up; never throws (the put it follows is durable). */
    private void maybeCompact() {
        synchronized (this) {
            if (!needsCompaction()) {
                return;
            }
        }
        synchronized (forceLock) { // no force may run on the channel this replaces
            synchronized (this) {
                if (!needsCompaction()) {
                    return;
                }
                long before = written;
                long t0 = System.nanoTime();
                try {
                    compactRunning();
                } catch (IOException e) {
                    LOG.warn("journal {}: compaction failed ({}); it keeps growing until a later try or restart",
                            journal, e.toString());
                    return;
                }
                LOG.info("journal {} compacted from {} to {} bytes ({} sessions) in {} ms", journal, before, written,
                        index.size(), (System.nanoTime() - t0) / 1_000_000);
            }
        }
    }

    // guarded by this
    private boolean needsCompaction() {
        long live = liveBytes + outbox.bytes();
        return !closed && failed == null && out != null && written - live > live + compactSlack;
    }

    // Holds forceLock and this: copies each session's last record, verbatim (rewritten as the session alone if it
    // carried outbox records), and the outbox records kept into the temp file that replaces the journal, then
    // appends to the new file.
    private void compactRunning() throws IOException {
        Path tmp = dir.resolve(JOURNAL + ".tmp");
        List<Map.Entry<String, long[]>> records = new ArrayList<>(index.entrySet());
        records.sort(Comparator.comparingLong(e -> e.getValue()[0])); // keep the journal's order
        Map<String, long[]> moved = new HashMap<>(index.size() * 2);
        long pos = 0;
        long liveSessions;
        try (FileChannel from = FileChannel.open(journal, StandardOpenOption.READ);
             FileChannel to = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
            for (Map.Entry<String, long[]> r : records) {
                long offset = r.getValue()[0];
                long length = r.getValue()[1];
                if (r.getValue()[2] != 0) {
                    length = writeFully(to, encode(JournalFormat.sessionOf(from, offset, length, r.getKey())));
                } else {
                    for (long done = 0; done < length; ) {
                        long n = from.transferTo(offset + done, length - done, to);
                        if (n <= 0) {
                            throw new IOException("journal ended at " + (offset + done) + " inside the record of "
                                    + r.getKey() + " at " + offset);
                        }
                        done += n;
                    }
                }
                moved.put(r.getKey(), new long[] {pos, length, 0});
                pos += length;
            }
            liveSessions = pos;
            pos += outbox.writeTo(to);
            to.force(true);
        }
        replaceJournalWith(tmp);
        // The journal on disk is the compacted one now: append to it, or take no more writes.
        FileChannel old = out;
        try {
            out = FileChannel.open(journal, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            out = old; // not used again: failed refuses every put
            failed = "cannot reopen the compacted journal: " + e;
            LOG.error("journal {}: {}", journal, failed);
            return;
        } finally {
            if (out != old) {
                old.close();
            }
        }
        index = moved;
        liveBytes = liveSessions;
        written = pos;
        forced = pos; // the temp file was forced before the rename
        compactions++;
    }

    /** How many times the running journal was compacted (for tests). */
    synchronized int compactions() {
        return compactions;
    }

    private void forceDirectory() {
        // Makes the rename durable on POSIX; some platforms (Windows) cannot open a directory, which is fine there.
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            LOG.debug("cannot force directory {}: {}", dir, e.toString());
        }
    }

    static ByteBuffer encode(Session s) throws IOException {
        return JournalFormat.encode(s);
    }

    static ByteBuffer encodeOutbox(@Nullable Session s, List<OutboxRecord> records) throws IOException {
        return JournalFormat.encodeOutbox(s, records);
    }

    private static int writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        return JournalFormat.writeFully(ch, b);
    }

    @Override
    public void put(Session session) throws IOException {
        append(encode(session), session, 0, List.of());
    }

    /** The session and its outbox records in one record: one write, one {@code fsync}. */
    @Override
    public void put(Session session, List<OutboxRecord> records) throws IOException {
        if (records.isEmpty()) {
            put(session);
            return;
        }
        append(encodeOutbox(session, records), session, 1, records);
    }

    @Override
    public void putOutbox(List<OutboxRecord> records) throws IOException {
        if (records.isEmpty()) {
            return;
        }
        append(encodeOutbox(null, records), null, 0, records);
    }

    /**
     * Appends a record (the newest of {@code session}, if not null, and carrying outbox records if
     * {@code carriesOutbox} is 1) and returns once it is on disk.
     */
    private void append(ByteBuffer record, @Nullable Session session, int carriesOutbox, List<OutboxRecord> records)
            throws IOException {
        long end;
        synchronized (this) {
            if (closed) {
                throw new IOException("session store is closed");
            }
            if (!loaded) {
                throw new IllegalStateException("call load() before put()");
            }
            if (failed != null) {
                throw new IOException("the journal failed earlier (" + failed + "); restart to recover from the disk");
            }
            long start = out.size();
            try {
                writeFully(out, record);
            } catch (IOException e) {
                // Leave no half record behind: a later record after it would make it look like corruption.
                try {
                    out.truncate(start);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                    failed = e.toString();
                }
                throw e;
            }
            end = start + record.limit();
            written = end;
            if (session != null) {
                long[] previous = index.put(session.id(), new long[] {start, record.limit(), carriesOutbox});
                liveBytes += record.limit() - (previous == null ? 0 : previous[1]);
            }
            outbox.apply(records);
        }
        // Group commit: whoever holds the force lock forces everything written so far, so the puts queued
        // behind it usually find their record forced already and return without a second fsync.
        // A compaction in between (it holds the force lock) copies and forces every record written so far, this
        // one included; forced then counts in the new file's offsets, which only makes this force again.
        synchronized (forceLock) {
            if (forced >= end) {
                return;
            }
            long target;
            FileChannel ch;
            synchronized (this) {
                target = written;
                ch = out;
                if (ch == null) {
                    throw new IOException("session store is closed");
                }
            }
            try {
                long t0 = System.nanoTime();
                ch.force(false);
                fsyncSeconds.recordNanos(System.nanoTime() - t0);
            } catch (IOException e) {
                // After a failed fsync the page cache state is unknown (it may or may not reach the disk), so
                // nothing more is acknowledged: a later successful force could persist this unacknowledged record.
                synchronized (this) {
                    failed = e.toString();
                }
                throw e;
            }
            forced = target;
        }
        maybeCompact();
    }

    /**
     * Not ready once closed, after a failed write or {@code fsync} (it takes no more writes until reopened), or
     * while the data directory is not writable.
     */
    @Override
    public Readiness readiness() {
        synchronized (this) {
            if (closed) {
                return Readiness.notReady("the session journal is closed");
            }
            if (failed != null) {
                return Readiness.notReady("the session journal takes no more writes after a failure (" + failed
                        + "); restart to recover from the disk");
            }
        }
        if (!Files.isWritable(dir)) {
            return Readiness.notReady("the data directory " + dir + " is not writable");
        }
        return Readiness.READY;
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (out != null) {
                out.force(true);
                out.close();
            }
        } finally {
            try {
                lock.release();
            } finally {
                lockChannel.close();
            }
        }
    }
}
