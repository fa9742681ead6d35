/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.auth;

import java.util.Objects;
import java.util.Optional;

/** The outcome of {@link TokenService#verify}: a principal, or a typed failure with a message for the client. */
public sealed interface TokenVerification permits TokenVerification.Valid, TokenVerification.Invalid {

    /** The principal if valid. */
    Optional<TokenPrincipal> principal();

    record Valid(TokenPrincipal value) implements TokenVerification {
        public Valid {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public Optional<TokenPrincipal> principal() {
            return Optional.of(value);
        }
    }

    record Invalid(TokenFailure failure, String message) implements TokenVerification {
        public Invalid {
            Objects.requireNonNull(failure, "failure");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public Optional<TokenPrincipal> principal() {
            return Optional.empty();
        }
    }
}
