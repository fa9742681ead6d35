/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core;

import dev.cskit.api.PluginContext;
import dev.cskit.api.session.SessionStore;
import dev.cskit.core.agent.AgentRouter;
import dev.cskit.core.agent.RoutingEvents;
import dev.cskit.core.agent.RoutingState;
import dev.cskit.core.agent.lobby.AgentFrames;
import dev.cskit.core.agent.lobby.AgentLobby;
import dev.cskit.core.auth.AgentDirectory;
import dev.cskit.core.session.SessionManager;
import java.util.function.UnaryOperator;

/**
 * Makes the plugin's {@link AgentRouter}: in memory for one node, or, when the session store shares the routing
 * as well ({@link SharedRouting.Source}, a cluster), on the shared state, with lobby frames going through the
 * cluster and the sweep of nodes gone running on this node.
 */
final class AgentRouting {

    private AgentRouting() {
    }

    /** @param events what wraps the lobby frames (metrics, webhooks) */
    static AgentRouter open(SessionStore store, SessionManager sessions, AgentDirectory directory, PluginContext ctx,
                            UnaryOperator<RoutingEvents> events) {
        SharedRouting shared = store instanceof SharedRouting.Source s ? s.sharedRouting() : null;
        RoutingState state = shared == null ? RoutingState.inMemory() : shared.state();
        AgentFrames frames = new AgentFrames(shared == null ? ctx.rooms() : shared.lobbies(ctx.rooms(), AgentLobby.AGENT_ROOM), sessions);
        AgentRouter router = new AgentRouter(sessions, directory, ctx.config(), ctx.scheduler(), ctx.clock(),
                events.apply(frames), state);
        if (shared != null) {
            shared.start(ctx.scheduler(), ctx.blockingExecutor(), router::sweep);
        }
        return router;
    }
}
