/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.store.redis;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.room.RoomService;
import dev.cskit.api.room.RoomType;
import dev.cskit.core.SharedRouting;
import dev.cskit.core.agent.AgentRecord;
import dev.cskit.core.agent.QueuedCall;
import dev.cskit.core.agent.Ring;
import dev.cskit.core.agent.RoutingState;
import dev.cskit.core.session.SessionException;
import dev.cskit.core.session.SessionException.Kind;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents' routing of a cluster in Redis ({@link SharedRouting}): the agents (presence, state, ring), the FIFO
 * queue, the handling times and the ring ids, which node holds each agent's lobby seat, and each ring's lease (the
 * node that set it, whose timer times it out).
 *
 * <p><b>One step, one lock.</b> Each command of a node's router is one step of the cluster: {@link #begin()} takes the
 * routing lock ({@code SET routing:lock <token> NX PX} {@value #LEASE_MS}, retried until free) and reads the whole
 * state; the router decides on what every node sees (the longest-idle Ready agent, the oldest queued call, whether a
 * ring is still the one it set); {@link #commit()} writes what changed and lets the lock go in one Lua script that
 * first checks the lock is still its own, so a node stalled past its lease writes nothing. One agent is thus never
 * rung for two sessions, nor one session ringing two agents, whichever nodes their sockets are on.
 *
 * <p><b>Nodes gone.</b> Each node refreshes its heartbeat ({@code routing:node:<id>}, {@value #HEARTBEAT_TTL_MS} ms
 * TTL) every second and sweeps ({@link dev.cskit.core.agent.AgentRouter#sweep}): an agent whose seat was on a node
 * whose heartbeat expired loses its presence, and a ring whose lease holder is gone (or late) times out there.
 *
 * <p><b>Lobby frames</b> go through {@link LobbyRelay}: published, under the lock, on the channel of the node that
 * holds the agent's seat, which sends them to the socket, in the order the cluster made them.
 *
 * <p><b>Layout</b> (under {@code <prefix>routing:}): {@code agents} and {@code queue} (hashes of JSON records, see
 * {@link RoutingJson}) with their {@code :order} sorted sets, {@code order-seq}, {@code ring-seq}, {@code handling}
 * (a list), {@code seats} (agent → node run), {@code leases} (ring id → node run), {@code lock}, {@code node:<id>} (the
 * heartbeat, holding the node's current run).
 *
 * <p><b>Threading:</b> the {@link RoutingState} methods are called by one thread at a time, under the router's lock
 * (between {@code begin} and {@code commit}); {@link #seatNode} and the heartbeat from any thread.
 */
final class RedisRoutingState implements RoutingState, SharedRouting, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisRoutingState.class);
    /** How long a step may hold the routing lock before another node may take it. */
    static final long LEASE_MS = 5_000;
    /** How long a node's heartbeat lives unless refreshed. */
    static final long HEARTBEAT_TTL_MS = 5_000;
    /** How often a node refreshes its heartbeat and sweeps. */
    static final long SWEEP_MS = 1_000;
    /** How late the holder of a ring's lease may be before another node times the ring out. */
    static final Duration LEASE_GRACE = Duration.ofSeconds(2);
    private static final LuaScript COMMIT = LuaScript.load("routing-commit.lua");
    private static final int HANDLING_KEEP = dev.cskit.core.agent.AgentRouter.HANDLING_SAMPLES;

    private final String nodeId;
    /** This node's run: {@code <node_id>#<random>}, what its heartbeat holds and its seats and leases name. */
    private final String incarnation;
    private final RoutingKeys keys;
    private final Duration timeout;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisCommands<String, String> redis;
    private final RedisAsyncCommands<String, String> async;
    private final RedisClient client;
    private final AtomicLong tokens = new AtomicLong();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private volatile @Nullable ScheduledFuture<?> ticks;
    private volatile @Nullable LobbyRelay relay;
    private volatile Executor blocking = Runnable::run; // the host's, once started
    private volatile boolean closed;
    private volatile boolean failing;
    private final LapseGrace grace = new LapseGrace(Duration.ofMillis(HEARTBEAT_TTL_MS));

    // The step in progress, read and written only by the thread in it (owner).
    private volatile @Nullable Thread owner;
    private @Nullable String token;
    private final TrackedMap<AgentRecord> agents = new TrackedMap<>(RoutingJson::agent);
    private final TrackedMap<QueuedCall> queue = new TrackedMap<>(RoutingJson::queued);
    private final List<Long> handling = new ArrayList<>();
    private final List<Long> handlingAdded = new ArrayList<>();
    private int handlingKeep = HANDLING_KEEP;
    private final TrackedMap<String> seats = new TrackedMap<>(run -> run);
    private final TrackedMap<String> leases = new TrackedMap<>(run -> run);
    private final Map<String, Boolean> alive = new HashMap<>();

    RedisRoutingState(RedisClient client, String prefix, String nodeId, Duration timeout) {
        this.client = client;
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.incarnation = nodeId + "#" + java.util.UUID.randomUUID();
        this.keys = new RoutingKeys(prefix);
        this.timeout = timeout;
        this.connection = client.connect();
        this.redis = connection.sync();
        this.async = connection.async();
    }

    // ---------------------------------------------------------------- SharedRouting

    @Override
    public RoutingState state() {
        return this;
    }

    @Override
    public synchronized RoomService lobbies(RoomService local, RoomType lobby) {
        if (relay == null) {
            relay = LobbyRelay.subscribe(client, keys, nodeId, local, lobby, this, redis);
        }
        return relay;
    }

    @Override
    public void start(ScheduledExecutorService scheduler, Executor blocking, Runnable sweep) {
        this.blocking = blocking;
        heartbeat();
        ticks = scheduler.scheduleAtFixedRate(() -> {
            if (closed || !sweeping.compareAndSet(false, true)) {
                return; // the last one still runs
            }
            try {
                blocking.execute(() -> {
                    try {
                        if (!heartbeat()) {
                            grace.lapsed();
                        }
                        if (grace.judging()) {
                            sweep.run();
                        }
                        if (failing) {
                            failing = false;
                            LOG.info("agents' routing: node {} reaches Redis again", nodeId);
                        }
                    } catch (RuntimeException e) {
                        if (!failing) { // once per outage, not every second
                            failing = true;
                            LOG.warn("agents' routing: heartbeat or sweep of node {} failed: {}", nodeId,
                                    e.getMessage());
                        }
                    } finally {
                        sweeping.set(false);
                    }
                });
            } catch (RuntimeException e) { // the executor refused it (stopping)
                sweeping.set(false);
            }
        }, SWEEP_MS, SWEEP_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * Keeps this run of the node alive for the others ({@value #HEARTBEAT_TTL_MS} ms). A node restarted under the
     * same id is a new run: the seats and leases of its last run are those of a node gone.
     *
     * @return whether this run's heartbeat was still there. When it had lapsed (Redis restarted and the TTLs ran out
     *     meanwhile, or this node paused), this node sweeps nobody for one TTL: the other nodes, cut off as it was,
     *     get that long to renew theirs before their desks and rings are judged gone.
     */
    boolean heartbeat() {
        return incarnation.equals(redis.setGet(keys.node(nodeId), incarnation, SetArgs.Builder.px(HEARTBEAT_TTL_MS)));
    }

    @Override
    public void close() {
        closed = true;
        ScheduledFuture<?> t = ticks;
        if (t != null) {
            t.cancel(false);
        }
        LobbyRelay r = relay;
        if (r != null) {
            r.close();
        }
        try {
            if (incarnation.equals(redis.get(keys.node(nodeId)))) {
                redis.del(keys.node(nodeId)); // gone: the others take over at once
            }
        } catch (RuntimeException e) {
            LOG.debug("could not clear the heartbeat of node {}: {}", nodeId, e.getMessage());
        }
        connection.close();
    }

    /** The router's timers wait on Redis: they run on the host's blocking executor, not on its scheduler. */
    @Override
    public Executor timerExecutor() {
        return task -> blocking.execute(task);
    }

    // ---------------------------------------------------------------- the step

    @Override
    public void begin() {
        String t = nodeId + ":" + tokens.incrementAndGet() + ":" + System.nanoTime();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2 * LEASE_MS);
        int spins = 0;
        try {
            while (!"OK".equals(redis.set(keys.lock, t, SetArgs.Builder.nx().px(LEASE_MS)))) {
                if (System.nanoTime() > deadline) {
                    throw new SessionException(Kind.UNAVAILABLE, "the agents' routing lock in Redis stayed taken for "
                            + 2 * LEASE_MS + " ms; try again");
                }
                Thread.sleep(Math.min(20, 1 + spins++ / 4)); // short waits first: steps take milliseconds
            }
            load();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(new IllegalStateException("interrupted while waiting for the routing lock", e));
        } catch (RuntimeException e) {
            if (e instanceof SessionException) {
                throw e;
            }
            release(t);
            throw unavailable(e);
        }
        token = t;
        owner = Thread.currentThread();
    }

    private void load() throws InterruptedException {
        RedisFuture<List<String>> agentOrder = async.zrange(keys.agentsOrder, 0, -1);
        RedisFuture<Map<String, String>> agentJson = async.hgetall(keys.agents);
        RedisFuture<List<String>> queueOrder = async.zrange(keys.queueOrder, 0, -1);
        RedisFuture<Map<String, String>> queueJson = async.hgetall(keys.queue);
        RedisFuture<List<String>> times = async.lrange(keys.handling, 0, -1);
        RedisFuture<Map<String, String>> seatMap = async.hgetall(keys.seats);
        RedisFuture<Map<String, String>> leaseMap = async.hgetall(keys.leases);
        clear();
        Map<String, String> a = get(agentJson);
        for (String id : get(agentOrder)) {
            String json = a.get(id);
            if (json != null) {
                agents.load(id, RoutingJson.agent(json));
            }
        }
        Map<String, String> q = get(queueJson);
        for (String id : get(queueOrder)) {
            String json = q.get(id);
            if (json != null) {
                queue.load(id, RoutingJson.queued(json));
            }
        }
        for (String s : get(times)) {
            handling.add(Long.parseLong(s));
        }
        get(seatMap).forEach(seats::load);
        get(leaseMap).forEach(leases::load);
    }

    private <T> T get(RedisFuture<T> f) throws InterruptedException {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Redis: " + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        }
    }

    @Override
    public void commit() {
        List<String> args = new ArrayList<>();
        args.add(Objects.requireNonNull(token, "commit without begin"));
        args.add(Integer.toString(handlingKeep));
        agents.addChanges(args);
        queue.addChanges(args);
        args.add(Integer.toString(handlingAdded.size()));
        handlingAdded.forEach(h -> args.add(Long.toString(h)));
        seats.addChanges(args);
        leases.addChanges(args);
        owner = null;
        token = null;
        clear();
        String answer;
        try {
            answer = run(args);
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
        if (!"STORED".equals(answer)) {
            LOG.error("agents' routing: node {} held the routing lock past its lease ({} ms); the step's changes "
                    + "were not stored", nodeId, LEASE_MS);
        }
    }

    /** Lets the lock go if it is still {@code t}'s, writing nothing (best effort: it expires anyway). */
    private void release(String t) {
        List<String> args = new ArrayList<>(List.of(t, Integer.toString(handlingKeep)));
        for (int section = 0; section < 9; section++) {
            args.add("0");
        }
        try {
            run(args);
        } catch (RuntimeException e) {
            LOG.debug("could not let the routing lock go: {}", e.getMessage());
        }
    }

    private String run(List<String> args) {
        String[] a = args.toArray(String[]::new);
        try {
            return redis.evalsha(COMMIT.sha(), ScriptOutputType.VALUE, keys.commit(), a);
        } catch (RedisNoScriptException e) {
            return redis.eval(COMMIT.text(), ScriptOutputType.VALUE, keys.commit(), a);
        }
    }

    private void clear() {
        agents.clear();
        queue.clear();
        handling.clear();
        handlingAdded.clear();
        seats.clear();
        leases.clear();
        alive.clear();
    }

    private static SessionException unavailable(RuntimeException e) {
        return new SessionException(Kind.UNAVAILABLE, "the agents' routing in Redis did not answer (" + e.getMessage()
                + "); try again later", e);
    }

    private void inStep() {
        if (owner != Thread.currentThread()) {
            throw new IllegalStateException("the routing state is read or changed outside the router's lock");
        }
    }

    // ---------------------------------------------------------------- RoutingState

    @Override
    public Optional<AgentRecord> agent(String agentId) {
        inStep();
        return Optional.ofNullable(agents.get(agentId));
    }

    @Override
    public List<AgentRecord> agents() {
        inStep();
        return agents.values();
    }

    @Override
    public void putAgent(AgentRecord agent) {
        inStep();
        AgentRecord before = agents.put(agent.id(), agent);
        if (!agent.seated()) {
            seats.remove(agent.id());
        }
        Ring was = before == null ? null : before.ring();
        Ring is = agent.ring();
        if (was != null && (is == null || is.id() != was.id())) {
            leases.remove(Long.toString(was.id()));
        }
        if (is != null && (was == null || was.id() != is.id())) {
            leases.put(Long.toString(is.id()), incarnation); // this run set the ring: its timer holds the lease
        }
    }

    @Override
    public void removeAgent(String agentId) {
        inStep();
        agents.remove(agentId);
    }

    @Override
    public Optional<QueuedCall> queued(String sessionId) {
        inStep();
        return Optional.ofNullable(queue.get(sessionId));
    }

    @Override
    public List<QueuedCall> queue() {
        inStep();
        return queue.values();
    }

    @Override
    public void putQueued(QueuedCall call) {
        inStep();
        queue.put(call.sessionId(), call);
    }

    @Override
    public Optional<QueuedCall> dequeue(String sessionId) {
        inStep();
        return Optional.ofNullable(queue.remove(sessionId));
    }

    @Override
    public void addHandlingTime(long seconds, int keep) {
        inStep();
        handling.add(seconds);
        handlingAdded.add(seconds);
        handlingKeep = keep;
        while (handling.size() > keep) {
            handling.remove(0);
        }
    }

    @Override
    public List<Long> handlingTimes() {
        inStep();
        return List.copyOf(handling);
    }

    @Override
    public long nextRingId() {
        try {
            return redis.incr(keys.ringSeq);
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void seatTaken(String agentId) {
        inStep();
        seats.put(agentId, incarnation);
    }

    @Override
    public boolean seatHere(String agentId) {
        inStep();
        String run = seats.get(agentId);
        return run == null || run.equals(incarnation);
    }

    @Override
    public boolean seatLost(String agentId) {
        inStep();
        String run = seats.get(agentId);
        return run != null && !alive(run);
    }

    @Override
    public boolean ringOrphaned(Ring ring, Instant now) {
        inStep();
        if (now.isBefore(ring.expiresAt())) {
            return false;
        }
        String holder = leases.get(Long.toString(ring.id()));
        return holder == null || !alive(holder) || now.isAfter(ring.expiresAt().plus(LEASE_GRACE));
    }

    /** Whether a run of a node is the node's current one (its heartbeat has not expired). */
    private boolean alive(String run) {
        if (run.equals(incarnation)) {
            return true;
        }
        return alive.computeIfAbsent(run, r -> r.equals(redis.get(keys.node(nodeOf(r)))));
    }

    private static String nodeOf(String run) {
        int hash = run.indexOf('#');
        return hash < 0 ? run : run.substring(0, hash);
    }

    /**
     * The node that holds the agent's lobby seat, or {@code null} if none does: from the step in progress on this
     * thread, else from Redis.
     */
    @Nullable String seatNode(String agentId) {
        String run = owner == Thread.currentThread() ? seats.get(agentId) : redis.hget(keys.seats, agentId);
        return run == null ? null : nodeOf(run);
    }
}
