/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.store.redis;

import dev.cskit.api.Ids;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.health.Readiness;
import dev.cskit.api.session.OutboxRecord;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionCounts;
import dev.cskit.api.session.SessionStatus;
import dev.cskit.api.session.SharedSessionStore;
import dev.cskit.core.SharedRouting;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SharedSessionStore} on Redis: the sessions of every node of a cluster, their counters and each node's
 * webhook outbox, in one Redis database. Connect with {@link #newBuilder}.
 *
 * <p><b>Layout</b> (every key starts with the {@linkplain Builder#keyPrefix prefix}, {@code cskit:} by default):
 * <ul>
 *   <li>{@code session:<id>}: a hash of the session's JSON (the journal's form), its revision {@code rev} and the id
 *       of the write that made it, {@code op};</li>
 *   <li>{@code sessions}, {@code sessions:waiting}, {@code sessions:active}, {@code sessions:ended}: sorted sets of
 *       session ids scored by creation time (epoch ms), for pages newest first in O(log n + page);</li>
 *   <li>{@code counts}: the {@link SessionCounts} as a hash, so {@code /stats} is one read;</li>
 *   <li>{@code node:<node_id>:outbox} (a hash of JSON records), {@code …:outbox:order} and {@code …:outbox:seq}:
 *       the node's webhook outbox in the order its records were first stored.</li>
 * </ul>
 *
 * <p><b>Atomicity.</b> Every write is one Lua script, which Redis runs atomically: a create checks the open sessions
 * against the limit and writes; a replace compares the revision and writes; each also moves the session between the
 * status indexes, adds the change to the counters and stores its outbox records. A change is thus in Redis, whole,
 * before the call returns. Each write carries a random id: the client resends a command whose answer a broken
 * connection lost, and a script that finds its own id already stored answers {@code STORED} without writing twice.
 * How long a write survives a crash of Redis itself is Redis's {@code appendonly}/{@code appendfsync} setting.
 *
 * <p><b>Connection.</b> One Lettuce connection, shared by all threads (commands are pipelined on it), reconnecting
 * on its own with a backoff of 50 ms up to 2 s. A command waits at most the {@linkplain Builder#commandTimeout
 * command timeout} (5 s by default), including while Redis is away, then fails with an {@link IOException}.
 * {@link #readiness()} is not ready while the connection is down. The store owns two I/O threads and two
 * computation threads of Lettuce (named {@code lettuce-*}); {@link #close()} stops them.
 *
 * <p><b>Threading:</b> thread-safe; every method blocks on the network for at most the command timeout.
 */
public final class RedisSessionStore implements SharedSessionStore, SharedRouting.Source {

    private static final Logger LOG = LoggerFactory.getLogger(RedisSessionStore.class);

    /** The default key prefix. */
    public static final String DEFAULT_PREFIX = "cskit:";
    /** The default command timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** Keys read from Redis in one pipelined batch. */
    private static final int BATCH = 500;
    private static final String STORED = "STORED";

    private static final LuaScript CREATE = LuaScript.load("create.lua");
    private static final LuaScript REPLACE = LuaScript.load("replace.lua");
    private static final LuaScript OUTBOX = LuaScript.load("outbox.lua");

    private final String where;
    private final RedisKeys keys;
    private final Duration timeout;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisCommands<String, String> redis;
    private final RedisAsyncCommands<String, String> async;
    private volatile boolean closed;
    private final String nodeId;
    private volatile @Nullable RedisRoutingState routing; // made under the store's monitor

    private RedisSessionStore(Builder b, ClientResources resources, RedisClient client,
                              StatefulRedisConnection<String, String> connection, String where) {
        this.where = where;
        this.keys = new RedisKeys(b.prefix, b.nodeId);
        this.nodeId = b.nodeId;
        this.timeout = b.timeout;
        this.resources = resources;
        this.client = client;
        this.connection = connection;
        this.redis = connection.sync();
        this.async = connection.async();
    }

    /**
     * Starts a builder for the Redis at {@code redis}: {@code redis://[[user]:password@]host[:port][/db]}, or
     * {@code rediss://…} for TLS.
     */
    public static Builder newBuilder(URI redis) {
        return new Builder(redis);
    }

    /** Configures and connects a {@link RedisSessionStore}; not thread-safe. */
    public static final class Builder {
        private final URI uri;
        private @Nullable String nodeId;
        private String prefix = DEFAULT_PREFIX;
        private Duration timeout = DEFAULT_TIMEOUT;

        private Builder(URI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
            String scheme = uri.getScheme();
            if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
                throw new IllegalArgumentException("a Redis address is redis://host:port/db (or rediss:// for TLS), "
                        + "was " + withoutPassword(uri));
            }
        }

        /** This node's id (required): its webhook outbox is kept under it, and sent by the node of that id. */
        public Builder nodeId(String nodeId) {
            this.nodeId = Ids.require("node id", nodeId);
            return this;
        }

        /** What every key starts with, {@value #DEFAULT_PREFIX} by default: several clusters can share a Redis. */
        public Builder keyPrefix(String prefix) {
            this.prefix = RedisConnections.keyPrefix(prefix);
            return this;
        }

        /** How long a command may take, waiting for a reconnect included, before it fails; 5 s by default. */
        public Builder commandTimeout(Duration timeout) {
            this.timeout = RedisConnections.commandTimeout(timeout);
            return this;
        }

        /**
         * Connects.
         *
         * @throws IOException if Redis cannot be reached or refuses the connection (e.g. a wrong password)
         * @throws IllegalStateException without a node id
         */
        public RedisSessionStore connect() throws IOException {
            if (nodeId == null) {
                throw new IllegalStateException("set the node id (nodeId) before connecting");
            }
            RedisURI redisUri = RedisConnections.redisUri(uri, timeout);
            String where = RedisConnections.where(redisUri);
            ClientResources resources = RedisConnections.resources(2);
            RedisClient client = RedisConnections.client(resources, redisUri, timeout);
            try {
                StatefulRedisConnection<String, String> connection = client.connect();
                LOG.info("session store: Redis at {}, node {}, keys {}*", where, nodeId, prefix);
                return new RedisSessionStore(this, resources, client, connection, where);
            } catch (RedisException e) {
                RedisConnections.shutdown(client, resources);
                throw new IOException("cannot connect to Redis at " + where + ": " + RedisConnections.message(e), e);
            }
        }
    }

    // ---------------------------------------------------------------- SessionStore

    /** Every stored session (the newest version of each); a scan of the whole store. */
    @Override
    public Collection<Session> load() throws IOException {
        List<Session> all = new ArrayList<>();
        for (long skip = 0; ; skip += BATCH) {
            List<Session> batch = newest(null, skip, BATCH);
            all.addAll(batch);
            if (batch.size() < BATCH) {
                return all;
            }
        }
    }

    /** Stores a session whatever its stored revision (the last write wins), with no limit on open sessions. */
    @Override
    public void put(Session session) throws IOException {
        put(session, List.of());
    }

    @Override
    public void put(Session session, List<OutboxRecord> outbox) throws IOException {
        while (true) {
            Optional<Revision> current = read(session.id());
            Outcome o = current.isPresent() ? replace(current.get(), session, outbox)
                    : create(session, outbox, Integer.MAX_VALUE);
            if (o == Outcome.STORED) {
                return;
            }
        }
    }

    @Override
    public boolean keepsOutbox() {
        return true;
    }

    @Override
    public void putOutbox(List<OutboxRecord> records) throws IOException {
        if (records.isEmpty()) {
            return;
        }
        List<String> args = new ArrayList<>();
        RedisJson.addOutbox(args, records);
        String r = run(OUTBOX, new String[] {keys.outbox, keys.outboxOrder, keys.outboxSeq}, args);
        if (!STORED.equals(r)) {
            throw new IOException("Redis answered " + r + " to an outbox write");
        }
    }

    /** This node's outbox records, pending and dead, in the order they were first stored. */
    @Override
    public List<OutboxRecord> loadOutbox() throws IOException {
        List<String> ids = call(() -> redis.zrange(keys.outboxOrder, 0, -1));
        List<OutboxRecord> out = new ArrayList<>(ids.size());
        for (int from = 0; from < ids.size(); from += BATCH) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + BATCH));
            List<KeyValue<String, String>> values = call(() -> redis.hmget(keys.outbox, chunk.toArray(String[]::new)));
            for (KeyValue<String, String> kv : values) {
                if (kv.hasValue()) {
                    out.add(RedisJson.parseOutbox(kv.getKey(), kv.getValue()));
                }
            }
        }
        return out;
    }

    /** Ready while the connection to Redis is up; no I/O. */
    @Override
    public Readiness readiness() {
        if (closed) {
            return Readiness.notReady("the session store is closed");
        }
        return connection.isOpen() ? Readiness.READY
                : Readiness.notReady("the session store's Redis at " + where + " is not connected; reconnecting");
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Optional.ofNullable(routing).ifPresent(RedisRoutingState::close);
        connection.close();
        RedisConnections.shutdown(client, resources);
    }

    /** The agents' routing of the cluster, in the same Redis ({@link RedisRoutingState}); closed with the store. */
    @Override
    public synchronized SharedRouting sharedRouting() {
        if (routing == null) {
            routing = new RedisRoutingState(client, keys.prefix, nodeId, timeout);
        }
        return routing;
    }

    // ---------------------------------------------------------------- SharedSessionStore

    @Override
    public Optional<Revision> read(String id) throws IOException {
        Objects.requireNonNull(id, "id");
        List<KeyValue<String, String>> v = call(() -> redis.hmget(keys.session(id), "json", "rev"));
        if (!v.get(0).hasValue()) {
            return Optional.empty();
        }
        Session s = RedisJson.parseSession(id, v.get(0).getValue());
        long rev;
        try {
            rev = Long.parseLong(v.get(1).getValue());
        } catch (NumberFormatException | java.util.NoSuchElementException e) {
            throw new IOException("session " + id + " in Redis has no valid revision", e);
        }
        return Optional.of(new Revision(s, rev));
    }

    @Override
    public Outcome create(Session session, List<OutboxRecord> outbox, int maxOpen) throws IOException {
        return create(session, outbox, maxOpen, writeId());
    }

    /** {@link #create} as the write {@code writeId}; a second call with the same id is the same write. */
    Outcome create(Session session, List<OutboxRecord> outbox, int maxOpen, String writeId) throws IOException {
        if (maxOpen < 1) {
            throw new IllegalArgumentException("maxOpen must be at least 1, was " + maxOpen);
        }
        List<String> args = new ArrayList<>();
        args.add(RedisJson.json(session));
        args.add(writeId);
        args.add(Long.toString(session.createdAt().toEpochMilli()));
        args.add(session.id());
        args.add(Integer.toString(maxOpen));
        addCounts(args, SessionCounts.change(null, session));
        RedisJson.addOutbox(args, outbox);
        String r = run(CREATE, new String[] {keys.session(session.id()), keys.all, keys.status(session.status()),
                keys.counts, keys.outbox, keys.outboxOrder, keys.outboxSeq}, args);
        return outcome(r, Outcome.LIMIT);
    }

    @Override
    public Outcome replace(Revision before, Session after, List<OutboxRecord> outbox) throws IOException {
        return replace(before, after, outbox, writeId());
    }

    /** {@link #replace} as the write {@code writeId}; a second call with the same id is the same write. */
    Outcome replace(Revision before, Session after, List<OutboxRecord> outbox, String writeId) throws IOException {
        Session b = before.session();
        if (!b.id().equals(after.id())) {
            throw new IllegalArgumentException("a session keeps its id: " + b.id() + " cannot become " + after.id());
        }
        List<String> args = new ArrayList<>();
        args.add(RedisJson.json(after));
        args.add(writeId);
        args.add(Long.toString(before.revision()));
        args.add(after.id());
        args.add(Long.toString(after.createdAt().toEpochMilli()));
        addCounts(args, SessionCounts.change(b, after));
        RedisJson.addOutbox(args, outbox);
        String r = run(REPLACE, new String[] {keys.session(after.id()), keys.status(b.status()),
                keys.status(after.status()), keys.counts, keys.outbox, keys.outboxOrder, keys.outboxSeq}, args);
        return outcome(r, Outcome.STALE);
    }

    @Override
    public List<Session> newest(@Nullable SessionStatus status, long skip, int count) throws IOException {
        if (skip < 0 || count < 0) {
            throw new IllegalArgumentException("skip and count must not be negative, were " + skip + ", " + count);
        }
        if (count == 0) {
            return List.of();
        }
        String index = status == null ? keys.all : keys.status(status);
        List<String> ids = call(() -> redis.zrevrange(index, skip, skip + count - 1));
        List<Session> out = new ArrayList<>(ids.size());
        for (int from = 0; from < ids.size(); from += BATCH) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + BATCH));
            List<RedisFuture<String>> futures = new ArrayList<>(chunk.size());
            for (String id : chunk) {
                futures.add(async.hget(keys.session(id), "json"));
            }
            if (!call(() -> LettuceFutures.awaitAll(timeout, futures.toArray(new Future<?>[0])))) {
                throw new IOException("Redis at " + where + " did not answer within " + timeout.toMillis() + " ms");
            }
            for (int i = 0; i < chunk.size(); i++) {
                String json = call(futures.get(i)::get);
                if (json != null) { // an index entry is written with its session: null only in a damaged store
                    out.add(RedisJson.parseSession(chunk.get(i), json));
                }
            }
        }
        return out;
    }

    @Override
    public SessionCounts counts() throws IOException {
        List<KeyValue<String, String>> v = call(() -> redis.hmget(keys.counts, "total", "waiting", "active", "ended",
                "rated", "star_sum", "duration_count", "duration_sum"));
        long[] n = new long[8];
        for (int i = 0; i < n.length; i++) {
            try {
                n[i] = v.get(i).hasValue() ? Long.parseLong(v.get(i).getValue()) : 0;
            } catch (NumberFormatException e) {
                throw new IOException("the session counters in Redis are damaged: " + v.get(i), e);
            }
        }
        return new SessionCounts(n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7]);
    }

    // ---------------------------------------------------------------- internals

    /** Runs a script by its SHA-1, sending its text once when Redis does not have it (first use, after a restart). */
    private String run(LuaScript script, String[] keyNames, List<String> args) throws IOException {
        String[] a = args.toArray(String[]::new);
        return call(() -> {
            try {
                return redis.<String>evalsha(script.sha(), ScriptOutputType.VALUE, keyNames, a);
            } catch (RedisNoScriptException e) {
                return redis.<String>eval(script.text(), ScriptOutputType.VALUE, keyNames, a);
            }
        });
    }

    private static Outcome outcome(String answer, Outcome refused) throws IOException {
        if (STORED.equals(answer)) {
            return Outcome.STORED;
        }
        if (refused.name().equals(answer)) {
            return refused;
        }
        throw new IOException("Redis answered " + answer + " to a session write");
    }

    private static void addCounts(List<String> args, SessionCounts d) {
        long[] n = {d.total(), d.waiting(), d.active(), d.ended(), d.rated(), d.starSum(), d.durationCount(),
                d.durationSum()};
        for (long v : n) {
            args.add(Long.toString(v));
        }
    }

    private static String writeId() {
        return UUID.randomUUID().toString();
    }

    @FunctionalInterface
    private interface Call<T> {
        T get() throws Exception;
    }

    /** Runs a Redis call; Lettuce's unchecked failures (timeouts, lost connections, errors) become IOException. */
    private <T> T call(Call<T> c) throws IOException {
        if (closed) {
            throw new IOException("the session store is closed");
        }
        try {
            return c.get();
        } catch (IOException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for Redis at " + where, e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException("Redis at " + where + ": " + RedisConnections.message(cause), cause);
        } catch (Exception e) {
            throw new IOException("Redis at " + where + ": " + RedisConnections.message(e), e);
        }
    }

    /** A Redis address with its password masked ({@code redis://user:***@host…}), for logs and messages. */
    public static String withoutPassword(URI uri) {
        String info = uri.getRawUserInfo();
        if (info == null) {
            return uri.toString();
        }
        int colon = info.indexOf(':');
        return uri.toString().replace(info + "@", (colon < 0 ? "***" : info.substring(0, colon) + ":***") + "@");
    }
}
