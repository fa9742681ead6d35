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

    @Test
    void withoutAProxyTheClientIsThePeerAndTheHostHeaderIsTheAuthority() {
        HttpRequest r = HttpRequest.newBuilder("GET", "/").remoteAddress(new InetSocketAddress("192.0.2.7", 4000))
                .header("Host", " cs.test:8443 ").build();
        assertEquals(r.remoteAddress(), r.peerAddress());
        assertEquals("http", r.scheme());
        assertFalse(r.secure());
        assertEquals("cs.test:8443", r.authority().orElseThrow());
        assertFalse(r.proxied());
        assertTrue(HttpRequest.newBuilder("GET", "/").build().authority().isEmpty());
    }

    @Test
    void aTrustedProxySetsClientSchemeAndAuthority() {
        HttpRequest r = HttpRequest.newBuilder("GET", "/").remoteAddress(new InetSocketAddress("203.0.113.9", 0))
                .peerAddress(new InetSocketAddress("127.0.0.1", 51000)).scheme("HTTPS").authority("cs.example.com")
                .header("Host", "127.0.0.1:8080").viaTrustedProxy(true).build();
        assertEquals("203.0.113.9", r.remoteAddress().getAddress().getHostAddress());
        assertEquals("127.0.0.1", r.peerAddress().getAddress().getHostAddress());
        assertFalse(r.fromLoopback(), "the client is not local although the proxy is");
        assertEquals("https", r.scheme());
        assertTrue(r.secure());
        assertEquals("cs.example.com", r.authority().orElseThrow());
        assertTrue(r.proxied());
        HttpRequest copy = r.toBuilder().build();
        assertEquals(r.peerAddress(), copy.peerAddress());
        assertEquals("https", copy.scheme());
        assertEquals("cs.example.com", copy.authority().orElseThrow());
        assertTrue(copy.proxied());
        assertThrows(IllegalArgumentException.class, () -> HttpRequest.newBuilder("GET", "/").scheme("ftp"));
    }

    @Test
    void anyForwardingHeaderMarksTheRequestAsProxied() {
        for (String h : new String[] {"Forwarded", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host",
                "X-Real-IP"}) {
            assertTrue(HttpRequest.newBuilder("GET", "/").header(h, "x").build().proxied(), h);
        }
        assertFalse(HttpRequest.newBuilder("GET", "/").header("X-Forward", "x").build().proxied());
    }
}
