/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cskit.api.AgentAccount;
import dev.cskit.api.AgentStore;
import dev.cskit.api.CsConfig;
import dev.cskit.api.PluginContext;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.api.media.MediaTransport;
import dev.cskit.core.media.NoMediaPort;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStore;
import dev.cskit.core.CustomerService;
import dev.cskit.core.FakeRoomService;
import dev.cskit.core.ManualScheduler;
import dev.cskit.core.MutableClock;
import dev.cskit.core.auth.PasswordHasher;
import dev.cskit.core.http.RouteTable;
import dev.cskit.core.session.InMemoryAgentStore;
import dev.cskit.core.session.InMemorySessionStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, acceptance 5: a seeded fuzz of the JSON body of every endpoint that takes one. Each case is a mutation
 * of a valid body ({@link JsonMutator}); every answer must be the JSON envelope with 200 or a 4xx (never a 5xx:
 * no exception escapes a handler), and a refused request must write nothing to the stores and leave the sessions,
 * the agent accounts and the agents' states as they were.
 *
 * <p>CI runs {@value #DEFAULT_CASES} cases with a fixed seed. A longer run, for humans:
 * {@code ./mvnw -pl cs-core -am test -Dtest=JsonBodiesFuzzTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dcskit.fuzz.cases=5000000 -Dcskit.fuzz.seed=$RANDOM}. A failure names the seed, the case and the body (base64).
 */
class JsonBodiesFuzzTest {

    static final int DEFAULT_CASES = 100_000;
    private static final int CASES = Integer.getInteger("cskit.fuzz.cases", DEFAULT_CASES);
    private static final long SEED = Long.getLong("cskit.fuzz.seed", 20260512L);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "fuzz-admin-token-0123456789";

    /** A session store that counts writes. */
    private static final class CountingSessions implements SessionStore {
        final InMemorySessionStore store = new InMemorySessionStore();
        final AtomicLong puts = new AtomicLong();

        @Override
        public Collection<Session> load() {
            return store.load();
        }

        @Override
        public void put(Session s) throws IOException {
            puts.incrementAndGet();
            store.put(s);
        }

        @Override
        public void close() {
            store.close();
        }
    }

    /** An agent store that counts writes. */
    private static final class CountingAgents implements AgentStore {
        final InMemoryAgentStore store = new InMemoryAgentStore();
        final AtomicLong writes = new AtomicLong();

        @Override
        public Contents load() {
            return store.load();
        }

        @Override
        public void put(AgentAccount a) throws IOException {
            writes.incrementAndGet();
            store.put(a);
        }

        @Override
        public void remove(String id) throws IOException {
            writes.incrementAndGet();
            store.remove(id);
        }

        @Override
        public void close() {
            store.close();
        }
    }

    /**
     * A quick stand-in for bcrypt (the hasher is not what this test is about; 100 k cases of real hashes would take
     * minutes): a hash is the password behind a marker; checks compare.
     */
    private static final class PlainHasher implements PasswordHasher {
        @Override
        public String hash(char[] password) {
            return "plain:" + new String(password);
        }

        @Override
        public boolean matches(String hash, char[] password) {
            return hash.equals("plain:" + new String(password));
        }

        @Override
        public String dummyHash(String like) {
            return "plain:\u0000";
        }
    }

    private record Endpoint(String method, String path, Supplier<String> bearer, String validBody) {
    }

    @Test
    void everyJsonBodyMutatedAnswersAnEnvelopeAndARefusalChangesNothing() throws Exception {
        MutableClock clock = new MutableClock();
        ManualScheduler scheduler = new ManualScheduler(clock);
        CountingSessions sessionStore = new CountingSessions();
        CountingAgents agentStore = new CountingAgents();
        String hash = "plain:secret";
        CsConfig cfg = CsConfig.newBuilder().dataDir(null).adminToken(ADMIN).maxSessions(40).autoAssign(true)
                .enableRecording(true) // with a media port below: the recording switch takes bodies too
                .agents(List.of(new AgentAccount("agent_001", "Agent Wang", hash),
                        new AgentAccount("agent_002", "Agent Li", hash))).build();
        CustomerService plugin = CustomerService.newBuilder().sessionStore(sessionStore).agentStore(agentStore)
                .passwordHasher(new PlainHasher()).build();
        RouteTable http = new RouteTable();
        MediaTransport noMedia = new NoMediaPort();
        plugin.start(PluginContext.newBuilder().rooms(new FakeRoomService(clock)).http(http).scheduler(scheduler)
                .clock(clock).config(cfg).media(noMedia).build());
        try {
            // Fixture: a Waiting session, an Active call, an Ended one with its customer's token, an agent to patch.
            String waiting = plugin.sessions().create("Waiting", "Ann", null).id();
            String active = plugin.sessions().create("Active", "Ben", null).id();
            plugin.sessions().assign(active, "agent_001", "Agent Wang");
            plugin.sessions().accept(active, "agent_001");
            Session ended = plugin.sessions().create("Ended", "Cid", null);
            plugin.sessions().close(ended.id());
            String customerToken = plugin.tokens().issueLink(ended.id(), dev.cskit.core.auth.LinkRole.CUSTOMER,
                    ended.customerId(), clock.instant().plusSeconds(3600));
            plugin.agentAccounts().create(new AgentAccount("agent_fz", "Fuzz", hash));
            String agentToken = plugin.tokens().issueAgent("agent_002", 0, clock.instant().plusSeconds(3600));

            List<Endpoint> endpoints = List.of(
                    new Endpoint("POST", "/customer-service/sessions", () -> ADMIN,
                            "{\"title\":\"After-sales\",\"customer_name\":\"John\",\"description\":\"screen\"}"),
                    new Endpoint("POST", "/customer-service/sessions/" + waiting + "/assign", () -> ADMIN,
                            "{\"agent_id\":\"agent_001\",\"agent_name\":\"Agent Wang\"}"),
                    new Endpoint("POST", "/customer-service/sessions/" + active + "/transfer", () -> ADMIN,
                            "{\"to_agent_id\":\"agent_002\",\"to_agent_name\":\"Agent Li\"}"),
                    new Endpoint("POST", "/customer-service/sessions/" + ended.id() + "/rating", () -> customerToken,
                            "{\"stars\":5,\"comment\":\"quick and kind\"}"),
                    new Endpoint("POST", "/customer-service/agents/login", () -> null,
                            "{\"agent_id\":\"agent_001\",\"password\":\"secret\"}"),
                    new Endpoint("POST", "/customer-service/agents/agent_002/status", () -> agentToken,
                            "{\"status\":\"ready\"}"),
                    new Endpoint("POST", "/customer-service/agents", () -> ADMIN,
                            "{\"id\":\"agent_new\",\"name\":\"New\",\"password\":\"pw-new\"}"),
                    new Endpoint("PATCH", "/customer-service/agents/agent_fz", () -> ADMIN,
                            "{\"name\":\"Fuzzy\",\"password\":\"pw-fz\",\"enabled\":true}"),
                    new Endpoint("POST", "/customer-service/sessions/" + active + "/recording", () -> ADMIN,
                            "{\"enabled\":false}"));

            Random rnd = new Random(SEED);
            JsonMutator mutator = new JsonMutator(rnd);
            Map<Integer, Integer> byStatus = new TreeMap<>();
            long[] nanos = new long[endpoints.size()];
            for (int i = 0; i < CASES; i++) {
                Endpoint e = endpoints.get(i % endpoints.size());
                int caseNo = i;
                byte[] body = mutator.mutate(e.validBody());
                boolean deepCheck = i % 8 == 0;
                List<Object> before = deepCheck ? state(plugin) : null;
                long writes = sessionStore.puts.get() + agentStore.writes.get();
                HttpRequest.Builder b = HttpRequest.newBuilder(e.method(), e.path()).body(body)
                        .header("Content-Type", "application/json");
                String bearer = e.bearer().get();
                if (bearer != null) {
                    b.header("Authorization", "Bearer " + bearer);
                }
                long t0 = System.nanoTime();
                HttpResponse r = http.handle(b.build());
                nanos[i % endpoints.size()] += System.nanoTime() - t0;
                byStatus.merge(r.status(), 1, Integer::sum);
                Supplier<String> why = () -> "seed " + SEED + ", case " + caseNo + ", " + e.method() + " " + e.path()
                        + ", body (base64) " + Base64.getEncoder().encodeToString(body) + " -> " + r.status() + " "
                        + r.bodyAsString();
                JsonNode env;
                try {
                    env = JSON.readTree(r.bodyAsString());
                } catch (IOException notJson) {
                    fail("not a JSON envelope: " + why.get());
                    return;
                }
                if (r.status() == 200) {
                    assertEquals(0, env.path("code").asInt(-1), why);
                    continue;
                }
                assertTrue(r.status() >= 400 && r.status() < 500, () -> "not a 4xx: " + why.get());
                assertEquals(r.status(), env.path("code").asInt(), why);
                assertTrue(env.path("message").isTextual() && !env.path("message").asText().isBlank(), why);
                assertEquals(writes, sessionStore.puts.get() + agentStore.writes.get(), () -> "a refusal wrote: " + why.get());
                if (deepCheck) {
                    assertEquals(before, state(plugin), () -> "a refusal changed state: " + why.get());
                }
            }
            System.out.println("JsonBodiesFuzzTest: " + CASES + " cases, seed " + SEED + ", answers by status "
                    + byStatus + ", ms by endpoint " + java.util.Arrays.toString(java.util.Arrays.stream(nanos)
                    .map(n -> n / 1_000_000).toArray()));
            assertTrue(byStatus.getOrDefault(200, 0) > 0, "no mutated body was accepted: the fuzz is too blunt");
            assertTrue(byStatus.getOrDefault(400, 0) > CASES / 2, "too few refusals: " + byStatus);
        } finally {
            plugin.stop();
            scheduler.shutdownNow();
        }
    }

    /** What a refusal must not change: sessions, agent accounts and the agents' states (records: compared by value). */
    private static List<Object> state(CustomerService plugin) {
        return List.of(new java.util.HashSet<>(plugin.sessions().all()), plugin.agentAccounts().all(),
                plugin.agents().agents());
    }
}
