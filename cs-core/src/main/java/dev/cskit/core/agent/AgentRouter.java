/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.agent;

import dev.cskit.api.AgentAccount;
import dev.cskit.api.CsConfig;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStatus;
import dev.cskit.core.auth.AgentDirectory;
import dev.cskit.core.session.SessionException;
import dev.cskit.core.session.SessionException.Kind;
import dev.cskit.core.session.SessionListener;
import dev.cskit.core.session.SessionManager;
import dev.cskit.core.signal.CallRouter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The agent router and the visitor queue: agent states ({@link AgentState}), routing of waiting sessions to
 * Ready agents with ringing, the FIFO queue with its positions and wait estimates, and transfers that ring
 * their target first. It knows no JSON and no rooms: commands come in as method calls (from the lobby, the
 * HTTP API, the call signaling, session changes, its timers), what clients must hear goes out through
 * {@link RoutingEvents}, and what it knows sits in a {@link RoutingState}.
 *
 * <p><b>Presence:</b> an agent checks in by taking its lobby seat ({@link #seated}, see
 * {@link dev.cskit.core.agent.lobby.AgentLobby}) or through {@link #setStatus}. Losing the seat
 * ({@link #unseated}) is presence lost: the agent goes {@code Offline} and a call ringing it goes to the next
 * agent.
 *
 * <p><b>Routing</b> (only with {@code auto_assign}): a new {@code Waiting} session without an agent joins the
 * queue; the oldest queued session not ringing anybody is offered to the Ready agent idle the longest (idle
 * since its last call, or since it became Ready), skipping agents who declined that session. The agent has
 * {@code ring_timeout} to answer: accepting takes the session ({@link SessionManager#take}: Active with that
 * agent); rejecting offers it to the next Ready agent; a timeout does too and sets the silent agent not ready
 * ({@code Online}). After a call the agent is Ready again, after {@code wrap_up} if set. A session assigned by
 * hand leaves the queue; its agent is Busy while the call is Active, whoever assigned it.
 *
 * <p><b>Queue:</b> every queued customer is told {@code (position, estimated_wait)} whenever either changes,
 * and again when it (re)joins its room. {@code estimated_wait} (seconds) = ⌈(position − Ready or ringing
 * agents) × mean handling time of the last {@value #HANDLING_SAMPLES} calls / agents checked in⌉, at least
 * 0; the mean is 180 s before any call has ended.
 *
 * <p><b>Transfer:</b> an agent's transfer to an agent seated in its lobby rings that agent (it must be
 * Ready); on accept the session moves to it ({@link SessionManager#transfer}), on reject or timeout the
 * transferring agent is told and keeps the call. A transfer to an agent not in its lobby happens at once.
 *
 * <p><b>Threading:</b> thread-safe. One lock guards the state ({@link RouterLock}: the cluster's too when the
 * state is shared, which makes each command one atomic step of the cluster); under it the router only tells
 * {@link RoutingEvents} (which never block) and sets timers, and never changes sessions, so the lock order is
 * always session lock → router lock (session listeners run under the session lock). {@link #accept} takes
 * the session outside the lock and may block on the store. Timers (ring timeout, wrap-up) run on the host
 * scheduler, read the host clock and change no session, so nothing is written to the journal there.
 */
@SuppressWarnings("try") // a lock's hold is a resource the body never names
public final class AgentRouter implements SessionListener, CallRouter {

    /** How many recent handling times the wait estimate averages. */
    public static final int HANDLING_SAMPLES = 20;
    /** The handling time assumed before any call has ended. */
    public static final Duration DEFAULT_HANDLING = Duration.ofMinutes(3);

    private final SessionManager sessions;
    private final AgentDirectory directory;
    private final Clock clock;
    private final boolean autoAssign;
    private final Duration ringTimeout;
    private final RoutingEvents events;

    private final RouterLock lock;
    // Guarded by lock: the state and the helpers that work on it (none of them is thread-safe on its own).
    private final RoutingState state;
    private final RouterTimers timers;
    private final AgentBook agents;
    private final Rings rings;
    private final QueuePositions positions;

    /** A router with its state in memory. */
    public AgentRouter(SessionManager sessions, AgentDirectory directory, CsConfig config,
                       ScheduledExecutorService scheduler, Clock clock, RoutingEvents events) {
        this(sessions, directory, config, scheduler, clock, events, RoutingState.inMemory());
    }

    /**
     * @param config    {@code auto_assign}, {@code ring_timeout}, {@code wrap_up}
     * @param scheduler the host's scheduler: ring and wrap-up timers
     * @param clock     the host's clock (idle times, ring deadlines, wrap-up)
     * @param events    where what agents and customers must hear goes
     * @param state     where the agents and the queue are kept; every configured agent is added if absent
     */
    public AgentRouter(SessionManager sessions, AgentDirectory directory, CsConfig config,
                       ScheduledExecutorService scheduler, Clock clock, RoutingEvents events, RoutingState state) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.events = Objects.requireNonNull(events, "events");
        this.state = Objects.requireNonNull(state, "state");
        this.lock = new RouterLock(state);
        this.timers = new RouterTimers(Objects.requireNonNull(scheduler, "scheduler"), state.timerExecutor());
        this.agents = new AgentBook(state, events, timers, directory, clock, config.wrapUp(), this::onWrapUpOver);
        this.rings = new Rings(state, events, timers, agents, clock, config.ringTimeout(), this::onRingTimeout);
        this.positions = new QueuePositions(state, events);
        this.autoAssign = config.autoAssign();
        this.ringTimeout = config.ringTimeout();
        Instant now = clock.instant();
        try (RouterLock.Held held = lock.hold()) {
            for (AgentAccount a : directory.all()) {
                if (state.agent(a.id()).isEmpty()) {
                    state.putAgent(AgentRecord.offline(a.id(), a.name(), now));
                }
            }
        }
    }

    /**
     * Takes in the open sessions the node hosts (after {@link SessionManager#restore}; in a cluster, none of the
     * other nodes'): Active ones make their agent Busy; with {@code auto_assign}, Waiting ones without an agent join
     * the queue, oldest first.
     */
    public void restore() {
        List<Session> all = new ArrayList<>(sessions.hosted());
        all.sort(Comparator.comparing(Session::createdAt).thenComparing(Session::id));
        try (RouterLock.Held held = lock.hold()) {
            for (Session s : all) {
                if (s.status() == SessionStatus.ACTIVE && s.agentId() != null) {
                    state.putAgent(agents.track(s.agentId(), s.agentName()).withCall(s.id()));
                } else if (autoAssign && s.status() == SessionStatus.WAITING && s.agentId() == null) {
                    state.putQueued(QueuedCall.waiting(s.id(), s.customerId(), clock.instant()));
                }
            }
            settle();
        }
    }

    public boolean autoAssign() {
        return autoAssign;
    }

    public Duration ringTimeout() {
        return ringTimeout;
    }

    // ---------------------------------------------------------------- reads

    /**
     * Every agent known: the configured ones first (in configuration order, then those added at runtime), then
     * any other agent a session was assigned to.
     */
    public List<AgentView> agents() {
        try (RouterLock.Held held = lock.hold()) {
            return state.agents().stream().map(AgentRecord::view).toList();
        }
    }

    public Optional<AgentView> agent(String agentId) {
        try (RouterLock.Held held = lock.hold()) {
            return state.agent(agentId).map(AgentRecord::view);
        }
    }

    /** The visitor queue, next to be served first. */
    public List<QueueEntry> queue() {
        try (RouterLock.Held held = lock.hold()) {
            return positions.entries();
        }
    }

    // ---------------------------------------------------------------- commands

    /**
     * Checks an agent in or out, or sets it ready or not ready.
     *
     * @param status {@code online}, {@code ready}, {@code not_ready} or {@code offline}
     * @throws SessionException {@link Kind#NOT_FOUND} for an agent not configured, {@link Kind#INVALID} for
     *                          another status
     */
    public AgentView setStatus(String agentId, String status) {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(status, "status");
        Optional<AgentAccount> account = directory.find(agentId);
        if (account.isEmpty()) {
            throw new SessionException(Kind.NOT_FOUND, "no agent " + agentId
                    + " is configured (customer_service.agents or POST /customer-service/agents)");
        }
        if (!account.get().enabled() && !status.equals("offline")) {
            throw new SessionException(Kind.CONFLICT, "agent " + agentId + " is disabled; enable it with "
                    + "PATCH /customer-service/agents/" + agentId + " first");
        }
        try (RouterLock.Held held = lock.hold()) {
            AgentRecord a = agents.track(agentId, null);
            switch (status) {
                case "online", "not_ready" -> {
                    state.putAgent(a.present(true).wantsReady(false));
                    rings.cancel(agentId, CancelReason.NOT_READY, true);
                }
                case "ready" -> {
                    a = a.present(true);
                    boolean wasReady = a.state() == AgentState.READY;
                    a = a.wantsReady(true);
                    if (a.wrapUntil() != null) {
                        a = agents.endWrapUp(a);
                    }
                    if (!wasReady && a.calls().isEmpty() && a.ring() == null) {
                        a = a.idleSince(clock.instant());
                    }
                    state.putAgent(a);
                    for (QueuedCall q : state.queue()) {
                        if (q.declined().contains(agentId)) {
                            state.putQueued(q.undeclined(agentId)); // ready again: offer it what it passed on before
                        }
                    }
                }
                case "offline" -> {
                    state.putAgent(a.present(false).wantsReady(false));
                    rings.cancel(agentId, CancelReason.OFFLINE, true);
                }
                default -> throw new SessionException(Kind.INVALID, "status must be online, ready, not_ready or offline,"
                        + " was '" + status + "'");
            }
            agents.publish(agentId);
            settle();
            return agents.get(agentId).view();
        }
    }

    /**
     * An agent account was added, renamed, disabled or removed ({@link AgentDirectory.Listener}): a new agent is
     * tracked (offline), a new name is shown, and a disabled or removed agent goes offline at once, its ring
     * going to the next agent. A removed agent without a call is forgotten; one still in a call stays until the
     * call ends (its session keeps its agent). Signing its desk out of the lobby is the lobby's work.
     */
    public void accountChanged(@Nullable AgentAccount before, @Nullable AgentAccount after) {
        String id = after != null ? after.id() : Objects.requireNonNull(before, "before and after are null").id();
        try (RouterLock.Held held = lock.hold()) {
            Optional<AgentRecord> a = state.agent(id);
            if (after != null && after.enabled()) {
                if (a.isEmpty()) {
                    state.putAgent(AgentRecord.offline(id, after.name(), clock.instant()));
                } else if (!a.get().name().equals(after.name())) {
                    state.putAgent(a.get().named(after.name()));
                }
                return;
            }
            if (a.isEmpty()) {
                return;
            }
            AgentRecord r = a.get().present(false).wantsReady(false);
            state.putAgent(after != null ? r.named(after.name()) : r);
            rings.cancel(id, CancelReason.OFFLINE, true);
            agents.publish(id);
            AgentRecord now = agents.get(id);
            if (after == null && now.calls().isEmpty() && now.ring() == null) {
                state.removeAgent(id);
            }
            settle();
        }
    }

    /** The agent took its lobby seat: it is present, and a new connection hears its state (and a ring). */
    public void seated(String agentId) {
        try (RouterLock.Held held = lock.hold()) {
            state.putAgent(agents.track(agentId, null).seated(true).present(true));
            state.seatTaken(agentId);
            if (!agents.publish(agentId)) {
                events.agentState(agents.get(agentId).view()); // the new connection has not heard the state yet
            }
            Ring r = agents.get(agentId).ring();
            if (r != null) {
                events.incomingCall(r, ringTimeout); // a reconnect while ringing still sees the offer
            }
            settle();
        }
    }

    /** The agent lost its lobby seat here (presence lost): it goes offline and a ring moves on. */
    public void unseated(String agentId) {
        presenceLost(agentId, false);
    }

    /** Presence lost: its seat here closed, or ({@code nodeGone}) the node that held it is gone. */
    void presenceLost(String agentId, boolean nodeGone) {
        try (RouterLock.Held held = lock.hold()) {
            Optional<AgentRecord> a = state.agent(agentId);
            if (a.isEmpty() || !(nodeGone ? state.seatLost(agentId) : state.seatHere(agentId))) {
                return; // its seat moved to another node meanwhile
            }
            state.putAgent(a.get().seated(false).present(false).wantsReady(false));
            rings.cancel(agentId, CancelReason.PRESENCE_LOST, true);
            agents.publish(agentId);
            settle();
        }
    }

    /**
     * The agent accepts the call ringing it: it takes the session (or the transfer), becomes Busy, and is told
     * so. May block on the session store.
     *
     * @param media {@code audio} or {@code video}: how the agent answers (echoed back for its page)
     * @throws SessionException {@link Kind#CONFLICT} if nothing rings it for that session, or the session
     *                          cannot be taken any more (the offer is then withdrawn and routed on)
     */
    public Session accept(String agentId, String sessionId, String media) {
        Ring r;
        try (RouterLock.Held held = lock.hold()) {
            AgentRecord a = state.agent(agentId).orElse(null);
            r = a == null ? null : a.ring();
            if (r == null || !r.sessionId().equals(sessionId)) {
                throw new SessionException(Kind.CONFLICT, "no call of session " + sessionId + " is ringing agent "
                        + agentId + " (it may have timed out or gone to another agent)");
            }
            if (r.accepting()) {
                throw new SessionException(Kind.CONFLICT, "session " + sessionId + " is being accepted already");
            }
            r = r.accepting(true);
            state.putAgent(a.ring(r));
            timers.cancelRing(r.id());
        }
        Session s;
        try {
            s = r.fromAgentId() == null ? sessions.take(sessionId, agentId, r.agentName())
                    : sessions.transfer(sessionId, r.fromAgentId(), agentId, r.agentName());
        } catch (SessionException e) {
            try (RouterLock.Held held = lock.hold()) {
                Ring now = state.agent(agentId).map(AgentRecord::ring).orElse(null);
                if (now != null && now.id() == r.id()) {
                    rings.cancel(agentId, CancelReason.UNAVAILABLE, true);
                    agents.publish(agentId);
                    settle();
                }
            }
            throw e;
        }
        events.incomingAccepted(agentId, s, media, r.transfer());
        return s;
    }

    /** The agent passes on the call ringing it: it goes to the next Ready agent; the agent stays Ready. */
    public void reject(String agentId, String sessionId) {
        try (RouterLock.Held held = lock.hold()) {
            Ring r = state.agent(agentId).map(AgentRecord::ring).orElse(null);
            if (r == null || !r.sessionId().equals(sessionId) || r.accepting()) {
                throw new SessionException(Kind.CONFLICT, "no call of session " + sessionId + " is ringing agent "
                        + agentId);
            }
            rings.cancel(agentId, CancelReason.REJECTED, true);
            agents.publish(agentId);
            settle();
        }
    }

    void onRingTimeout(String agentId, long ringId) {
        try (RouterLock.Held held = lock.hold()) {
            timers.cancelRing(ringId);
            AgentRecord a = state.agent(agentId).orElse(null);
            if (a == null || a.ring() == null || a.ring().id() != ringId || a.ring().accepting()) {
                return; // answered meanwhile
            }
            state.putAgent(a.wantsReady(false)); // it did not answer: not ready until it says so
            rings.cancel(agentId, CancelReason.TIMEOUT, true);
            agents.publish(agentId);
            settle();
        }
    }

    /** In a cluster, every few seconds on each node: takes over what nodes gone left behind ({@link RouterSweep}). */
    public void sweep() {
        try (RouterLock.Held held = lock.hold()) {
            RouterSweep.run(this, state, clock.instant());
        }
    }

    // ---------------------------------------------------------------- call signaling hooks

    @Override
    public boolean transfer(String sessionId, String byUserId, String toAgentId, String toAgentName) {
        Session s = sessions.get(sessionId).orElse(null);
        if (s == null || s.status() != SessionStatus.ACTIVE || !byUserId.equals(s.agentId())
                || toAgentId.equals(byUserId)) {
            return false; // the session manager gives the precise error
        }
        try (RouterLock.Held held = lock.hold()) {
            AgentRecord t = state.agent(toAgentId).orElse(null);
            if (t == null || !t.seated()) {
                return false;
            }
            for (AgentRecord x : state.agents()) {
                if (x.ring() != null && x.ring().sessionId().equals(sessionId)) {
                    throw new SessionException(Kind.CONFLICT, "a transfer of session " + sessionId
                            + " is already ringing agent " + x.id() + "; wait for its answer");
                }
            }
            if (t.state() != AgentState.READY) {
                throw new SessionException(Kind.CONFLICT, "agent " + toAgentId + " is " + t.state().wireName()
                        + " and cannot take a transfer now; try another agent or later");
            }
            Ring r = rings.ring(toAgentId, sessionId, byUserId, false);
            events.transferRinging(byUserId, r, ringTimeout);
            return true;
        }
    }

    @Override
    public void partyJoined(String sessionId, String userId) {
        try (RouterLock.Held held = lock.hold()) {
            Optional<QueuedCall> q = state.queued(sessionId);
            if (q.isPresent() && q.get().customerId().equals(userId)) {
                state.putQueued(q.get().untold()); // tell the (re)joined customer again
                positions.tell();
            }
        }
    }

    // ---------------------------------------------------------------- session changes

    @Override
    public void onChanged(@Nullable Session before, Session after) {
        String sid = after.id();
        try (RouterLock.Held held = lock.hold()) {
            if (before == null) {
                if (autoAssign && after.status() == SessionStatus.WAITING && after.agentId() == null) {
                    state.putQueued(QueuedCall.waiting(sid, after.customerId(), clock.instant()));
                    settle();
                }
                return;
            }
            if (after.isEnded()) {
                if (!before.isEnded()) {
                    rings.leaveQueue(sid, CancelReason.ENDED, null);
                    rings.cancelTransfers(sid, null, CancelReason.ENDED);
                    if (before.agentId() != null) {
                        agents.endCall(before.agentId(), sid);
                        if (after.acceptedAt() != null) {
                            positions.callHandled(after.durationSeconds(after.endedAt()));
                        }
                    }
                    settle();
                }
                return;
            }
            if (after.status() == SessionStatus.WAITING) {
                if (after.agentId() != null && state.queued(sid).isPresent()) {
                    rings.leaveQueue(sid, CancelReason.ASSIGNED, null); // assigned by hand: no routing any more
                    settle();
                }
                return;
            }
            String agentId = after.agentId();
            if (agentId == null || (before.status() == SessionStatus.ACTIVE && agentId.equals(before.agentId()))) {
                return; // hold or resume: nothing for the router
            }
            rings.leaveQueue(sid, CancelReason.TAKEN, agentId);
            rings.cancelTransfers(sid, agentId, CancelReason.TAKEN);
            if (before.agentId() != null && !before.agentId().equals(agentId)) {
                agents.endCall(before.agentId(), sid); // transferred away
            }
            AgentRecord a = agents.track(agentId, after.agentName());
            if (a.ring() != null && a.ring().sessionId().equals(sid)) {
                rings.clear(agentId); // accepted
            }
            state.putAgent(agents.get(agentId).withCall(sid));
            agents.publish(agentId);
            settle();
        }
    }

    // ---------------------------------------------------------------- internals (under the lock)

    /** After any change: offer what waits, then tell the queue where it stands. */
    private void settle() {
        if (autoAssign) {
            rings.dispatch();
        }
        positions.tell();
    }

    void onWrapUpOver(String agentId, Instant until) {
        try (RouterLock.Held held = lock.hold()) {
            AgentRecord a = state.agent(agentId).orElse(null);
            if (a == null || !until.equals(a.wrapUntil())) {
                return;
            }
            state.putAgent(agents.endWrapUp(a));
            agents.publish(agentId);
            settle();
        }
    }
}
