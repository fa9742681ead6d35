/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.http.HttpRequest;
import org.junit.jupiter.api.Test;

/** A JSON body is read only from a request that says it is JSON (issue 12: text/plain created sessions). */
class JsonBodyContentTypeTest {

    private static HttpRequest post(String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder("POST", "/customer-service/sessions")
                .body("{\"title\":\"t\",\"customer_name\":\"c\"}");
        return contentType == null ? b.build() : b.header("Content-Type", contentType).build();
    }

    @Test
    void jsonContentTypesAreRead() {
        for (String t : new String[] {"application/json", "Application/JSON; charset=utf-8", "application/merge-patch+json"}) {
            assertEquals("t", JsonBody.parse(post(t)).requiredString("title"), t);
        }
    }

    @Test
    void typesAPageCanSendWithoutPreflightAre415() {
        for (String t : new String[] {"text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/jsonp", "text/json+x"}) {
            ApiException e = assertThrows(ApiException.class, () -> JsonBody.parse(post(t)), t);
            assertEquals(415, e.status(), t);
            assertTrue(e.getMessage().contains("application/json"), e.getMessage());
        }
        // fetch() with a Blob body sends no Content-Type at all, still without preflight.
        ApiException none = assertThrows(ApiException.class, () -> JsonBody.parse(post(null)));
        assertEquals(415, none.status());
        assertTrue(none.getMessage().contains("no Content-Type"), none.getMessage());
    }
}
