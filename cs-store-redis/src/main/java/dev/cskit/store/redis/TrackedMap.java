/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.store.redis;

import dev.cskit.api.annotation.Nullable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One hash of {@link RedisRoutingState} as a step read it, in its stored order, with the keys the step changed: what
 * the commit script writes back. Not thread-safe (the step's thread only).
 */
final class TrackedMap<V> {

    private final LinkedHashMap<String, V> values = new LinkedHashMap<>();
    private final Set<String> changed = new LinkedHashSet<>();
    private final Function<V, String> text;

    /** @param text how a value is written to Redis */
    TrackedMap(Function<V, String> text) {
        this.text = text;
    }

    /** A value as read at the start of the step (not a change). */
    void load(String key, V value) {
        values.put(key, value);
    }

    @Nullable V get(String key) {
        return values.get(key);
    }

    boolean containsKey(String key) {
        return values.containsKey(key);
    }

    List<V> values() {
        return List.copyOf(values.values());
    }

    /** Puts a value (a key already there keeps its place); returns the one before. */
    @Nullable V put(String key, V value) {
        changed.add(key);
        return values.put(key, value);
    }

    @Nullable V remove(String key) {
        V was = values.remove(key);
        if (was != null) {
            changed.add(key);
        }
        return was;
    }

    void clear() {
        values.clear();
        changed.clear();
    }

    /**
     * Adds the commit script's two sections for this hash: the count and {@code (key, text)} pairs of the values put,
     * in the map's order (so new keys are ordered as the step added them), then the count and keys of those removed.
     */
    void addChanges(List<String> args) {
        List<String> put = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (Map.Entry<String, V> e : values.entrySet()) {
            if (changed.contains(e.getKey())) {
                put.add(e.getKey());
                put.add(text.apply(e.getValue()));
            }
        }
        for (String key : changed) {
            if (!values.containsKey(key)) {
                removed.add(key);
            }
        }
        args.add(Integer.toString(put.size() / 2));
        args.addAll(put);
        args.add(Integer.toString(removed.size()));
        args.addAll(removed);
    }
}
