/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.files;

import dev.cskit.api.FileType;
import dev.cskit.api.Ids;
import java.time.Instant;
import java.util.Objects;

/**
 * A file sent in a call's chat, as stored.
 *
 * @param id        the file id ({@code f_…}), unique within the session
 * @param sessionId the session it belongs to
 * @param name      the file name shown and offered for download, made safe ({@link FileNames#safe})
 * @param size      bytes
 * @param type      the type its content showed
 * @param sender    who sent it
 * @param senderId  the sender's user id (customer id, agent id), or {@code admin}
 * @param createdAt when it was stored
 */
public record StoredFile(String id, String sessionId, String name, long size, FileType type, Sender sender,
                         String senderId, Instant createdAt) {
    public StoredFile {
        Ids.require("file id", id);
        Ids.require("session id", sessionId);
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(senderId, "senderId");
        Objects.requireNonNull(createdAt, "createdAt");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative, was " + size);
        }
    }

    /** Where it is downloaded: {@code /customer-service/sessions/{session}/files/{id}} (add a token of the session). */
    public String path() {
        return "/customer-service/sessions/" + sessionId + "/files/" + id;
    }
}
