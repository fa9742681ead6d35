/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteMatcherTest {

    private static HttpHandler handler(String name) {
        return r -> HttpResponse.json(200, "\"" + name + "\"");
    }

    @Test
    void mostSpecificPatternWinsWhateverTheOrderOfAdding() {
        for (boolean literalFirst : List.of(true, false)) {
            RouteMatcher m = new RouteMatcher();
            HttpHandler byId = handler("byId");
            HttpHandler stats = handler("stats");
            if (literalFirst) {
                m.add("GET", "/s/stats", stats);
                m.add("GET", "/s/{id}", byId);
            } else {
                m.add("GET", "/s/{id}", byId);
                m.add("GET", "/s/stats", stats);
            }
            assertSame(stats, m.match("GET", "/s/stats").handler());
            assertSame(byId, m.match("GET", "/s/cs_1").handler());
            assertEquals(Map.of("id", "cs_1"), m.match("GET", "/s/cs_1").params());
        }
    }

    @Test
    void aTailPatternLosesToAnyPatternWithoutOne() {
        RouteMatcher m = new RouteMatcher();
        HttpHandler tail = handler("tail");
        HttpHandler exact = handler("exact");
        m.add("GET", "/w/{rest...}", tail);
        m.add("GET", "/w/{a}/{b}", exact);
        assertSame(exact, m.match("GET", "/w/x/y").handler());
        assertSame(tail, m.match("GET", "/w/x/y/z").handler());
        assertEquals(Map.of("rest", "x/y/z"), m.match("get", "/w/x/y/z").params());
    }

    @Test
    void equallySpecificPatternsAreTriedInTheOrderAdded() {
        RouteMatcher m = new RouteMatcher();
        HttpHandler first = handler("first");
        m.add("GET", "/a/{x}/c", first);
        m.add("GET", "/a/b/{y}", handler("second"));
        assertSame(first, m.match("GET", "/a/b/c").handler());
    }

    @Test
    void otherMethodsOnlyMeans405WithTheSortedAllowedMethods() {
        RouteMatcher m = new RouteMatcher();
        m.add("POST", "/x", handler("post"));
        m.add("GET", "/x", handler("get"));
        RouteMatcher.Match r = m.match("DELETE", "/x");
        assertFalse(r.found());
        assertTrue(r.methodNotAllowed());
        assertEquals(List.of("GET", "POST"), List.copyOf(r.allowed()));
        RouteMatcher.Match none = m.match("GET", "/y");
        assertFalse(none.found());
        assertFalse(none.methodNotAllowed());
    }

    @Test
    void duplicatesAreRefusedAndRemoveAllUnmountsByPrefix() {
        RouteMatcher m = new RouteMatcher();
        m.add("GET", "/a/b", handler("ab"));
        assertThrows(IllegalStateException.class, () -> m.add("get", "/a/b", handler("again")));
        m.add("GET", "/c", handler("c"));
        m.removeAll("/a");
        assertEquals(1, m.size());
        assertFalse(m.match("GET", "/a/b").found());
        assertTrue(m.match("GET", "/c").found());
    }
}
