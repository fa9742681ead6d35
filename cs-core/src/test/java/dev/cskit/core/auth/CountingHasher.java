/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.auth;

import dev.cskit.api.annotation.Nullable;
import java.util.ArrayList;
import java.util.List;

/** A test double: real bcrypt of cost 4 that records every password check and the hash it was made against. */
public final class CountingHasher implements PasswordHasher {

    private final BcryptHasher real = new BcryptHasher(4);
    private final List<String> checked = new ArrayList<>(); // guarded by this

    @Override
    public String hash(char[] password) {
        return real.hash(password);
    }

    @Override
    public boolean matches(String hash, char[] password) {
        synchronized (this) {
            checked.add(hash);
        }
        return real.matches(hash, password);
    }

    @Override
    public String dummyHash(@Nullable String like) {
        return real.dummyHash(like);
    }

    /** The hashes passwords were checked against, oldest first. */
    public synchronized List<String> checked() {
        return List.copyOf(checked);
    }

    public synchronized int checks() {
        return checked.size();
    }
}
