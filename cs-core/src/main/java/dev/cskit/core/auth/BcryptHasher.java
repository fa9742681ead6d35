/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.auth;

import dev.cskit.api.annotation.Nullable;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.DataLengthException;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * bcrypt through BouncyCastle's {@link OpenBSDBCrypt}: {@code $2b$} hashes with a 16-byte random salt; checks
 * accept {@code $2a$}, {@code $2b$} and {@code $2y$}. Thread-safe.
 */
public final class BcryptHasher implements PasswordHasher {

    /** 2^12 rounds, what {@code hash-password} uses: about a quarter of a second on a server core. */
    public static final int DEFAULT_COST = 12;

    private static final Pattern HASH = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$.{53}");
    private static final char[] DUMMY_PASSWORD = "cskit-no-such-agent".toCharArray();
    private static final byte[] DUMMY_SALT = new byte[16];

    private final int cost;
    private final SecureRandom random = new SecureRandom();
    /** Dummy hashes by cost, made on first use (each costs one bcrypt run, once). */
    private final ConcurrentHashMap<Integer, String> dummies = new ConcurrentHashMap<>();

    /** @param cost log2 of the rounds of new hashes, 4 to 31 */
    public BcryptHasher(int cost) {
        if (cost < 4 || cost > 31) {
            throw new IllegalArgumentException("bcrypt cost must be 4 to 31, was " + cost);
        }
        this.cost = cost;
    }

    /** The cost of a bcrypt hash, or -1 if it is not one. */
    public static int costOf(@Nullable String hash) {
        if (hash == null) {
            return -1;
        }
        Matcher m = HASH.matcher(hash);
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    @Override
    public String hash(char[] password) {
        if (!PasswordHasher.acceptableLength(password)) {
            throw new IllegalArgumentException("a password must be 1 to " + MAX_PASSWORD_BYTES + " UTF-8 bytes");
        }
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return OpenBSDBCrypt.generate("2b", password, salt, cost);
    }

    @Override
    public boolean matches(String hash, char[] password) {
        if (costOf(hash) < 4) {
            return false;
        }
        try {
            return OpenBSDBCrypt.checkPassword(hash, password);
        } catch (IllegalArgumentException | IllegalStateException | DataLengthException e) {
            return false; // a password bcrypt cannot take (empty, over 72 bytes, a lone surrogate)
        }
    }

    @Override
    public String dummyHash(@Nullable String like) {
        int c = costOf(like);
        int dummyCost = c >= 4 ? c : cost;
        return dummies.computeIfAbsent(dummyCost, k -> OpenBSDBCrypt.generate("2b", DUMMY_PASSWORD, DUMMY_SALT, k));
    }
}
