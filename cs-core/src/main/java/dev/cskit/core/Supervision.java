/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core;

import dev.cskit.api.PluginContext;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.core.auth.AdminGuard;
import dev.cskit.core.auth.AgentDirectory;
import dev.cskit.core.auth.TokenService;
import dev.cskit.core.http.MonitorResource;
import dev.cskit.core.media.Monitors;
import dev.cskit.core.media.WebRtcGateway;
import dev.cskit.core.session.SessionManager;
import dev.cskit.core.signal.CallRouter;

/**
 * Wires supervisors' monitor and whisper (issue 16) into the plugin: the {@link Monitors} on the media path, its route
 * ({@link MonitorResource}), and what the call room tells a party that takes its seat.
 */
final class Supervision {

    private Supervision() {
    }

    /** The monitors of the media path, with {@code POST /sessions/{id}/monitor} mounted; null without a media path. */
    static @Nullable Monitors start(@Nullable WebRtcGateway media, PluginContext ctx, SessionManager sessions,
                                    TokenService tokens, AgentDirectory directory, AdminGuard admin) {
        if (media == null) {
            return null;
        }
        Monitors m = new Monitors(tokens, sessions, ctx.rooms(), id -> MonitorResource.isSupervisor(directory, id),
                ctx.config().supervisorBadge(), ctx.clock());
        media.useMonitors(m);
        new MonitorResource(sessions, tokens, directory, admin, m).mount(ctx.http());
        return m;
    }

    /** {@code router}, and a party that takes its seat hears of the other's screen share, the agent of who listens. */
    static CallRouter onJoin(CallRouter router, @Nullable WebRtcGateway media, @Nullable Monitors monitors) {
        if (media == null) {
            return router;
        }
        CallRouter shares = CallRouter.alsoOnJoin(router, media.screenShares()::joined);
        return monitors == null ? shares : CallRouter.alsoOnJoin(shares, monitors::joined);
    }
}
