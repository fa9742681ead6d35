/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.room;

import dev.cskit.api.annotation.Nullable;
import java.util.Objects;

/**
 * The plugin's answer to a {@link JoinRequest}: admit the user (with the name and role the others will
 * see) or refuse with an error code and a message the client is shown.
 */
public final class JoinDecision {

    private final boolean accepted;
    private final @Nullable String displayName;
    private final String role;
    private final String errorCode;
    private final String message;

    private JoinDecision(boolean accepted, @Nullable String displayName, String role, String errorCode,
                         String message) {
        this.accepted = accepted;
        this.displayName = displayName;
        this.role = role;
        this.errorCode = errorCode;
        this.message = message;
    }

    /** Admit with the user id as display name and no role. */
    public static JoinDecision accept() {
        return new JoinDecision(true, null, "", "", "");
    }

    /** Admit with the given display name and role. */
    public static JoinDecision accept(String displayName, String role) {
        return new JoinDecision(true, Objects.requireNonNull(displayName, "displayName"),
                Objects.requireNonNull(role, "role"), "", "");
    }

    /**
     * Refuse the seat.
     *
     * @param errorCode a short machine-readable code, e.g. {@code unauthorized}
     * @param message   what went wrong and how to fix it, shown to the client
     */
    public static JoinDecision refuse(String errorCode, String message) {
        Objects.requireNonNull(errorCode, "errorCode");
        Objects.requireNonNull(message, "message");
        if (errorCode.isBlank()) {
            throw new IllegalArgumentException("a refusal needs an error code");
        }
        return new JoinDecision(false, null, "", errorCode, message);
    }

    public boolean accepted() {
        return accepted;
    }

    /** The display name to seat the user with, or {@code null} to use the user id. */
    public @Nullable String displayName() {
        return displayName;
    }

    /** The role to seat the user with; empty if none. */
    public String role() {
        return role;
    }

    /** The refusal's code; empty when accepted. */
    public String errorCode() {
        return errorCode;
    }

    /** The refusal's message; empty when accepted. */
    public String message() {
        return message;
    }

    @Override
    public String toString() {
        return accepted ? "JoinDecision[accepted, role=" + role + "]"
                : "JoinDecision[refused, " + errorCode + ": " + message + "]";
    }
}
