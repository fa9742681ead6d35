/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.srtp;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test helper: the three ways GCM can compute GHASH, each forced regardless of what the JVM opens. */
enum GhashKind {
    FAST_TABLES, COMPACT_TABLES, JDK;

    Ghash ghash(long hHi, long hLo) {
        return switch (this) {
            case FAST_TABLES -> new Ghash(hHi, hLo, Ghash.Tables.FAST);
            case COMPACT_TABLES -> new Ghash(hHi, hLo, Ghash.Tables.COMPACT);
            case JDK -> new Ghash(hHi, hLo);
        };
    }

    AesGcm gcm(byte[] key) {
        return switch (this) {
            case FAST_TABLES -> AesGcm.withTables(key, Ghash.Tables.FAST);
            case COMPACT_TABLES -> AesGcm.withTables(key, Ghash.Tables.COMPACT);
            case JDK -> new AesGcm(key, Ghash.Tables.FAST); // takes the JDK's when it is available
        };
    }

    /** Fails, rather than skip, if the JDK's GHASH is asked for and not opened (see cs-media/pom.xml). */
    GhashKind require() {
        if (this == JDK) {
            assertTrue(JdkGhash.AVAILABLE, "surefire must run with --add-opens java.base/com.sun.crypto.provider");
        }
        return this;
    }
}
