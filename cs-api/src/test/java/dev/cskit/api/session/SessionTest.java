package dev.cskit.api.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionTest {

    private static final Instant T0 = Instant.parse("2024-01-15T10:30:00Z");

    private static Session waiting() {
        return Session.newBuilder("cs_1", "After-sales inquiry", "cust_1", "John", T0).build();
    }

    @Test
    void durationRunsFromAcceptToEnd() {
        Session active = waiting().toBuilder().agent("agent_001", "Agent Wang").status(SessionStatus.ACTIVE)
                .acceptedAt(T0.plusSeconds(10)).build();
        assertEquals(0, waiting().durationSeconds(T0.plusSeconds(99)));
        assertEquals(5, active.durationSeconds(T0.plusSeconds(15)));
        Session ended = active.toBuilder().status(SessionStatus.ENDED)
                .ended(T0.plusSeconds(70), EndReason.AGENT_HANGUP).build();
        assertEquals(60, ended.durationSeconds(T0.plusSeconds(1000)));
    }

    @Test
    void rejectsInconsistentStates() {
        assertThrows(IllegalArgumentException.class,
                () -> waiting().toBuilder().status(SessionStatus.ACTIVE).acceptedAt(T0).build());
        assertThrows(IllegalArgumentException.class, () -> waiting().toBuilder().onHold(true).build());
        assertThrows(IllegalArgumentException.class,
                () -> waiting().toBuilder().rating(new Rating(5, "", T0)).build());
        assertThrows(IllegalArgumentException.class, () -> waiting().toBuilder().agent("a", null).build());
        assertThrows(IllegalArgumentException.class, () -> waiting().toBuilder().status(SessionStatus.ENDED).build());
    }

    @Test
    void ratingsAreOneToFiveStarsWithABoundedComment() {
        assertThrows(IllegalArgumentException.class, () -> new Rating(0, "", T0));
        assertThrows(IllegalArgumentException.class, () -> new Rating(6, "", T0));
        assertThrows(IllegalArgumentException.class, () -> new Rating(3, "x".repeat(501), T0));
        assertEquals(4, new Rating(4, "x".repeat(500), T0).stars());
    }

    @Test
    void statusWireNamesRoundTrip() {
        for (SessionStatus s : SessionStatus.values()) {
            assertEquals(s, SessionStatus.fromWire(s.wireName()));
        }
        assertEquals(SessionStatus.ACTIVE, SessionStatus.fromWire("active"));
        assertThrows(IllegalArgumentException.class, () -> SessionStatus.fromWire("Paused"));
    }
}
