/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.cskit.api.session.OutboxRecord;
import dev.cskit.core.json.OutboxJson;
import dev.cskit.core.json.SessionJson;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The webhook outbox records a {@link JournalSessionStore} keeps (pending and dead-lettered), in journal order, and
 * about how many bytes they take in the journal (for its compaction threshold). Delivered and discarded records are
 * forgotten.
 *
 * <p>Not thread-safe: guarded by the store's monitor.
 */
final class KeptOutbox {

    /** Outbox records are written at compaction in records of about this size, well below the record limit. */
    private static final int OUTBOX_CHUNK = 256 << 10;
    /** What a kept outbox record is counted as in the journal besides its body, for the compaction threshold. */
    private static final int OUTBOX_OVERHEAD = 400;

    private final Map<String, OutboxRecord> outbox = new LinkedHashMap<>();
    private long outboxBytes;

    /** The records kept, in order. */
    List<OutboxRecord> records() {
        return new ArrayList<>(outbox.values());
    }

    /** About how many journal bytes the kept records take. */
    long bytes() {
        return outboxBytes;
    }

    /** Replays the {@code outbox} array of a journal record. */
    void replay(JsonNode records) {
        if (!records.isArray()) {
            throw new IllegalArgumentException("'outbox' must be an array");
        }
        for (JsonNode r : records) {
            if (OutboxJson.status(r).kept()) {
                keep(OutboxJson.fromNode(r));
            } else {
                forget(OutboxJson.id(r));
            }
        }
    }

    private void keep(OutboxRecord r) {
        OutboxRecord previous = outbox.put(r.id(), r);
        outboxBytes += size(r) - (previous == null ? 0 : size(previous));
    }

    private void forget(String id) {
        OutboxRecord previous = outbox.remove(id);
        if (previous != null) {
            outboxBytes -= size(previous);
        }
    }

    private static long size(OutboxRecord r) {
        return OUTBOX_OVERHEAD + r.body().length() + (r.lastError() == null ? 0 : r.lastError().length());
    }

    /** Keeps or forgets each record by its status. */
    void apply(List<OutboxRecord> records) {
        for (OutboxRecord r : records) {
            if (r.status().kept()) {
                keep(r);
            } else {
                forget(r.id());
            }
        }
    }

    /** Writes every kept record, in order, in journal records of about {@link #OUTBOX_CHUNK} bytes; returns the bytes. */
    long writeTo(FileChannel ch) throws IOException {
        long bytes = 0;
        ArrayNode chunk = SessionJson.MAPPER.createArrayNode();
        long chunkSize = 0;
        for (OutboxRecord r : outbox.values()) {
            chunk.add(OutboxJson.toNode(r));
            chunkSize += size(r);
            if (chunkSize >= OUTBOX_CHUNK) {
                bytes += JournalFormat.writeFully(ch, JournalFormat.encodeOutbox(null, chunk));
                chunk = SessionJson.MAPPER.createArrayNode();
                chunkSize = 0;
            }
        }
        if (!chunk.isEmpty()) {
            bytes += JournalFormat.writeFully(ch, JournalFormat.encodeOutbox(null, chunk));
        }
        return bytes;
    }
}
