/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RoomErrorTest {

    @Test
    void buildsTheErrorFrameWithJsonEscapes() {
        assertEquals("{\"action\":\"error\",\"code\":\"bad_request\",\"message\":\"plain\"}",
                new RoomError("bad_request", "plain").toJson());
        // RFC 8259 §7: quotation mark, reverse solidus and control characters must be escaped; others may not be.
        assertEquals("{\"action\":\"error\",\"code\":\"x\",\"message\":\"a\\\"b\\\\c\\nd\\te\\u0001f é\"}",
                new RoomError("x", "a\"b\\c\nd\te\u0001f é").toJson());
        assertThrows(IllegalArgumentException.class, () -> new RoomError(" ", "m"));
    }

    @Test
    void seatCheckRefusesAnotherRoomOrUserAndLetsAbsentOnesDefault() {
        String room = "customer-service/cs_1";
        assertEquals(Optional.empty(), RoomError.checkSeat(room, "u1", null, null));
        assertEquals(Optional.empty(), RoomError.checkSeat(room, "u1", room, "u1"));
        RoomError otherRoom = RoomError.checkSeat(room, "u1", "customer-service/cs_2", "u1").orElseThrow();
        assertEquals("bad_request", otherRoom.code());
        assertEquals("room_id must be customer-service/cs_1, the room this connection joined (or left out)",
                otherRoom.message());
        RoomError otherUser = RoomError.checkSeat(room, "u1", null, "u2").orElseThrow();
        assertEquals("forbidden", otherUser.code());
        assertTrue(otherUser.message().startsWith("user_id must be u1"), otherUser.message());
        // A room_id that is not a string (a number, an object) is another room too.
        assertEquals("bad_request", RoomError.checkSeat(room, "u1", 5, null).orElseThrow().code());
        assertEquals("forbidden", RoomError.checkSeat(room, "u1", null, Boolean.TRUE).orElseThrow().code());
    }
}
