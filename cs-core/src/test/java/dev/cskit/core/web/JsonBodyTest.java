/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Issue 12 defect 8: what a client sent wrong is said in plain words, with its place, and no library names. */
class JsonBodyTest {

    private static ApiException refused(String body) {
        return refused(body.getBytes(StandardCharsets.UTF_8));
    }

    private static ApiException refused(byte[] body) {
        HttpRequest r = HttpRequest.newBuilder("POST", "/x").header("Content-Type", "application/json").body(body).build();
        return assertThrows(ApiException.class, () -> JsonBody.parse(r));
    }

    /** No class, package, switch or back-quoted name of the parser in a message a client reads. */
    static void assertPlain(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        for (String internal : new String[] {"com.", "fasterxml", "jackson", "feature", "`", "jsonnode",
                "deserializ", "streamreadconstraints", "(code ", "token (of type"}) {
            assertFalse(m.contains(internal), "message names internals ('" + internal + "'): " + message);
        }
    }

    @Test
    void trailingDataIsNamedWithItsPlaceAndNoLibraryInternals() {
        ApiException e = refused("{\"title\":\"a\",\"customer_name\":\"b\"} {\"x\":1}");
        assertEquals(400, e.status());
        assertPlain(e.getMessage());
        assertEquals("malformed JSON: there is more data after the JSON object, from line 1, column 35; "
                + "send exactly one JSON object", e.getMessage());
        ApiException garbage = refused("{}\nxyz");
        assertEquals("malformed JSON: there is more data after the JSON object, from line 1, column 3; "
                + "send exactly one JSON object", garbage.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"a\":1,\"a\":2}                | field 'a' appears more than once",
            "{\"a\":                          | the JSON ends too early",
            "{\"a\":\"b                       | the JSON ends too early",
            "{a:1}                            | a field name must be a string in double quotes",
            "{'a':1}                          | a field name must be a string in double quotes",
            "{\"a\":NaN}                      | NaN and Infinity are not JSON numbers",
            "{\"a\":01}                       | a number is malformed",
            "{\"a\":+1}                       | a number is malformed",
            "{\"a\":1.}                       | a number is malformed",
            "{\"a\":tru}                      | a word that is not JSON",
            "{\"a\":\"\\q\"}                  | a backslash escape in a string is not valid",
            "{/*c*/\"a\":1}                   | JSON has no comments",
            "{\"a\":1,}                       | field name must be a string in double quotes",
            "{\"a\":[1,2}                     | the JSON is malformed",
    })
    void malformedJsonIsSaidPlainlyWithLineAndColumn(String body, String expected) {
        ApiException e = refused(body.trim());
        assertEquals(400, e.status());
        assertPlain(e.getMessage());
        assertTrue(e.getMessage().startsWith("malformed JSON: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().matches(".* at line \\d+, column \\d+.*"), e.getMessage());
    }

    @Test
    void controlCharactersDeepNestingHugeNumbersAndBadUtf8AreRefusedPlainly() {
        assertTrue(refused("{\"a\":\"x\ny\"}").getMessage().contains("control character"));
        String deep = "{\"a\":" + "[".repeat(200) + "]".repeat(200) + "}";
        assertTrue(refused(deep).getMessage().contains("nested more than 64 levels"), refused(deep).getMessage());
        String huge = "{\"a\":" + "9".repeat(5000) + "}";
        assertTrue(refused(huge).getMessage().contains("a number has more than 100 characters"),
                refused(huge).getMessage());
        byte[] badUtf8 = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertTrue(refused(badUtf8).getMessage().contains("not valid UTF-8"), refused(badUtf8).getMessage());
        for (String body : new String[] {"{\"a\":\"x\ny\"}", deep, huge}) {
            assertPlain(refused(body).getMessage());
        }
        assertPlain(refused(badUtf8).getMessage());
    }

    @Test
    void notAnObjectSaysWhatItWas() {
        assertEquals("the body must be a JSON object, was array", refused("[1]").getMessage());
        assertEquals("the body must be a JSON object, was null", refused("null").getMessage());
        assertEquals("the body must be a JSON object, was empty", refused("  \n ").getMessage());
        assertEquals("the body must be a JSON object; it was empty", refused("").getMessage());
    }

    @Test
    void typedFieldsNameTheFieldAndTheRule() {
        JsonBody b = JsonBody.parse(HttpRequest.newBuilder("POST", "/x").header("Content-Type", "application/json")
                .body("{\"id\":\"a|b\",\"n\":99999999999,\"f\":1.5,\"on\":\"yes\",\"s\":7,\"ok\":\"agent_1\"}").build());
        assertEquals("agent_1", b.requiredId("ok"));
        assertTrue(assertThrows(ApiException.class, () -> b.requiredId("id")).getMessage()
                .startsWith("field 'id' must be 1 to 64 characters of A-Z, a-z, 0-9, '_' or '-'"));
        assertEquals("field 'n' must be an integer from -2147483648 to 2147483647, was 99999999999",
                assertThrows(ApiException.class, () -> b.requiredInt("n")).getMessage());
        assertEquals("field 'f' must be an integer, was number",
                assertThrows(ApiException.class, () -> b.requiredInt("f")).getMessage());
        assertEquals("field 'on' must be true or false, was string",
                assertThrows(ApiException.class, () -> b.optionalBoolean("on")).getMessage());
        assertEquals("field 's' must be a string, was number",
                assertThrows(ApiException.class, () -> b.requiredString("s")).getMessage());
        assertEquals("unknown field 'n'; the fields are id, ok",
                assertThrows(ApiException.class, () -> JsonBody.parse(HttpRequest.newBuilder("POST", "/x").header("Content-Type", "application/json")
                        .body("{\"id\":\"a\",\"n\":1}").build()).allowOnly(Set.of("ok", "id"))).getMessage());
    }
}
