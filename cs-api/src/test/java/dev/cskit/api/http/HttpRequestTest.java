package dev.cskit.api.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpRequestTest {

    @Test
    void headersAreCaseInsensitiveAndBearerIsParsed() {
        HttpRequest r = HttpRequest.newBuilder("get", "/x").header("Authorization", "bearer  abc ").build();
        assertEquals("GET", r.method());
        assertEquals("bearer  abc ", r.header("AUTHORIZATION").orElseThrow());
        assertEquals("abc", r.bearerToken().orElseThrow());
        assertTrue(HttpRequest.newBuilder("GET", "/x").header("Authorization", "Basic abc").build()
                .bearerToken().isEmpty());
        assertTrue(HttpRequest.newBuilder("GET", "/x").header("Authorization", "Bearer ").build()
                .bearerToken().isEmpty());
    }

    @Test
    void bodyIsCopiedSoCallersCannotMutateIt() {
        byte[] body = {1, 2, 3};
        HttpRequest r = HttpRequest.newBuilder("POST", "/x").body(body).build();
        body[0] = 9;
        r.body()[1] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, r.body());
    }

    @Test
    void pathParamsComeFromTheMatchedRoute() {
        HttpRequest r = HttpRequest.newBuilder("GET", "/s/cs_1").build().withPathParams(Map.of("id", "cs_1"));
        assertEquals("cs_1", r.pathParam("id"));
        assertThrows(IllegalArgumentException.class, () -> r.pathParam("other"));
    }

    @Test
    void loopbackIsDetectedFromTheRemoteAddress() {
        assertTrue(HttpRequest.newBuilder("GET", "/").remoteAddress(new InetSocketAddress("::1", 5)).build()
                .fromLoopback());
        assertFalse(HttpRequest.newBuilder("GET", "/").remoteAddress(new InetSocketAddress("192.0.2.1", 5))
                .build().fromLoopback());
    }
}
