/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.session.CallQuality;
import dev.cskit.api.session.DirectionQuality;
import dev.cskit.api.session.EndReason;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStatus;
import dev.cskit.core.MutableClock;
import dev.cskit.core.json.SessionJson;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A session's {@code quality}: measured once as it ends, kept by the journal and JSON, sortable in listings. */
class SessionQualityTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();

    private static CallQuality quality(double mos) {
        return new CallQuality(new DirectionQuality(1.5, 4.25, 80.0, mos, 1000),
                new DirectionQuality(0, 2, null, 4.4, 900));
    }

    private SessionManager manager(dev.cskit.api.session.SessionStore store) throws IOException {
        SessionManager m = new SessionManager(store, clock, 10, Duration.ofHours(1));
        m.restore();
        return m;
    }

    @Test
    void theEndingChangeKeepsTheMeasuredQualityAndTheJournalKeepsIt() throws IOException {
        AtomicInteger measured = new AtomicInteger();
        String id;
        try (JournalSessionStore store = new JournalSessionStore(dir)) {
            SessionManager m = manager(store);
            m.useQuality(s -> {
                measured.incrementAndGet();
                return quality(3.1);
            });
            id = m.create("Help", "John", null).id();
            m.assign(id, "agent_001", "Wang");
            assertNull(m.accept(id, "agent_001").quality(), "not measured before the end");
            Session ended = m.end(id, EndReason.CLOSED);
            assertEquals(quality(3.1), ended.quality());
            m.rate(id, 4, null);
            assertEquals(1, measured.get(), "measured once, when the call ended");
        }
        try (JournalSessionStore store = new JournalSessionStore(dir)) {
            assertEquals(quality(3.1), manager(store).require(id).quality());
        }
    }

    @Test
    void onlyAnEndedSessionHasAQuality() {
        Session.Builder b = Session.newBuilder("cs_1", "t", "cust_1", "John", clock.instant()).quality(quality(2));
        assertThrows(IllegalArgumentException.class, b::build);
    }

    @Test
    void sessionJsonCarriesQualityAndReadsOlderRecordsWithoutIt() {
        Session s = Session.newBuilder("cs_1", "t", "cust_1", "John", clock.instant())
                .status(SessionStatus.ENDED).ended(clock.instant(), EndReason.CLOSED).quality(quality(3.2)).build();
        ObjectNode n = SessionJson.toNode(s, clock.instant());
        assertEquals(3.2, n.at("/quality/mos").asDouble(), 1e-9);
        assertEquals(1.5, n.at("/quality/customer_to_agent/loss_pct").asDouble(), 1e-9);
        assertEquals(4.25, n.at("/quality/customer_to_agent/jitter_ms").asDouble(), 1e-9);
        assertEquals(80.0, n.at("/quality/customer_to_agent/rtt_ms").asDouble(), 1e-9);
        assertEquals(1000, n.at("/quality/customer_to_agent/packets").asLong());
        assertEquals(true, n.at("/quality/agent_to_customer/rtt_ms").isNull());
        assertEquals(s, SessionJson.fromNode(n));

        n.remove("quality"); // what a version before issue 16 wrote
        assertNull(SessionJson.fromNode(n).quality());
        n.put("quality", "bad");
        assertThrows(IllegalArgumentException.class, () -> SessionJson.fromNode(n));
    }

    @Test
    void listingSortedByQualityPutsTheWorstCallsFirstAndUnmeasuredLast() throws IOException {
        SessionManager m = manager(new InMemorySessionStore());
        double[] next = {0};
        m.useQuality(s -> next[0] == 0 ? null : quality(next[0]));
        String good = endWith(m, next, 4.2);
        String bad = endWith(m, next, 1.9);
        String none = endWith(m, next, 0);
        String fair = endWith(m, next, 3.0);
        assertEquals(List.of(bad, fair, good, none), ids(m.list(null, null, 1, 10, SessionOrder.parse("quality", null))));
        assertEquals(List.of(good, fair, bad, none), ids(m.list(null, null, 1, 10, SessionOrder.parse("quality", "desc"))));
        assertEquals(List.of(fair, none, bad, good), ids(m.list(null, null, 1, 10, SessionOrder.parse(null, null))));
        assertEquals(List.of(bad), ids(m.list(null, null, 1, 1, SessionOrder.parse("quality", "asc"))));
        assertThrows(IllegalArgumentException.class, () -> SessionOrder.parse("mos", null));
        assertThrows(IllegalArgumentException.class, () -> SessionOrder.parse("quality", "up"));
    }

    private String endWith(SessionManager m, double[] next, double mos) {
        clock.advance(Duration.ofSeconds(1));
        String id = m.create("Help", "John", null).id();
        next[0] = mos;
        m.end(id, EndReason.CLOSED);
        return id;
    }

    private static List<String> ids(SessionPage p) {
        return p.items().stream().map(Session::id).toList();
    }
}
