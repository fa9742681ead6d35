package dev.cskit.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PathPatternTest {

    @Test
    void matchesLiteralAndParameterSegments() {
        PathPattern p = PathPattern.parse("/customer-service/sessions/{id}/assign");
        assertEquals(Map.of("id", "cs_1"), p.match("/customer-service/sessions/cs_1/assign").orElseThrow());
        assertEquals(Map.of("id", "cs_1"), p.match("/customer-service/sessions/cs_1/assign/").orElseThrow());
        assertTrue(p.match("/customer-service/sessions/cs_1").isEmpty());
        assertTrue(p.match("/customer-service/sessions/cs_1/close").isEmpty());
        assertTrue(p.match("/customer-service/sessions//assign").isEmpty());
    }

    @Test
    void tailParameterTakesTheRestOfThePath() {
        PathPattern p = PathPattern.parse("/webrtc/whip/{path...}");
        assertEquals(Map.of("path", "customer-service/cs_1/agent_001"),
                p.match("/webrtc/whip/customer-service/cs_1/agent_001").orElseThrow());
        assertTrue(p.match("/webrtc/whip").isEmpty());
        assertTrue(p.match("/webrtc/whep/x").isEmpty());
    }

    @Test
    void rejectsMalformedPatterns() {
        assertThrows(IllegalArgumentException.class, () -> PathPattern.parse("sessions"));
        assertThrows(IllegalArgumentException.class, () -> PathPattern.parse("/sessions/{id"));
        assertThrows(IllegalArgumentException.class, () -> PathPattern.parse("/sessions/{}"));
        assertThrows(IllegalArgumentException.class, () -> PathPattern.parse("/a/{rest...}/b"));
    }
}
