/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.AgentAccount;
import dev.cskit.api.AgentStore;
import dev.cskit.api.Ids;
import dev.cskit.core.json.AgentJson;
import dev.cskit.core.json.SessionJson;
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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable {@link AgentStore}: an append-only journal {@code agents.journal} beside the sessions' journal in
 * the data directory, framed as {@link JournalSessionStore} frames its records ({@code [int length][int CRC32
 * of the payload][payload]}, big-endian), each payload one JSON object: {@code {"put":{agent}}} or
 * {@code {"remove":"agent id"}}. Every write is forced to disk before it returns.
 *
 * <p>{@link #load} replays the journal (the last record of an id wins); a torn last record (never acknowledged)
 * is cut off with a WARN, any other bad record fails the load with its byte offset. After replay the journal is
 * rewritten with the live set (a temp file, forced, renamed over it). Agents change rarely, so there is no
 * compaction while running. A lock file ({@code agents.lock}) keeps a second process out.
 *
 * <p><b>Threading:</b> thread-safe (one monitor; writes are rare).
 */
public final class JournalAgentStore implements AgentStore {

    private static final Logger LOG = LoggerFactory.getLogger(JournalAgentStore.class);

    public static final String JOURNAL = "agents.journal";
    public static final String LOCK = "agents.lock";
    private static final int HEADER = 8;
    private static final int MAX_RECORD = 64 * 1024;

    private final Path dir;
    private final Path journal;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private FileChannel out; // guarded by this; null before load and after close
    private boolean loaded; // guarded by this
    private boolean closed; // guarded by this
    private String failed; // guarded by this: why writes stopped, or null

    /**
     * Opens (creating if needed) the data directory and locks the agent journal.
     *
     * @throws IOException if it cannot be created, or another process holds it
     */
    public JournalAgentStore(Path dataDir) throws IOException {
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
            throw new IOException("the agents of data directory " + dir.toAbsolutePath()
                    + " are in use by another cskit instance; give each instance its own data_dir");
        }
        this.lock = l;
    }

    /** The journal file. */
    public Path journalPath() {
        return journal;
    }

    @Override
    public synchronized Contents load() throws IOException {
        if (closed) {
            throw new IOException("agent store is closed");
        }
        if (loaded) {
            throw new IllegalStateException("load() is called once");
        }
        Map<String, AgentAccount> agents = new LinkedHashMap<>();
        Set<String> removed = new LinkedHashSet<>();
        replay(agents, removed);
        rewrite(agents, removed);
        out = FileChannel.open(journal, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        loaded = true;
        return new Contents(new ArrayList<>(agents.values()), removed);
    }

    private void replay(Map<String, AgentAccount> agents, Set<String> removed) throws IOException {
        if (!Files.exists(journal)) {
            return;
        }
        byte[] data = Files.readAllBytes(journal);
        ByteBuffer buf = ByteBuffer.wrap(data);
        int pos = 0;
        while (pos < data.length) {
            if (data.length - pos < HEADER) {
                cutTornTail(pos, "the file ends inside a record header");
                return;
            }
            int length = buf.getInt(pos);
            if (length <= 0 || length > MAX_RECORD) {
                throw corrupt(pos, "record length " + length + " is out of range 1.." + MAX_RECORD);
            }
            if (data.length - pos - HEADER < length) {
                cutTornTail(pos, "the file ends inside a record");
                return;
            }
            int end = pos + HEADER + length;
            CRC32 c = new CRC32();
            c.update(data, pos + HEADER, length);
            if ((int) c.getValue() != buf.getInt(pos + 4)) {
                if (end == data.length) {
                    cutTornTail(pos, "the last record fails its CRC");
                    return;
                }
                throw corrupt(pos, "record CRC mismatch (not the last record, so it is not a torn write)");
            }
            try {
                JsonNode n = SessionJson.MAPPER.readTree(data, pos + HEADER, length);
                if (n.has("put")) {
                    AgentAccount a = AgentJson.fromNode(n.get("put"));
                    removed.remove(a.id());
                    agents.put(a.id(), a);
                } else if (n.path("remove").isTextual() && Ids.isValid(n.get("remove").asText())) {
                    agents.remove(n.get("remove").asText());
                    removed.add(n.get("remove").asText());
                } else {
                    throw new IllegalArgumentException("neither put nor remove");
                }
            } catch (IOException | IllegalArgumentException e) {
                throw corrupt(pos, "record holds no agent change (" + e.getMessage() + ")");
            }
            pos = end;
        }
    }

    private IOException corrupt(int offset, String why) {
        return new IOException("corrupt agent journal " + journal + " at byte offset " + offset + ": " + why
                + "; restore the data directory from a backup or move the journal away");
    }

    private void cutTornTail(int offset, String why) throws IOException {
        LOG.warn("agent journal {}: {} at byte offset {}; cutting off the torn tail (it was never acknowledged)",
                journal, why, offset);
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.WRITE)) {
            ch.truncate(offset);
            ch.force(true);
        }
    }

    private void rewrite(Map<String, AgentAccount> agents, Set<String> removed) throws IOException {
        Path tmp = dir.resolve(JOURNAL + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (AgentAccount a : agents.values()) {
                writeFully(ch, putRecord(a));
            }
            for (String id : removed) {
                writeFully(ch, removeRecord(id));
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, journal, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + dir + " cannot rename atomically; use another data_dir", e);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            LOG.debug("cannot force directory {}: {}", dir, e.toString()); // some platforms cannot open a directory
        }
    }

    private static ByteBuffer putRecord(AgentAccount a) throws IOException {
        ObjectNode n = SessionJson.MAPPER.createObjectNode();
        n.set("put", AgentJson.toNode(a));
        return frame(SessionJson.MAPPER.writeValueAsBytes(n));
    }

    private static ByteBuffer removeRecord(String agentId) throws IOException {
        ObjectNode n = SessionJson.MAPPER.createObjectNode();
        n.put("remove", agentId);
        return frame(SessionJson.MAPPER.writeValueAsBytes(n));
    }

    private static ByteBuffer frame(byte[] json) throws IOException {
        if (json.length > MAX_RECORD) {
            throw new IOException("an agent record of " + json.length + " bytes is too large to store");
        }
        CRC32 c = new CRC32();
        c.update(json);
        ByteBuffer b = ByteBuffer.allocate(HEADER + json.length);
        b.putInt(json.length).putInt((int) c.getValue()).put(json).flip();
        return b;
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    @Override
    public void put(AgentAccount agent) throws IOException {
        append(putRecord(agent));
    }

    @Override
    public void remove(String agentId) throws IOException {
        append(removeRecord(Ids.require("agent id", agentId)));
    }

    private synchronized void append(ByteBuffer record) throws IOException {
        if (closed) {
            throw new IOException("agent store is closed");
        }
        if (!loaded) {
            throw new IllegalStateException("call load() before writing");
        }
        if (failed != null) {
            throw new IOException("the agent journal failed earlier (" + failed + "); restart to recover from the disk");
        }
        long start = out.size();
        try {
            writeFully(out, record);
            out.force(false);
        } catch (IOException e) {
            // A half record or an unforced one must not be acknowledged later: stop taking writes.
            failed = e.toString();
            try {
                out.truncate(start);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
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
