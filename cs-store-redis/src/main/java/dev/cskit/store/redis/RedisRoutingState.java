/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.store.redis;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.room.RoomService;
import dev.cskit.api.room.RoomType;
import dev.cskit.core.agent.AgentRecord;
import dev.cskit.core.agent.QueuedCall;
import dev.cskit.core.agent.Ring;
import dev.cskit.core.agent.RoutingState;
import dev.cskit.core.agent.SharedRouting;
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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
 * (a list), {@code seats} (agent → node), {@code leases} (ring id → node), {@code lock}, {@code node:<id>}.
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
    private volatile boolean closed;

    // The step in progress, read and written only by the thread in it (owner).
    private volatile @Nullable Thread owner;
    private @Nullable String token;
    private final LinkedHashMap<String, AgentRecord> agents = new LinkedHashMap<>();
    private final LinkedHashMap<String, QueuedCall> queue = new LinkedHashMap<>();
    private final List<Long> handling = new ArrayList<>();
    private final List<Long> handlingAdded = new ArrayList<>();
    private final Map<String, String> seats = new HashMap<>();
    private final Map<String, String> leases = new HashMap<>();
    private final Map<String, Boolean> alive = new HashMap<>();
    private final Set<String> agentsChanged = new LinkedHashSet<>();
    private final Set<String> queueChanged = new LinkedHashSet<>();
    private final Set<String> seatsChanged = new LinkedHashSet<>();
    private final Set<String> leasesChanged = new LinkedHashSet<>();

    RedisRoutingState(RedisClient client, String prefix, String nodeId, Duration timeout) {
        this.client = client;
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
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
        heartbeat();
        ticks = scheduler.scheduleAtFixedRate(() -> {
            if (closed || !sweeping.compareAndSet(false, true)) {
                return; // the last one still runs
            }
            try {
                blocking.execute(() -> {
                    try {
                        heartbeat();
                        sweep.run();
                    } catch (RuntimeException e) {
                        LOG.warn("agents' routing: heartbeat or sweep of node {} failed: {}", nodeId, e.getMessage());
                    } finally {
                        sweeping.set(false);
                    }
                });
            } catch (RuntimeException e) { // the executor refused it (stopping)
                sweeping.set(false);
            }
        }, SWEEP_MS, SWEEP_MS, TimeUnit.MILLISECONDS);
    }

    /** Keeps this node alive for the others ({@value #HEARTBEAT_TTL_MS} ms). */
    void heartbeat() {
        redis.set(keys.node(nodeId), Long.toString(System.currentTimeMillis()), SetArgs.Builder.px(HEARTBEAT_TTL_MS));
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
            redis.del(keys.node(nodeId)); // gone: the others take over at once
        } catch (RuntimeException e) {
            LOG.debug("could not clear the heartbeat of node {}: {}", nodeId, e.getMessage());
        }
        connection.close();
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
            redis.del(keys.lock); // best effort; it expires anyway
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
                agents.put(id, RoutingJson.agent(json));
            }
        }
        Map<String, String> q = get(queueJson);
        for (String id : get(queueOrder)) {
            String json = q.get(id);
            if (json != null) {
                queue.put(id, RoutingJson.queued(json));
            }
        }
        for (String s : get(times)) {
            handling.add(Long.parseLong(s));
        }
        seats.putAll(get(seatMap));
        leases.putAll(get(leaseMap));
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
        args.add(Integer.toString(HANDLING_KEEP));
        changes(args, agents, agentsChanged, RoutingJson::agent);
        changes(args, queue, queueChanged, RoutingJson::queued);
        args.add(Integer.toString(handlingAdded.size()));
        handlingAdded.forEach(h -> args.add(Long.toString(h)));
        changes(args, seats, seatsChanged, s -> s);
        changes(args, leases, leasesChanged, s -> s);
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

    /** Adds a section of puts (in the map's order: new records keep it) and one of removals. */
    private static <V> void changes(List<String> args, Map<String, V> now, Set<String> changed,
                                    java.util.function.Function<V, String> json) {
        List<String> put = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (Map.Entry<String, V> e : now.entrySet()) {
            if (changed.contains(e.getKey())) {
                put.add(e.getKey());
                put.add(json.apply(e.getValue()));
            }
        }
        for (String id : changed) {
            if (!now.containsKey(id)) {
                removed.add(id);
            }
        }
        args.add(Integer.toString(put.size() / 2));
        args.addAll(put);
        args.add(Integer.toString(removed.size()));
        args.addAll(removed);
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
        agentsChanged.clear();
        queueChanged.clear();
        seatsChanged.clear();
        leasesChanged.clear();
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
        return List.copyOf(agents.values());
    }

    @Override
    public void putAgent(AgentRecord agent) {
        inStep();
        AgentRecord before = agents.put(agent.id(), agent);
        agentsChanged.add(agent.id());
        if (!agent.seated() && seats.containsKey(agent.id())) {
            seats.remove(agent.id());
            seatsChanged.add(agent.id());
        }
        Ring was = before == null ? null : before.ring();
        Ring is = agent.ring();
        if (was != null && (is == null || is.id() != was.id())) {
            leases.remove(Long.toString(was.id()));
            leasesChanged.add(Long.toString(was.id()));
        }
        if (is != null && (was == null || was.id() != is.id())) {
            leases.put(Long.toString(is.id()), nodeId); // this node set the ring: its timer holds the lease
            leasesChanged.add(Long.toString(is.id()));
        }
    }

    @Override
    public void removeAgent(String agentId) {
        inStep();
        agents.remove(agentId);
        agentsChanged.add(agentId);
    }

    @Override
    public Optional<QueuedCall> queued(String sessionId) {
        inStep();
        return Optional.ofNullable(queue.get(sessionId));
    }

    @Override
    public List<QueuedCall> queue() {
        inStep();
        return List.copyOf(queue.values());
    }

    @Override
    public void putQueued(QueuedCall call) {
        inStep();
        queue.put(call.sessionId(), call);
        queueChanged.add(call.sessionId());
    }

    @Override
    public Optional<QueuedCall> dequeue(String sessionId) {
        inStep();
        QueuedCall q = queue.remove(sessionId);
        if (q != null) {
            queueChanged.add(sessionId);
        }
        return Optional.ofNullable(q);
    }

    @Override
    public void addHandlingTime(long seconds, int keep) {
        inStep();
        handling.add(seconds);
        handlingAdded.add(seconds);
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
        seats.put(agentId, nodeId);
        seatsChanged.add(agentId);
    }

    @Override
    public boolean seatHere(String agentId) {
        inStep();
        String node = seats.get(agentId);
        return node == null || node.equals(nodeId);
    }

    @Override
    public boolean seatLost(String agentId) {
        inStep();
        String node = seats.get(agentId);
        return node != null && !alive(node);
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

    private boolean alive(String node) {
        if (node.equals(nodeId)) {
            return true;
        }
        return alive.computeIfAbsent(node, n -> redis.exists(keys.node(n)) > 0);
    }

    /**
     * The node that holds the agent's lobby seat, or {@code null} if none does: from the step in progress on this
     * thread, else from Redis.
     */
    @Nullable String seatNode(String agentId) {
        if (owner == Thread.currentThread()) {
            return seats.get(agentId);
        }
        return redis.hget(keys.seats, agentId);
    }

    String nodeId() {
        return nodeId;
    }
}
