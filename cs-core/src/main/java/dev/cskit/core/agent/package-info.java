/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * Agents and routing without JSON or rooms: the {@link dev.cskit.core.agent.AgentRouter} (agent states, rings
 * and their timers, dispatch, the visitor queue and its estimates), its state behind
 * {@link dev.cskit.core.agent.RoutingState} (immutable records, in memory by default), what it tells through
 * {@link dev.cskit.core.agent.RoutingEvents}, and the agents' day figures ({@link dev.cskit.core.agent.AgentDayStats}).
 * The frames and room callbacks are in {@code agent.lobby}.
 */
package dev.cskit.core.agent;
