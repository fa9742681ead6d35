/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cskit.api.http.HttpHandler;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.api.http.HttpRoutes;
import dev.cskit.core.media.WebRtcGateway;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link MediaHomeRouting} and {@link MediaProxy}, with an in-memory {@link NodeRegistry} and a JDK
 * {@link HttpServer} as the other node: which node a session's media is homed on, what a forwarded request keeps and
 * what its answer carries back, and the errors when the home cannot answer.
 */
@Timeout(30)
class MediaHomeRoutingTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final String WHIP_PATH = "customer-service/cs_1/cust_1";
    private static final URI SELF_URL = URI.create("http://10.0.0.1:8080");

    private final FakeNodeRegistry registry = new FakeNodeRegistry(() -> this.routing.view());
    private final Map<String, HttpHandler> routes = new HashMap<>();
    private final List<HttpRequest> local = new ArrayList<>();
    private final List<String> homedHere = new ArrayList<>();
    private final BlockingQueue<HttpExchange> seenByOther = new LinkedBlockingQueue<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private ExecutorService executor;
    private HttpServer other;
    private URI otherUrl;
    private MediaHomeRouting routing;
    private final HttpHandler otherRoute = r -> HttpResponse.of(200, "text/plain", new byte[0]);

    @BeforeEach
    void setUp() throws IOException {
        executor = Executors.newFixedThreadPool(4);
        other = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        other.createContext("/", this::otherNode);
        other.setExecutor(executor);
        other.start();
        otherUrl = URI.create("http://127.0.0.1:" + other.getAddress().getPort());
        routing = new MediaHomeRouting(registry, "a", SELF_URL,
                new MediaProxy(executor, "a", Duration.ofSeconds(2), Duration.ofMillis(800)), "cs_1"::equals,
                homedHere::add);
        HttpRoutes host = new HttpRoutes() {
            @Override
            public void add(String method, String pattern, HttpHandler handler) {
                routes.put(method + " " + pattern, handler);
            }

            @Override
            public void removeAll(String prefix) {
                routes.keySet().removeIf(k -> k.contains(prefix));
            }
        };
        HttpRoutes wrapped = routing.routes(host);
        HttpHandler answer = r -> {
            local.add(r);
            return HttpResponse.of(201, "application/sdp", "v=0 local".getBytes(StandardCharsets.UTF_8))
                    .withHeader("Location", WebRtcGateway.RESOURCE + "/res_local").withHeader("ETag", "\"e1\"");
        };
        wrapped.add("POST", WebRtcGateway.WHIP + "/{path...}", answer);
        wrapped.add("PATCH", WebRtcGateway.RESOURCE + "/{id}", r -> {
            local.add(r);
            return HttpResponse.of(204, "text/plain", new byte[0]);
        });
        wrapped.add("GET", "/customer-service/other", otherRoute);
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        other.stop(0);
        executor.shutdownNow();
    }

    /** The other node: answers as a home would, after recording what it got; "/slow/" waits for the test. */
    private void otherNode(HttpExchange ex) throws IOException {
        ex.getRequestBody().readAllBytes();
        seenByOther.add(ex);
        if (ex.getRequestURI().getPath().contains("slow")) {
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] body = "v=0 from b".getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/sdp");
        ex.getResponseHeaders().add("Location", "/webrtc/session/res_b");
        ex.getResponseHeaders().add("ETag", "\"eb\"");
        ex.getResponseHeaders().add("Link", "<stun:stun.example.com>; rel=\"ice-server\"");
        ex.getResponseHeaders().add("Link", "<turn:turn.example.com>; rel=\"ice-server\"");
        ex.getResponseHeaders().add("Set-Cookie", "not=forwarded");
        ex.sendResponseHeaders(201, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    private NodeInfo node(String id, URI url, int peers, boolean draining) {
        return new NodeInfo(id, url, 0, peers, draining, T0, T0);
    }

    private HttpResponse post(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder("POST", WebRtcGateway.WHIP + "/" + path)
                .header("Authorization", "Bearer tok").header("Content-Type", "application/sdp").body("v=0 offer")
                .pathParam("path", path);
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return routes.get("POST " + WebRtcGateway.WHIP + "/{path...}").handleAsync(b.build()).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    private static List<String> header(HttpResponse r, String name) {
        return r.headers().stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .collect(Collectors.toList());
    }

    @Test
    void theFirstWhipHomesTheSessionOnTheLeastLoadedNodeAndIsForwardedThereWithItsToken() throws Exception {
        routing.view(List.of(node("a", SELF_URL, 4, false), node("b", otherUrl, 0, false)));
        HttpResponse r = post(WHIP_PATH);

        assertEquals(201, r.status());
        assertEquals("v=0 from b", r.bodyAsString());
        assertEquals("application/sdp", r.contentType());
        assertEquals(List.of(otherUrl + "/webrtc/session/res_b"), header(r, "Location"), "absolute on the home");
        assertEquals(List.of("\"eb\""), header(r, "ETag"));
        assertEquals(2, header(r, "Link").size());
        assertEquals(List.of(), header(r, "Set-Cookie"));
        assertEquals(List.of("b"), header(r, MediaProxy.MEDIA_NODE));
        assertEquals(Map.of("cs_1", "b"), registry.homes);
        assertEquals(List.of(), local);
        assertEquals(List.of(), homedHere);

        HttpExchange seen = seenByOther.poll(5, TimeUnit.SECONDS);
        assertEquals("POST", seen.getRequestMethod());
        assertEquals(WebRtcGateway.WHIP + "/" + WHIP_PATH, seen.getRequestURI().getPath());
        assertEquals("Bearer tok", seen.getRequestHeaders().getFirst("Authorization"));
        assertEquals("application/sdp", seen.getRequestHeaders().getFirst("Content-Type"));
        assertEquals("a", seen.getRequestHeaders().getFirst(MediaProxy.PROXIED_BY));
    }

    @Test
    void anOversizedBodyIsNotForwarded() throws Exception {
        routing.view(List.of(node("a", SELF_URL, 4, false), node("b", otherUrl, 0, false)));
        HttpResponse r = routes.get("POST " + WebRtcGateway.WHIP + "/{path...}").handleAsync(
                HttpRequest.newBuilder("POST", WebRtcGateway.WHIP + "/" + WHIP_PATH)
                        .header("Authorization", "Bearer tok").header("Content-Type", "application/sdp")
                        .body(new byte[MediaProxy.MAX_REQUEST + 1]).pathParam("path", WHIP_PATH).build())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(413, r.status());
        assertEquals(0, seenByOther.size());
    }

    @Test
    void theSessionStoreAwayIs503AndClaimsNoHome() throws Exception {
        MediaHomeRouting away = new MediaHomeRouting(registry, "a", SELF_URL,
                new MediaProxy(executor, "a", Duration.ofSeconds(2), Duration.ofMillis(800)), id -> {
                    throw new IllegalStateException("Redis is away");
                }, homedHere::add);
        Map<String, HttpHandler> mounted = new HashMap<>();
        away.routes(new HttpRoutes() {
            @Override
            public void add(String method, String pattern, HttpHandler handler) {
                mounted.put(method, handler);
            }

            @Override
            public void removeAll(String prefix) {
            }
        }).add("POST", WebRtcGateway.WHIP + "/{path...}", r -> HttpResponse.of(201, "text/plain", new byte[0]));
        HttpResponse r = mounted.get("POST").handleAsync(HttpRequest.newBuilder("POST", "/x")
                .header("Authorization", "Bearer tok").pathParam("path", WHIP_PATH).build())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(503, r.status());
        assertTrue(r.bodyAsString().contains("Redis is away"), r.bodyAsString());
        assertEquals(Map.of(), registry.homes);
    }

    @Test
    void aHomeHereAnswersLocallyWithAnAbsoluteLocationAndRecordsTheResource() throws Exception {
        routing.view(List.of(node("a", SELF_URL, 0, false), node("b", otherUrl, 2, false)));
        HttpResponse r = post(WHIP_PATH);
        assertEquals(201, r.status());
        assertEquals(List.of(SELF_URL + "/webrtc/session/res_local"), header(r, "Location"));
        assertEquals(List.of("\"e1\""), header(r, "ETag"));
        assertEquals(1, local.size());
        assertEquals(Map.of("res_local", "a"), registry.resources);
        assertEquals(List.of("cs_1"), homedHere);
        assertEquals(Map.of("cs_1", "a"), registry.homes);
    }

    @Test
    void aDrainingNodeIsNotChosenButKeepsTheSessionsHomedOnIt() throws Exception {
        routing.view(List.of(node("a", SELF_URL, 5, false), node("b", otherUrl, 0, true)));
        assertEquals("a", routing.candidate());
        registry.homes.put("cs_1", "b"); // homed before b began to drain
        assertEquals(201, post(WHIP_PATH).status());
        assertEquals(List.of(), local, "forwarded to b");
        assertTrue(seenByOther.poll(5, TimeUnit.SECONDS) != null);
    }

    @Test
    void aForwardedRequestIsAlwaysAnsweredHere() throws Exception {
        routing.view(List.of(node("a", SELF_URL, 9, false), node("b", otherUrl, 0, false)));
        registry.homes.put("cs_1", "b");
        assertEquals(201, post(WHIP_PATH, MediaProxy.PROXIED_BY, "b").status());
        assertEquals(1, local.size());
    }

    @Test
    void aSessionNotOpenOrARequestWithoutTokenClaimsNoHome() throws Exception {
        routing.view(List.of(node("a", SELF_URL, 9, false), node("b", otherUrl, 0, false)));
        post("customer-service/cs_2/cust_1");
        post("not-a-stream");
        assertEquals(Map.of(), registry.homes);
        assertEquals(2, local.size(), "the gateway answers them (with its error)");
    }

    @Test
    void aPatchGoesToTheNodeOfItsResourceAndOneOfAGoneNodeIs404() throws Exception {
        routing.view(List.of(node("a", SELF_URL, 0, false), node("b", otherUrl, 0, false)));
        registry.resources.put("res_b", "b");
        registry.resources.put("res_gone", "zz");
        HttpHandler patch = routes.get("PATCH " + WebRtcGateway.RESOURCE + "/{id}");
        HttpResponse r = patch.handleAsync(HttpRequest.newBuilder("PATCH", WebRtcGateway.RESOURCE + "/res_b")
                .header("Authorization", "Bearer tok").header("If-Match", "\"eb\"")
                .header("Content-Type", "application/trickle-ice-sdpfrag").body("a=ice-ufrag:x")
                .pathParam("id", "res_b").build()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(201, r.status());
        HttpExchange seen = seenByOther.poll(5, TimeUnit.SECONDS);
        assertEquals("PATCH", seen.getRequestMethod());
        assertEquals("\"eb\"", seen.getRequestHeaders().getFirst("If-Match"));

        HttpResponse gone = patch.handleAsync(HttpRequest.newBuilder("PATCH", WebRtcGateway.RESOURCE + "/res_gone")
                .pathParam("id", "res_gone").build()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(404, gone.status());
        assertTrue(gone.bodyAsString().contains("its node zz is gone"), gone.bodyAsString());
        assertEquals(List.of(), local);
    }

    @Test
    void aHomeThatRefusesConnectionsIs502AndOneThatDoesNotAnswerIs504() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        routing.view(List.of(node("a", SELF_URL, 9, false),
                node("b", URI.create("http://127.0.0.1:" + closedPort), 0, false)));
        HttpResponse down = post(WHIP_PATH);
        assertEquals(502, down.status());
        assertEquals(List.of("2"), header(down, "Retry-After"));
        assertTrue(down.bodyAsString().contains("on node b"), down.bodyAsString());

        registry.homes.clear();
        routing.view(List.of(node("a", SELF_URL, 9, false), node("b", URI.create(otherUrl + "/slow"), 0, false)));
        HttpResponse slow = post(WHIP_PATH);
        assertEquals(504, slow.status());
        assertTrue(slow.bodyAsString().contains("did not answer within 800 ms"), slow.bodyAsString());
    }

    @Test
    void routesOutsideWebrtcAreNotWrapped() {
        assertEquals(Set.of("POST " + WebRtcGateway.WHIP + "/{path...}", "PATCH " + WebRtcGateway.RESOURCE + "/{id}",
                "GET /customer-service/other"), routes.keySet());
        assertTrue(routes.get("GET /customer-service/other") == otherRoute, "mounted as given");
    }
}
