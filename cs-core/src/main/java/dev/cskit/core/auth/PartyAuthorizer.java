/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.auth;

import dev.cskit.api.Ids;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.session.Session;
import dev.cskit.core.session.SessionManager;
import java.util.Objects;

/**
 * Decides whether a token speaks for a party of a session: the room join, {@code GET /sessions/{id}} with a
 * token, the rating, and (for the media layer) WHIP/WHEP use it.
 *
 * <p>Rules: a customer link token of the session admits its {@code customer_id}; an agent link token of the
 * session (bound to the agent assigned when it was issued, if any) or an agent login token admits the
 * session's <em>currently</em> assigned agent. A user id claimed by the client must equal the id the token
 * admits (the links API returns {@code customer_id}; agents use their agent id). Session and user ids must meet
 * {@link Ids} ({@code bad_request} otherwise): the room join and WHIP/WHEP get that check from here. Thread-safe.
 */
public final class PartyAuthorizer {

    /** The outcome of {@link #authorize}. */
    public sealed interface Result permits Party, Refused {
    }

    /**
     * A party of the session.
     *
     * @param userId  the customer id or the assigned agent id
     * @param role    customer or agent
     * @param session the session as it was when checked
     */
    public record Party(String userId, LinkRole role, Session session) implements Result {
        /** The display name the session gives this party. */
        public String displayName() {
            return role == LinkRole.CUSTOMER ? session.customerName()
                    : Objects.requireNonNullElse(session.agentName(), userId);
        }
    }

    /**
     * Not admitted.
     *
     * @param code    {@code bad_request} (a malformed session or user id), {@code unauthorized} (no/bad/expired
     *                token), {@code not_found}, {@code forbidden}, {@code session_ended}
     * @param message what went wrong and what to do
     */
    public record Refused(String code, String message) implements Result {
        /** The matching HTTP status. */
        public int httpStatus() {
            return switch (code) {
                case "bad_request" -> 400;
                case "unauthorized" -> 401;
                case "not_found" -> 404;
                case "session_ended" -> 409;
                default -> 403;
            };
        }
    }

    private final SessionManager sessions;
    private final TokenService tokens;

    public PartyAuthorizer(SessionManager sessions, TokenService tokens) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    /**
     * @param token         the credential the client sent, or {@code null}
     * @param sessionId     the session it wants in
     * @param claimedUserId the user id the client claims, or {@code null} to take the one the token admits
     * @param allowEnded    whether an ended session is acceptable (reading it, rating it) or refused with
     *                      {@code session_ended} (joining the call, sending media)
     */
    public Result authorize(@Nullable String token, String sessionId, @Nullable String claimedUserId,
                            boolean allowEnded) {
        if (!Ids.isValid(sessionId)) {
            return new Refused("bad_request", Ids.problem("session id", sessionId));
        }
        if (claimedUserId != null && !Ids.isValid(claimedUserId)) {
            return new Refused("bad_request", Ids.problem("user id", claimedUserId));
        }
        Session s = sessions.get(sessionId).orElse(null);
        if (s == null) {
            return new Refused("not_found", "no session " + sessionId);
        }
        if (!allowEnded && s.isEnded()) {
            return new Refused("session_ended", "session " + sessionId + " has Ended ("
                    + s.endReason().wireName() + "); the call cannot be joined");
        }
        if (token == null || token.isBlank()) {
            return new Refused("unauthorized", "a token is required: use the customer or agent link of the session");
        }
        TokenVerification v = tokens.verify(token);
        if (v instanceof TokenVerification.Invalid bad) {
            return new Refused("unauthorized", bad.message());
        }
        TokenPrincipal p = ((TokenVerification.Valid) v).value();
        String admits;
        LinkRole role;
        if (p instanceof TokenPrincipal.Link link) {
            if (!link.sessionId().equals(sessionId)) {
                return new Refused("forbidden", "the token is for another session; use the link of session " + sessionId);
            }
            role = link.role();
            if (role == LinkRole.CUSTOMER) {
                admits = s.customerId();
            } else {
                if (s.agentId() == null) {
                    return new Refused("forbidden", "session " + sessionId + " has no agent assigned yet");
                }
                if (link.subject() != null && !link.subject().equals(s.agentId())) {
                    return new Refused("forbidden", "the agent link was issued for " + link.subject()
                            + ", but session " + sessionId + " is now with " + s.agentId());
                }
                admits = s.agentId();
            }
        } else if (p instanceof TokenPrincipal.Monitor) {
            return new Refused("forbidden", "a monitor token is no party of the call: it may only play the parties' "
                    + "streams and publish its whisper");
        } else {
            TokenPrincipal.Agent agent = (TokenPrincipal.Agent) p;
            if (!agent.agentId().equals(s.agentId())) {
                return new Refused("forbidden", "agent " + agent.agentId() + " is not the agent assigned to session "
                        + sessionId);
            }
            role = LinkRole.AGENT;
            admits = agent.agentId();
        }
        if (claimedUserId != null && !claimedUserId.equals(admits)) {
            return new Refused("forbidden", "this token admits user " + admits + " (the " + role.wireName()
                    + " of session " + sessionId + "), not " + claimedUserId + "; join with user_id " + admits);
        }
        return new Party(admits, role, s);
    }
}
