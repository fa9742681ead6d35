/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.session;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.session.EndReason;
import dev.cskit.api.session.Rating;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStatus;
import dev.cskit.api.session.SessionStore;
import dev.cskit.api.session.Stats;
import dev.cskit.core.session.SessionException.Kind;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The customer-service sessions and every transition of their life ({@code Waiting → Active → Ended}).
 *
 * <p>Each operation either succeeds (the change was written to the {@link SessionStore}, then made visible,
 * then announced to the {@link SessionListener}s) or throws a {@link SessionException} and changes nothing.
 * If the store throws, the change is not made ({@link Kind#UNAVAILABLE}).
 *
 * <p>Transfer clears {@code on_hold}: the new agent picks up a live call. Ending a {@code Waiting} session
 * (a customer hanging up before the agent accepted, a close, a timeout) is allowed.
 *
 * <p><b>Threading:</b> thread-safe. Changes to one session are serialized by a per-session lock (held
 * across the store write, which may block on disk); changes to different sessions run in parallel.
 * {@code max_sessions} is enforced with an atomic reservation, so concurrent creates never exceed it.
 * {@link #stats()} is a consistent O(1) snapshot of counters. Reads never block on writes.
 */
public final class SessionManager {

    private static final Logger LOG = LoggerFactory.getLogger(SessionManager.class);

    /** Longest title, customer name, agent id or agent name, in characters. */
    public static final int MAX_NAME_LENGTH = 200;
    /** Longest description, in characters. */
    public static final int MAX_DESCRIPTION_LENGTH = 2000;
    /** Largest page of {@link #list}. */
    public static final int MAX_PAGE_SIZE = 100;
    /** The listing order: newest first, then by id (descending) among sessions created in the same instant. */
    private static final Comparator<Session> NEWEST_FIRST =
            Comparator.comparing(Session::createdAt).thenComparing(Session::id).reversed();
    public static final int DEFAULT_PAGE_SIZE = 20;

    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private final SessionStore store;
    private final Clock clock;
    private final int maxSessions;
    private final Duration sessionTimeout;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, Slot> sessions = new ConcurrentHashMap<>();
    /** Sessions not ended, including creates in flight: the max_sessions reservation. */
    private final AtomicInteger live = new AtomicInteger();
    /** The sessions not ended (Waiting or Active), so listing those scans them only, not the whole history. */
    private final Set<Slot> open = ConcurrentHashMap.newKeySet();
    private final Counters counters = new Counters();
    private final CopyOnWriteArrayList<SessionListener> listeners = new CopyOnWriteArrayList<>();

    /** A session's current version; its monitor is the per-session lock. */
    private static final class Slot {
        volatile Session session;

        Slot(Session session) {
            this.session = session;
        }
    }

    /**
     * @param store          where every change is written before it is visible
     * @param clock          every timestamp and the timeout sweep read it
     * @param maxSessions    most sessions not yet ended at once
     * @param sessionTimeout a session not ended this long after creation is ended by {@link #sweepTimeouts()}
     */
    public SessionManager(SessionStore store, Clock clock, int maxSessions, Duration sessionTimeout) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sessionTimeout = Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions must be at least 1, was " + maxSessions);
        }
        if (sessionTimeout.isNegative() || sessionTimeout.isZero()) {
            throw new IllegalArgumentException("sessionTimeout must be positive, was " + sessionTimeout);
        }
        this.maxSessions = maxSessions;
    }

    /**
     * Loads what the store holds and rebuilds the counters. Call once, before any other operation.
     *
     * @return how many sessions were restored
     * @throws IOException if the store cannot be read
     * @throws IllegalStateException if sessions exist already
     */
    public int restore() throws IOException {
        if (!sessions.isEmpty()) {
            throw new IllegalStateException("restore() must be called before any session is created");
        }
        Collection<Session> loaded = store.load();
        for (Session s : loaded) {
            Slot slot = new Slot(s);
            sessions.put(s.id(), slot);
            counters.apply(null, s);
            if (!s.isEnded()) {
                live.incrementAndGet();
                open.add(slot);
            }
        }
        if (live.get() > maxSessions) {
            LOG.warn("restored {} sessions not ended, more than max_sessions {}; new sessions are refused "
                    + "until some end", live.get(), maxSessions);
        }
        return loaded.size();
    }

    public void addListener(SessionListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(SessionListener listener) {
        listeners.remove(listener);
    }

    public Clock clock() {
        return clock;
    }

    public Duration sessionTimeout() {
        return sessionTimeout;
    }

    public int maxSessions() {
        return maxSessions;
    }

    // ---------------------------------------------------------------- reads

    public Optional<Session> get(String id) {
        Slot slot = sessions.get(id);
        return slot == null ? Optional.empty() : Optional.of(slot.session);
    }

    /** The session, or {@link Kind#NOT_FOUND}. */
    public Session require(String id) {
        return get(id).orElseThrow(() -> notFound(id));
    }

    /** Every session, in no particular order. */
    public List<Session> all() {
        List<Session> out = new ArrayList<>(sessions.size());
        for (Slot s : sessions.values()) {
            out.add(s.session);
        }
        return out;
    }

    /** Every session not ended (Waiting or Active), in no particular order: O(open sessions), not O(history). */
    public List<Session> open() {
        List<Session> out = new ArrayList<>(open.size());
        for (Slot s : open) {
            out.add(s.session);
        }
        return out;
    }

    /**
     * A page of sessions, newest first.
     *
     * @param status   only sessions in this state, or {@code null} for all
     * @param query    case-insensitive substring of title, customer name, agent name or id; {@code null} or
     *                 blank for all
     * @param page     from 1
     * @param pageSize 1 to {@value #MAX_PAGE_SIZE}
     */
    public SessionPage list(@Nullable SessionStatus status, @Nullable String query, int page, int pageSize) {
        if (page < 1) {
            throw new SessionException(Kind.INVALID, "page must be 1 or more, was " + page);
        }
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new SessionException(Kind.INVALID, "page_size must be 1 to " + MAX_PAGE_SIZE + ", was " + pageSize);
        }
        String q = query == null || query.isBlank() ? null : query.trim().toLowerCase(Locale.ROOT);
        // Keep only the sessions up to the end of the asked page, in a heap whose head is the one that sorts
        // last: a page of the newest takes O(N log k) time and O(k) memory instead of sorting every match.
        long from = (long) (page - 1) * pageSize;
        int keep = (int) Math.min(from + pageSize, Integer.MAX_VALUE);
        PriorityQueue<Session> top = new PriorityQueue<>(Math.min(keep, 1024), NEWEST_FIRST.reversed());
        int matched = 0;
        Collection<Slot> scan = status == SessionStatus.WAITING || status == SessionStatus.ACTIVE ? open
                : sessions.values();
        for (Slot slot : scan) {
            Session s = slot.session;
            if ((status == null || s.status() == status) && (q == null || matches(s, q))) {
                matched++;
                if (top.size() < keep) {
                    top.add(s);
                } else if (NEWEST_FIRST.compare(s, top.peek()) < 0) {
                    top.poll();
                    top.add(s);
                }
            }
        }
        List<Session> kept = new ArrayList<>(top);
        kept.sort(NEWEST_FIRST);
        List<Session> items = from >= kept.size() ? List.of() : List.copyOf(kept.subList((int) from, kept.size()));
        return new SessionPage(items, matched, page, pageSize);
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

    /** How many sessions the index of open sessions holds (tests check it equals Waiting + Active). */
    int openIndexSize() {
        return open.size();
    }

    /** Counts and averages, from counters: O(1) and consistent. */
    public Stats stats() {
        return counters.snapshot();
    }

    // ---------------------------------------------------------------- transitions

    /**
     * Creates a {@code Waiting} session with a fresh customer id.
     *
     * @throws SessionException {@link Kind#INVALID} for a missing or too long title/customer name,
     *                          {@link Kind#LIMIT} when {@code max_sessions} sessions are not ended
     */
    public Session create(String title, String customerName, @Nullable String description) {
        String t = name("title", title);
        String c = name("customer_name", customerName);
        String d = description == null ? "" : description.trim();
        if (d.length() > MAX_DESCRIPTION_LENGTH) {
            throw new SessionException(Kind.INVALID, "description must be at most " + MAX_DESCRIPTION_LENGTH
                    + " characters, was " + d.length());
        }
        reserve();
        boolean made = false;
        try {
            String id;
            do {
                id = "cs_" + randomBase32(15);
            } while (sessions.containsKey(id));
            Session s = Session.newBuilder(id, t, "cust_" + randomBase32(10), c, now()).description(d).build();
            Slot slot = new Slot(s);
            synchronized (slot) {
                put(s);
                if (sessions.putIfAbsent(id, slot) != null) {
                    throw new IllegalStateException("session id collision: " + id);
                }
                open.add(slot);
                counters.apply(null, s);
                made = true;
                notifyListeners(null, s);
            }
            return s;
        } finally {
            if (!made) {
                live.decrementAndGet();
            }
        }
    }

    private void reserve() {
        while (true) {
            int n = live.get();
            if (n >= maxSessions) {
                throw new SessionException(Kind.LIMIT, "max_sessions (" + maxSessions + ") sessions are open; "
                        + "end or close a session, or raise max_sessions, before creating another");
            }
            if (live.compareAndSet(n, n + 1)) {
                return;
            }
        }
    }

    /** Closes a {@code Waiting} or {@code Active} session (admin {@code DELETE}); reason {@code closed}. */
    public Session close(String id) {
        return mutate(id, s -> {
            if (s.isEnded()) {
                throw conflict(s, "only Waiting or Active sessions can be closed");
            }
            return ended(s, EndReason.CLOSED);
        });
    }

    /**
     * Assigns (or re-assigns) the agent of a {@code Waiting} session. An {@code Active} call moves to
     * another agent with {@link #transfer} instead.
     */
    public Session assign(String id, String agentId, String agentName) {
        String aid = name("agent_id", agentId);
        String an = name("agent_name", agentName);
        return mutate(id, s -> {
            if (s.status() == SessionStatus.ACTIVE) {
                throw conflict(s, "use transfer to hand an active call to another agent");
            }
            if (s.status() != SessionStatus.WAITING) {
                throw conflict(s, "only Waiting sessions can be assigned");
            }
            return s.toBuilder().agent(aid, an).build();
        });
    }

    /** The assigned agent accepts a {@code Waiting} session: it becomes {@code Active}. */
    public Session accept(String id, String agentId) {
        Objects.requireNonNull(agentId, "agentId");
        return mutate(id, s -> {
            if (s.status() != SessionStatus.WAITING) {
                throw conflict(s, "only Waiting sessions can be accepted");
            }
            if (s.agentId() == null) {
                throw new SessionException(Kind.CONFLICT, "session " + s.id()
                        + " has no agent assigned; assign an agent before accepting");
            }
            if (!s.agentId().equals(agentId)) {
                throw new SessionException(Kind.FORBIDDEN, "user " + agentId + " is not the agent assigned to session "
                        + s.id() + "; only " + s.agentId() + " can accept it");
            }
            return s.toBuilder().status(SessionStatus.ACTIVE).acceptedAt(now()).build();
        });
    }

    /**
     * An agent takes a {@code Waiting} session offered by routing: assigned and accepted in one change, so
     * the session goes straight to {@code Active} with that agent ({@code call_accepted} once).
     *
     * @throws SessionException {@link Kind#CONFLICT} if it is not Waiting or was assigned to another agent
     */
    public Session take(String id, String agentId, String agentName) {
        String aid = name("agent_id", agentId);
        String an = name("agent_name", agentName);
        return mutate(id, s -> {
            if (s.status() != SessionStatus.WAITING) {
                throw conflict(s, "only Waiting sessions can be taken");
            }
            if (s.agentId() != null && !s.agentId().equals(aid)) {
                throw new SessionException(Kind.CONFLICT, "session " + s.id() + " was assigned to " + s.agentId()
                        + " meanwhile");
            }
            return s.toBuilder().agent(aid, an).status(SessionStatus.ACTIVE).acceptedAt(now()).build();
        });
    }

    /**
     * A party hangs up: reason {@code customer_hangup} or {@code agent_hangup} by who {@code byUserId} is.
     *
     * @throws SessionException {@link Kind#FORBIDDEN} if the user is neither the customer nor the agent
     */
    public Session end(String id, String byUserId) {
        Objects.requireNonNull(byUserId, "byUserId");
        return mutate(id, s -> {
            if (s.isEnded()) {
                throw conflict(s, "only Waiting or Active sessions can be ended");
            }
            EndReason reason;
            if (byUserId.equals(s.customerId())) {
                reason = EndReason.CUSTOMER_HANGUP;
            } else if (byUserId.equals(s.agentId())) {
                reason = EndReason.AGENT_HANGUP;
            } else {
                throw new SessionException(Kind.FORBIDDEN, "user " + byUserId + " is not a party of session "
                        + s.id() + "; only its customer or assigned agent can end it");
            }
            return ended(s, reason);
        });
    }

    /** Ends a {@code Waiting} or {@code Active} session for the given reason. */
    public Session end(String id, EndReason reason) {
        Objects.requireNonNull(reason, "reason");
        return mutate(id, s -> {
            if (s.isEnded()) {
                throw conflict(s, "only Waiting or Active sessions can be ended");
            }
            return ended(s, reason);
        });
    }

    /**
     * Hands an {@code Active} call to another agent. The session stays {@code Active}; {@code on_hold} is
     * cleared (the new agent picks up a live call).
     *
     * @param byAgentId the agent handing it over, who must be the assigned one, or {@code null} for an admin
     */
    public Session transfer(String id, @Nullable String byAgentId, String toAgentId, String toAgentName) {
        String aid = name("to_agent_id", toAgentId);
        String an = name("to_agent_name", toAgentName);
        return mutate(id, s -> {
            if (s.status() != SessionStatus.ACTIVE) {
                throw conflict(s, "only Active calls can be transferred"
                        + (s.status() == SessionStatus.WAITING ? " (use assign for a Waiting session)" : ""));
            }
            requireAgent(s, byAgentId, "transfer");
            if (aid.equals(s.agentId())) {
                throw new SessionException(Kind.INVALID, "session " + s.id() + " is already with agent " + aid
                        + "; transfer it to another agent");
            }
            return s.toBuilder().agent(aid, an).onHold(false).build();
        });
    }

    /** Puts an {@code Active} call on hold. {@code byAgentId} {@code null} means an admin. */
    public Session hold(String id, @Nullable String byAgentId) {
        return mutate(id, s -> {
            if (s.status() != SessionStatus.ACTIVE) {
                throw conflict(s, "only Active calls can be put on hold");
            }
            requireAgent(s, byAgentId, "hold");
            if (s.onHold()) {
                throw new SessionException(Kind.CONFLICT, "session " + s.id()
                        + " is already on hold; resume it before holding again");
            }
            return s.toBuilder().onHold(true).build();
        });
    }

    /** Resumes a held {@code Active} call. {@code byAgentId} {@code null} means an admin. */
    public Session resume(String id, @Nullable String byAgentId) {
        return mutate(id, s -> {
            if (s.status() != SessionStatus.ACTIVE) {
                throw conflict(s, "only Active calls on hold can be resumed");
            }
            requireAgent(s, byAgentId, "resume");
            if (!s.onHold()) {
                throw new SessionException(Kind.CONFLICT, "session " + s.id()
                        + " is not on hold; only a held call can be resumed");
            }
            return s.toBuilder().onHold(false).build();
        });
    }

    /** The customer rates an {@code Ended} session, once: 1 to 5 stars and an optional comment. */
    public Session rate(String id, int stars, @Nullable String comment) {
        if (stars < 1 || stars > 5) {
            throw new SessionException(Kind.INVALID, "stars must be an integer from 1 to 5, was " + stars);
        }
        String c = comment == null ? "" : comment.trim();
        if (c.length() > Rating.MAX_COMMENT_LENGTH) {
            throw new SessionException(Kind.INVALID, "comment must be at most " + Rating.MAX_COMMENT_LENGTH
                    + " characters, was " + c.length());
        }
        return mutate(id, s -> {
            if (!s.isEnded()) {
                throw conflict(s, "a call can be rated only after it has Ended");
            }
            if (s.rating() != null) {
                throw new SessionException(Kind.CONFLICT, "session " + s.id()
                        + " is rated already; a session can be rated once");
            }
            return s.toBuilder().rating(new Rating(stars, c, now())).build();
        });
    }

    /**
     * Ends, with reason {@code timeout}, every session not ended whose {@code created_at + session_timeout}
     * is not after the clock's now. The host's scheduler calls it every few seconds.
     *
     * @return how many sessions it ended
     */
    public int sweepTimeouts() {
        Instant now = clock.instant();
        int ended = 0;
        for (Slot slot : sessions.values()) {
            Session s = slot.session;
            if (!s.isEnded() && !s.createdAt().plus(sessionTimeout).isAfter(now)) {
                try {
                    end(s.id(), EndReason.TIMEOUT);
                    ended++;
                } catch (SessionException e) {
                    if (e.kind() != Kind.CONFLICT) { // CONFLICT: it ended meanwhile
                        LOG.warn("could not time out session {}: {}", s.id(), e.getMessage());
                    }
                }
            }
        }
        return ended;
    }

    /**
     * Ends every {@code Active} call with the given reason (e.g. {@code shutdown}); {@code Waiting} sessions
     * stay waiting so they survive a restart.
     *
     * @return how many calls it ended
     */
    public int endActive(EndReason reason) {
        int ended = 0;
        for (Slot slot : sessions.values()) {
            Session s = slot.session;
            if (s.status() == SessionStatus.ACTIVE) {
                try {
                    mutate(s.id(), cur -> {
                        if (cur.status() != SessionStatus.ACTIVE) {
                            throw conflict(cur, "only Active calls are ended at shutdown");
                        }
                        return ended(cur, reason);
                    });
                    ended++;
                } catch (SessionException e) {
                    if (e.kind() != Kind.CONFLICT) {
                        LOG.warn("could not end session {}: {}", s.id(), e.getMessage());
                    }
                }
            }
        }
        return ended;
    }

    // ---------------------------------------------------------------- internals

    @FunctionalInterface
    private interface Change {
        Session apply(Session current);
    }

    private Session mutate(String id, Change change) {
        Objects.requireNonNull(id, "id");
        Slot slot = sessions.get(id);
        if (slot == null) {
            throw notFound(id);
        }
        synchronized (slot) {
            Session before = slot.session;
            Session after = change.apply(before);
            put(after);
            slot.session = after;
            // Counters first, then free the reservation: stats() never counts more live sessions than are
            // reserved, so a create that takes the freed place cannot show max_sessions + 1 in between.
            counters.apply(before, after);
            if (!before.isEnded() && after.isEnded()) {
                open.remove(slot);
                live.decrementAndGet();
            }
            notifyListeners(before, after);
            return after;
        }
    }

    private void put(Session s) {
        try {
            store.put(s);
        } catch (IOException | RuntimeException e) {
            LOG.error("could not store session {}", s.id(), e);
            throw new SessionException(Kind.UNAVAILABLE, "the session store could not record the change to "
                    + s.id() + " (" + e.getMessage() + "); nothing was changed, try again later", e);
        }
    }

    private void notifyListeners(@Nullable Session before, Session after) {
        for (SessionListener l : listeners) {
            try {
                l.onChanged(before, after);
            } catch (RuntimeException e) {
                LOG.error("session listener {} failed on {}", l, after.id(), e);
            }
        }
    }

    private Session ended(Session s, EndReason reason) {
        Instant now = now();
        if (s.acceptedAt() != null && now.isBefore(s.acceptedAt())) {
            now = s.acceptedAt(); // a clock stepped back must not give a negative duration
        }
        return s.toBuilder().status(SessionStatus.ENDED).onHold(false).ended(now, reason).build();
    }

    private static void requireAgent(Session s, @Nullable String byAgentId, String what) {
        if (byAgentId != null && !byAgentId.equals(s.agentId())) {
            throw new SessionException(Kind.FORBIDDEN, "user " + byAgentId + " is not the agent assigned to session "
                    + s.id() + "; only " + s.agentId() + " can " + what + " this call");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private static String name(String field, @Nullable String value) {
        if (value == null || value.isBlank()) {
            throw new SessionException(Kind.INVALID, field + " is required and must not be blank");
        }
        String v = value.trim();
        if (v.length() > MAX_NAME_LENGTH) {
            throw new SessionException(Kind.INVALID, field + " must be at most " + MAX_NAME_LENGTH
                    + " characters, was " + v.length());
        }
        return v;
    }

    private static SessionException notFound(String id) {
        return new SessionException(Kind.NOT_FOUND, "no session " + id + "; list sessions with GET /customer-service/sessions");
    }

    private static SessionException conflict(Session s, String what) {
        return new SessionException(Kind.CONFLICT, "session " + s.id() + " is " + s.status().wireName() + "; " + what);
    }

    private String randomBase32(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        StringBuilder sb = new StringBuilder(bytes * 8 / 5 + 1);
        int buffer = 0;
        int bits = 0;
        for (byte x : b) {
            buffer = (buffer << 8) | (x & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(BASE32[(buffer >>> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(BASE32[(buffer << (5 - bits)) & 31]);
        }
        return sb.toString();
    }

    /** The counters behind {@link #stats()}; guarded by its own monitor so a snapshot is consistent. */
    private static final class Counters {
        private long total;
        private long waiting;
        private long active;
        private long ended;
        private long rated;
        private long starSum;
        private long durationCount;
        private long durationSum;

        synchronized void apply(@Nullable Session before, Session after) {
            if (before == null) {
                total++;
            } else {
                add(before.status(), -1);
            }
            add(after.status(), 1);
            if ((before == null || before.rating() == null) && after.rating() != null) {
                rated++;
                starSum += after.rating().stars();
            }
            if ((before == null || !before.isEnded()) && after.isEnded() && after.acceptedAt() != null) {
                durationCount++;
                durationSum += after.durationSeconds(after.endedAt());
            }
        }

        private void add(SessionStatus status, int delta) {
            switch (status) {
                case WAITING -> waiting += delta;
                case ACTIVE -> active += delta;
                case ENDED -> ended += delta;
                default -> throw new IllegalStateException("unknown status " + status);
            }
        }

        synchronized Stats snapshot() {
            return new Stats(total, active, waiting, ended, rated,
                    rated == 0 ? 0 : (double) starSum / rated,
                    durationCount == 0 ? 0 : (double) durationSum / durationCount);
        }
    }
}
