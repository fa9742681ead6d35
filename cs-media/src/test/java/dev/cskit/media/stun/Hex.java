/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.stun;

/** Test helper: hex with whitespace and {@code //} comments allowed, one field per line. */
public final class Hex {
    private Hex() {
    }

    /** Parses hex digits, ignoring whitespace and anything after {@code //} on a line. */
    public static byte[] parse(String text) {
        StringBuilder digits = new StringBuilder();
        for (String line : text.split("\n")) {
            int c = line.indexOf("//");
            String data = c >= 0 ? line.substring(0, c) : line;
            for (char ch : data.toCharArray()) {
                if (Character.digit(ch, 16) >= 0) {
                    digits.append(ch);
                } else if (!Character.isWhitespace(ch)) {
                    throw new IllegalArgumentException("not hex: '" + ch + "' in " + line);
                }
            }
        }
        if (digits.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits");
        }
        byte[] out = new byte[digits.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
