/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private final RouteTable t = new RouteTable();

    private static HttpRequest req(String method, String path) {
        return HttpRequest.newBuilder(method, path).build();
    }

    @Test
    void dispatchesWithPathParameters() {
        t.add("GET", "/x/items/{id}", r -> HttpResponse.json(200, "{\"id\":\"" + r.pathParam("id") + "\"}"));
        assertEquals("{\"id\":\"a1\"}", t.dispatch(req("get", "/x/items/a1")).orElseThrow().bodyAsString());
    }

    @Test
    void theMostSpecificPatternWinsAsInEveryHost() {
        t.add("GET", "/x/items/{id}", r -> HttpResponse.json(200, "\"byId\""));
        t.add("GET", "/x/items/count", r -> HttpResponse.json(200, "\"count\""));
        assertEquals("\"count\"", t.dispatch(req("GET", "/x/items/count")).orElseThrow().bodyAsString());
        assertEquals("\"byId\"", t.dispatch(req("GET", "/x/items/a1")).orElseThrow().bodyAsString());
    }

    @Test
    void unknownPathIsTheHostsOrA404Envelope() {
        t.add("GET", "/x/items", r -> HttpResponse.json(200, "{}"));
        assertTrue(t.dispatch(req("GET", "/y")).isEmpty());
        HttpResponse r = t.handle(req("GET", "/y"));
        assertEquals(404, r.status());
        assertTrue(r.bodyAsString().startsWith("{\"code\":404,\"message\":"), r.bodyAsString());
    }

    @Test
    void otherMethodGets405WithAllow() {
        t.add("GET", "/x/items", r -> HttpResponse.json(200, "{}"));
        t.add("POST", "/x/items", r -> HttpResponse.json(200, "{}"));
        HttpResponse r = t.dispatch(req("DELETE", "/x/items")).orElseThrow();
        assertEquals(405, r.status());
        assertEquals("Allow", r.headers().get(0).getKey());
        assertEquals("GET, POST", r.headers().get(0).getValue());
    }

    @Test
    void throwingHandlerGets500Envelope() {
        t.add("GET", "/boom", r -> {
            throw new IllegalStateException("bug");
        });
        HttpResponse r = t.dispatch(req("GET", "/boom")).orElseThrow();
        assertEquals(500, r.status());
        assertEquals("{\"code\":500,\"message\":\"internal error\"}", r.bodyAsString());
    }

    @Test
    void duplicateMountIsRefusedAndRemoveAllUnmountsByPrefix() {
        t.add("GET", "/a/b", r -> HttpResponse.json(200, "{}"));
        assertThrows(IllegalStateException.class, () -> t.add("GET", "/a/b", r -> HttpResponse.json(200, "{}")));
        t.add("GET", "/c", r -> HttpResponse.json(200, "{}"));
        t.removeAll("/a");
        assertEquals(1, t.size());
        assertTrue(t.dispatch(req("GET", "/a/b")).isEmpty());
    }
}
