/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.cluster;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where the nodes of a cluster find each other (SPI): each node's heartbeat with its load, the media home node of
 * each session, and the node of each WHIP/WHEP resource. {@code cs-store-redis}'s {@code RedisNodeRegistry}
 * implements it on Redis.
 *
 * <p>A node is live while its last heartbeat is younger than {@link #ttl()}: a node that dies (kill -9) leaves the
 * list within it.
 *
 * <p><b>Threading:</b> thread-safe; every method may block on the network (call it on a blocking executor, never
 * on an event loop or the scheduler) and throws {@link IOException} when the registry cannot be reached.
 */
public interface NodeRegistry extends Closeable {

    /** How long a heartbeat keeps a node live. */
    Duration ttl();

    /**
     * Registers or refreshes {@code self} for {@link #ttl()}. A node asked to drain by {@link #drain} stays draining
     * whatever {@code self.draining()} says.
     *
     * @return whether the node is draining now (its own flag or an admin's request)
     */
    boolean heartbeat(NodeInfo self) throws IOException;

    /** The live nodes (in no particular order). */
    List<NodeInfo> live() throws IOException;

    /**
     * The media home of a session, chosen once for the cluster: its stored home if that node is live, else
     * {@code candidate}, stored as the new home. Atomic: nodes racing for one session get the same answer.
     */
    String claimHome(String sessionId, String candidate) throws IOException;

    /** The stored media home of a session, live or not. */
    Optional<String> home(String sessionId) throws IOException;

    /** Remembers which node holds a WHIP/WHEP resource, for the PATCH and DELETE that reach other nodes. */
    void placeResource(String resourceId, String nodeId) throws IOException;

    /** The node that holds a WHIP/WHEP resource, if known. */
    Optional<String> resourceNode(String resourceId) throws IOException;

    /**
     * Marks a live node draining: it keeps its calls but is no longer chosen as a new media home.
     *
     * @return false if no live node has that id
     */
    boolean drain(String nodeId) throws IOException;

    /**
     * Sends {@code message} to the receiver of node {@code nodeId} ({@link #listen}), at most once: a node that is
     * not listening (disconnected, gone) misses it.
     */
    void send(String nodeId, String message) throws IOException;

    /**
     * Starts handing the messages sent to node {@code selfId} to {@code receiver}, on the registry's I/O thread (the
     * receiver must not block). Once per registry.
     */
    void listen(String selfId, Consumer<String> receiver) throws IOException;

    /** Takes a node out of the list at once (a clean stop, or a fresh start before its first heartbeat). */
    void leave(String nodeId) throws IOException;
}
