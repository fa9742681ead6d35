/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.web;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.core.json.SessionJson;
import java.util.Locale;

/**
 * Plain messages for JSON a client got wrong: what is wrong, where (line and column), and how to fix it. The
 * parser's own messages name its classes and switches ({@code com.fasterxml…}, {@code JsonReadFeature…}), which
 * mean nothing to a client, so none of their text is passed on. Stateless.
 */
final class JsonErrors {

    private JsonErrors() {
    }

    /** The message for a body the parser refused. */
    static String describe(JsonProcessingException e) {
        return what(e) + at(e.getLocation());
    }

    /** The message for data after the one JSON value of a body, from {@code where} on. */
    static String trailing(@Nullable JsonLocation where) {
        return "there is more data after the JSON object" + (where == null ? "" : ", from" + at(where).substring(3))
                + "; send exactly one JSON object";
    }

    private static String what(JsonProcessingException e) {
        if (e instanceof JsonEOFException) {
            return "the JSON ends too early: close every string, array and object";
        }
        // The parser gives the kinds below no types of their own, only its message; it is read here and
        // nowhere else, and never shown.
        String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().toLowerCase(Locale.ROOT);
        if (e instanceof StreamConstraintsException) {
            if (m.contains("nesting depth")) {
                return "the JSON is nested more than " + SessionJson.MAX_NESTING + " levels deep";
            }
            if (m.contains("number")) {
                return "a number has more than " + SessionJson.MAX_NUMBER_LENGTH + " characters";
            }
            return "a string or field name in the JSON is too long";
        }
        if (m.startsWith("duplicate field")) {
            String name = currentName(e);
            return "field " + (name == null ? "" : "'" + name + "' ") + "appears more than once; give each field once";
        }
        if (m.contains("utf-8") || m.contains("utf-16") || m.contains("utf-32") || m.contains("surrogate")) {
            return "the body is not valid UTF-8 text";
        }
        if (m.contains("comment")) {
            return "JSON has no comments: remove them";
        }
        if (m.contains("non-standard token")) {
            return "NaN and Infinity are not JSON numbers";
        }
        if (m.contains("escape") && !m.contains("has to be escaped")) {
            return "a backslash escape in a string is not valid: use \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX";
        }
        if (m.contains("illegal unquoted character") || m.contains("ctrl-char")) {
            return "a control character in a string must be escaped (\\n, \\t, \\u0000 to \\u001f)";
        }
        if (m.contains("double-quote to start field name")) {
            return "a field name must be a string in double quotes";
        }
        if (m.contains("numeric value") || m.contains("leading zero") || m.contains("leading plus")
                || m.contains("decimal point") || m.contains("exponent")) {
            return "a number is malformed: write digits with an optional leading '-', fraction and exponent, "
                    + "no leading zeros or '+'";
        }
        if (m.startsWith("unrecognized token")) {
            return "a word that is not JSON: put strings in double quotes; the literals are true, false and null";
        }
        return "the JSON is malformed: check the quotes, commas, colons and brackets around this place";
    }

    private static @Nullable String currentName(JsonProcessingException e) {
        try {
            return e.getProcessor() instanceof JsonParser p ? p.currentName() : null;
        } catch (RuntimeException | java.io.IOException ignored) {
            return null;
        }
    }

    private static String at(@Nullable JsonLocation l) {
        if (l == null || l.getLineNr() < 1) {
            return "";
        }
        return " at line " + l.getLineNr() + ", column " + l.getColumnNr();
    }
}
