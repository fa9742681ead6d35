/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import java.security.SecureRandom;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/** Makes the bcrypt hashes agents' passwords are configured with. Thread-safe. */
public final class PasswordHasher {

    /** bcrypt cost: 2^12 rounds. */
    public static final int COST = 12;

    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHasher() {
    }

    /** A {@code $2b$12$...} hash of the password with a fresh 16-byte salt. */
    public static String hash(char[] password) {
        if (password.length == 0) {
            throw new IllegalArgumentException("the password must not be empty");
        }
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return OpenBSDBCrypt.generate("2b", password, salt, COST);
    }
}
