/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.store.redis;

import dev.cskit.api.Ids;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.room.LeaveReason;
import dev.cskit.api.room.Participant;
import dev.cskit.api.room.RoomBus;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RoomBus} on Redis: the seats of every node in hashes, frames to seats on each node's pub/sub channel.
 * Connect with {@link #newBuilder}.
 *
 * <p><b>Layout</b> (every key starts with the {@linkplain Builder#keyPrefix prefix} and {@code rooms:}, so
 * {@code cskit:rooms:} by default): {@code room:<room id>}, a hash of the room's seats, user id to
 * {@code <node id>\n<participant JSON>}; {@code meta}, a hash of each room with seats to {@code <type>\n<created ms>};
 * {@code node:<node id>}, the node's heartbeat, a key with a TTL. Each node subscribes to {@code node:<node id>:frames}.
 *
 * <p><b>Seats and heartbeats.</b> A seat lives while its node's heartbeat key does: the node renews it every
 * {@linkplain Builder#heartbeat heartbeat} (2 s by default) for {@linkplain Builder#seatTtl the seat TTL} (6 s). A seat
 * whose node's key expired is dropped by the next script that reads the room: a claim (so a user may rejoin at once
 * on another node), or the heartbeat of a node with seats in the room, which looks at those rooms on every beat. So
 * the others learn of a dead node's users ({@code user_left}, reason {@code timed_out}) within TTL + one heartbeat.
 *
 * <p><b>Frames.</b> Every seat change and every frame is one Lua script, run atomically by Redis: a claim checks the
 * live seats against the limit, takes the seat and publishes {@code user_joined}; a frame is published to the channel
 * of each node that holds a seat it names, listing those users. Scripts of one room run one after another in Redis,
 * and each node reads its channel in order: every party sees the room's frames in one order. The scripts run by SHA-1
 * (sent in full when Redis lacks them, e.g. after a restart: then a frame may overtake the one just before it).
 * A payload that is not a message of this bus is dropped and counted ({@link #ignoredMessages()}), and logged once.
 *
 * <p><b>Threads.</b> The bus owns one I/O thread and one computation thread of Lettuce ({@code lettuce-*}); frames
 * reach the {@link Receiver} on its I/O thread, one at a time. Its heartbeat runs on the scheduler given to
 * {@link #start}. Thread-safe.
 */
public final class RedisRoomBus implements RoomBus {

    private static final Logger LOG = LoggerFactory.getLogger(RedisRoomBus.class);

    /** How often a node renews its heartbeat by default. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(2);
    /** How long a node's seats outlive its last heartbeat by default. */
    public static final Duration DEFAULT_SEAT_TTL = Duration.ofSeconds(6);

    private static final LuaScript CLAIM = RoomScripts.load("rooms-claim.lua");
    private static final LuaScript RELEASE = RoomScripts.load("rooms-release.lua");
    private static final LuaScript SEND = RoomScripts.load("rooms-send.lua");
    private static final LuaScript BEAT = RoomScripts.load("rooms-beat.lua");
    private static final LuaScript READ = RoomScripts.load("rooms-read.lua");
    private static final LuaScript RESET = RoomScripts.load("rooms-reset.lua");
    private static final LuaScript RESEAT = RoomScripts.load("rooms-reseat.lua");

    private final String nodeId;
    private final String prefix;
    private final String channel;
    private final Duration heartbeat;
    private final Duration seatTtl;
    private final Duration timeout;
    private final String where;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> async;
    private final StatefulRedisPubSubConnection<String, String> pubSub;
    private final AtomicLong ignored = new AtomicLong();
    private final AtomicBoolean beatFailing = new AtomicBoolean();
    private volatile @Nullable Receiver receiver;
    private volatile @Nullable ScheduledFuture<?> beats;
    private volatile boolean closed;
    private final LapseGrace grace;

    private RedisRoomBus(Builder b, String where, ClientResources resources, RedisClient client,
                         StatefulRedisConnection<String, String> connection,
                         StatefulRedisPubSubConnection<String, String> pubSub) {
        this.nodeId = b.nodeId;
        this.prefix = b.prefix + "rooms:";
        this.channel = prefix + "node:" + nodeId + ":frames";
        this.heartbeat = b.heartbeat;
        this.seatTtl = b.seatTtl;
        this.grace = new LapseGrace(b.seatTtl);
        this.timeout = b.timeout;
        this.where = where;
        this.resources = resources;
        this.client = client;
        this.connection = connection;
        this.async = connection.async();
        this.pubSub = pubSub;
    }

    /** Starts a builder for the Redis at {@code redis} ({@code redis://…} or {@code rediss://…}). */
    public static Builder newBuilder(URI redis) {
        return new Builder(redis);
    }

    /** Configures and connects a {@link RedisRoomBus}; not thread-safe. */
    public static final class Builder {
        private final URI uri;
        private @Nullable String nodeId;
        private String prefix = RedisSessionStore.DEFAULT_PREFIX;
        private Duration heartbeat = DEFAULT_HEARTBEAT;
        private Duration seatTtl = DEFAULT_SEAT_TTL;
        private Duration timeout = RedisSessionStore.DEFAULT_TIMEOUT;

        private Builder(URI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /** This node's id (required), unique in the cluster. */
        public Builder nodeId(String nodeId) {
            this.nodeId = Ids.require("node id", nodeId);
            return this;
        }

        /** What every key starts with (before {@code rooms:}), {@code cskit:} by default, as the session store's. */
        public Builder keyPrefix(String prefix) {
            this.prefix = RedisConnections.keyPrefix(prefix);
            return this;
        }

        /**
         * How often the node renews its heartbeat, and how long its seats outlive the last one; the TTL must be at
         * least two heartbeats. 2 s and 6 s by default.
         */
        public Builder heartbeat(Duration every, Duration seatTtl) {
            if (every.toMillis() < 10 || seatTtl.compareTo(every.multipliedBy(2)) < 0) {
                throw new IllegalArgumentException("the heartbeat must be at least 10 ms and the seat TTL at least two "
                        + "heartbeats, were " + every + " and " + seatTtl);
            }
            this.heartbeat = every;
            this.seatTtl = seatTtl;
            return this;
        }

        /** How long a claim or a read may wait for Redis; 5 s by default. */
        public Builder commandTimeout(Duration timeout) {
            this.timeout = RedisConnections.commandTimeout(timeout);
            return this;
        }

        /**
         * Connects (a command connection and a subscriber connection).
         *
         * @throws IOException if Redis cannot be reached
         */
        public RedisRoomBus connect() throws IOException {
            if (nodeId == null) {
                throw new IllegalStateException("set the node id (nodeId) before connecting");
            }
            RedisURI redisUri = RedisConnections.redisUri(uri, timeout);
            String where = RedisConnections.where(redisUri);
            ClientResources resources = RedisConnections.resources(1);
            RedisClient client = RedisConnections.client(resources, redisUri, timeout);
            try {
                StatefulRedisConnection<String, String> c = client.connect();
                StatefulRedisPubSubConnection<String, String> s = client.connectPubSub();
                return new RedisRoomBus(this, where, resources, client, c, s);
            } catch (RedisException e) {
                RedisConnections.shutdown(client, resources);
                throw new IOException("cannot connect to Redis at " + where + ": " + e.getMessage(), e);
            }
        }
    }

    // ---------------------------------------------------------------- RoomBus

    @Override
    public void start(Receiver receiver, ScheduledExecutorService scheduler) throws IOException {
        if (this.receiver != null) {
            throw new IllegalStateException("the room bus is started already");
        }
        this.receiver = Objects.requireNonNull(receiver, "receiver");
        pubSub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String from, String payload) {
                if (channel.equals(from)) {
                    receive(payload);
                }
            }
        });
        await(pubSub.async().subscribe(channel).toCompletableFuture());
        beat(); // the lease before the first claim
        List<String> stale = strings(await(run(RESET, ScriptOutputType.MULTI)));
        for (int i = 0; i + 1 < stale.size(); i += 2) {
            receiver.expired(stale.get(i), stale.get(i + 1));
        }
        long ms = heartbeat.toMillis();
        beats = scheduler.scheduleWithFixedDelay(this::beatQuietly, ms, ms, TimeUnit.MILLISECONDS);
        LOG.info("rooms shared in Redis at {} as node {}: heartbeat every {} ms, seats live {} ms after it", where,
                nodeId, ms, seatTtl.toMillis());
    }

    @Override
    public Claim claim(String roomId, String typeName, int maxUsers, Participant participant, String announceJson,
                       String replacedJson) throws IOException {
        List<?> r = await(run(CLAIM, ScriptOutputType.MULTI, roomId, participant.userId(),
                RoomBusCodec.seat(nodeId, participant), Integer.toString(maxUsers), typeName,
                Long.toString(Instant.now().toEpochMilli()), announceJson, replacedJson));
        List<String> expired = strings(r.get(1));
        if ("FULL".equals(r.get(0))) {
            return new Claim(false, List.of(), expired);
        }
        return new Claim(true, RoomBusCodec.participants((List<?>) r.get(2)), expired);
    }

    @Override
    public void release(String roomId, String userId, String leftJson) {
        run(RELEASE, ScriptOutputType.INTEGER, roomId, userId, leftJson);
    }

    @Override
    public CompletionStage<Integer> send(String roomId, Audience audience, String json) {
        String mode = audience.only() != null ? "only" : audience.except() != null ? "others" : "all";
        String user = audience.only() != null ? audience.only() : audience.except() != null ? audience.except() : "";
        return count(run(SEND, ScriptOutputType.INTEGER, roomId, mode, user, "d", json, ""));
    }

    @Override
    public CompletionStage<Integer> remove(String roomId, @Nullable String userId, String json, LeaveReason reason) {
        return count(run(SEND, ScriptOutputType.INTEGER, roomId, userId == null ? "all" : "only",
                userId == null ? "" : userId, "x", json, RoomBusCodec.reasonName(reason)));
    }

    @Override
    public Optional<SharedRoom> room(String roomId) throws IOException {
        return read("one", roomId).stream().findFirst();
    }

    @Override
    public List<SharedRoom> rooms(String prefix) throws IOException {
        return read("prefix", prefix);
    }

    /** Stops the heartbeat and the subscription, and ends this node's heartbeat at once: its seats are dead then. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        ScheduledFuture<?> b = beats;
        if (b != null) {
            b.cancel(false);
        }
        try {
            // Commands run in order: once this is done, every release queued before it is done too.
            async.del(prefix + "node:" + nodeId).get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RedisException e) {
            LOG.debug("the room bus could not end its heartbeat on close", e);
        }
        closed = true;
        pubSub.close();
        connection.close();
        RedisConnections.shutdown(client, resources);
    }

    /** Payloads on this node's channel that were not messages of the bus, dropped. */
    public long ignoredMessages() {
        return ignored.get();
    }

    // ---------------------------------------------------------------- internals

    private void receive(String payload) {
        Receiver r = receiver;
        RoomBusCodec.Message m = RoomBusCodec.message(payload);
        if (m == null || r == null) {
            if (ignored.getAndIncrement() == 0) {
                LOG.warn("dropped a payload on {} that is not a room bus message (this is logged once; "
                        + "see ignoredMessages())", channel);
            }
            return;
        }
        try {
            if (m instanceof RoomBusCodec.Deliver d) {
                r.deliver(d.roomId(), d.userIds(), d.json());
            } else if (m instanceof RoomBusCodec.Remove x) {
                x.userIds().forEach(u -> r.remove(x.roomId(), u, x.json(), x.reason()));
            } else if (m instanceof RoomBusCodec.Replaced p) {
                r.replaced(p.roomId(), p.userId(), p.json());
            }
        } catch (RuntimeException e) {
            LOG.error("the room bus's receiver failed on a message for room {}", m.roomId(), e);
        }
    }

    private void beatQuietly() {
        try {
            beat();
            if (beatFailing.compareAndSet(true, false)) {
                LOG.info("the room bus's heartbeat reaches Redis at {} again", where);
            }
        } catch (IOException | RuntimeException e) {
            if (beatFailing.compareAndSet(false, true)) {
                LOG.warn("the room bus's heartbeat cannot reach Redis at {}: {}", where, e.getMessage());
            }
        }
    }

    /** Renews the lease and drops dead nodes' seats of the rooms this node is in; tells the receiver of each. */
    private void beat() throws IOException {
        Receiver r = receiver;
        List<String> args = new ArrayList<>();
        args.add(Long.toString(seatTtl.toMillis()));
        if (r != null && grace.judging()) {
            args.addAll(r.localRooms());
        }
        List<?> answer = await(run(BEAT, ScriptOutputType.MULTI, args.toArray(String[]::new)));
        if (Long.valueOf(0).equals(answer.get(0))) {
            // This node's lease had lapsed (Redis restarted and the TTLs ran out meanwhile, or this node paused): the
            // others were cut off as it was, and reconnect within a backoff; give them a seat TTL to renew theirs.
            grace.lapsed();
        }
        List<String> dropped = strings(answer.get(1));
        for (int i = 0; i + 1 < dropped.size(); i += 2) {
            if (r != null) {
                r.expired(dropped.get(i), dropped.get(i + 1));
            }
        }
        if (Long.valueOf(0).equals(answer.get(0)) && r != null && beats != null) {
            reseat(r.localSeats());
        }
    }

    /** Takes back this node's seats after its lease lapsed, where nobody took them meanwhile. */
    private void reseat(List<LocalSeat> seats) throws IOException {
        if (seats.isEmpty()) {
            return;
        }
        List<String> args = new ArrayList<>();
        String now = Long.toString(Instant.now().toEpochMilli());
        for (LocalSeat s : seats) {
            args.addAll(List.of(s.roomId(), s.participant().userId(), RoomBusCodec.seat(nodeId, s.participant()),
                    s.typeName(), now, s.announceJson()));
        }
        long n = await(this.<Long>run(RESEAT, ScriptOutputType.INTEGER, args.toArray(String[]::new)));
        LOG.warn("the room bus's heartbeat had lapsed: took back {} of this node's {} seats", n, seats.size());
    }

    private List<SharedRoom> read(String mode, String what) throws IOException {
        List<?> flat = await(run(READ, ScriptOutputType.MULTI, mode, what));
        List<SharedRoom> out = new ArrayList<>();
        for (int i = 0; i + 2 < flat.size(); i += 3) {
            String meta = (String) flat.get(i + 1);
            int nl = meta.indexOf('\n');
            if (nl < 0) {
                continue;
            }
            Instant created;
            try {
                created = Instant.ofEpochMilli(Long.parseLong(meta.substring(nl + 1)));
            } catch (NumberFormatException e) {
                continue;
            }
            out.add(new SharedRoom((String) flat.get(i), meta.substring(0, nl), created,
                    RoomBusCodec.participants((List<?>) flat.get(i + 2))));
        }
        return out;
    }

    /** Runs a script with ARGV prefix, node id, then {@code args}; by SHA-1, in full if Redis lacks it. */
    private <T> CompletableFuture<T> run(LuaScript script, ScriptOutputType type, String... args) {
        String[] argv = new String[args.length + 2];
        argv[0] = prefix;
        argv[1] = nodeId;
        System.arraycopy(args, 0, argv, 2, args.length);
        if (closed) {
            return CompletableFuture.failedFuture(new IOException("the room bus is closed"));
        }
        CompletableFuture<T> bySha = async.<T>evalsha(script.sha(), type, new String[0], argv).toCompletableFuture();
        return bySha.exceptionallyCompose(e -> {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                    ? e.getCause() : e;
            return cause instanceof RedisNoScriptException
                    ? async.<T>eval(script.text(), type, new String[0], argv).toCompletableFuture()
                    : CompletableFuture.failedFuture(cause);
        });
    }

    private static CompletionStage<Integer> count(CompletableFuture<Long> n) {
        return n.thenApply(Long::intValue);
    }

    private <T> T await(CompletableFuture<T> f) throws IOException {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for Redis at " + where, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException("Redis at " + where + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new IOException("Redis at " + where + " did not answer within " + timeout.toMillis() + " ms", e);
        }
    }

    private static List<String> strings(Object list) {
        List<String> out = new ArrayList<>();
        if (list instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof String s) {
                    out.add(s);
                }
            }
        }
        return out;
    }
}
