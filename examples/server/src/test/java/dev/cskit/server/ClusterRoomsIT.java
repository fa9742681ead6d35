/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cskit.api.room.RoomCallbacks;
import dev.cskit.api.room.RoomType;
import dev.cskit.netty.NettyHost;
import dev.cskit.store.redis.RedisRoomBus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, step 3 and acceptance 2 and 5: rooms and signaling across nodes. Three server nodes (child JVMs, heaps
 * capped at 256 MB) share their rooms and agents in one real {@code redis-server}; first, two hosts in this JVM on the
 * same Redis show the seat limit across nodes ({@code room_full} for a third user on either). The customer's socket is
 * on node A, the agent's on node B. Both see each other in {@code joined} and in {@code GET /customer-service/rooms} on
 * either node, chat both ways, and every event of accept, hold, resume, a transfer by the agent to an agent whose desk
 * is on node C (rung there, it accepts and joins the call from node C) and end reaches both, in order. Then
 * {@code kill -9} of node B during a held call whose agent's socket and desk were on B: the customer on A hears
 * {@code user_left} within the seat TTL (6 s) plus a heartbeat (2 s), the hold acknowledged by B is kept, the agent
 * opens its desk and rejoins on A, the call goes on (resume, end), and the agent is neither busy nor ringing after it.
 * The cluster is started once for the class; the kill comes last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class ClusterRoomsIT {

    private static final String AGENT = "agent_001";
    private static final String AGENT_2 = "agent_002";
    private static final String LINK_SECRET = "cluster-rooms-it-link-secret-0123";

    @TempDir
    static Path dir;

    private ClusterNodes cluster;
    private ChildServer nodeA;
    private ChildServer nodeB;
    private ChildServer nodeC;
    private Http a;
    private Http b;
    private Http c;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = ClusterNodes.start(dir);
        nodeA = node("node-a");
        nodeB = node("node-b");
        nodeC = node("node-c");
        a = new Http(nodeA.port(), null); // admin over loopback
        b = new Http(nodeB.port(), null);
        c = new Http(nodeC.port(), null);
        for (Http node : List.of(a, b, c)) { // each node keeps its own agent accounts (their desks sign in)
            for (String agent : List.of(AGENT, AGENT_2)) {
                Http.Reply made = node.post("/customer-service/agents", Http.obj().put("id", agent)
                        .put("name", agent).put("password", "pw-" + agent).toString());
                if (made.status() == 409) { // a default account: set its password
                    node.patch("/customer-service/agents/" + agent, Http.obj().put("password", "pw-" + agent)
                            .toString()).data();
                } else {
                    made.data();
                }
            }
        }
    }

    private ChildServer node(String id) throws Exception {
        Path config = cluster.config(id, List.of(
                "server: { public_ip: 127.0.0.1 }",
                "customer_service:",
                "  link_secret: " + LINK_SECRET,
                "  auto_assign: false",
                "  wrap_up: 0"));
        return cluster.node(id, config, ClusterNodes.CLASS_PATH, 0);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A session made on node A and assigned to the agent on node B: its id and links. */
    private record Call(String id, JsonNode links) {
    }

    private Call call(String title) {
        String id = a.createSession(title, "Ann").path("id").asText();
        b.assign(id, AGENT, "Agent Wang");
        return new Call(id, a.links(id));
    }

    /** The actions of the next {@code n} frames the client receives, in order. */
    private static List<String> next(RoomClient c, int n) {
        List<String> actions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            JsonNode f = c.next();
            String action = f.path("action").asText();
            actions.add(action.equals("chat") ? "chat " + f.path("user_id").asText() + ": " + f.path("text").asText()
                    : action.equals("user_joined") || action.equals("user_left") ? action + " " + f.path("user_id")
                    .asText() : action);
        }
        return actions;
    }

    private static Set<String> users(JsonNode list) {
        Set<String> out = new TreeSet<>();
        list.forEach(u -> out.add(u.path("user_id").asText()));
        return out;
    }

    @Test
    @Order(0)
    void aRoomSeatsItsLimitAcrossNodesAndAThirdUserOnEitherNodeGetsRoomFull() throws Exception {
        // A customer-service room admits only its customer and its agent, so the limit is shown with a room type
        // that admits anyone, on two hosts in this JVM sharing the same Redis.
        RoomType type = new RoomType("it_pair", 2, "pair/");
        List<NettyHost> hosts = new ArrayList<>();
        try {
            for (String node : List.of("it-x", "it-y")) {
                NettyHost host = NettyHost.newBuilder().port(0)
                        .roomBus(RedisRoomBus.newBuilder(cluster.redis().uri(0)).nodeId(node).connect()).build()
                        .start();
                host.registerCallbacks(type, new RoomCallbacks() { });
                hosts.add(host);
            }
            int x = hosts.get(0).port();
            int y = hosts.get(1).port();
            try (RoomClient ann = RoomClient.connect("ann@x", x, type.name());
                 RoomClient bo = RoomClient.connect("bo@y", y, type.name());
                 RoomClient cy = RoomClient.connect("cy@x", x, type.name());
                 RoomClient cyAgain = RoomClient.connect("cy@y", y, type.name())) {
                assertEquals("joined", joinPair(ann, "ann").path("action").asText());
                JsonNode joined = joinPair(bo, "bo");
                assertEquals(Set.of("ann", "bo"), users(joined.path("users")));
                assertEquals("room_full", joinPair(cy, "cy").path("code").asText());
                assertEquals("room_full", joinPair(cyAgain, "cy").path("code").asText());
                assertEquals(List.of("user_joined bo"), next(ann, 1));

                ann.send(Http.obj().put("action", "leave"));
                assertEquals(List.of("user_left ann"), next(bo, 1));
                // The freed seat is taken from the other node.
                assertEquals(Set.of("bo", "cy"), users(joinPair(cyAgain, "cy").path("users")));
                assertEquals(List.of("user_joined cy"), next(bo, 1));
            }
        } finally {
            hosts.forEach(NettyHost::close);
        }
    }

    private static JsonNode joinPair(RoomClient c, String user) {
        c.send(Http.obj().put("action", "join").put("room_id", "pair/1").put("user_id", user));
        return c.expectAny("joined", "error");
    }

    @Test
    @Order(1)
    void aCallWhosePartiesAreOnTwoNodesSeesEveryEventOnBothSidesInOrder() {
        Call call = call("Two nodes, one call");
        String id = call.id();
        JsonNode links = call.links();
        String customerId = links.path("customer_id").asText();
        try (RoomClient customer = RoomClient.connect("customer@A", nodeA.port());
             RoomClient agent = RoomClient.connect("agent@B", nodeB.port())) {
            JsonNode joinedC = customer.join(id, customerId, links.path("customer_token").asText());
            assertEquals("joined", joinedC.path("action").asText(), joinedC::toString);
            assertEquals(Set.of(customerId), users(joinedC.path("users")));
            JsonNode joinedA = agent.join(id, AGENT, links.path("agent_token").asText());
            assertEquals("joined", joinedA.path("action").asText(), joinedA::toString);
            assertEquals(Set.of(customerId, AGENT), users(joinedA.path("users")));
            assertEquals(List.of("user_joined " + AGENT), next(customer, 1));
            assertEquals(Set.of(customerId, AGENT), roomUsers(a, id));
            assertEquals(Set.of(customerId, AGENT), roomUsers(b, id));

            customer.send(Http.obj().put("action", "chat").put("text", "hello from A"));
            assertEquals(List.of("chat " + customerId + ": hello from A"), next(agent, 1));
            agent.send(Http.obj().put("action", "chat").put("text", "hello from B"));
            assertEquals(List.of("chat " + AGENT + ": hello from B"), next(customer, 1));

            // Each event is made on node B and reaches the customer on node A, in its turn.
            for (String[] step : new String[][] {{"accept_call", "call_accepted"}, {"hold_call", "call_held"},
                    {"resume_call", "call_resumed"}}) {
                agent.action(step[0], id, AGENT);
                assertEquals(List.of(step[1]), next(customer, 1));
                assertEquals(List.of(step[1]), next(agent, 1));
            }
            assertEquals("Active", b.session(id).path("status").asText());

            // The agent on node B transfers the call to agent_002, whose desk is on node C: the desk is rung there,
            // accepts, both parties hear call_transferred, the customer hears agent_001 go, and agent_002 joins the
            // call from node C.
            try (AgentDesk desk = AgentDesk.open(AGENT_2, "c", c, nodeC.port());
                 RoomClient agent2 = RoomClient.connect("agent2@C", nodeC.port())) {
                desk.endCalls(false);
                desk.send("agent_ready", null);
                await("agent_002 ready, seen from node A", () -> state(a, AGENT_2).equals("ready"));
                agent.send(Http.obj().put("action", "transfer_call").put("to_agent_id", AGENT_2)
                        .put("to_agent_name", "Agent Li"));
                assertEquals(List.of("transfer_ringing"), next(agent, 1));
                AgentDesk.Frame offer = desk.awaitFrame("incoming_call", id);
                assertTrue(offer.json().path("transfer").asBoolean(), offer::toString);
                assertEquals(AGENT, offer.json().path("from_agent_id").asText(), offer::toString);
                desk.send("accept_incoming", id);
                assertEquals(List.of("call_transferred", "user_left " + AGENT), next(customer, 2));
                assertEquals(List.of("call_transferred"), next(agent, 1));
                desk.awaitFrame("incoming_accepted", id);
                await("agent_002 busy, seen from node B", () -> state(b, AGENT_2).equals("busy"));

                JsonNode joined2 = agent2.join(id, AGENT_2, a.links(id).path("agent_token").asText());
                assertEquals(Set.of(customerId, AGENT_2), users(joined2.path("users")), joined2::toString);
                assertEquals(List.of("user_joined " + AGENT_2), next(customer, 1));

                customer.action("end_call", id, customerId);
                assertEquals(List.of("call_ended"), next(customer, 1));
                assertEquals(List.of("call_ended"), next(agent2, 1));
                await("agent_002 free after the call, seen from node A", () -> state(a, AGENT_2).equals("ready"));
            }
            assertEquals("customer_hangup", a.session(id).path("end_reason").asText());
            assertEquals(AGENT_2, b.session(id).path("agent_id").asText());
            assertTrue(roomUsers(b, id).isEmpty(), () -> roomUsers(b, id).toString());
            assertEquals(List.of(), agent.sync(), "the old agent hears nothing once its seat was taken");
        }
    }

    @Test
    @Order(2)
    void whenTheAgentsNodeIsKilledTheCustomerHearsUserLeftAndTheAgentRejoinsOnTheOtherNode() {
        Call call = call("Node B dies");
        String id = call.id();
        JsonNode links = call.links();
        String customerId = links.path("customer_id").asText();
        try (RoomClient customer = RoomClient.connect("customer@A", nodeA.port());
             RoomClient agent = RoomClient.connect("agent@B", nodeB.port());
             AgentDesk deskB = AgentDesk.open(AGENT, "b", b, nodeB.port())) {
            deskB.endCalls(false);
            customer.join(id, customerId, links.path("customer_token").asText());
            agent.join(id, AGENT, links.path("agent_token").asText());
            assertEquals(List.of("user_joined " + AGENT), next(customer, 1));
            agent.action("accept_call", id, AGENT);
            assertEquals(List.of("call_accepted"), next(customer, 1));
            assertEquals(List.of("call_accepted"), next(agent, 1));
            agent.action("hold_call", id, AGENT); // acknowledged on node B just before it dies
            assertEquals(List.of("call_held"), next(agent, 1));
            assertEquals(List.of("call_held"), next(customer, 1));
            await("agent_001 busy, seen from node A", () -> state(a, AGENT).equals("busy"));

            long killed = System.nanoTime();
            nodeB.kill();
            assertEquals(List.of("user_left " + AGENT), next(customer, 1));
            long heardMs = (System.nanoTime() - killed) / 1_000_000;
            assertTrue(heardMs < 6_000 + 2_000 + 2_000, "user_left came " + heardMs + " ms after the kill");
            assertEquals(Set.of(customerId), roomUsers(a, id));
            JsonNode kept = c.session(id);
            assertEquals("Active", kept.path("status").asText());
            assertTrue(kept.path("on_hold").asBoolean(), "the hold acknowledged by node B is kept: " + kept);

            try (AgentDesk deskA = AgentDesk.open(AGENT, "a", a, nodeA.port());
                 RoomClient again = RoomClient.connect("agent@A", nodeA.port())) {
                deskA.endCalls(false);
                JsonNode rejoined = again.join(id, AGENT, links.path("agent_token").asText());
                assertEquals("joined", rejoined.path("action").asText(), rejoined::toString);
                assertEquals(Set.of(customerId, AGENT), users(rejoined.path("users")));
                assertEquals(List.of("user_joined " + AGENT), next(customer, 1));
                assertEquals("busy", state(c, AGENT), "its call goes on");
                again.action("resume_call", id, AGENT);
                assertEquals(List.of("call_resumed"), next(customer, 1));
                assertEquals(List.of("call_resumed"), next(again, 1));
                again.action("end_call", id, AGENT);
                assertEquals(List.of("call_ended"), next(customer, 1));
                assertEquals(List.of("call_ended"), next(again, 1));
                assertEquals("agent_hangup", a.session(id).path("end_reason").asText());
                // Not left busy (nor ringing) by its dead node: free on its new desk, and it can take calls.
                await("agent_001 online again, seen from node C", () -> state(c, AGENT).equals("online"));
                deskA.send("agent_ready", null);
                await("agent_001 ready, seen from node A", () -> state(a, AGENT).equals("ready"));
            }
        }
    }

    private static String state(Http node, String agentId) {
        return ClusterReads.agentState(node, agentId);
    }

    private static Set<String> roomUsers(Http node, String sessionId) {
        return ClusterReads.roomUsers(node, sessionId);
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) {
        Await.until(what, condition, java.time.Duration.ofSeconds(60));
    }
}
