/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.files;

import java.nio.ByteBuffer;

/**
 * Checks, piece by piece, that bytes are plain text: well-formed UTF-8 (RFC 3629 §4: no overlong forms, no
 * surrogates, nothing past U+10FFFF) with no control character but tab, line feed, form feed and carriage return
 * (C0 and C1 alike); a byte order mark is a character like any other. A file the sniffer called text is checked to its end this
 * way, so that text is what it stays. Not thread-safe.
 */
final class PlainText {

    private int need;      // continuation bytes still expected
    private int cp;        // the code point being assembled
    private int min;       // the smallest code point its length may encode
    private boolean bad;

    /** Checks the next bytes; false once anything so far is not plain text. */
    boolean feed(ByteBuffer data) {
        ByteBuffer in = data.duplicate();
        while (!bad && in.hasRemaining()) {
            step(in.get() & 0xFF);
        }
        return !bad;
    }

    /** The bytes ended: false if they were not plain text, or ended inside a character. */
    boolean end() {
        return !bad && need == 0;
    }

    private void step(int c) {
        if (need > 0) {
            if ((c & 0xC0) != 0x80) {
                bad = true;
                return;
            }
            cp = (cp << 6) | (c & 0x3F);
            if (--need == 0) {
                bad = cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || (cp >= 0x80 && cp < 0xA0);
            }
            return;
        }
        if (c < 0x80) {
            bad = (c < 0x20 && c != '\t' && c != '\n' && c != '\f' && c != '\r') || c == 0x7F;
        } else if (c >= 0xC2 && c <= 0xDF) {
            start(1, c & 0x1F, 0x80);
        } else if (c >= 0xE0 && c <= 0xEF) {
            start(2, c & 0x0F, 0x800);
        } else if (c >= 0xF0 && c <= 0xF4) {
            start(3, c & 0x07, 0x10000);
        } else {
            bad = true;
        }
    }

    private void start(int n, int bits, int smallest) {
        need = n;
        cp = bits;
        min = smallest;
    }
}
