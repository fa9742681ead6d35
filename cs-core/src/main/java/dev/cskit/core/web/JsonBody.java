/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.core.json.SessionJson;
import java.io.IOException;
import java.util.Locale;

/**
 * A request body that must be one JSON object, with typed field access that fails with a 400 saying which
 * field and what type was expected. Immutable.
 */
public final class JsonBody {

    /** Bodies above this are refused with 413 (the host enforces the same bound). */
    public static final int MAX_BODY = 64 * 1024;

    private final JsonNode node;

    private JsonBody(JsonNode node) {
        this.node = node;
    }

    /**
     * The body of a request that must be a JSON object.
     *
     * @throws ApiException 415 unless the {@code Content-Type} is JSON (a {@code text/plain} or form POST is what a
     *                      page of another site can send without a CORS preflight), 413, or 400 with the reason
     */
    public static JsonBody parse(HttpRequest request) {
        requireJsonContentType(request);
        if (request.bodyLength() > MAX_BODY) {
            throw new ApiException(413, "the body is " + request.bodyLength() + " bytes; at most " + MAX_BODY
                    + " are accepted");
        }
        if (request.bodyLength() == 0) {
            throw new ApiException(400, "the body must be a JSON object; it was empty");
        }
        JsonNode n;
        try {
            n = SessionJson.MAPPER.readTree(request.body());
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException(400, "unreadable body: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new ApiException(400, "the body must be a JSON object, was "
                    + (n == null ? "empty" : typeName(n.getNodeType())));
        }
        return new JsonBody(n);
    }

    /** RFC 8259 §11 {@code application/json}, or an RFC 6839 {@code +json} type, with any parameters. */
    private static void requireJsonContentType(HttpRequest request) {
        String type = request.header("content-type").orElse("");
        int semi = type.indexOf(';');
        String media = (semi < 0 ? type : type.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        if (!media.equals("application/json") && !(media.startsWith("application/") && media.endsWith("+json"))) {
            throw new ApiException(415, "the body must be JSON sent with Content-Type: application/json"
                    + (media.isEmpty() ? "; the request had no Content-Type" : ", not " + media));
        }
    }

    public String requiredString(String field) {
        String v = optionalString(field);
        if (v == null) {
            throw new ApiException(400, "field '" + field + "' is required and must be a string");
        }
        return v;
    }

    public @Nullable String optionalString(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new ApiException(400, "field '" + field + "' must be a string, was " + typeName(v.getNodeType()));
        }
        return v.asText();
    }

    public int requiredInt(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new ApiException(400, "field '" + field + "' is required and must be an integer");
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new ApiException(400, "field '" + field + "' must be an integer, was " + typeName(v.getNodeType()));
        }
        return v.asInt();
    }

    private static String typeName(JsonNodeType t) {
        return t.name().toLowerCase(Locale.ROOT);
    }
}
