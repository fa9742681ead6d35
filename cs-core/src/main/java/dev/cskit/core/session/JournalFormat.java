/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.session.OutboxRecord;
import dev.cskit.api.session.Session;
import dev.cskit.core.json.OutboxJson;
import dev.cskit.core.json.SessionJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session journal's record format (see {@link JournalSessionStore}): {@code [int length][int CRC32 of the
 * payload][payload: UTF-8 JSON]}, big-endian; encoding records, and reading a journal back. Stateless.
 */
final class JournalFormat {

    private static final Logger LOG = LoggerFactory.getLogger(JournalSessionStore.class);
    /** A session's JSON is a few hundred bytes; anything above this in a length field is corruption. */
    static final int MAX_RECORD = 1 << 20;
    static final int HEADER = 8;

    private JournalFormat() {
    }

    /**
     * Replays {@code journal}: the sessions (the last record of an id wins), in the order first seen; the outbox
     * records into {@code outbox}. Cuts off a torn tail; throws on corruption before the tail.
     */
    static Map<String, Session> replay(Path journal, KeptOutbox outbox) throws IOException {
        Map<String, Session> live = new LinkedHashMap<>();
        if (!Files.exists(journal)) {
            return live;
        }
        byte[] data = Files.readAllBytes(journal);
        ByteBuffer buf = ByteBuffer.wrap(data);
        int pos = 0;
        while (pos < data.length) {
            if (data.length - pos < HEADER) {
                tornTail(journal, pos, data.length, "the file ends inside a record header");
                break;
            }
            int length = buf.getInt(pos);
            int crc = buf.getInt(pos + 4);
            if (length <= 0 || length > MAX_RECORD) {
                throw new IOException("corrupt journal " + journal + " at byte offset " + pos
                        + ": record length " + length + " is out of range 1.." + MAX_RECORD);
            }
            if (data.length - pos - HEADER < length) {
                int next = findRecord(data, pos + 1);
                if (next >= 0) {
                    // A torn write is always the last thing in the file; a whole record after it means this
                    // length field is damaged, and cutting here would drop acknowledged records.
                    throw new IOException("corrupt journal " + journal + " at byte offset " + pos + ": record length "
                            + length + " runs past the end of the file, but a valid record follows at byte offset "
                            + next + "; restore the data directory from a backup or move the journal away");
                }
                tornTail(journal, pos, data.length, "the file ends inside a record");
                break;
            }
            int end = pos + HEADER + length;
            boolean tail = end == data.length;
            CRC32 c = new CRC32();
            c.update(data, pos + HEADER, length);
            if ((int) c.getValue() != crc) {
                if (tail) {
                    tornTail(journal, pos, data.length, "the last record fails its CRC");
                    break;
                }
                throw new IOException("corrupt journal " + journal + " at byte offset " + pos
                        + ": record CRC mismatch (not the last record, so it is not a torn write); "
                        + "restore the data directory from a backup or move the journal away");
            }
            try {
                JsonNode node = SessionJson.MAPPER.readTree(new String(data, pos + HEADER, length, StandardCharsets.UTF_8));
                JsonNode records = node.get("outbox");
                if (records == null) {
                    Session s = SessionJson.fromNode(node);
                    live.put(s.id(), s);
                } else {
                    if (node.has("session")) {
                        Session s = SessionJson.fromNode(node.get("session"));
                        live.put(s.id(), s);
                    }
                    outbox.replay(records);
                }
            } catch (JsonProcessingException | IllegalArgumentException e) {
                throw new IOException("corrupt journal " + journal + " at byte offset " + pos
                        + ": record holds a bad session or outbox record (" + e.getMessage() + ")", e);
            }
            pos = end;
        }
        return live;
    }

    /** The offset of the first complete record with a good CRC at or after {@code from}, or -1. */
    private static int findRecord(byte[] data, int from) {
        ByteBuffer buf = ByteBuffer.wrap(data);
        for (int p = from; p + HEADER < data.length; p++) {
            int length = buf.getInt(p);
            if (length > 0 && length <= data.length - p - HEADER && data[p + HEADER] == '{') {
                CRC32 c = new CRC32();
                c.update(data, p + HEADER, length);
                if ((int) c.getValue() == buf.getInt(p + 4)) {
                    return p;
                }
            }
        }
        return -1;
    }

    private static void tornTail(Path journal, int offset, int size, String why) throws IOException {
        LOG.warn("journal {}: {} at byte offset {} of {}; cutting off the torn tail (it was never acknowledged)",
                journal, why, offset, size);
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.WRITE)) {
            ch.truncate(offset);
            ch.force(true);
        }
    }

    /** The session of a record that also carries outbox records, read back from the journal. */
    static Session sessionOf(FileChannel from, long offset, long length, String id) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) length);
        while (b.hasRemaining()) {
            if (from.read(b, offset + b.position()) < 0) {
                throw new IOException("journal ended inside the record of " + id + " at " + offset);
            }
        }
        try {
            return SessionJson.fromNode(SessionJson.MAPPER.readTree(new String(b.array(), HEADER, (int) length - HEADER,
                    StandardCharsets.UTF_8)).get("session"));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IOException("the record of " + id + " at " + offset + " cannot be read back: " + e.getMessage(), e);
        }
    }

    static ByteBuffer encode(Session s) throws IOException {
        return frame(SessionJson.MAPPER.writeValueAsBytes(SessionJson.toNode(s, null)), "session " + s.id());
    }

    /** A record of a session change (or none) and outbox records. */
    static ByteBuffer encodeOutbox(@Nullable Session s, List<OutboxRecord> records) throws IOException {
        ArrayNode list = SessionJson.MAPPER.createArrayNode();
        for (OutboxRecord r : records) {
            list.add(OutboxJson.toNode(r));
        }
        return encodeOutbox(s, list);
    }

    static ByteBuffer encodeOutbox(@Nullable Session s, ArrayNode records) throws IOException {
        ObjectNode n = SessionJson.MAPPER.createObjectNode();
        if (s != null) {
            n.set("session", SessionJson.toNode(s, null));
        }
        n.set("outbox", records);
        return frame(SessionJson.MAPPER.writeValueAsBytes(n), s != null ? "session " + s.id() + " with its outbox records"
                : records.size() + " outbox records");
    }

    private static ByteBuffer frame(byte[] json, String what) throws IOException {
        if (json.length > MAX_RECORD) {
            throw new IOException(what + " is too large to store (" + json.length + " bytes)");
        }
        CRC32 c = new CRC32();
        c.update(json);
        ByteBuffer b = ByteBuffer.allocate(HEADER + json.length);
        b.putInt(json.length).putInt((int) c.getValue()).put(json).flip();
        return b;
    }

    /** Writes all of {@code b}; returns how many bytes that was. */
    static int writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        int n = b.remaining();
        while (b.hasRemaining()) {
            ch.write(b);
        }
        return n;
    }
}
