/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.whip;

import dev.cskit.media.ice.IceCredentials;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link MediaEngine#updateIce} did with a WHIP/WHEP PATCH (RFC 9725 §4.3).
 *
 * @param outcome    what happened
 * @param etag       the resource's entity tag after the update (empty when it was not found)
 * @param local      {@link Outcome#RESTARTED} only: the server's new ufrag/pwd
 * @param candidates {@link Outcome#RESTARTED} only: the server's UDP candidates (unchanged by a restart)
 * @param tcpCandidates {@link Outcome#RESTARTED} only: its ICE-TCP (passive) candidates
 */
public record IceUpdate(Outcome outcome, String etag, Optional<IceCredentials> local,
                        List<InetSocketAddress> candidates, List<InetSocketAddress> tcpCandidates) {

    /** The kinds of outcome, each one HTTP status of RFC 9725 §4.3. */
    public enum Outcome {
        /** No such resource (404). */
        NOT_FOUND,
        /** The entity tag given is not the resource's (412 Precondition Failed). */
        ETAG_MISMATCH,
        /** New ICE credentials under a concrete entity tag: a restart must be sent with {@code If-Match: *} (422). */
        RESTART_NEEDS_WILDCARD,
        /** Candidates or end-of-candidates of the current ICE session: nothing to do for ICE-lite (204). */
        TRICKLED,
        /** An ICE restart: the server has new credentials and the resource a new entity tag (200). */
        RESTARTED
    }

    public IceUpdate {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(etag, "etag");
        Objects.requireNonNull(local, "local");
        candidates = List.copyOf(candidates);
        tcpCandidates = List.copyOf(tcpCandidates);
    }

    static IceUpdate of(Outcome outcome, String etag) {
        return new IceUpdate(outcome, etag, Optional.empty(), List.of(), List.of());
    }
}
