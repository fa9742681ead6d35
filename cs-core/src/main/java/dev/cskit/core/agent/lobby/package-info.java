/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * The agents' side of the room WebSocket: {@link dev.cskit.core.agent.lobby.AgentLobby} (the room callbacks of
 * {@code cs_agent}) turns lobby frames into commands of the {@link dev.cskit.core.agent.AgentRouter}, and
 * {@link dev.cskit.core.agent.lobby.AgentFrames} turns the router's events into frames. All the JSON of agent
 * routing lives here; the router itself knows none.
 */
package dev.cskit.core.agent.lobby;
