/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A route pattern: literal segments and {@code {name}} segments that match one non-empty path segment,
 * plus an optional last {@code {name...}} segment that matches the rest of the path (one or more
 * segments). Immutable and thread-safe, so hosts can share one matcher.
 */
public final class PathPattern {

    /**
     * The one route-matching order of cskit ({@link HttpRoutes}): a pattern without a {@code {name...}} tail
     * before one with it, then more literal segments first. Patterns it ranks equal are tried in the order
     * they were added (sort with a stable sort, e.g. {@link List#sort}).
     */
    public static final Comparator<PathPattern> MOST_SPECIFIC_FIRST = Comparator
            .comparing(PathPattern::hasTail)
            .thenComparing(Comparator.comparingInt(PathPattern::literalSegments).reversed());

    private final String pattern;
    private final List<String> segments;
    private final boolean tail;
    private final int literals;

    private PathPattern(String pattern, List<String> segments, boolean tail) {
        this.pattern = pattern;
        this.segments = segments;
        this.tail = tail;
        this.literals = (int) segments.stream().filter(s -> !s.startsWith("{")).count();
    }

    /**
     * Parses a pattern such as {@code /customer-service/sessions/{id}/assign} or {@code /webrtc/whip/{path...}}.
     *
     * @throws IllegalArgumentException if it does not start with '/' or has a malformed parameter
     */
    public static PathPattern parse(String pattern) {
        Objects.requireNonNull(pattern, "pattern");
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("a route pattern must start with '/', was '" + pattern + "'");
        }
        List<String> segs = split(pattern);
        boolean tail = false;
        for (int i = 0; i < segs.size(); i++) {
            String s = segs.get(i);
            if (s.startsWith("{") != s.endsWith("}") || (s.startsWith("{") && s.length() < 3)) {
                throw new IllegalArgumentException("malformed parameter segment '" + s + "' in '" + pattern + "'");
            }
            if (s.endsWith("...}")) {
                if (i != segs.size() - 1) {
                    throw new IllegalArgumentException("a '{name...}' segment must come last in '" + pattern + "'");
                }
                tail = true;
            }
        }
        return new PathPattern(pattern, Collections.unmodifiableList(segs), tail);
    }

    private static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/", -1)) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    /** Whether the last segment is a {@code {name...}} tail that matches the rest of the path. */
    public boolean hasTail() {
        return tail;
    }

    /** How many segments are literal (not parameters). */
    public int literalSegments() {
        return literals;
    }

    /** The parameters if {@code path} matches, else empty. A trailing slash is ignored. */
    public Optional<Map<String, String>> match(String path) {
        List<String> parts = split(path);
        if (tail ? parts.size() < segments.size() : parts.size() != segments.size()) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            String seg = segments.get(i);
            if (tail && i == segments.size() - 1) {
                params.put(seg.substring(1, seg.length() - 4), String.join("/", parts.subList(i, parts.size())));
            } else if (seg.startsWith("{")) {
                params.put(seg.substring(1, seg.length() - 1), parts.get(i));
            } else if (!seg.equals(parts.get(i))) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PathPattern p && p.pattern.equals(pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
