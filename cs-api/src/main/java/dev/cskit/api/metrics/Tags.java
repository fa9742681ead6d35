/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The labels of a meter ({@code status="waiting"}), in the order given. Keys are Prometheus label names in lower
 * snake case; values any text. Immutable and thread-safe.
 */
public final class Tags {

    private static final Pattern KEY = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final Tags EMPTY = new Tags(Map.of());

    private final Map<String, String> tags;

    private Tags(Map<String, String> tags) {
        this.tags = tags;
    }

    /** No labels. */
    public static Tags empty() {
        return EMPTY;
    }

    /** One label. */
    public static Tags of(String key, String value) {
        return EMPTY.and(key, value);
    }

    /** These labels and one more. */
    public Tags and(String key, String value) {
        Objects.requireNonNull(value, "value");
        if (!KEY.matcher(Objects.requireNonNull(key, "key")).matches()) {
            throw new IllegalArgumentException("a tag key is lower snake case ([a-z_][a-z0-9_]*), was '" + key + "'");
        }
        if (tags.containsKey(key)) {
            throw new IllegalArgumentException("tag '" + key + "' is given twice");
        }
        Map<String, String> m = new LinkedHashMap<>(tags);
        m.put(key, value);
        return new Tags(Collections.unmodifiableMap(m));
    }

    /** The labels, in the order given; unmodifiable. */
    public Map<String, String> asMap() {
        return tags;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tags t && tags.equals(t.tags);
    }

    @Override
    public int hashCode() {
        return tags.hashCode();
    }

    @Override
    public String toString() {
        return tags.toString();
    }
}
