/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.http.WebOrigin;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Which web pages may use the host from a browser (the Fetch standard's CORS, RFC 6454 origins):
 * <ul>
 *   <li>pages of the server itself (the request's own origin, or the origin of a plugin's {@code public_url})
 *       need nothing;</li>
 *   <li>pages of the configured {@code cors_origins} get {@code Access-Control-Allow-Origin} (their origin, never
 *       {@code *}) and pass the preflight;</li>
 *   <li>pages of any other site get no CORS header, so the browser lets them read nothing, and their
 *       state-changing requests ({@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE}) are refused before any
 *       route runs. A request without {@code Origin} (curl, server-to-server) is not a page and passes.</li>
 * </ul>
 * Thread-safe: an immutable snapshot replaced by {@link #allow}.
 * Unsupported API.
 */
public final class BrowserPolicy {

    private record Snapshot(Set<WebOrigin> cors, Set<WebOrigin> own) {
    }

    private volatile Snapshot snapshot = new Snapshot(Set.of(), Set.of());

    /**
     * Adds origins.
     *
     * @param corsOrigins other sites' pages that may call the API (normalized origins)
     * @param ownOrigins  origins that are this server's own, e.g. that of {@code public_url}
     * @throws IllegalArgumentException if an entry is not an origin
     */
    public synchronized void allow(Collection<String> corsOrigins, Collection<String> ownOrigins) {
        Set<WebOrigin> cors = new LinkedHashSet<>(snapshot.cors);
        Set<WebOrigin> own = new LinkedHashSet<>(snapshot.own);
        corsOrigins.forEach(o -> cors.add(WebOrigin.require(o)));
        ownOrigins.forEach(o -> own.add(WebOrigin.require(o)));
        snapshot = new Snapshot(Set.copyOf(cors), Set.copyOf(own));
    }

    /** Whether any other site is allowed (responses then vary by {@code Origin}). */
    public boolean hasCorsOrigins() {
        return !snapshot.cors.isEmpty();
    }

    /** The value for {@code Access-Control-Allow-Origin} for this {@code Origin} header, if it is allowed. */
    public Optional<String> corsOrigin(@Nullable String originHeader) {
        if (originHeader == null) {
            return Optional.empty();
        }
        return WebOrigin.parse(originHeader).filter(snapshot.cors::contains).map(WebOrigin::toString);
    }

    /**
     * Whether a state-changing request may go on: no {@code Origin} (not a page), the request's own origin, one
     * of the server's, or an allowed CORS origin. {@code Origin: null} (a sandboxed frame, a file) is refused.
     *
     * @param originHeader  the request's {@code Origin}, or null
     * @param requestOrigin the origin the request was sent to (its scheme and Host), if known
     */
    public boolean mayChangeState(@Nullable String originHeader, Optional<WebOrigin> requestOrigin) {
        if (originHeader == null) {
            return true;
        }
        Optional<WebOrigin> o = WebOrigin.parse(originHeader);
        if (o.isEmpty()) {
            return false;
        }
        Snapshot s = snapshot;
        return o.equals(requestOrigin) || s.own.contains(o.get()) || s.cors.contains(o.get());
    }

    /** The methods a page of another site must not use here (the Fetch standard's non-safe methods). */
    static boolean changesState(String method) {
        return switch (method) {
            case "POST", "PUT", "PATCH", "DELETE" -> true;
            default -> false;
        };
    }
}
