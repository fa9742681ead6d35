/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.FileType;
import org.junit.jupiter.api.Test;

class FileNamesTest {

    @Test
    void directoriesControlsAndReservedCharactersGo() {
        assertEquals("passwd.txt", FileNames.safe("../../etc/passwd", FileType.TEXT));
        assertEquals("x.png", FileNames.safe("C:\\Users\\me\\x.png", FileType.PNG));
        assertEquals("a_b_c_.png", FileNames.safe("a\"b\nc\u0000.png", FileType.PNG));
        assertEquals("file.pdf", FileNames.safe(null, FileType.PDF));
        assertEquals("file.pdf", FileNames.safe("  ... ", FileType.PDF));
        assertEquals("gpj_.png", FileNames.safe("gpj\u202e.png", FileType.PNG), "no bidi override to fake a name");
    }

    @Test
    void theExtensionFitsTheContent() {
        assertEquals("photo.JPG", FileNames.safe("photo.JPG", FileType.JPEG));
        assertEquals("photo.jpeg", FileNames.safe("photo.jpeg", FileType.JPEG));
        assertEquals("setup.exe.png", FileNames.safe("setup.exe", FileType.PNG));
        assertEquals("notes.txt", FileNames.safe("notes", FileType.TEXT));
        assertEquals("report.docx", FileNames.safe("report.docx", FileType.ZIP));
    }

    @Test
    void longNamesKeepTheirExtension() {
        String n = FileNames.safe("x".repeat(300) + ".png", FileType.PNG);
        assertEquals(FileNames.MAX_LENGTH, n.length());
        assertTrue(n.endsWith("x.png"), n);
        String wide = FileNames.safe("图".repeat(300) + ".pdf", FileType.PDF);
        assertEquals(FileNames.MAX_LENGTH, wide.codePointCount(0, wide.length()));
    }

    @Test
    void theDispositionOffersAnAsciiNameAndTheExactOne() {
        assertEquals("attachment; filename=\"r_sum_ 100_.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20100%25.pdf",
                FileNames.contentDisposition("résumé 100%.pdf"));
        assertEquals("attachment; filename=\"a_b.txt\"; filename*=UTF-8''a%5Cb.txt",
                FileNames.contentDisposition("a\\b.txt"));
    }
}
