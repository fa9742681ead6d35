/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.store.redis;

import dev.cskit.api.Ids;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.core.cluster.NodeInfo;
import dev.cskit.core.cluster.NodeRegistry;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link NodeRegistry} of a cluster on Redis. Connect with {@link #connect}.
 *
 * <p><b>Layout</b> (every key starts with the prefix, {@code cskit:} by default, as {@link RedisSessionStore}'s):
 * <ul>
 *   <li>{@code nodes}: a sorted set of node ids scored by their last heartbeat (epoch ms), to list them;</li>
 *   <li>{@code nodes:<node_id>}: a hash ({@code url}, {@code calls}, {@code peers}, {@code draining},
 *       {@code started}, {@code last_seen}) that each heartbeat writes and gives the {@linkplain #ttl() TTL}; a node
 *       is live while it exists, so a node killed leaves the list within the TTL;</li>
 *   <li>{@code media:home:<session_id>}: the node id of the session's media home, kept {@value #HOME_TTL_HOURS} h
 *       from its last claim;</li>
 *   <li>{@code media:resource:<resource_id>}: the node id holding a WHIP/WHEP resource, kept
 *       {@value #HOME_TTL_HOURS} h;</li>
 *   <li>the pub/sub channel {@code node:<node_id>:media-changes}: what {@link #send} sends the node.</li>
 * </ul>
 * The heartbeat, the claim of a home and a drain are each one Lua script (atomic).
 *
 * <p><b>Connection:</b> one Lettuce connection of its own (and one more to subscribe, once {@link #listen} is called) (one I/O and one computation thread, {@code lettuce-*}),
 * reconnecting with a backoff up to 2 s; a command waits at most the command timeout, then fails with an
 * {@link IOException}. <b>Threading:</b> thread-safe; every method blocks on the network.
 */
public final class RedisNodeRegistry implements NodeRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(RedisNodeRegistry.class);
    /** The default time a heartbeat keeps a node live: 4 missed heartbeats of 2 s. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(8);
    static final long HOME_TTL_HOURS = 24;
    private static final long HOME_TTL_MS = TimeUnit.HOURS.toMillis(HOME_TTL_HOURS);

    private static final LuaScript HEARTBEAT = LuaScript.load("node_heartbeat.lua");
    private static final LuaScript HOME = LuaScript.load("node_home.lua");
    private static final LuaScript DRAIN = LuaScript.load("node_drain.lua");

    private final String prefix;
    private final Duration ttl;
    private final Clock clock;
    private final String where;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisCommands<String, String> redis;
    private volatile boolean closed;
    private volatile @Nullable StatefulRedisPubSubConnection<String, String> subscriber;

    private RedisNodeRegistry(String prefix, Duration ttl, Clock clock, String where, ClientResources resources,
                              RedisClient client, StatefulRedisConnection<String, String> connection) {
        this.prefix = prefix;
        this.ttl = ttl;
        this.clock = clock;
        this.where = where;
        this.resources = resources;
        this.client = client;
        this.connection = connection;
        this.redis = connection.sync();
    }

    /**
     * Connects to the Redis at {@code redis} ({@code redis://…} as {@link RedisSessionStore#newBuilder}).
     *
     * @param prefix  the key prefix ({@link RedisSessionStore#DEFAULT_PREFIX} to share the store's)
     * @param ttl     how long a heartbeat keeps a node live (at least 2 heartbeats, {@link #DEFAULT_TTL} normally)
     * @param timeout how long a command may take
     * @throws IOException if Redis cannot be reached
     */
    public static RedisNodeRegistry connect(URI redis, String prefix, Duration ttl, Duration timeout, Clock clock)
            throws IOException {
        Objects.requireNonNull(redis, "redis");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(clock, "clock");
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the TTL must be at least 1 s and the timeout positive, were " + ttl
                    + " and " + timeout);
        }
        RedisURI uri = RedisConnections.redisUri(redis, timeout);
        String where = RedisConnections.where(uri);
        ClientResources resources = RedisConnections.resources(1);
        RedisClient client = RedisConnections.client(resources, uri, timeout);
        try {
            StatefulRedisConnection<String, String> c = client.connect();
            LOG.info("node registry: Redis at {}, keys {}nodes*, TTL {} s", where, prefix, ttl.toSeconds());
            return new RedisNodeRegistry(prefix, ttl, clock, where, resources, client, c);
        } catch (RedisException e) {
            RedisConnections.shutdown(client, resources);
            throw new IOException("cannot connect to Redis at " + where + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Duration ttl() {
        return ttl;
    }

    private String nodes() {
        return prefix + "nodes";
    }

    private String node(String id) {
        return prefix + "nodes:" + id;
    }

    private String homeKey(String sessionId) {
        return prefix + "media:home:" + sessionId;
    }

    private String resource(String id) {
        return prefix + "media:resource:" + id;
    }

    @Override
    public boolean heartbeat(NodeInfo self) throws IOException {
        List<String> args = new ArrayList<>(List.of(Long.toString(ttl.toMillis()),
                Long.toString(clock.millis()), self.nodeId(), self.draining() ? "1" : "0",
                "url", self.url() == null ? "" : self.url().toString(),
                "calls", Long.toString(self.calls()), "peers", Integer.toString(self.peers()),
                "started", Long.toString(self.started().toEpochMilli()),
                "last_seen", Long.toString(self.lastSeen().toEpochMilli())));
        return "1".equals(run(HEARTBEAT, new String[] {node(self.nodeId()), nodes()}, args));
    }

    @Override
    public List<NodeInfo> live() throws IOException {
        List<String> ids = call(() -> redis.zrange(nodes(), 0, -1));
        List<NodeInfo> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            Map<String, String> h = call(() -> redis.hgetall(node(id)));
            if (h.isEmpty()) {
                call(() -> redis.zrem(nodes(), id)); // expired: it missed its heartbeats
                continue;
            }
            NodeInfo n = parse(id, h);
            if (n != null) {
                out.add(n);
            }
        }
        return out;
    }

    private static NodeInfo parse(String id, Map<String, String> h) {
        try {
            String url = h.getOrDefault("url", "");
            return new NodeInfo(id, url.isEmpty() ? null : URI.create(url), Long.parseLong(h.getOrDefault("calls", "0")),
                    Integer.parseInt(h.getOrDefault("peers", "0")), "1".equals(h.get("draining")),
                    Instant.ofEpochMilli(Long.parseLong(h.getOrDefault("started", "0"))),
                    Instant.ofEpochMilli(Long.parseLong(h.getOrDefault("last_seen", "0"))));
        } catch (IllegalArgumentException e) {
            LOG.warn("node registry: the entry of node {} is unreadable ({}); skipped", id, e.getMessage());
            return null;
        }
    }

    @Override
    public String claimHome(String sessionId, String candidate) throws IOException {
        Ids.require("session id", sessionId);
        Ids.require("node id", candidate);
        return run(HOME, new String[] {homeKey(sessionId)},
                List.of(prefix + "nodes:", candidate, Long.toString(HOME_TTL_MS)));
    }

    @Override
    public Optional<String> home(String sessionId) throws IOException {
        return Optional.ofNullable(call(() -> redis.get(homeKey(sessionId))));
    }

    @Override
    public void placeResource(String resourceId, String nodeId) throws IOException {
        call(() -> redis.set(resource(resourceId), nodeId, SetArgs.Builder.px(HOME_TTL_MS)));
    }

    @Override
    public Optional<String> resourceNode(String resourceId) throws IOException {
        return Optional.ofNullable(call(() -> redis.get(resource(resourceId))));
    }

    @Override
    public boolean drain(String nodeId) throws IOException {
        return "1".equals(run(DRAIN, new String[] {node(nodeId)}, List.of()));
    }

    private String channel(String nodeId) {
        return prefix + "node:" + nodeId + ":media-changes";
    }

    @Override
    public void send(String nodeId, String message) throws IOException {
        call(() -> redis.publish(channel(nodeId), message));
    }

    /** Subscribes on a second connection (Lettuce subscribes again after a reconnect by itself). */
    @Override
    public synchronized void listen(String selfId, Consumer<String> receiver) throws IOException {
        Objects.requireNonNull(receiver, "receiver");
        if (subscriber != null) {
            throw new IllegalStateException("this registry listens already");
        }
        String mine = channel(selfId);
        try {
            StatefulRedisPubSubConnection<String, String> c = client.connectPubSub();
            c.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    if (mine.equals(channel)) {
                        receiver.accept(message);
                    }
                }
            });
            c.sync().subscribe(mine);
            subscriber = c;
        } catch (RedisException e) {
            throw new IOException("cannot subscribe to " + mine + " at Redis " + where + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void leave(String nodeId) throws IOException {
        call(() -> redis.del(node(nodeId)));
        call(() -> redis.zrem(nodes(), nodeId));
    }

    /** Runs a script by its SHA-1, sending its text when Redis does not have it yet. */
    private String run(LuaScript script, String[] keys, List<String> args) throws IOException {
        String[] a = args.toArray(String[]::new);
        return call(() -> {
            try {
                return redis.<String>evalsha(script.sha(), ScriptOutputType.VALUE, keys, a);
            } catch (RedisNoScriptException e) {
                return redis.<String>eval(script.text(), ScriptOutputType.VALUE, keys, a);
            }
        });
    }

    @FunctionalInterface
    private interface Call<T> {
        T get();
    }

    private <T> T call(Call<T> c) throws IOException {
        if (closed) {
            throw new IOException("the node registry is closed");
        }
        try {
            return c.get();
        } catch (RuntimeException e) {
            throw new IOException("Redis at " + where + ": " + RedisConnections.message(e), e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (subscriber != null) {
                subscriber.close();
            }
            connection.close();
        } finally {
            RedisConnections.shutdown(client, resources);
        }
    }
}
