/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.whip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StreamKeyTest {

    @Test
    void equalByValueAndPrintedAsSessionSlashUser() {
        assertEquals(new StreamKey("cs_1", "agent_001"), new StreamKey("cs_1", "agent_001"));
        assertNotEquals(new StreamKey("cs_1", "agent_001"), new StreamKey("cs_1", "cust_1"));
        assertEquals("cs_1/agent_001", new StreamKey("cs_1", "agent_001").toString());
    }

    @Test
    void aScreenShareIsAnotherStreamOfTheSameUser() {
        StreamKey camera = new StreamKey("cs_1", "agent_001");
        StreamKey screen = camera.withSource(StreamKey.Source.SCREEN);
        assertEquals(StreamKey.Source.CAMERA, camera.source());
        assertNotEquals(camera, screen);
        assertEquals(new StreamKey("cs_1", "agent_001", StreamKey.Source.SCREEN), screen);
        assertEquals(camera, screen.withSource(StreamKey.Source.CAMERA));
        assertEquals("cs_1/agent_001/screen", screen.toString());
        assertThrows(NullPointerException.class, () -> new StreamKey("s", "u", null));
    }

    @Test
    void refusesEmptyPartsAndPartsThatWouldMakeAnotherPath() {
        assertThrows(IllegalArgumentException.class, () -> new StreamKey("", "u"));
        assertThrows(IllegalArgumentException.class, () -> new StreamKey("s", ""));
        assertThrows(IllegalArgumentException.class, () -> new StreamKey("s/x", "u"));
        assertThrows(IllegalArgumentException.class, () -> new StreamKey("s", "u/screen"));
        assertThrows(NullPointerException.class, () -> new StreamKey(null, "u"));
    }
}
