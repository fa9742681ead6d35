/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The operations keys of the {@code server} section: {@code drain_timeout} and {@code metrics_token}. */
class OpsConfigTest {

    @Test
    void defaultsDrainForThirtySecondsWithoutAMetricsToken() {
        ServerConfig s = ConfigLoader.defaults().server();
        assertEquals(Duration.ofSeconds(30), s.drainTimeout());
        assertNull(s.metricsToken());
    }

    @Test
    void drainTimeoutAndMetricsTokenAreMappedAndTheTokenIsNotPrinted() throws Exception {
        ServerConfig s = ConfigLoader.parse("server: { drain_timeout: 0, metrics_token: scrape-0123456789abcdef }\n",
                "ops.yaml").server();
        assertEquals(Duration.ZERO, s.drainTimeout());
        assertEquals("scrape-0123456789abcdef", s.metricsToken());
        assertFalse(s.toString().contains("scrape-0123456789abcdef"), s.toString());
        assertTrue(s.toString().contains("metricsToken=set"), s.toString());
        assertEquals(8080, s.port(), "the other keys keep their defaults");
        assertEquals(Duration.ofSeconds(7),
                ConfigLoader.parse("server: { drain_timeout: 7 }\n", "d.yaml").server().drainTimeout());
    }

    @Test
    void badValuesAreRefusedWithTheKeysName() {
        ConfigException negative = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("server: { drain_timeout: -1 }\n", "n.yaml"));
        assertTrue(negative.getMessage().contains("server.drain_timeout"), negative.getMessage());
        ConfigException shortToken = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("server: { metrics_token: abc }\n", "t.yaml"));
        assertTrue(shortToken.getMessage().contains("server.metrics_token"), shortToken.getMessage());
    }
}
