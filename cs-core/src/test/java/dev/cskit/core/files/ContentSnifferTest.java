/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.FileType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContentSnifferTest {

    static Optional<FileType> detect(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return ContentSniffer.detect(b, b.length, true);
    }

    static Optional<FileType> detect(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return ContentSniffer.detect(b, b.length, true);
    }

    @Test
    void magicBytesNameTheType() {
        assertEquals(Optional.of(FileType.PNG), detect(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0));
        assertEquals(Optional.of(FileType.JPEG), detect(0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F'));
        assertEquals(Optional.of(FileType.GIF), detect('G', 'I', 'F', '8', '9', 'a', 1, 0));
        assertEquals(Optional.of(FileType.WEBP), detect('R', 'I', 'F', 'F', 0x24, 0, 0, 0, 'W', 'E', 'B', 'P', 'V'));
        assertEquals(Optional.of(FileType.PDF), detect("%PDF-1.7\n%âãÏÓ"));
        assertEquals(Optional.of(FileType.ZIP), detect('P', 'K', 3, 4, 20, 0));
        assertEquals(Optional.of(FileType.TEXT), detect("plain words, über 漢字 \uD83D\uDE00\r\n\ttabs"));
    }

    @Test
    void aPngSignatureCutShortOrAnAviIsNotAnImage() {
        assertEquals(Optional.empty(), detect(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A)); // 7 of 8 bytes
        assertEquals(Optional.empty(), detect('R', 'I', 'F', 'F', 0x24, 0, 0, 0, 'A', 'V', 'I', ' '));
        assertEquals(Optional.empty(), detect(0xFF, 0xD8));
    }

    @Test
    void executablesAreNeverTextAndAreNamed() {
        byte[] mz = "MZ\u0090\u0000".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(Optional.empty(), ContentSniffer.detect(mz, mz.length, true));
        assertEquals(Optional.of("a Windows executable (MZ)"), ContentSniffer.describe(mz, mz.length));
        byte[] script = "#!/bin/sh\nrm -rf /\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(Optional.empty(), ContentSniffer.detect(script, script.length, true), "a script is not text");
        assertEquals(Optional.of("a script (#!)"), ContentSniffer.describe(script, script.length));
        byte[] elf = {0x7F, 'E', 'L', 'F', 2, 1};
        assertTrue(ContentSniffer.describe(elf, elf.length).orElseThrow().contains("ELF"));
    }

    @Test
    void textMeansWellFormedUtf8WithoutControls() {
        assertEquals(Optional.empty(), detect("nul \u0000 inside"));
        assertEquals(Optional.empty(), detect("bell \u0007"));
        assertEquals(Optional.empty(), detect("c1 \u0085 control"));
        assertEquals(Optional.empty(), detect(0xC0, 0xAF)); // overlong '/'
        assertEquals(Optional.empty(), detect(0xED, 0xA0, 0x80)); // a surrogate
        assertEquals(Optional.empty(), detect(0xF4, 0x90, 0x80, 0x80)); // past U+10FFFF
        assertEquals(Optional.empty(), detect('a', 0xE6, 0xBC)); // cut inside a character at the end of the file
        assertEquals(Optional.of(FileType.TEXT), detect(0xEF, 0xBB, 0xBF, 'h', 'i')); // byte order mark
    }

    @Test
    void aCharacterCutByTheSniffedHeadIsNotHeldAgainstTheText() {
        byte[] b = "ab漢".getBytes(StandardCharsets.UTF_8);
        assertFalse(ContentSniffer.detect(b, b.length - 1, true).isPresent());
        assertEquals(Optional.of(FileType.TEXT), ContentSniffer.detect(b, b.length - 1, false));
    }

    @Test
    void plainTextIsCheckedAcrossPieces() {
        byte[] b = "漢字 and more".getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= b.length; cut++) {
            PlainText t = new PlainText();
            assertTrue(t.feed(ByteBuffer.wrap(b, 0, cut)));
            assertTrue(t.feed(ByteBuffer.wrap(b, cut, b.length - cut)));
            assertTrue(t.end(), "cut at " + cut);
        }
        PlainText cutShort = new PlainText();
        assertTrue(cutShort.feed(ByteBuffer.wrap(b, 0, 2)));
        assertFalse(cutShort.end());
        PlainText binary = new PlainText();
        assertTrue(binary.feed(ByteBuffer.wrap("ok".getBytes(StandardCharsets.US_ASCII))));
        assertFalse(binary.feed(ByteBuffer.wrap(new byte[] {1})));
        assertFalse(binary.end());
    }
}
