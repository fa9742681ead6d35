/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core;

import dev.cskit.api.room.RoomService;
import dev.cskit.api.room.RoomType;
import dev.cskit.core.agent.AgentRouter;
import dev.cskit.core.agent.RoutingState;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The agents' routing shared by the nodes of a cluster: a {@link RoutingState} every node's {@link AgentRouter}
 * works on under one cluster-wide lock, lobby frames delivered by the node that holds the agent's lobby seat, and
 * each node's heartbeat with the {@linkplain AgentRouter#sweep sweep} that takes over from nodes gone (their agents'
 * presence, their rings' timeouts, their wrap-ups).
 *
 * <p>A session store that shares sessions between nodes may share the routing too ({@link Source}); the
 * customer-service plugin then routes through it, and in memory otherwise.
 *
 * <p><b>Threading:</b> thread-safe. {@link #state()} is used under the router's lock only; the {@link RoomService}
 * of {@link #lobbies} is called wherever the router's events are (it must not block long).
 */
public interface SharedRouting {

    /** A session store that shares the agents' routing as well. */
    interface Source {
        SharedRouting sharedRouting();
    }

    /** The shared state (it takes the cluster's lock in {@link RoutingState#begin()}). */
    RoutingState state();

    /**
     * The rooms the router's frames go to: frames to an agent's lobby (a room of {@code lobby}, {@code agent/{id}})
     * reach the node that holds its seat, in the order the cluster made them; everything else goes to {@code local}.
     */
    RoomService lobbies(RoomService local, RoomType lobby);

    /**
     * Starts this node's heartbeat and runs {@code sweep} every few seconds on {@code blocking} (timed by
     * {@code scheduler}); both stop when the routing is closed with its store.
     */
    void start(ScheduledExecutorService scheduler, Executor blocking, Runnable sweep);
}
