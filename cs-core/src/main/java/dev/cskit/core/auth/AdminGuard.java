/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.auth;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Who may call admin endpoints. With an admin token: requests bearing it ({@code Authorization: Bearer}),
 * 401 if none, 403 if wrong. Without one: loopback clients only, 403 for others. Immutable and thread-safe.
 */
public final class AdminGuard {

    /**
     * A refusal.
     *
     * @param status  401 or 403
     * @param message what to do
     */
    public record Refusal(int status, String message) {
    }

    private final @Nullable byte[] token;

    public AdminGuard(@Nullable String adminToken) {
        this.token = adminToken == null || adminToken.isEmpty() ? null : adminToken.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether no admin token is set (admin endpoints answer loopback clients only). */
    public boolean open() {
        return token == null;
    }

    /** Empty if the request may use admin endpoints, else why not. */
    public Optional<Refusal> check(HttpRequest request) {
        if (token == null) {
            return request.fromLoopback() ? Optional.empty()
                    : Optional.of(new Refusal(403, "admin endpoints answer only local clients while admin_token "
                    + "is not set; set customer_service.admin_token and send Authorization: Bearer <token>"));
        }
        Optional<String> given = request.bearerToken();
        if (given.isEmpty()) {
            return Optional.of(new Refusal(401, "admin endpoint: send Authorization: Bearer <admin_token>"));
        }
        if (!MessageDigest.isEqual(token, given.get().getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(new Refusal(403, "the admin token is wrong"));
        }
        return Optional.empty();
    }
}
