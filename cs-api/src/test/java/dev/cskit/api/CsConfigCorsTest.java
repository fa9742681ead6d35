/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsConfigCorsTest {

    @Test
    void noCorsOriginsByDefault() {
        assertTrue(CsConfig.defaults().corsOrigins().isEmpty());
    }

    @Test
    void corsOriginsAreNormalizedAndKeptByToBuilder() {
        CsConfig c = CsConfig.newBuilder().corsOrigins(List.of("https://App.example.com:443/", "http://localhost:3000"))
                .build();
        assertEquals(List.of("https://app.example.com", "http://localhost:3000"), c.corsOrigins());
        assertEquals(c.corsOrigins(), c.toBuilder().build().corsOrigins());
    }

    @Test
    void anEntryThatIsNotAnOriginIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CsConfig.newBuilder().corsOrigins(List.of("https://app.example.com/path")));
        assertTrue(e.getMessage().startsWith("cors_origins: 'https://app.example.com/path'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CsConfig.newBuilder().corsOrigins(List.of("*")));
    }
}
