package dev.cskit.api.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RoomTypeTest {

    @Test
    void customerServiceRoomsSeatTwoUnderTheirPrefix() {
        RoomType t = RoomType.CUSTOMER_SERVICE;
        assertEquals(2, t.maxUsers());
        assertEquals("customer-service/cs_abc", t.roomId("cs_abc"));
        assertEquals("cs_abc", t.keyOf("customer-service/cs_abc"));
        assertTrue(t.owns("customer-service/cs_abc"));
        assertFalse(t.owns("customer-service/"));
        assertFalse(t.owns("conference/cs_abc"));
        assertThrows(IllegalArgumentException.class, () -> t.keyOf("conference/x"));
    }

    @Test
    void refusesRefusalsWithoutACode() {
        assertThrows(IllegalArgumentException.class, () -> JoinDecision.refuse(" ", "m"));
        JoinDecision d = JoinDecision.refuse("room_full", "the room already has 2 users");
        assertFalse(d.accepted());
        assertEquals("room_full", d.errorCode());
    }
}
