/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.store.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.cskit.api.session.OutboxRecord;
import dev.cskit.api.session.Session;
import dev.cskit.core.json.OutboxJson;
import dev.cskit.core.json.SessionJson;
import java.io.IOException;
import java.util.List;

/** Sessions and outbox records as {@link RedisSessionStore} keeps them: JSON, a bad value an {@link IOException}. */
final class RedisJson {

    private RedisJson() {
    }

    /** Adds each record's id, whether it is kept, and (if kept) its JSON: the outbox arguments of the scripts. */
    static void addOutbox(List<String> args, List<OutboxRecord> records) throws IOException {
        for (OutboxRecord r : records) {
            args.add(r.id());
            args.add(r.status().kept() ? "1" : "0");
            args.add(r.status().kept() ? write(OutboxJson.toNode(r)) : "");
        }
    }

    static String json(Session s) throws IOException {
        return write(SessionJson.toNode(s, null));
    }

    static String write(Object node) throws IOException {
        try {
            return SessionJson.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IOException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    static Session parseSession(String id, String json) throws IOException {
        try {
            return SessionJson.fromNode(SessionJson.MAPPER.readTree(json));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IOException("session " + id + " in Redis is not a valid session: " + e.getMessage(), e);
        }
    }

    static OutboxRecord parseOutbox(String id, String json) throws IOException {
        try {
            return OutboxJson.fromNode(SessionJson.MAPPER.readTree(json));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IOException("outbox record " + id + " in Redis is not valid: " + e.getMessage(), e);
        }
    }
}
