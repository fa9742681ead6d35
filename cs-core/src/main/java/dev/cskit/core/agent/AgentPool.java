/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.AgentAccount;
import dev.cskit.api.CsConfig;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.room.JoinDecision;
import dev.cskit.api.room.JoinRequest;
import dev.cskit.api.room.LeaveReason;
import dev.cskit.api.room.Participant;
import dev.cskit.api.room.RoomCallbacks;
import dev.cskit.api.room.RoomError;
import dev.cskit.api.room.RoomMessage;
import dev.cskit.api.room.RoomService;
import dev.cskit.api.room.RoomType;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStatus;
import dev.cskit.core.auth.AgentDirectory;
import dev.cskit.core.auth.TokenPrincipal;
import dev.cskit.core.auth.TokenService;
import dev.cskit.core.auth.TokenVerification;
import dev.cskit.core.json.SessionJson;
import dev.cskit.core.session.SessionException;
import dev.cskit.core.session.SessionException.Kind;
import dev.cskit.core.session.SessionListener;
import dev.cskit.core.session.SessionManager;
import dev.cskit.core.signal.CallRouter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent pool: agent presence and state ({@link AgentState}), routing of waiting sessions to Ready agents
 * with ringing, the FIFO visitor queue, and transfers that ring their target first.
 *
 * <p><b>Presence:</b> an agent checks in by taking the one seat of its lobby room {@code agent/{agent_id}}
 * (room type {@link #AGENT_ROOM}, {@code ?type=cs_agent}, joined with its login token) or through
 * {@link #setStatus}. Losing the lobby seat (leave, socket closed, heartbeat) is presence lost: the agent
 * goes {@code Offline} and a call ringing it goes to the next agent. Lobby actions: {@code agent_ready},
 * {@code agent_not_ready}, {@code accept_incoming {session_id, media}}, {@code reject_incoming {session_id}};
 * the lobby is sent {@code agent_state}, {@code incoming_call}, {@code incoming_cancelled},
 * {@code incoming_accepted} and {@code error}.
 *
 * <p><b>Routing</b> (only with {@code auto_assign}): a new {@code Waiting} session without an agent joins the
 * queue; the oldest queued session not ringing anybody is offered to the Ready agent idle the longest (idle
 * since its last call, or since it became Ready), skipping agents who declined that session. The agent is
 * sent {@code incoming_call} and has {@code ring_timeout} to answer: accepting takes the session
 * ({@link SessionManager#take}: Active with that agent, the customer gets {@code call_accepted}); rejecting
 * offers it to the next Ready agent; a timeout does too and sets the silent agent not ready
 * ({@code Online}). After a call the agent is Ready again, after {@code wrap_up} if set. A session assigned
 * by hand leaves the queue; its agent is Busy while the call is Active, whoever assigned it.
 *
 * <p><b>Queue:</b> every queued customer seated in its call room is sent {@code queue_position
 * {position, estimated_wait}} whenever either changes, and again when it (re)joins. {@code estimated_wait}
 * (seconds) = ⌈(position − Ready or ringing agents) × mean handling time of the last {@value #HANDLING_SAMPLES} calls
 * / agents checked in⌉, at least 0; the mean is 180 s before any call has ended.
 *
 * <p><b>Transfer:</b> an agent's {@code transfer_call} to an agent seated in its lobby rings that agent
 * (it must be Ready); on accept the session moves to it ({@link SessionManager#transfer}), on reject or
 * timeout the transferring agent gets {@code transfer_failed} and keeps the call. A transfer to an agent
 * not in its lobby happens at once, as without the pool.
 *
 * <p><b>Threading:</b> thread-safe. One monitor guards the pool; under it the pool only sends frames
 * ({@link RoomService#sendTo}, which never blocks) and schedules timers, and never calls into
 * {@link SessionManager} mutations, so the lock order is always session lock → pool lock (the session
 * listener runs under the session lock). Lobby actions that change sessions run on the host scheduler,
 * serially per agent. Timers (ring timeout, wrap-up) run on the host scheduler and read the host clock.
 */
public final class AgentPool implements RoomCallbacks, SessionListener, CallRouter {

    private static final Logger LOG = LoggerFactory.getLogger(AgentPool.class);

    /** The agents' lobby rooms: {@code agent/{agent_id}}, one seat, WebSocket {@code ?type=cs_agent}. */
    public static final RoomType AGENT_ROOM = new RoomType("cs_agent", 1, "agent/");
    /** How many recent handling times the wait estimate averages. */
    public static final int HANDLING_SAMPLES = 20;
    /** The handling time assumed before any call has ended. */
    public static final Duration DEFAULT_HANDLING = Duration.ofMinutes(3);

    private static final RoomType CALL_ROOM = RoomType.CUSTOMER_SERVICE;

    /**
     * An agent as the pool sees it.
     *
     * @param id             the agent id
     * @param name           its display name
     * @param state          where it is
     * @param present        whether it is checked in (lobby seat or status)
     * @param ringingSession the session ringing it, or {@code null}
     * @param calls          the sessions it is in (Active)
     * @param idleSince      when it last became free (routing offers calls to the longest idle first)
     * @param stateSince     when it entered its current state
     * @param wrapUntil      when its after-call work ends, or {@code null}
     */
    public record AgentView(String id, String name, AgentState state, boolean present, @Nullable String ringingSession,
                            List<String> calls, Instant idleSince, Instant stateSince, @Nullable Instant wrapUntil) {
    }

    /**
     * A waiting customer in the queue.
     *
     * @param sessionId     the session
     * @param customerId    its customer
     * @param position      1 for the next to be served
     * @param estimatedWait the estimated wait, in seconds
     * @param waitingSince  when it joined the queue
     * @param ringingAgent  the agent it is being offered to, or {@code null}
     */
    public record QueueEntry(String sessionId, String customerId, int position, long estimatedWait,
                             Instant waitingSince, @Nullable String ringingAgent) {
    }

    private static final class Agent {
        final String id;
        String name;
        boolean present;
        boolean seated;
        boolean wantsReady;
        @Nullable Ring ring;
        final Set<String> calls = new LinkedHashSet<>();
        @Nullable Instant wrapUntil;
        @Nullable ScheduledFuture<?> wrapTimer;
        Instant idleSince;
        Instant stateSince;
        AgentState lastState = AgentState.OFFLINE;

        Agent(String id, String name, Instant now) {
            this.id = id;
            this.name = name;
            this.idleSince = now;
            this.stateSince = now;
        }

        AgentState state() {
            if (ring != null) {
                return AgentState.RINGING;
            }
            if (!calls.isEmpty()) {
                return AgentState.BUSY;
            }
            if (!present) {
                return AgentState.OFFLINE;
            }
            if (wrapUntil != null) {
                return AgentState.WRAP_UP;
            }
            return wantsReady ? AgentState.READY : AgentState.ONLINE;
        }
    }

    /** One offer of a session to one agent. */
    private static final class Ring {
        final long id;
        final String sessionId;
        final String agentId;
        final @Nullable String fromAgentId;
        final String agentName;
        final Instant expiresAt;
        @Nullable ScheduledFuture<?> timer;
        boolean accepting;

        Ring(long id, String sessionId, String agentId, @Nullable String fromAgentId, String agentName,
             Instant expiresAt) {
            this.id = id;
            this.sessionId = sessionId;
            this.agentId = agentId;
            this.fromAgentId = fromAgentId;
            this.agentName = agentName;
            this.expiresAt = expiresAt;
        }
    }

    private static final class Queued {
        final String sessionId;
        final String customerId;
        final Instant since;
        final Set<String> declined = new HashSet<>();
        @Nullable Ring ring;
        int sentPosition;
        long sentWait = -1;

        Queued(String sessionId, String customerId, Instant since) {
            this.sessionId = sessionId;
            this.customerId = customerId;
            this.since = since;
        }
    }

    private final RoomService rooms;
    private final SessionManager sessions;
    private final TokenService tokens;
    private final AgentDirectory directory;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final boolean autoAssign;
    private final Duration ringTimeout;
    private final Duration wrapUp;

    private final Object lock = new Object();
    private final Map<String, Agent> agents = new LinkedHashMap<>();
    private final LinkedHashMap<String, Queued> queue = new LinkedHashMap<>();
    private final ArrayDeque<Long> handling = new ArrayDeque<>();
    private long ringSeq;

    /**
     * @param config    {@code auto_assign}, {@code ring_timeout}, {@code wrap_up}
     * @param scheduler the host's scheduler: timers and lobby actions
     * @param clock     the host's clock (idle times, ring deadlines, wrap-up)
     */
    public AgentPool(RoomService rooms, SessionManager sessions, TokenService tokens, AgentDirectory directory,
                     CsConfig config, ScheduledExecutorService scheduler, Clock clock) {
        this.rooms = Objects.requireNonNull(rooms, "rooms");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.autoAssign = config.autoAssign();
        this.ringTimeout = config.ringTimeout();
        this.wrapUp = config.wrapUp();
        Instant now = clock.instant();
        for (AgentAccount a : directory.all()) {
            agents.put(a.id(), new Agent(a.id(), a.name(), now));
        }
    }

    /**
     * Takes in the sessions the manager holds (after {@link SessionManager#restore}): Active ones make their
     * agent Busy; with {@code auto_assign}, Waiting ones without an agent join the queue, oldest first.
     */
    public void restore() {
        List<Session> all = new ArrayList<>(sessions.all());
        all.sort(Comparator.comparing(Session::createdAt).thenComparing(Session::id));
        synchronized (lock) {
            for (Session s : all) {
                if (s.status() == SessionStatus.ACTIVE && s.agentId() != null) {
                    track(s.agentId(), s.agentName()).calls.add(s.id());
                } else if (autoAssign && s.status() == SessionStatus.WAITING && s.agentId() == null) {
                    queue.put(s.id(), new Queued(s.id(), s.customerId(), clock.instant()));
                }
            }
            dispatch();
            updatePositions();
        }
    }

    public boolean autoAssign() {
        return autoAssign;
    }

    public Duration ringTimeout() {
        return ringTimeout;
    }

    // ---------------------------------------------------------------- reads

    /** Every agent known: the configured ones first, then any other agent a session was assigned to. */
    public List<AgentView> agents() {
        synchronized (lock) {
            List<AgentView> out = new ArrayList<>(agents.size());
            for (Agent a : agents.values()) {
                out.add(view(a));
            }
            return out;
        }
    }

    public Optional<AgentView> agent(String agentId) {
        synchronized (lock) {
            Agent a = agents.get(agentId);
            return a == null ? Optional.empty() : Optional.of(view(a));
        }
    }

    /** The visitor queue, next to be served first. */
    public List<QueueEntry> queue() {
        synchronized (lock) {
            List<QueueEntry> out = new ArrayList<>(queue.size());
            int pos = 0;
            for (Queued q : queue.values()) {
                pos++;
                out.add(new QueueEntry(q.sessionId, q.customerId, pos, estimate(pos), q.since,
                        q.ring == null ? null : q.ring.agentId));
            }
            return out;
        }
    }

    private static AgentView view(Agent a) {
        return new AgentView(a.id, a.name, a.state(), a.present, a.ring == null ? null : a.ring.sessionId,
                List.copyOf(a.calls), a.idleSince, a.stateSince, a.wrapUntil);
    }

    // ---------------------------------------------------------------- status changes

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
        if (directory.find(agentId).isEmpty()) {
            throw new SessionException(Kind.NOT_FOUND, "no agent " + agentId
                    + " is configured (customer_service.agents)");
        }
        synchronized (lock) {
            Agent a = track(agentId, null);
            switch (status) {
                case "online", "not_ready" -> {
                    a.present = true;
                    a.wantsReady = false;
                    cancelRing(a, "not_ready", true);
                }
                case "ready" -> {
                    a.present = true;
                    boolean wasReady = a.state() == AgentState.READY;
                    a.wantsReady = true;
                    if (a.wrapUntil != null) {
                        endWrapUp(a);
                    }
                    if (!wasReady && a.calls.isEmpty() && a.ring == null) {
                        a.idleSince = clock.instant();
                    }
                    for (Queued q : queue.values()) {
                        q.declined.remove(agentId); // ready again: offer it what it passed on before
                    }
                }
                case "offline" -> {
                    a.present = false;
                    a.wantsReady = false;
                    cancelRing(a, "offline", true);
                }
                default -> throw new SessionException(Kind.INVALID, "status must be online, ready, not_ready or offline,"
                        + " was '" + status + "'");
            }
            publish(a);
            dispatch();
            updatePositions();
            return view(a);
        }
    }

    // ---------------------------------------------------------------- lobby room callbacks

    @Override
    public JoinDecision onJoin(JoinRequest request) {
        if (!AGENT_ROOM.owns(request.roomId())) {
            return JoinDecision.refuse("not_found", "an agent lobby room id is agent/{agent_id}");
        }
        String agentId = AGENT_ROOM.keyOf(request.roomId());
        if (!agentId.equals(request.userId())) {
            return JoinDecision.refuse("forbidden", "join agent/" + agentId + " with user_id " + agentId);
        }
        Optional<AgentAccount> account = directory.find(agentId);
        if (account.isEmpty()) {
            return JoinDecision.refuse("not_found", "no agent " + agentId + " is configured");
        }
        if (request.token() == null || request.token().isBlank()) {
            return JoinDecision.refuse("unauthorized", "the lobby needs the agent's login token "
                    + "(POST /customer-service/agents/login)");
        }
        TokenVerification v = tokens.verify(request.token());
        if (v instanceof TokenVerification.Invalid bad) {
            return JoinDecision.refuse("unauthorized", bad.message());
        }
        TokenPrincipal p = ((TokenVerification.Valid) v).value();
        if (!(p instanceof TokenPrincipal.Agent a) || !a.agentId().equals(agentId)) {
            return JoinDecision.refuse("forbidden", "only " + agentId + "'s login token opens its lobby");
        }
        return JoinDecision.accept(account.get().name(), "agent");
    }

    @Override
    public void onJoined(String roomId, Participant participant) {
        if (!AGENT_ROOM.owns(roomId)) {
            return;
        }
        synchronized (lock) {
            Agent a = track(participant.userId(), null);
            a.seated = true;
            a.present = true;
            if (!publish(a)) {
                sendState(a); // the new connection has not heard the state yet
            }
            if (a.ring != null) {
                sendIncoming(a, a.ring); // a reconnect while ringing still sees the offer
            }
            dispatch();
            updatePositions();
        }
    }

    @Override
    public void onLeave(String roomId, String userId, LeaveReason reason) {
        if (!AGENT_ROOM.owns(roomId)) {
            return;
        }
        synchronized (lock) {
            Agent a = agents.get(userId);
            if (a == null) {
                return;
            }
            a.seated = false;
            a.present = false;
            a.wantsReady = false;
            cancelRing(a, "presence_lost", true);
            publish(a);
            LOG.debug("agent {} lost presence ({})", userId, reason);
            dispatch();
            updatePositions();
        }
    }

    /** Applies one lobby action; runs on the host's room thread and may block on the session store. */
    @Override
    public void onMessage(RoomMessage m) {
        String agentId = m.userId();
        Optional<String> sid = m.field("session_id");
        try {
            switch (m.action()) {
                case "agent_ready" -> setStatus(agentId, "ready");
                case "agent_not_ready" -> setStatus(agentId, "not_ready");
                case "accept_incoming", "reject_incoming" -> {
                    if (sid.isEmpty()) {
                        sendLobby(agentId, error("bad_request", m.action() + " needs session_id, a string"));
                    } else if (m.action().equals("accept_incoming")) {
                        accept(agentId, sid.get(), m.field("media").filter("audio"::equals).orElse("video"));
                    } else {
                        reject(agentId, sid.get());
                    }
                }
                default -> sendLobby(agentId, error("unknown_action", "unknown action '" + m.action()
                        + "'; use agent_ready, agent_not_ready, accept_incoming or reject_incoming"));
            }
        } catch (SessionException e) {
            sendLobby(agentId, error(e.kind().code(), e.getMessage()));
        }
    }

    /**
     * The agent accepts the call ringing it: it takes the session (or the transfer), becomes Busy, and is
     * sent {@code incoming_accepted}. May block on the session store.
     *
     * @param media {@code audio} or {@code video}: how the agent answers (echoed back for its page)
     * @throws SessionException {@link Kind#CONFLICT} if nothing rings it for that session, or the session
     *                          cannot be taken any more (the offer is then withdrawn and routed on)
     */
    public Session accept(String agentId, String sessionId, String media) {
        Ring r;
        synchronized (lock) {
            Agent a = agents.get(agentId);
            r = a == null ? null : a.ring;
            if (r == null || !r.sessionId.equals(sessionId)) {
                throw new SessionException(Kind.CONFLICT, "no call of session " + sessionId + " is ringing agent "
                        + agentId + " (it may have timed out or gone to another agent)");
            }
            if (r.accepting) {
                throw new SessionException(Kind.CONFLICT, "session " + sessionId + " is being accepted already");
            }
            r.accepting = true;
            if (r.timer != null) {
                r.timer.cancel(false);
            }
        }
        Session s;
        try {
            s = r.fromAgentId == null ? sessions.take(sessionId, agentId, r.agentName)
                    : sessions.transfer(sessionId, r.fromAgentId, agentId, r.agentName);
        } catch (SessionException e) {
            synchronized (lock) {
                Agent a = agents.get(agentId);
                if (a != null && a.ring == r) {
                    cancelRing(a, "unavailable", true);
                    publish(a);
                    dispatch();
                    updatePositions();
                }
            }
            throw e;
        }
        ObjectNode f = SessionJson.MAPPER.createObjectNode();
        f.put("action", "incoming_accepted");
        f.put("session_id", sessionId);
        f.put("room_id", CALL_ROOM.roomId(sessionId));
        f.put("media", media);
        f.put("transfer", r.fromAgentId != null);
        f.set("session", SessionJson.toNode(s, clock.instant()));
        sendLobby(agentId, f.toString());
        return s;
    }

    /** The agent passes on the call ringing it: it goes to the next Ready agent; the agent stays Ready. */
    public void reject(String agentId, String sessionId) {
        synchronized (lock) {
            Agent a = agents.get(agentId);
            if (a == null || a.ring == null || !a.ring.sessionId.equals(sessionId) || a.ring.accepting) {
                throw new SessionException(Kind.CONFLICT, "no call of session " + sessionId + " is ringing agent "
                        + agentId);
            }
            cancelRing(a, "rejected", true);
            publish(a);
            dispatch();
            updatePositions();
        }
    }

    private void onRingTimeout(String agentId, long ringId) {
        synchronized (lock) {
            Agent a = agents.get(agentId);
            if (a == null || a.ring == null || a.ring.id != ringId || a.ring.accepting) {
                return; // answered meanwhile
            }
            a.wantsReady = false; // it did not answer: not ready until it says so
            cancelRing(a, "timeout", true);
            publish(a);
            dispatch();
            updatePositions();
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
        synchronized (lock) {
            Agent t = agents.get(toAgentId);
            if (t == null || !t.seated) {
                return false;
            }
            for (Agent x : agents.values()) {
                if (x.ring != null && x.ring.sessionId.equals(sessionId)) {
                    throw new SessionException(Kind.CONFLICT, "a transfer of session " + sessionId
                            + " is already ringing agent " + x.id + "; wait for its answer");
                }
            }
            if (t.state() != AgentState.READY) {
                throw new SessionException(Kind.CONFLICT, "agent " + toAgentId + " is " + t.state().wireName()
                        + " and cannot take a transfer now; try another agent or later");
            }
            Ring r = ring(t, sessionId, byUserId, null);
            ObjectNode f = SessionJson.MAPPER.createObjectNode();
            f.put("action", "transfer_ringing");
            f.put("room_id", CALL_ROOM.roomId(sessionId));
            f.put("session_id", sessionId);
            f.put("to_agent_id", toAgentId);
            f.put("to_agent_name", t.name);
            f.put("ring_timeout", ringTimeout.toSeconds());
            f.put("expires_at", SessionJson.time(r.expiresAt));
            rooms.sendTo(CALL_ROOM.roomId(sessionId), byUserId, f.toString());
            return true;
        }
    }

    @Override
    public void partyJoined(String sessionId, String userId) {
        synchronized (lock) {
            Queued q = queue.get(sessionId);
            if (q != null && q.customerId.equals(userId)) {
                q.sentPosition = 0; // tell the (re)joined customer again
                updatePositions();
            }
        }
    }

    // ---------------------------------------------------------------- session changes

    @Override
    public void onChanged(@Nullable Session before, Session after) {
        String sid = after.id();
        synchronized (lock) {
            if (before == null) {
                if (autoAssign && after.status() == SessionStatus.WAITING && after.agentId() == null) {
                    queue.put(sid, new Queued(sid, after.customerId(), clock.instant()));
                    dispatch();
                    updatePositions();
                }
                return;
            }
            if (after.isEnded()) {
                if (!before.isEnded()) {
                    leaveQueue(sid, "ended", null);
                    cancelTransferRings(sid, null, "ended");
                    if (before.agentId() != null) {
                        Agent a = agents.get(before.agentId());
                        if (a != null && a.calls.contains(sid)) {
                            endCall(a, sid);
                        }
                        if (after.acceptedAt() != null) {
                            handling.addLast(after.durationSeconds(after.endedAt()));
                            while (handling.size() > HANDLING_SAMPLES) {
                                handling.removeFirst();
                            }
                        }
                    }
                    dispatch();
                    updatePositions();
                }
                return;
            }
            if (after.status() == SessionStatus.WAITING) {
                if (after.agentId() != null && queue.containsKey(sid)) {
                    leaveQueue(sid, "assigned", null); // assigned by hand: no routing any more
                    dispatch();
                    updatePositions();
                }
                return;
            }
            String agentId = after.agentId();
            if (agentId == null || (before.status() == SessionStatus.ACTIVE && agentId.equals(before.agentId()))) {
                return; // hold or resume: nothing for the pool
            }
            leaveQueue(sid, "taken", agentId);
            cancelTransferRings(sid, agentId, "taken");
            if (before.agentId() != null && !before.agentId().equals(agentId)) {
                Agent old = agents.get(before.agentId());
                if (old != null && old.calls.contains(sid)) {
                    endCall(old, sid); // transferred away
                }
            }
            Agent a = track(agentId, after.agentName());
            if (a.ring != null && a.ring.sessionId.equals(sid)) {
                clearRing(a); // accepted
            }
            a.calls.add(sid);
            publish(a);
            dispatch();
            updatePositions();
        }
    }

    // ---------------------------------------------------------------- internals (under the lock)

    private Agent track(String agentId, @Nullable String name) {
        Agent a = agents.get(agentId);
        if (a == null) {
            a = new Agent(agentId, name != null ? name
                    : directory.find(agentId).map(AgentAccount::name).orElse(agentId), clock.instant());
            agents.put(agentId, a);
        }
        return a;
    }

    /** Offers the oldest queued sessions to the longest-idle Ready agents that have not declined them. */
    private void dispatch() {
        if (!autoAssign || queue.isEmpty()) {
            return;
        }
        for (Queued q : queue.values()) {
            if (q.ring != null) {
                continue;
            }
            Agent best = null;
            for (Agent a : agents.values()) {
                if (a.state() == AgentState.READY && !q.declined.contains(a.id) && (best == null
                        || a.idleSince.isBefore(best.idleSince)
                        || (a.idleSince.equals(best.idleSince) && a.id.compareTo(best.id) < 0))) {
                    best = a;
                }
            }
            if (best != null) {
                ring(best, q.sessionId, null, q);
            }
        }
    }

    private Ring ring(Agent a, String sessionId, @Nullable String fromAgentId, @Nullable Queued q) {
        Ring r = new Ring(++ringSeq, sessionId, a.id, fromAgentId, a.name, clock.instant().plus(ringTimeout));
        a.ring = r;
        if (q != null) {
            q.ring = r;
        }
        long ringId = r.id;
        String agentId = a.id;
        r.timer = scheduler.schedule(() -> onRingTimeout(agentId, ringId), ringTimeout.toMillis(), TimeUnit.MILLISECONDS);
        publish(a);
        sendIncoming(a, r);
        return r;
    }

    private void sendIncoming(Agent a, Ring r) {
        ObjectNode f = SessionJson.MAPPER.createObjectNode();
        f.put("action", "incoming_call");
        f.put("session_id", r.sessionId);
        f.put("room_id", CALL_ROOM.roomId(r.sessionId));
        sessions.get(r.sessionId).ifPresent(s -> f.set("session", SessionJson.toNode(s, clock.instant())));
        f.put("ring_timeout", ringTimeout.toSeconds());
        f.put("expires_at", SessionJson.time(r.expiresAt));
        f.put("transfer", r.fromAgentId != null);
        f.put("from_agent_id", r.fromAgentId);
        sendLobby(a.id, f.toString());
    }

    /** Clears an accepted ring: no frame (the lobby gets {@code incoming_accepted}). */
    private void clearRing(Agent a) {
        Ring r = a.ring;
        if (r == null) {
            return;
        }
        a.ring = null;
        if (r.timer != null) {
            r.timer.cancel(false);
        }
        Queued q = queue.get(r.sessionId);
        if (q != null && q.ring == r) {
            q.ring = null;
        }
    }

    /** Withdraws the ring of an agent, if any: the agent gets {@code incoming_cancelled}. */
    private void cancelRing(Agent a, String reason, boolean declined) {
        Ring r = a.ring;
        if (r == null || r.accepting && !reason.equals("unavailable")) {
            return;
        }
        clearRing(a);
        Queued q = queue.get(r.sessionId);
        if (q != null && declined) {
            q.declined.add(a.id);
        }
        ObjectNode f = SessionJson.MAPPER.createObjectNode();
        f.put("action", "incoming_cancelled");
        f.put("session_id", r.sessionId);
        f.put("reason", reason);
        sendLobby(a.id, f.toString());
        if (r.fromAgentId != null && !reason.equals("ended") && !reason.equals("taken")) {
            ObjectNode t = SessionJson.MAPPER.createObjectNode();
            t.put("action", "transfer_failed");
            t.put("room_id", CALL_ROOM.roomId(r.sessionId));
            t.put("session_id", r.sessionId);
            t.put("to_agent_id", a.id);
            t.put("reason", reason);
            t.put("message", "agent " + a.id + " did not take the transfer (" + reason + "); the call stays with you");
            rooms.sendTo(CALL_ROOM.roomId(r.sessionId), r.fromAgentId, t.toString());
        }
    }

    private void cancelTransferRings(String sessionId, @Nullable String exceptAgent, String reason) {
        for (Agent a : agents.values()) {
            Ring r = a.ring;
            if (r != null && r.fromAgentId != null && r.sessionId.equals(sessionId) && !a.id.equals(exceptAgent)) {
                r.accepting = false;
                cancelRing(a, reason, false);
                publish(a);
            }
        }
    }

    /** Removes a session from the queue; a ring for it is withdrawn unless {@code taker} is the agent it rings. */
    private void leaveQueue(String sessionId, String reason, @Nullable String taker) {
        Queued q = queue.remove(sessionId);
        if (q == null || q.ring == null) {
            return;
        }
        Agent a = agents.get(q.ring.agentId);
        if (a != null && a.ring == q.ring && !a.id.equals(taker)) {
            q.ring.accepting = false;
            cancelRing(a, reason, false);
            publish(a);
        }
    }

    private void endCall(Agent a, String sessionId) {
        a.calls.remove(sessionId);
        if (a.calls.isEmpty()) {
            Instant now = clock.instant();
            if (!wrapUp.isZero() && a.present) {
                a.wrapUntil = now.plus(wrapUp);
                String agentId = a.id;
                Instant until = a.wrapUntil;
                a.wrapTimer = scheduler.schedule(() -> onWrapUpOver(agentId, until), wrapUp.toMillis(),
                        TimeUnit.MILLISECONDS);
            } else {
                a.idleSince = now;
            }
        }
        publish(a);
    }

    private void onWrapUpOver(String agentId, Instant until) {
        synchronized (lock) {
            Agent a = agents.get(agentId);
            if (a == null || !until.equals(a.wrapUntil)) {
                return;
            }
            endWrapUp(a);
            publish(a);
            dispatch();
            updatePositions();
        }
    }

    private void endWrapUp(Agent a) {
        if (a.wrapTimer != null) {
            a.wrapTimer.cancel(false);
        }
        a.wrapTimer = null;
        a.wrapUntil = null;
        a.idleSince = clock.instant();
    }

    /** Sends {@code agent_state} to the agent's lobby if its state changed; true if it did. */
    private boolean publish(Agent a) {
        AgentState s = a.state();
        if (s == a.lastState) {
            return false;
        }
        a.stateSince = clock.instant();
        a.lastState = s;
        sendState(a);
        return true;
    }

    private void sendState(Agent a) {
        ObjectNode f = SessionJson.MAPPER.createObjectNode();
        f.put("action", "agent_state");
        f.put("agent_id", a.id);
        f.put("state", a.lastState.wireName());
        f.put("since", SessionJson.time(a.stateSince));
        f.put("ringing_session", a.ring == null ? null : a.ring.sessionId);
        f.put("wrap_up_until", a.wrapUntil == null ? null : SessionJson.time(a.wrapUntil));
        sendLobby(a.id, f.toString());
    }

    /** Tells every queued customer whose position or estimate changed. */
    private void updatePositions() {
        int pos = 0;
        for (Queued q : queue.values()) {
            pos++;
            long wait = estimate(pos);
            if (q.sentPosition != pos || q.sentWait != wait) {
                ObjectNode f = SessionJson.MAPPER.createObjectNode();
                f.put("action", "queue_position");
                f.put("room_id", CALL_ROOM.roomId(q.sessionId));
                f.put("session_id", q.sessionId);
                f.put("position", pos);
                f.put("estimated_wait", wait);
                if (rooms.sendTo(CALL_ROOM.roomId(q.sessionId), q.customerId, f.toString())) {
                    q.sentPosition = pos;
                    q.sentWait = wait;
                }
            }
        }
    }

    private long estimate(int position) {
        int ready = 0;
        int staffed = 0;
        for (Agent a : agents.values()) {
            AgentState s = a.state();
            if (s == AgentState.READY || s == AgentState.RINGING) {
                ready++;
            }
            if (s != AgentState.OFFLINE && s != AgentState.ONLINE) {
                staffed++;
            }
        }
        long ahead = position - ready;
        if (ahead <= 0) {
            return 0;
        }
        double mean;
        if (handling.isEmpty()) {
            mean = DEFAULT_HANDLING.toSeconds();
        } else {
            long sum = 0;
            for (long h : handling) {
                sum += h;
            }
            mean = (double) sum / handling.size();
        }
        return (long) Math.ceil(ahead * mean / Math.max(1, staffed));
    }

    private void sendLobby(String agentId, String json) {
        rooms.sendTo(AGENT_ROOM.roomId(agentId), agentId, json);
    }

    private static String error(String code, String message) {
        return new RoomError(code, message).toJson();
    }
}
