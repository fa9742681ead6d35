/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.FileType;
import dev.cskit.api.Ids;
import dev.cskit.core.json.SessionJson;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files sent in calls' chats, under a root directory ({@code data_dir/files}): one directory per session,
 * {@code {session}/{file_id}} the content and {@code {session}/{file_id}.json} what is known of it. A file is
 * written to {@code {file_id}.part} as it arrives, then renamed into place, then its description written: a file
 * is listed only once both are complete, and what a crash leaves half-done is removed at the next
 * {@link #removeLeftovers}. A session directory left empty is removed.
 *
 * <p>Thread-safe: files are written by one {@link Writer} each; directories are made and removed under one lock.
 */
public final class FileStore {

    private static final Logger LOG = LoggerFactory.getLogger(FileStore.class);
    private static final String PART = ".part";
    private static final String META = ".json";
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private final Path root;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Object dirs = new Object();

    public FileStore(Path root, Clock clock) {
        this.root = Objects.requireNonNull(root, "root");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The root directory. */
    public Path root() {
        return root;
    }

    /** A new file of a session, written as it arrives; {@link Writer#commit} or {@link Writer#abort} it. */
    public Writer create(String sessionId) throws IOException {
        Ids.require("session id", sessionId);
        String id = newId();
        synchronized (dirs) {
            Path dir = Files.createDirectories(root.resolve(sessionId));
            Path part = dir.resolve(id + PART);
            return new Writer(sessionId, id, part, FileChannel.open(part, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE));
        }
    }

    /** {@code f_} and 16 random base32 characters (80 bits). */
    private String newId() {
        StringBuilder s = new StringBuilder("f_");
        for (int i = 0; i < 16; i++) {
            s.append(BASE32[random.nextInt(BASE32.length)]);
        }
        return s.toString();
    }

    /** A stored file of a session and where its content is. */
    public record Found(StoredFile file, Path content) {
    }

    /** The file, if the session has it (an id that is not well-formed has none). */
    public Optional<Found> find(String sessionId, String fileId) throws IOException {
        if (!Ids.isValid(sessionId) || !Ids.isValid(fileId)) {
            return Optional.empty();
        }
        Path dir = root.resolve(sessionId);
        Path meta = dir.resolve(fileId + META);
        Path content = dir.resolve(fileId);
        if (!Files.isRegularFile(meta) || !Files.isRegularFile(content)) {
            return Optional.empty();
        }
        return Optional.of(new Found(read(meta), content));
    }

    /** The files of a session, oldest first. */
    public List<StoredFile> list(String sessionId) throws IOException {
        List<StoredFile> out = new ArrayList<>();
        Path dir = root.resolve(Ids.require("session id", sessionId));
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + META)) {
            for (Path meta : ds) {
                String id = name(meta).substring(0, name(meta).length() - META.length());
                if (Files.isRegularFile(dir.resolve(id))) {
                    out.add(read(meta));
                }
            }
        } catch (NoSuchFileException e) {
            return out; // removed meanwhile
        }
        out.sort(Comparator.comparing(StoredFile::createdAt).thenComparing(StoredFile::id));
        return out;
    }

    /** The sessions that have a directory here (well-formed ids only). */
    public List<String> sessions() throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path d : ds) {
                if (Ids.isValid(name(d))) {
                    out.add(name(d));
                }
            }
        }
        return out;
    }

    /** Removes a session's files; how many there were. */
    public int deleteSession(String sessionId) throws IOException {
        Path dir = root.resolve(Ids.require("session id", sessionId));
        int files = 0;
        synchronized (dirs) {
            if (!Files.isDirectory(dir)) {
                return 0;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    if (name(p).endsWith(META)) {
                        files++;
                    }
                    Files.deleteIfExists(p);
                }
            }
            try {
                Files.deleteIfExists(dir);
            } catch (DirectoryNotEmptyException e) {
                LOG.warn("files of session {}: {} is not empty after deleting its files", sessionId, dir);
            }
        }
        return files;
    }

    /**
     * Removes what an earlier run left half-done: partial files, content without a description, descriptions
     * without content, empty session directories. Call before serving; returns how many files it removed.
     */
    public int removeLeftovers() throws IOException {
        int removed = 0;
        for (String s : sessions()) {
            Path dir = root.resolve(s);
            List<Path> entries = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                ds.forEach(entries::add);
            }
            for (Path p : entries) {
                String n = name(p);
                boolean keep;
                if (n.endsWith(PART) || n.endsWith(META + ".tmp")) {
                    keep = false;
                } else if (n.endsWith(META)) {
                    keep = Files.isRegularFile(dir.resolve(n.substring(0, n.length() - META.length())));
                } else {
                    keep = Files.isRegularFile(dir.resolve(n + META));
                }
                if (!keep) {
                    Files.deleteIfExists(p);
                    removed++;
                }
            }
            removeIfEmpty(dir);
        }
        return removed;
    }

    private void removeIfEmpty(Path dir) {
        synchronized (dirs) {
            try {
                Files.deleteIfExists(dir);
            } catch (DirectoryNotEmptyException e) {
                // other files of the session: it stays
            } catch (IOException e) {
                LOG.warn("could not remove the empty directory {}: {}", dir, e.toString());
            }
        }
    }

    private static String name(Path p) {
        return p.getFileName().toString();
    }

    private StoredFile read(Path meta) throws IOException {
        JsonNode n = SessionJson.MAPPER.readTree(Files.readString(meta, StandardCharsets.UTF_8));
        try {
            return new StoredFile(n.path("id").asText(), n.path("session_id").asText(), n.path("name").asText(),
                    n.path("size").asLong(), FileType.fromWire(n.path("type").asText()),
                    Sender.fromWire(n.path("sender").asText()), n.path("sender_id").asText(),
                    Instant.parse(n.path("created_at").asText()));
        } catch (RuntimeException e) {
            throw new IOException("the file description " + meta + " is damaged: " + e.getMessage(), e);
        }
    }

    private static byte[] describe(StoredFile f) {
        ObjectNode n = SessionJson.MAPPER.createObjectNode();
        n.put("id", f.id());
        n.put("session_id", f.sessionId());
        n.put("name", f.name());
        n.put("size", f.size());
        n.put("type", f.type().wireName());
        n.put("sender", f.sender().wireName());
        n.put("sender_id", f.senderId());
        n.put("created_at", f.createdAt().toString());
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * One file being written: its bytes as they arrive, then {@link #commit} or {@link #abort} (which removes
     * everything of it). One thread at a time.
     */
    public final class Writer implements Closeable {
        private final String sessionId;
        private final String id;
        private final Path part;
        private final FileChannel channel;
        private long size;
        private boolean done;

        private Writer(String sessionId, String id, Path part, FileChannel channel) {
            this.sessionId = sessionId;
            this.id = id;
            this.part = part;
            this.channel = channel;
        }

        /** The new file's id. */
        public String id() {
            return id;
        }

        /** Bytes written so far. */
        public long size() {
            return size;
        }

        /** Appends bytes. */
        public void write(ByteBuffer data) throws IOException {
            if (done) {
                throw new IllegalStateException("file " + id + " is committed or aborted already");
            }
            ByteBuffer in = data.duplicate();
            while (in.hasRemaining()) {
                size += channel.write(in);
            }
        }

        /**
         * Makes the file durable and visible: its content forced to disk, renamed into place, its description
         * written.
         */
        public StoredFile commit(String name, FileType type, Sender sender, String senderId) throws IOException {
            if (done) {
                throw new IllegalStateException("file " + id + " is committed or aborted already");
            }
            StoredFile f = new StoredFile(id, sessionId, name, size, type, sender, senderId, clock.instant());
            Path dir = part.getParent();
            try {
                channel.force(true);
                channel.close();
                moveAtomically(part, dir.resolve(id));
                Path tmp = dir.resolve(id + META + ".tmp");
                try (FileChannel m = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    m.write(ByteBuffer.wrap(describe(f)));
                    m.force(true);
                }
                moveAtomically(tmp, dir.resolve(id + META));
                done = true;
                return f;
            } catch (IOException | RuntimeException e) {
                abort();
                throw e;
            }
        }

        /** Removes everything of this file; safe to call more than once; never throws. */
        public void abort() {
            if (done) {
                return;
            }
            done = true;
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing {}: {}", part, e.toString());
            }
            Path dir = part.getParent();
            for (Path p : List.of(part, dir.resolve(id), dir.resolve(id + META + ".tmp"), dir.resolve(id + META))) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.error("could not remove {} of an aborted file", p, e);
                }
            }
            removeIfEmpty(dir);
        }

        /** Aborts a file that was neither committed nor aborted. */
        @Override
        public void close() {
            abort();
        }
    }
}
