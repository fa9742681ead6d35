/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.cluster;

import dev.cskit.api.CustomerServicePlugin;
import dev.cskit.api.PluginContext;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.health.Readiness;
import dev.cskit.api.metrics.Tags;
import dev.cskit.core.CustomerService;
import dev.cskit.core.auth.AdminGuard;
import dev.cskit.core.metrics.MeterSet;
import dev.cskit.core.session.SessionException;
import dev.cskit.core.session.SessionManager;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CustomerService} as one node of a cluster: it registers itself in the {@link NodeRegistry} and keeps its
 * entry alive with a heartbeat every {@link #HEARTBEAT} (its calls and media load; the registry's TTL drops a node
 * that misses a few), pins each session's media to a home node ({@link MediaHomeRouting}, in front of the WHIP/WHEP
 * routes; {@link MediaChanges} carries the other nodes' changes of its sessions to its media), serves {@code GET /customer-service/nodes} and {@code POST /customer-service/nodes/{id}/drain} (admin),
 * and records its node's metrics under the tag {@code node_id}. {@link #drain} (SIGTERM) marks it draining in the
 * registry before the service drains: it keeps its calls, but no new session's media is homed on it.
 *
 * <p>The heartbeat is triggered by the host's scheduler and runs on its blocking executor (it writes Redis); it
 * starts no thread of its own. <b>Threading:</b> as {@link CustomerServicePlugin}.
 */
public final class ClusterNode implements CustomerServicePlugin {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    /** How often a node refreshes its entry in the registry. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(2);
    /** How long a home node has to accept a forwarded request's connection, and to answer it. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

    private final CustomerService service;
    private final NodeRegistry registry;
    private final String nodeId;
    private final @Nullable URI url;
    private final AtomicBoolean beating = new AtomicBoolean();
    private volatile boolean drainingSelf;
    private volatile boolean draining;
    private volatile long calls;
    private volatile @Nullable Running running;
    private volatile @Nullable MediaChanges changes;

    private record Running(PluginContext context, MediaHomeRouting routing, MediaProxy proxy, Instant started,
                           ScheduledFuture<?> heartbeat, MeterSet meters) {
    }

    /**
     * @param service  the service this node runs (started and stopped with it)
     * @param registry the cluster's registry (closed on {@link #stop})
     * @param nodeId   {@code cluster.node_id}
     * @param url      {@code cluster.public_url}: where the other nodes reach this one; without it no other node
     *                 forwards media requests here
     */
    public ClusterNode(CustomerService service, NodeRegistry registry, String nodeId, @Nullable URI url) {
        this.service = Objects.requireNonNull(service, "service");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.url = url;
    }

    @Override
    public String name() {
        return service.name();
    }

    @Override
    public synchronized void start(PluginContext ctx) throws Exception {
        if (running != null) {
            throw new IllegalStateException("cluster node " + nodeId + " is started already");
        }
        MediaProxy proxy = new MediaProxy(ctx.blockingExecutor(), nodeId, CONNECT_TIMEOUT, ANSWER_TIMEOUT);
        MediaHomeRouting routing = new MediaHomeRouting(registry, nodeId, url, proxy,
                id -> service.sessions().get(id).map(s -> !s.isEnded()).orElse(false), this::homedHere);
        registry.leave(nodeId); // a restart under the same id: a drain of its previous run is over
        drainingSelf = false;
        service.start(PluginContext.newBuilder().rooms(ctx.rooms()).http(routing.routes(ctx.http()))
                .scheduler(ctx.scheduler()).clock(ctx.clock()).config(ctx.config()).media(ctx.media().orElse(null))
                .blockingExecutor(ctx.blockingExecutor()).meters(ctx.meters()).cpuExecutor(ctx.cpuExecutor()).build());
        MeterSet meters = new MeterSet(ctx.meters());
        try {
            new NodesResource(registry, nodeId, new AdminGuard(ctx.config().adminToken().orElse(null),
                    ctx.config().publicUrl().orElse(null)), this::drainSelf).mount(ctx.http());
            Tags tag = Tags.of("node_id", nodeId);
            meters.gauge("cskit_cluster_node", "This node of the cluster (always 1), by node_id", tag, () -> 1);
            meters.gauge("cskit_node_draining", "1 while this node takes no new media homes", tag,
                    () -> draining ? 1 : 0);
            meters.gauge("cskit_node_calls", "Calls in progress hosted by this node", tag, () -> calls);
            meters.gauge("cskit_node_peers", "WebRTC peer connections on this node (its media load)", tag,
                    this::peers);
            meters.gauge("cskit_cluster_nodes", "Live nodes of the cluster, as this node last read them", tag,
                    () -> routing.view().size());
            meters.functionCounter("cskit_media_forwarded", "WHIP/WHEP requests this node forwarded to the "
                    + "session's media home node", tag, proxy::forwarded);
            meters.functionCounter("cskit_media_forward_failed", "Forwarded WHIP/WHEP requests whose home node "
                    + "could not be reached or did not answer in time", tag, proxy::failed);
            MediaChanges changes = service.media().map(m -> new MediaChanges(registry, nodeId, service.sessions()::get,
                    m, ctx.blockingExecutor())).orElse(null);
            if (changes != null) {
                service.sessions().addListener(changes);
                registry.listen(nodeId, changes::receive);
                this.changes = changes;
            }
            Instant started = ctx.clock().instant();
            ScheduledFuture<?> heartbeat = ctx.scheduler().scheduleWithFixedDelay(this::triggerBeat, 0,
                    HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
            running = new Running(ctx, routing, proxy, started, heartbeat, meters);
            triggerBeat(); // listed at once (the scheduler's first run may have come before running was set)
        } catch (IOException | RuntimeException | Error e) {
            meters.removeAll();
            service.stop();
            throw e;
        }
        LOG.info("cluster node {} started: media homes chosen in the node registry, heartbeat every {} s, TTL {} s",
                nodeId, HEARTBEAT.toSeconds(), registry.ttl().toSeconds());
    }

    /** On the scheduler: hands the heartbeat to the blocking executor, never two at once. */
    private void triggerBeat() {
        Running r = running;
        if (r == null || !beating.compareAndSet(false, true)) {
            return;
        }
        try {
            r.context().blockingExecutor().execute(() -> {
                try {
                    beat(r);
                } finally {
                    beating.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            beating.set(false);
        }
    }

    private void beat(Running r) {
        try {
            calls = service.sessions().hostedCalls();
        } catch (SessionException | IllegalStateException e) {
            // the session store is away: keep the last count
        }
        try {
            NodeInfo self = new NodeInfo(nodeId, url, calls, peers(), drainingSelf, r.started(),
                    r.context().clock().instant());
            draining = registry.heartbeat(self);
            r.routing().view(registry.live());
        } catch (IOException | RuntimeException e) {
            LOG.warn("cluster node {}: heartbeat failed ({}); the node leaves the list after {} s without one", nodeId,
                    e.getMessage(), registry.ttl().toSeconds());
        }
    }

    private int peers() {
        try {
            return service.media().map(m -> m.engine().size()).orElse(0);
        } catch (IllegalStateException e) {
            return 0; // stopped
        }
    }

    private void homedHere(String sessionId) {
        MediaChanges c = changes;
        if (c != null) {
            c.homedHere(sessionId);
        }
    }

    private void drainSelf() {
        drainingSelf = true;
        draining = true;
    }

    /** Marks this node draining in the registry at once, then drains the service. */
    @Override
    public void drain(Duration grace) {
        drainSelf();
        Running r = running;
        if (r != null) {
            beat(r);
        }
        service.drain(grace);
    }

    @Override
    public synchronized void stop() {
        Running r = running;
        if (r == null) {
            return;
        }
        running = null;
        r.heartbeat().cancel(false);
        r.meters().removeAll();
        try {
            registry.leave(nodeId);
        } catch (IOException e) {
            LOG.warn("cluster node {}: could not leave the node list ({}); it expires in {} s", nodeId,
                    e.getMessage(), registry.ttl().toSeconds());
        }
        SessionManager sessions = service.sessions();
        service.stop(); // the calls it ends are told to their media homes
        MediaChanges c = changes;
        if (c != null) {
            sessions.removeListener(c);
            changes = null;
        }
        try {
            registry.close();
        } catch (IOException e) {
            LOG.error("could not close the node registry", e);
        }
    }

    @Override
    public Readiness readiness() {
        return service.readiness();
    }

    /** The service this node runs. */
    public CustomerService service() {
        return service;
    }
}
