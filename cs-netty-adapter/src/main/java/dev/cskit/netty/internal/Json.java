/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.annotation.Nullable;

/** The one shared {@link ObjectMapper} of the host and small helpers. Thread-safe. Unsupported API. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Serializes a tree; our trees hold only strings, numbers and nested nodes, so this cannot fail. */
    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a JSON tree", e);
        }
    }

    /** Parses text as JSON, or returns {@code null} if it is not JSON. */
    public static @Nullable JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** An envelope {@code {"code":<code>,"message":<message>}}. */
    public static String envelope(int code, String message) {
        ObjectNode n = object();
        n.put("code", code);
        n.put("message", message);
        return write(n);
    }
}
