/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.web;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import dev.cskit.api.Ids;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.core.json.SessionJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * A request body that must be one JSON object, with typed field access that fails with a 400 saying which
 * field and what type was expected. Malformed JSON gets a 400 saying what is wrong and where (line, column),
 * in words of its own ({@link JsonErrors}): no parser internals reach a client. Immutable.
 */
public final class JsonBody {

    /** Bodies above this are refused with 413 (the host enforces the same bound). */
    public static final int MAX_BODY = 64 * 1024;

    /** The trailing-data check is made here, where its place in the body is known. */
    private static final ObjectReader READER =
            SessionJson.MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

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
        try (JsonParser p = SessionJson.MAPPER.createParser(request.body())) {
            try {
                n = READER.readTree(p);
            } catch (JsonProcessingException e) {
                throw new ApiException(400, "malformed JSON: " + JsonErrors.describe(e));
            }
            if (n != null && !n.isMissingNode()) {
                JsonLocation end = p.currentLocation();
                try {
                    if (p.nextToken() != null) {
                        throw new ApiException(400, "malformed JSON: " + JsonErrors.trailing(p.currentTokenLocation()));
                    }
                } catch (JsonProcessingException e) {
                    throw new ApiException(400, "malformed JSON: " + JsonErrors.trailing(end)); // not even a token follows
                }
            }
        } catch (IOException e) {
            throw new ApiException(400, "the body could not be read as JSON text");
        }
        if (n == null || !n.isObject()) {
            throw new ApiException(400, "the body must be a JSON object, was "
                    + (n == null || n.isMissingNode() ? "empty" : typeName(n.getNodeType())));
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

    /**
     * Refuses fields other than {@code allowed}.
     *
     * @throws ApiException 400 naming the first unknown field and the known ones
     */
    public JsonBody allowOnly(Set<String> allowed) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String f = names.next();
            if (!allowed.contains(f)) {
                throw new ApiException(400, "unknown field '" + f + "'; the fields are " + String.join(", ",
                        new TreeSet<>(allowed)));
            }
        }
        return this;
    }

    /** Whether the body has {@code field} (even as {@code null}). */
    public boolean has(String field) {
        return node.has(field);
    }

    /** The body's field names, in order. */
    public List<String> fields() {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
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

    /**
     * A required id field ({@link Ids}: 1 to 64 of {@code A-Z a-z 0-9 _ -}).
     *
     * @throws ApiException 400 if it is missing, not a string or not a well-formed id
     */
    public String requiredId(String field) {
        return Ids.isValid(requiredString(field)) ? node.get(field).asText() : badId(field);
    }

    /** An optional id field; {@code null} if absent or null. */
    public @Nullable String optionalId(String field) {
        String v = optionalString(field);
        return v == null || Ids.isValid(v) ? v : badId(field);
    }

    private String badId(String field) {
        throw new ApiException(400, Ids.problem("field '" + field + "'", node.get(field).asText()));
    }

    public int requiredInt(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new ApiException(400, "field '" + field + "' is required and must be an integer");
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new ApiException(400, "field '" + field + "' must be an integer"
                    + (v.isIntegralNumber() ? " from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE + ", was "
                    + (v.asText().length() > 24 ? v.asText().substring(0, 24) + "…" : v.asText())
                    : ", was " + typeName(v.getNodeType())));
        }
        return v.asInt();
    }

    /** An optional boolean field; {@code null} if absent or null. */
    public @Nullable Boolean optionalBoolean(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw new ApiException(400, "field '" + field + "' must be true or false, was "
                    + typeName(v.getNodeType()));
        }
        return v.booleanValue();
    }

    private static String typeName(JsonNodeType t) {
        return t == JsonNodeType.NUMBER ? "number" : t.name().toLowerCase(Locale.ROOT);
    }

    private static String article(String type) {
        return type;
    }
}
