/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.core.json.SessionJson;

/**
 * The JSON envelopes of PROTOCOL.md: success {@code {"code":0,"data":…}} (or {@code {"code":0,"message":…}}),
 * failure {@code {"code":<HTTP status>,"message":"…"}} with that HTTP status. Stateless.
 */
public final class Envelope {

    private Envelope() {
    }

    public static HttpResponse ok(JsonNode data) {
        ObjectNode n = SessionJson.MAPPER.createObjectNode();
        n.put("code", 0);
        n.set("data", data);
        return HttpResponse.json(200, n.toString());
    }

    public static HttpResponse okMessage(String message) {
        ObjectNode n = SessionJson.MAPPER.createObjectNode();
        n.put("code", 0);
        n.put("message", message);
        return HttpResponse.json(200, n.toString());
    }

    public static HttpResponse error(int status, String message) {
        ObjectNode n = SessionJson.MAPPER.createObjectNode();
        n.put("code", status);
        n.put("message", message);
        return HttpResponse.json(status, n.toString());
    }
}
