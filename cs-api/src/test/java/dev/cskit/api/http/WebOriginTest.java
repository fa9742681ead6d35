/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WebOriginTest {

    @Test
    void defaultPortsAndCaseDoNotMakeAnotherOrigin() {
        assertEquals(WebOrigin.require("https://App.Example.com"), WebOrigin.require("https://app.example.com:443"));
        assertEquals("https://app.example.com", WebOrigin.require("https://app.example.com:443/").toString());
        assertEquals("http://localhost:8080", WebOrigin.require("http://localhost:8080").toString());
        assertEquals(WebOrigin.require("http://[::1]:8080"), WebOrigin.of("http", "[::1]:8080").orElseThrow());
    }

    @Test
    void schemeHostAndPortEachMakeAnotherOrigin() {
        WebOrigin o = WebOrigin.require("https://cs.test:8443");
        assertNotEquals(o, WebOrigin.require("http://cs.test:8443"));
        assertNotEquals(o, WebOrigin.require("https://cs.test"));
        assertNotEquals(o, WebOrigin.require("https://evil.test:8443"));
        assertEquals(o, WebOrigin.of("HTTPS", "CS.test:8443").orElseThrow());
    }

    @Test
    void whatIsNotAnHttpOriginParsesToEmpty() {
        for (String s : new String[] {"null", "", "file://", "chrome-extension://abc", "https://", "https://a b",
                "https://cs.test:99999", "https://cs.test/path", "https://user@cs.test", "cs.test"}) {
            assertTrue(WebOrigin.parse(s).isEmpty(), s);
        }
        assertThrows(IllegalArgumentException.class, () -> WebOrigin.require("https://cs.test/app"));
    }

    @Test
    void theOriginOfAUrlIsItsSchemeAndAuthority() {
        assertEquals(WebOrigin.require("https://cs.example.com"),
                WebOrigin.ofUrl("https://cs.example.com/base/").orElseThrow());
        assertEquals(WebOrigin.require("http://127.0.0.1:8080"), WebOrigin.ofUrl("http://127.0.0.1:8080").orElseThrow());
        for (String s : new String[] {"cs.example.com/base", "/relative", "https://", "not a url", "ftp://cs.test"}) {
            assertTrue(WebOrigin.ofUrl(s).isEmpty(), s);
        }
    }
}
