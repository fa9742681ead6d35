/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Mutations of a valid JSON body, all driven by one {@link Random} so a seed replays a run: truncation, type
 * swaps, huge numbers, deep nesting, odd unicode (lone surrogates, NUL, U+FFFF, emoji, invalid UTF-8), duplicate
 * keys, byte flips, trailing data, missing and unknown fields, other top-level values and oversized bodies. One to
 * three mutations are stacked per case; about one case in sixteen is left valid.
 */
final class JsonMutator {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] ODD_VALUES = {
        "0", "-1", "1.5", "1e999", "-0", "2147483648", "9223372036854775808", "true", "false", "null", "[]", "{}",
        "\"\"", "\" \"", "[1,2]", "{\"a\":1}", "\"\\u0000\"", "\"\\ud800\"", "\"\\udfff\\ud800\"", "\"a|b\"",
        "\"x/y\"", "\"..\"", "\"agent_001 \"", "\"\\n\"", "\"NaN\"", "123456789012345678901234567890",
    };
    private static final String PUNCTUATION = "{}[]:,\"\\ \t\n0-eE.+/*";

    private final Random rnd;

    JsonMutator(Random rnd) {
        this.rnd = rnd;
    }

    byte[] mutate(String valid) {
        if (rnd.nextInt(16) == 0) {
            return valid.getBytes(StandardCharsets.UTF_8);
        }
        byte[] b = valid.getBytes(StandardCharsets.UTF_8);
        int n = 1 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            b = once(b);
        }
        return rnd.nextInt(16) == 0 ? oversize(b) : b;
    }

    /** Just over the 64 KiB bound: a long string field before the last brace (byte-level, so it stays cheap). */
    private byte[] oversize(byte[] body) {
        int at = body.length;
        for (int i = body.length - 1; i >= 0; i--) {
            if (body[i] == '}') {
                at = i;
                break;
            }
        }
        byte[] pad = (",\"pad\":\"" + "x".repeat(64 * 1024 - body.length + rnd.nextInt(2048)) + "\"")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[body.length + pad.length];
        System.arraycopy(body, 0, out, 0, at);
        System.arraycopy(pad, 0, out, at, pad.length);
        System.arraycopy(body, at, out, at + pad.length, body.length - at);
        return out;
    }

    private byte[] once(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return switch (rnd.nextInt(14)) {
            case 0 -> java.util.Arrays.copyOf(body, body.length == 0 ? 0 : rnd.nextInt(body.length));
            case 1 -> tree(text, this::swapType);
            case 2 -> hugeNumber(text);
            case 3 -> nest(text);
            case 4 -> utf8(insert(text, oddUnicode()));
            case 5 -> flipBytes(body);
            case 6 -> utf8(insert(text, String.valueOf(PUNCTUATION.charAt(rnd.nextInt(PUNCTUATION.length())))));
            case 7 -> utf8(text + pick(new String[] {" {}", "x", "\n{\"a\":1}", ",", "]", " null", "\u0000"}));
            case 8 -> tree(text, this::dropField);
            case 9 -> tree(text, n -> n.put("unknown_" + rnd.nextInt(3), rnd.nextInt(100)));
            case 10 -> duplicateKey(text);
            case 11 -> utf8(pick(new String[] {"[" + text + "]", "\"" + text + "\"", "42", "null", "true", "",
                "   ", "\uFEFF" + text, "[]", "{}"}));
            case 12 -> invalidUtf8(body);
            default -> tree(text, this::unicodeValue);
        };
    }

    private interface TreeChange {
        void apply(ObjectNode n);
    }

    /** Applies a change to the body as a JSON object, or another mutation if it is not one any more. */
    private byte[] tree(String text, TreeChange change) {
        JsonNode n;
        try {
            n = JSON.readTree(text);
        } catch (Exception e) {
            n = null;
        }
        if (!(n instanceof ObjectNode obj) || obj.isEmpty()) {
            return flipBytes(text.getBytes(StandardCharsets.UTF_8));
        }
        change.apply(obj);
        return utf8(obj.toString());
    }

    private String randomField(ObjectNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names.get(rnd.nextInt(names.size()));
    }

    private void swapType(ObjectNode n) {
        String f = randomField(n);
        try {
            n.set(f, JSON.readTree(pick(ODD_VALUES)));
        } catch (Exception e) {
            n.put(f, pick(ODD_VALUES)); // a value Jackson will not read back (a lone surrogate): as a string
        }
    }

    private byte[] hugeNumber(String text) {
        StringBuilder digits = new StringBuilder(rnd.nextBoolean() ? "-" : "");
        int len = 20 + rnd.nextInt(rnd.nextBoolean() ? 80 : 3000);
        digits.append(1 + rnd.nextInt(9));
        for (int i = 1; i < len; i++) {
            digits.append((char) ('0' + rnd.nextInt(10)));
        }
        if (rnd.nextBoolean()) {
            digits.append(".5e").append(rnd.nextInt(100_000));
        }
        // Put in as text: a number node this large would be slow to print, and it is the text that is sent.
        byte[] marked = tree(text, n -> n.put(randomField(n), "\u0001HUGE\u0001"));
        return utf8(new String(marked, StandardCharsets.UTF_8).replace("\"\\u0001HUGE\\u0001\"", digits));
    }

    private void dropField(ObjectNode n) {
        n.remove(randomField(n));
    }

    private void unicodeValue(ObjectNode n) {
        n.put(randomField(n), oddUnicode() + (rnd.nextBoolean() ? "agent_001" : "") + oddUnicode());
    }

    private byte[] nest(String text) {
        int depth = 1 + rnd.nextInt(rnd.nextBoolean() ? 10 : 300);
        String open = rnd.nextBoolean() ? "[" : "{\"k\":";
        String close = open.equals("[") ? "]" : "}";
        if (rnd.nextBoolean()) {
            return utf8(open.repeat(depth) + text + close.repeat(depth));
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            return utf8(open.repeat(depth) + close.repeat(depth));
        }
        int end = text.indexOf(',', colon);
        if (end < 0) {
            end = text.lastIndexOf('}');
        }
        if (end <= colon) {
            return utf8(text);
        }
        return utf8(text.substring(0, colon + 1) + open.repeat(depth) + text.substring(colon + 1, end)
                + close.repeat(depth) + text.substring(end));
    }

    private byte[] duplicateKey(String text) {
        int q = text.indexOf('"');
        int q2 = q < 0 ? -1 : text.indexOf('"', q + 1);
        if (q < 0 || q2 < 0) {
            return utf8(text);
        }
        String key = text.substring(q, q2 + 1);
        return utf8(text.substring(0, q) + key + ":" + pick(ODD_VALUES) + "," + text.substring(q));
    }

    private String oddUnicode() {
        return switch (rnd.nextInt(8)) {
            case 0 -> "\ud800";
            case 1 -> "\udfff";
            case 2 -> "\u0000";
            case 3 -> "\uffff";
            case 4 -> "\ud83d\ude00";
            case 5 -> "\u202e";
            case 6 -> "\\u" + Integer.toHexString(0x10000 | rnd.nextInt(0x10000)).substring(1);
            default -> new String(Character.toChars(rnd.nextInt(0x110000)));
        };
    }

    private byte[] invalidUtf8(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = body.length == 0 ? 0 : rnd.nextInt(body.length);
        out.write(body, 0, at);
        byte[][] bad = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE2, (byte) 0x82}};
        byte[] b = bad[rnd.nextInt(bad.length)];
        out.write(b, 0, b.length);
        out.write(body, at, body.length - at);
        return out.toByteArray();
    }

    private byte[] flipBytes(byte[] body) {
        byte[] b = body.clone();
        int flips = b.length == 0 ? 0 : 1 + rnd.nextInt(4);
        for (int i = 0; i < flips; i++) {
            b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
        }
        return b;
    }

    private String insert(String text, String what) {
        int at = text.isEmpty() ? 0 : rnd.nextInt(text.length() + 1);
        return text.substring(0, at) + what + text.substring(at);
    }

    private String pick(String[] options) {
        return options[rnd.nextInt(options.length)];
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
