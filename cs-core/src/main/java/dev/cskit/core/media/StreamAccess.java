/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.media;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.core.auth.PartyAuthorizer;
import dev.cskit.media.whip.PeerRole;
import dev.cskit.media.whip.StreamKey;
import java.util.Optional;

/**
 * Who a WHIP/WHEP request speaks for, and whether it may publish or play the stream it names: a supervisor's monitor
 * token by {@link Monitors}' rule, else a party of the session by {@link PartyAuthorizer} and {@link StreamPaths}'
 * rule. Stateless and thread-safe.
 */
final class StreamAccess {

    private StreamAccess() {
    }

    /** The outcome of {@link #decide}. */
    sealed interface Result permits Granted, Denied {
    }

    /**
     * May.
     *
     * @param owner   who owns the resource: the party's user id, or {@code supervisor:{id}} (no user of the room)
     * @param iceUser whom ephemeral TURN credentials name: the party, or the supervisor's id
     */
    record Granted(String owner, String iceUser) implements Result {
    }

    /** May not: the HTTP status and what to do. */
    record Denied(int status, String message) implements Result {
    }

    static Result decide(@Nullable Monitors monitors, PartyAuthorizer authorizer, @Nullable String token,
                         StreamKey stream, PeerRole role) {
        Monitors.Access monitor = monitors == null ? Monitors.NOT_MONITOR : monitors.access(token, stream, role);
        if (monitor instanceof Monitors.Refused no) {
            return new Denied(no.status(), no.message());
        }
        if (monitor instanceof Monitors.Allowed ok) {
            return new Granted(ok.owner(), ok.supervisorId());
        }
        PartyAuthorizer.Result auth = authorizer.authorize(token, stream.sessionId(), null, false);
        if (auth instanceof PartyAuthorizer.Refused refused) {
            return new Denied(refused.httpStatus(), refused.message());
        }
        PartyAuthorizer.Party party = (PartyAuthorizer.Party) auth;
        Optional<String> refused = StreamPaths.refusal(party, role, stream);
        return refused.<Result>map(why -> new Denied(403, why)).orElseGet(() -> new Granted(party.userId(), party.userId()));
    }

    /**
     * Whom an {@code OPTIONS} with {@code token} names in TURN credentials for the session's stream: the supervisor of
     * a monitor token, else the party; {@code Denied} for a token that is neither.
     */
    static Result iceUser(@Nullable Monitors monitors, PartyAuthorizer authorizer, String token, StreamKey stream) {
        if (monitors != null && monitors.principal(token, stream.sessionId()) instanceof Monitors.Allowed ok) {
            return new Granted(ok.owner(), ok.supervisorId());
        }
        PartyAuthorizer.Result auth = authorizer.authorize(token, stream.sessionId(), null, false);
        if (auth instanceof PartyAuthorizer.Refused refused) {
            return new Denied(refused.httpStatus(), refused.message());
        }
        String user = ((PartyAuthorizer.Party) auth).userId();
        return new Granted(user, user);
    }
}
