/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.session;

import dev.cskit.api.session.CallQuality;
import dev.cskit.api.session.Session;
import java.util.Comparator;
import java.util.Locale;

/**
 * The order of a session listing ({@code sort} and {@code order} of {@code GET /sessions}): by creation time
 * (newest first by default), or by call quality, the worse direction's MOS (worst first by default, so the bad calls
 * come first; sessions without a quality come last either way). Ties go newest first. Immutable.
 *
 * @param key       what to sort by
 * @param ascending lowest first
 */
public record SessionOrder(Key key, boolean ascending) {

    /** What a listing sorts by. */
    public enum Key { CREATED_AT, QUALITY }

    /** The default: newest first. */
    public static final SessionOrder NEWEST_FIRST = new SessionOrder(Key.CREATED_AT, false);

    /**
     * The order of the query parameters {@code sort} ({@code created_at} or {@code quality}, default
     * {@code created_at}) and {@code order} ({@code asc} or {@code desc}; default {@code desc} for {@code created_at},
     * {@code asc}, the worst calls first, for {@code quality}).
     *
     * @throws IllegalArgumentException for another value, with a message that lists the allowed ones
     */
    public static SessionOrder parse(String sort, String order) {
        Key key = switch (sort == null || sort.isBlank() ? "created_at" : sort.trim().toLowerCase(Locale.ROOT)) {
            case "created_at" -> Key.CREATED_AT;
            case "quality" -> Key.QUALITY;
            default -> throw new IllegalArgumentException("sort must be created_at or quality, was '" + sort + "'");
        };
        boolean asc = switch (order == null || order.isBlank() ? "" : order.trim().toLowerCase(Locale.ROOT)) {
            case "" -> key == Key.QUALITY;
            case "asc" -> true;
            case "desc" -> false;
            default -> throw new IllegalArgumentException("order must be asc or desc, was '" + order + "'");
        };
        return new SessionOrder(key, asc);
    }

    /** Whether this is the default order (which a store's index may serve without a scan). */
    public boolean isNewestFirst() {
        return equals(NEWEST_FIRST);
    }

    /** The comparator: the first session sorts first. */
    public Comparator<Session> comparator() {
        if (key == Key.CREATED_AT) {
            return ascending ? SessionListing.NEWEST_FIRST.reversed() : SessionListing.NEWEST_FIRST;
        }
        Comparator<Session> byMos = Comparator.comparingDouble(SessionOrder::mos);
        if (!ascending) {
            byMos = byMos.reversed();
        }
        return Comparator.comparing((Session s) -> s.quality() == null || s.quality().worstMos().isEmpty())
                .thenComparing(byMos).thenComparing(SessionListing.NEWEST_FIRST);
    }

    private static double mos(Session s) {
        CallQuality q = s.quality();
        return q == null ? 0 : q.worstMos().orElse(0);
    }
}
