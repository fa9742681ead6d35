/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.auth;

import dev.cskit.api.annotation.Nullable;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Makes and checks agents' password hashes. Both operations are deliberately slow (bcrypt): the plugin runs them
 * on the host's CPU executor ({@link PasswordWork}), never on a thread serving HTTP.
 *
 * <p><b>Threading:</b> implementations are thread-safe; every method may take hundreds of milliseconds.
 */
public interface PasswordHasher {

    /** The longest password bcrypt takes, in UTF-8 bytes. */
    int MAX_PASSWORD_BYTES = 72;

    /** BouncyCastle's bcrypt ({@code $2b$}) with {@link BcryptHasher#DEFAULT_COST}, as {@code hash-password} makes. */
    static PasswordHasher bcrypt() {
        return new BcryptHasher(BcryptHasher.DEFAULT_COST);
    }

    /** A fresh salted hash of {@code password} (1 to {@value #MAX_PASSWORD_BYTES} UTF-8 bytes). */
    String hash(char[] password);

    /** Whether {@code password} matches {@code hash}; false for a malformed hash, never throws for bad input. */
    boolean matches(String hash, char[] password);

    /**
     * A fixed hash of the same cost as {@code like} (or of the cost new hashes get, when {@code like} is null or
     * not a hash): checking a password against it takes as long as checking a real one, which is what a login
     * for an unknown agent does, so the answer time tells nothing about which agents exist.
     */
    String dummyHash(@Nullable String like);

    /**
     * Whether {@code password} is well-formed text (no lone surrogate) of 1 to {@value #MAX_PASSWORD_BYTES} UTF-8
     * bytes, what bcrypt takes.
     */
    static boolean acceptableLength(char[] password) {
        if (password.length == 0 || password.length > MAX_PASSWORD_BYTES) {
            return false;
        }
        try {
            return StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(password)).remaining() <= MAX_PASSWORD_BYTES;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
