/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.session;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.session.CallQuality;
import dev.cskit.api.session.EndReason;
import dev.cskit.api.session.OutboxRecord;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStatus;
import dev.cskit.api.session.SessionStore;
import dev.cskit.api.session.SharedSessionStore;
import dev.cskit.api.session.Stats;
import dev.cskit.core.session.SessionException.Kind;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner of the customer-service sessions: it applies every transition of their life
 * ({@code Waiting → Active → Ended}; the rules are {@link SessionRules}'), stores it, and announces it.
 *
 * <p>Each operation either succeeds (the change was written to the {@link SessionStore}, then made visible,
 * then announced to the {@link SessionListener}s, phase by phase) or throws a {@link SessionException} and
 * changes nothing. If the store throws, the change is not made ({@link Kind#UNAVAILABLE}).
 *
 * <p>Transfer clears {@code on_hold}: the new agent picks up a live call. Ending a {@code Waiting} session
 * (a customer hanging up before the agent accepted, a close, a timeout) is allowed.
 *
 * <p><b>Threading:</b> thread-safe. Changes to one session are serialized by a per-session lock (held
 * across the store write, which may block on disk); changes to different sessions run in parallel.
 * {@code max_sessions} is enforced with an atomic reservation, so concurrent creates never exceed it.
 * {@link #stats()} is a consistent O(1) snapshot of counters. Reads never block on writes. Every change may
 * block on the store (a journal fsync; concurrent changes share one): make them where blocking is allowed (an
 * HTTP handler, a room callback, the host's blocking executor), never on the host's scheduler thread.
 *
 * <p>On a {@link SharedSessionStore} (several nodes, one store) none of the above is kept in memory: reads, the
 * counters and the {@code max_sessions} check go to the store, and a change is a compare-and-set on the revision it
 * read, tried again when another node changed the session first ({@link SharedSessions}). Reads may then block on
 * the store too, and throw {@link Kind#UNAVAILABLE} when it cannot be reached.
 */
public final class SessionManager {

    private static final Logger LOG = LoggerFactory.getLogger(SessionManager.class);

    /** Longest title, customer name, agent id or agent name, in characters. */
    public static final int MAX_NAME_LENGTH = 200;
    /** Longest description, in characters. */
    public static final int MAX_DESCRIPTION_LENGTH = 2000;
    /** Largest page of {@link #list}. */
    public static final int MAX_PAGE_SIZE = 100;
    public static final int DEFAULT_PAGE_SIZE = 20;

    private final Clock clock;
    private final int maxSessions;
    private final Duration sessionTimeout;
    private final SessionIds ids = new SessionIds();
    private final SessionListeners listeners = new SessionListeners();
    /** The sessions, when this manager holds them; null when they live in a store shared with other nodes. */
    private final @Nullable LocalSessions local;
    /** The sessions, when they live in a store shared with other nodes; null when this manager holds them. */
    private final @Nullable SharedSessions shared;
    /** Why new sessions are refused (the server drains), or null while they are taken. */
    private volatile @Nullable String refusingNew;
    /** What each change writes into the store's outbox with it (webhooks). */
    private volatile SessionOutbox outbox = SessionOutbox.NONE;
    /** Measures a call's quality as its session ends; none without a media path. */
    private volatile Function<Session, CallQuality> quality = s -> null;

    /**
     * @param store          where every change is written before it is visible
     * @param clock          every timestamp and the timeout sweep read it
     * @param maxSessions    most sessions not yet ended at once
     * @param sessionTimeout a session not ended this long after creation is ended by {@link #sweepTimeouts()}
     */
    public SessionManager(SessionStore store, Clock clock, int maxSessions, Duration sessionTimeout) {
        Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sessionTimeout = Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions must be at least 1, was " + maxSessions);
        }
        if (sessionTimeout.isNegative() || sessionTimeout.isZero()) {
            throw new IllegalArgumentException("sessionTimeout must be positive, was " + sessionTimeout);
        }
        this.maxSessions = maxSessions;
        this.shared = store instanceof SharedSessionStore s ? new SharedSessions(s, listeners) : null;
        this.local = shared == null ? new LocalSessions(store, listeners, maxSessions) : null;
    }

    /**
     * Loads what the store holds and rebuilds the counters. Call once, before any other operation.
     *
     * @return how many sessions were restored; 0 on a {@link SharedSessionStore}, which keeps them (it is only checked
     *         to answer)
     * @throws IOException if the store cannot be read
     * @throws IllegalStateException if sessions exist already
     */
    public int restore() throws IOException {
        if (shared != null) {
            shared.check();
            return 0;
        }
        return local().restore();
    }

    /**
     * From now on every change also writes what {@code outbox} makes of it into the store's outbox, in the same
     * store write (the webhook events). Set it once, before the first change after {@link #restore}.
     *
     * @throws IllegalStateException if an outbox was set already
     */
    public void useOutbox(SessionOutbox outbox) {
        Objects.requireNonNull(outbox, "outbox");
        synchronized (this) {
            if (this.outbox != SessionOutbox.NONE) {
                throw new IllegalStateException("the session outbox is set already");
            }
            this.outbox = outbox;
        }
    }

    /**
     * From now on a change that ends a session keeps {@code source}'s measure of the call's quality in the ended
     * version ({@link Session#quality()}), so the store, the {@code call.ended} event and the listeners all see it.
     * {@code source} runs under the session's lock on the thread that ends it; it must not throw and may return null.
     */
    public void useQuality(Function<Session, CallQuality> source) {
        this.quality = Objects.requireNonNull(source, "source");
    }

    /** Adds a listener; it hears changes in its {@linkplain SessionListener#phase() phase}, see {@link SessionListener}. */
    public void addListener(SessionListener listener) {
        listeners.add(listener);
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
        if (shared != null) {
            return shared.get(id);
        }
        return local().get(id);
    }

    /** The session, or {@link Kind#NOT_FOUND}. */
    public Session require(String id) {
        return get(id).orElseThrow(() -> notFound(id));
    }

    /** Every session, in no particular order. */
    public List<Session> all() {
        if (shared != null) {
            return shared.scan(null);
        }
        return local().all();
    }

    /** Every session not ended (Waiting or Active), in no particular order: O(open sessions), not O(history). */
    public List<Session> open() {
        if (shared != null) {
            return shared.open();
        }
        return local().open();
    }

    /**
     * The sessions not ended whose calls this node hosts: every open one on a single node; on a
     * {@link SharedSessionStore}, those created or changed on this node (until rooms are shared between nodes, a call
     * lives on the node its parties talk to).
     */
    public List<Session> hosted() {
        return shared != null ? shared.local() : open();
    }

    /**
     * How many calls ({@code Active} sessions) this node hosts: all of them on a single node (O(1), the counters); on
     * a {@link SharedSessionStore}, those among {@link #hosted()}.
     */
    public long hostedCalls() {
        if (shared == null) {
            return stats().activeSessions();
        }
        return shared.local().stream().filter(s -> s.status() == SessionStatus.ACTIVE).count();
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
        return list(status, query, page, pageSize, SessionOrder.NEWEST_FIRST);
    }

    /** As {@link #list(SessionStatus, String, int, int)}, in {@code order} (e.g. the worst calls first). */
    public SessionPage list(@Nullable SessionStatus status, @Nullable String query, int page, int pageSize,
                            SessionOrder order) {
        Objects.requireNonNull(order, "order");
        if (shared != null) {
            return shared.list(status, query, page, pageSize, MAX_PAGE_SIZE, order);
        }
        return local().list(status, query, page, pageSize, MAX_PAGE_SIZE, order);
    }

    /** How many sessions the index of open sessions holds (tests check it equals Waiting + Active). */
    int openIndexSize() {
        return local().openIndexSize();
    }

    /** Counts and averages, from counters: O(1) and consistent. */
    public Stats stats() {
        if (shared != null) {
            return shared.stats();
        }
        return local().stats();
    }

    // ---------------------------------------------------------------- transitions

    /**
     * Creates a {@code Waiting} session with a fresh customer id.
     *
     * @throws SessionException {@link Kind#INVALID} for a missing or too long title/customer name,
     *                          {@link Kind#LIMIT} when {@code max_sessions} sessions are not ended,
     *                          {@link Kind#UNAVAILABLE} after {@link #refuseNew}
     */
    public Session create(String title, String customerName, @Nullable String description) {
        String refusal = refusingNew;
        if (refusal != null) {
            throw new SessionException(Kind.UNAVAILABLE, refusal);
        }
        String t = SessionRules.name("title", title);
        String c = SessionRules.name("customer_name", customerName);
        String d = SessionRules.description(description);
        if (shared != null) {
            // Ids are unguessable and random: a collision is not checked here; the store refuses one (UNAVAILABLE).
            return shared.create(Session.newBuilder(ids.sessionId(), t, ids.customerId(), c, now()).description(d)
                    .build(), outbox, maxSessions);
        }
        return local().create(ids::sessionId,
                id -> Session.newBuilder(id, t, ids.customerId(), c, now()).description(d).build(), outbox);
    }

    /**
     * From now on {@link #create} is refused ({@link Kind#UNAVAILABLE}, HTTP 503) with {@code message}: the server
     * is draining. Everything else keeps working, so calls in progress can end by themselves.
     */
    public void refuseNew(String message) {
        this.refusingNew = Objects.requireNonNull(message, "message");
    }

    /** Closes a {@code Waiting} or {@code Active} session (admin {@code DELETE}); reason {@code closed}. */
    public Session close(String id) {
        return mutate(id, s -> SessionRules.close(s, now()));
    }

    /**
     * Assigns (or re-assigns) the agent of a {@code Waiting} session. Agent ids must meet {@link dev.cskit.api.Ids}
     * ({@link Kind#INVALID} otherwise), here as in {@link #take} and {@link #transfer}. An {@code Active} call moves to
     * another agent with {@link #transfer} instead.
     */
    public Session assign(String id, String agentId, String agentName) {
        String aid = SessionRules.id("agent_id", agentId);
        String an = SessionRules.name("agent_name", agentName);
        return mutate(id, s -> SessionRules.assign(s, aid, an));
    }

    /** The assigned agent accepts a {@code Waiting} session: it becomes {@code Active}. */
    public Session accept(String id, String agentId) {
        Objects.requireNonNull(agentId, "agentId");
        return mutate(id, s -> SessionRules.accept(s, agentId, now()));
    }

    /**
     * An agent takes a {@code Waiting} session offered by routing: assigned and accepted in one change, so
     * the session goes straight to {@code Active} with that agent ({@code call_accepted} once).
     *
     * @throws SessionException {@link Kind#CONFLICT} if it is not Waiting or was assigned to another agent
     */
    public Session take(String id, String agentId, String agentName) {
        String aid = SessionRules.id("agent_id", agentId);
        String an = SessionRules.name("agent_name", agentName);
        return mutate(id, s -> SessionRules.take(s, aid, an, now()));
    }

    /**
     * A party hangs up: reason {@code customer_hangup} or {@code agent_hangup} by who {@code byUserId} is.
     *
     * @throws SessionException {@link Kind#FORBIDDEN} if the user is neither the customer nor the agent
     */
    public Session end(String id, String byUserId) {
        Objects.requireNonNull(byUserId, "byUserId");
        return mutate(id, s -> SessionRules.hangUp(s, byUserId, now()));
    }

    /** Ends a {@code Waiting} or {@code Active} session for the given reason. */
    public Session end(String id, EndReason reason) {
        Objects.requireNonNull(reason, "reason");
        return mutate(id, s -> SessionRules.end(s, reason, now()));
    }

    /**
     * Hands an {@code Active} call to another agent. The session stays {@code Active}; {@code on_hold} is
     * cleared (the new agent picks up a live call).
     *
     * @param byAgentId the agent handing it over, who must be the assigned one, or {@code null} for an admin
     */
    public Session transfer(String id, @Nullable String byAgentId, String toAgentId, String toAgentName) {
        String aid = SessionRules.id("to_agent_id", toAgentId);
        String an = SessionRules.name("to_agent_name", toAgentName);
        return mutate(id, s -> SessionRules.transfer(s, byAgentId, aid, an));
    }

    /** Puts an {@code Active} call on hold. {@code byAgentId} {@code null} means an admin. */
    public Session hold(String id, @Nullable String byAgentId) {
        return mutate(id, s -> SessionRules.hold(s, byAgentId));
    }

    /** Resumes a held {@code Active} call. {@code byAgentId} {@code null} means an admin. */
    public Session resume(String id, @Nullable String byAgentId) {
        return mutate(id, s -> SessionRules.resume(s, byAgentId));
    }

    /** The customer rates an {@code Ended} session, once: 1 to 5 stars and an optional comment. */
    public Session rate(String id, int stars, @Nullable String comment) {
        String c = SessionRules.ratingComment(stars, comment);
        return mutate(id, s -> SessionRules.rate(s, stars, c, now()));
    }

    /**
     * Some of the session's media was recorded (the recorder started a track): {@code recorded} is set, for good.
     * Idempotent: when it is set already nothing is written nor announced. Call it where blocking is allowed.
     */
    public Session markRecorded(String id) {
        return mutate(id, SessionRules::recorded);
    }

    /**
     * An admin turned recording off for a session not ended: {@code recording_disabled} is set, for good, and the
     * media listeners stop its recorder. Idempotent like {@link #markRecorded}.
     *
     * @throws SessionException {@link Kind#CONFLICT} if the session has ended
     */
    public Session disableRecording(String id) {
        return mutate(id, SessionRules::disableRecording);
    }

    /**
     * Ends, with reason {@code timeout}, every session not ended whose {@code created_at + session_timeout}
     * is not after the clock's now. Called every few seconds, on the host's blocking executor (it writes the store).
     *
     * @return how many sessions it ended
     */
    public int sweepTimeouts() {
        Instant now = clock.instant();
        int ended = 0;
        for (Supplier<Session> slot : shared != null ? fixed(shared.open()) : local().slots()) {
            Session s = slot.get();
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
     * stay waiting so they survive a restart. On a {@link SharedSessionStore}, only the calls this node
     * {@linkplain #hosted() hosts}.
     *
     * @return how many calls it ended
     */
    public int endActive(EndReason reason) {
        int ended = 0;
        for (Supplier<Session> slot : shared != null ? fixed(shared.local()) : local().slots()) {
            Session s = slot.get();
            if (s.status() == SessionStatus.ACTIVE) {
                try {
                    mutate(s.id(), cur -> SessionRules.endActive(cur, reason, now()));
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

    /** Sessions read from a shared store, as the loops over this manager's slots take them. */
    private static List<Supplier<Session>> fixed(List<Session> list) {
        List<Supplier<Session>> out = new ArrayList<>(list.size());
        for (Session s : list) {
            out.add(() -> s);
        }
        return out;
    }

    @FunctionalInterface
    interface Change {
        Session apply(Session current);
    }

    private Session mutate(String id, Change change) {
        Objects.requireNonNull(id, "id");
        Change measured = QualityOnEnd.measured(change, quality);
        if (shared != null) {
            return shared.mutate(id, measured, outbox);
        }
        return local().mutate(id, measured, outbox);
    }

    private LocalSessions local() {
        return Objects.requireNonNull(local, "local sessions");
    }

    /** The outbox records of a change; none (logged) if making them fails. */
    static List<OutboxRecord> recordsFor(SessionOutbox out, @Nullable Session before, Session s) {
        try {
            return out.recordsFor(before, s);
        } catch (RuntimeException e) {
            // A fault in building events must not stop sessions; it is loud, since those events are lost.
            LOG.error("could not make the outbox records (webhook events) of a change to session {}; it is stored "
                    + "without them", s.id(), e);
            return List.of();
        }
    }

    /** Tells the outbox that a change and its records were stored. */
    static void stored(SessionOutbox out, List<OutboxRecord> records, String id) {
        if (!records.isEmpty()) {
            try {
                out.stored(records);
            } catch (RuntimeException e) {
                LOG.error("the session outbox failed to take the records of a change to {}", id, e);
            }
        }
    }

    /** The store failed to write a change to session {@code id}: logged, and nothing was changed. */
    static SessionException notStored(String id, Exception e) {
        LOG.error("could not store session {}", id, e);
        return new SessionException(Kind.UNAVAILABLE, "the session store could not record the change to "
                + id + " (" + e.getMessage() + "); nothing was changed, try again later", e);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    static SessionException notFound(String id) {
        return new SessionException(Kind.NOT_FOUND, "no session " + id + "; list sessions with GET /customer-service/sessions");
    }
}
