/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.session;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStatus;
import dev.cskit.core.session.SessionException.Kind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.function.Supplier;

/**
 * Pages of sessions, newest first (or in another {@link SessionOrder}), filtered by status and a search text: the listing behind
 * {@link SessionManager#list}. Stateless.
 */
final class SessionListing {

    /** The listing order: newest first, then by id (descending) among sessions created in the same instant. */
    static final Comparator<Session> NEWEST_FIRST =
            Comparator.comparing(Session::createdAt).thenComparing(Session::id).reversed();

    private SessionListing() {
    }

    /**
     * One page of the sessions in {@code scan} (current versions read through the suppliers) that match.
     *
     * @throws SessionException {@link Kind#INVALID} for a page below 1 or a page size outside 1 to {@code maxPageSize}
     */
    static SessionPage page(Iterable<? extends Supplier<Session>> scan, @Nullable SessionStatus status, @Nullable String query, int page,
                            int pageSize, int maxPageSize) {
        return page(scan, status, query, page, pageSize, maxPageSize, NEWEST_FIRST);
    }

    /** As the other {@code page}, in {@code order} (the first sorts first). */
    static SessionPage page(Iterable<? extends Supplier<Session>> scan, @Nullable SessionStatus status,
                            @Nullable String query, int page, int pageSize, int maxPageSize, Comparator<Session> order) {
        checkPage(page, pageSize, maxPageSize);
        String q = query == null || query.isBlank() ? null : query.trim().toLowerCase(Locale.ROOT);
        // Keep only the sessions up to the end of the asked page, in a heap whose head is the one that sorts
        // last: a page of the newest takes O(N log k) time and O(k) memory instead of sorting every match.
        long from = (long) (page - 1) * pageSize;
        int keep = (int) Math.min(from + pageSize, Integer.MAX_VALUE);
        PriorityQueue<Session> top = new PriorityQueue<>(Math.min(keep, 1024), order.reversed());
        int matched = 0;
        for (Supplier<Session> slot : scan) {
            Session s = slot.get();
            if ((status == null || s.status() == status) && (q == null || matches(s, q))) {
                matched++;
                if (top.size() < keep) {
                    top.add(s);
                } else if (order.compare(s, top.peek()) < 0) {
                    top.poll();
                    top.add(s);
                }
            }
        }
        List<Session> kept = new ArrayList<>(top);
        kept.sort(order);
        List<Session> items = from >= kept.size() ? List.of() : List.copyOf(kept.subList((int) from, kept.size()));
        return new SessionPage(items, matched, page, pageSize);
    }

    /**
     * Refuses a page below 1 or a page size outside 1 to {@code maxPageSize}.
     *
     * @throws SessionException {@link Kind#INVALID}
     */
    static void checkPage(int page, int pageSize, int maxPageSize) {
        if (page < 1) {
            throw new SessionException(Kind.INVALID, "page must be 1 or more, was " + page);
        }
        if (pageSize < 1 || pageSize > maxPageSize) {
            throw new SessionException(Kind.INVALID, "page_size must be 1 to " + maxPageSize + ", was " + pageSize);
        }
    }

    private static boolean matches(Session s, String q) {
        return contains(s.title(), q) || contains(s.customerName(), q) || contains(s.agentName(), q)
                || contains(s.id(), q);
    }

    /** Case-insensitive substring test that copies nothing ({@code q} is lower case already). */
    private static boolean contains(@Nullable String field, String q) {
        if (field == null) {
            return false;
        }
        int n = q.length();
        for (int i = 0, last = field.length() - n; i <= last; i++) {
            if (field.regionMatches(true, i, q, 0, n)) {
                return true;
            }
        }
        return false;
    }
}
