/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.session.Session;
import dev.cskit.core.auth.LinkRole;
import dev.cskit.core.auth.PartyAuthorizer;
import dev.cskit.media.whip.PeerRole;
import dev.cskit.media.whip.StreamKey;
import dev.cskit.media.whip.StreamKey.Source;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The stream path → {@link StreamKey} mapping and the publish/play rule, for camera and screen streams. */
class StreamPathsTest {

    private static final Session SESSION = Session.newBuilder("cs_1", "t", "cust_1", "Ann", Instant.EPOCH)
            .agent("agent_001", "Agent Wang").build();
    private static final PartyAuthorizer.Party CUSTOMER = new PartyAuthorizer.Party("cust_1", LinkRole.CUSTOMER, SESSION);
    private static final PartyAuthorizer.Party AGENT = new PartyAuthorizer.Party("agent_001", LinkRole.AGENT, SESSION);

    @Test
    void aPathWithoutSuffixIsTheCameraAndScreenIsTheScreenShare() throws Exception {
        assertEquals(new StreamKey("cs_1", "cust_1", Source.CAMERA), StreamPaths.parse("customer-service/cs_1/cust_1"));
        assertEquals(new StreamKey("cs_1", "cust_1", Source.SCREEN),
                StreamPaths.parse("customer-service/cs_1/cust_1/screen"));
    }

    @Test
    void formatIsTheInverseOfParse() throws Exception {
        for (String path : new String[] {"customer-service/cs_1/agent_001", "customer-service/cs_1/agent_001/screen"}) {
            assertEquals(path, StreamPaths.format(StreamPaths.parse(path)));
        }
    }

    @Test
    void anUnknownSuffixIs404NamingTheOnlyOneAllowed() {
        for (String suffix : new String[] {"camera", "Screen", "screen2", "", "x"}) {
            StreamPaths.BadPathException e = assertThrows(StreamPaths.BadPathException.class,
                    () -> StreamPaths.parse("customer-service/cs_1/cust_1/" + suffix));
            assertEquals(404, e.status());
            assertTrue(e.getMessage().contains("only /screen"), e.getMessage());
        }
    }

    @Test
    void otherShapesAre404AndMalformedIds400() {
        for (String path : new String[] {"customer-service/cs_1", "customer-service/cs_1/cust_1/screen/x",
                "other/cs_1/cust_1/screen", "customer-service//cust_1/screen", "customer-service/cs_1//screen"}) {
            StreamPaths.BadPathException e = assertThrows(StreamPaths.BadPathException.class,
                    () -> StreamPaths.parse(path), path);
            assertEquals(404, e.status(), path);
            assertTrue(e.getMessage().contains("/screen (screen share)"), e.getMessage());
        }
        StreamPaths.BadPathException session = assertThrows(StreamPaths.BadPathException.class,
                () -> StreamPaths.parse("customer-service/a.b/cust_1/screen"));
        assertEquals(400, session.status());
        assertTrue(session.getMessage().contains("session_id"), session.getMessage());
        StreamPaths.BadPathException user = assertThrows(StreamPaths.BadPathException.class,
                () -> StreamPaths.parse("customer-service/cs_1/x|y/screen"));
        assertEquals(400, user.status());
        assertTrue(user.getMessage().contains("user_id"), user.getMessage());
    }

    @Test
    void aPartyPublishesOnlyItsOwnScreenAndPlaysOnlyTheOthers() {
        StreamKey customerScreen = new StreamKey("cs_1", "cust_1", Source.SCREEN);
        StreamKey agentScreen = new StreamKey("cs_1", "agent_001", Source.SCREEN);
        assertEquals(Optional.empty(), StreamPaths.refusal(CUSTOMER, PeerRole.PUBLISH, customerScreen));
        assertEquals(Optional.empty(), StreamPaths.refusal(AGENT, PeerRole.PLAY, customerScreen));
        assertEquals(Optional.empty(), StreamPaths.refusal(AGENT, PeerRole.PUBLISH, agentScreen));
        assertEquals(Optional.empty(), StreamPaths.refusal(CUSTOMER, PeerRole.PLAY, agentScreen));

        assertEquals(Optional.of("you may publish only your own stream: customer-service/cs_1/agent_001/screen"),
                StreamPaths.refusal(AGENT, PeerRole.PUBLISH, customerScreen));
        assertEquals(Optional.of("you may play only the other party's stream: customer-service/cs_1/agent_001/screen"),
                StreamPaths.refusal(CUSTOMER, PeerRole.PLAY, customerScreen));
        assertEquals(Optional.of("you may play only the other party's stream: customer-service/cs_1/cust_1/screen"),
                StreamPaths.refusal(AGENT, PeerRole.PLAY, agentScreen));
        // The camera keeps its rule and its messages.
        assertEquals(Optional.of("you may publish only your own stream: customer-service/cs_1/cust_1"),
                StreamPaths.refusal(CUSTOMER, PeerRole.PUBLISH, new StreamKey("cs_1", "agent_001")));
    }

    @Test
    void withoutAnAgentTheCustomerPlaysNothing() {
        Session waiting = Session.newBuilder("cs_2", "t", "cust_2", "Bo", Instant.EPOCH).build();
        PartyAuthorizer.Party customer = new PartyAuthorizer.Party("cust_2", LinkRole.CUSTOMER, waiting);
        assertEquals(Optional.of("you may play only the other party's stream (no agent is assigned yet)"),
                StreamPaths.refusal(customer, PeerRole.PLAY, new StreamKey("cs_2", "agent_001", Source.SCREEN)));
    }
}
