/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RFC 7578 bodies fed in pieces of every size, against what the whole body holds. */
class MultipartParserTest {

    static final String B = "----cskitBoundary7MA4YWxkTrZu0gW";

    /** A part as the parser reported it. */
    record Part(Map<String, String> headers, byte[] data) {
    }

    /** Collects the parts; checks the calls come in a legal order. */
    static class Collector implements MultipartParser.Handler {
        final List<Part> parts = new ArrayList<>();
        MultipartParser.PartHeaders current;
        ByteArrayOutputStream data;

        @Override
        public void partStart(MultipartParser.PartHeaders headers) {
            assertEquals(null, current, "a part started inside another");
            current = headers;
            data = new ByteArrayOutputStream();
        }

        @Override
        public void data(ByteBuffer d) {
            assertTrue(current != null, "data outside a part");
            assertTrue(d.hasRemaining(), "an empty data call");
            assertTrue(d.isReadOnly(), "the parser hands out read-only views");
            byte[] b = new byte[d.remaining()];
            d.get(b);
            data.writeBytes(b);
        }

        @Override
        public void partEnd() {
            parts.add(new Part(current.fields(), data.toByteArray()));
            current = null;
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    /** A body of a text field and a file, as a browser's FormData sends it. */
    static byte[] formBody(byte[] file) {
        return concat(bytes("--" + B + "\r\n"
                + "Content-Disposition: form-data; name=\"note\"\r\n\r\n"
                + "hello\r\n"
                + "--" + B + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"photo.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n"), file, bytes("\r\n--" + B + "--\r\n"));
    }

    /** Parses a body cut at the given offsets. */
    static Collector parse(byte[] body, int... cuts) throws Exception {
        Collector c = new Collector();
        MultipartParser p = new MultipartParser(B, c);
        int from = 0;
        for (int cut : cuts) {
            p.feed(ByteBuffer.wrap(body, from, cut - from));
            from = cut;
        }
        p.feed(ByteBuffer.wrap(body, from, body.length - from));
        p.finish();
        return c;
    }

    @Test
    void aBrowsersFormGivesItsFieldsAndTheFile() throws Exception {
        byte[] file = bytes("\u0089PNG\r\n\u001a\n binary \r\n-- not a boundary \r\n--" + B.substring(0, 10) + " end");
        Collector c = parse(formBody(file));
        assertEquals(2, c.parts.size());
        assertEquals("form-data; name=\"note\"", c.parts.get(0).headers().get("content-disposition"));
        assertArrayEquals(bytes("hello"), c.parts.get(0).data());
        assertEquals("image/png", c.parts.get(1).headers().get("content-type"));
        assertArrayEquals(file, c.parts.get(1).data(), "CRLF and boundary look-alikes inside the file are data");
    }

    @Test
    void everySplitPointGivesTheSameParts() throws Exception {
        byte[] file = bytes("line one\r\n\r\n--" + B.substring(0, B.length() - 1) + "\r\n--\r\r\n-");
        byte[] body = formBody(file);
        for (int cut = 0; cut <= body.length; cut++) {
            Collector c = parse(body, cut);
            assertEquals(2, c.parts.size(), "cut at " + cut);
            assertArrayEquals(file, c.parts.get(1).data(), "cut at " + cut);
        }
        for (int a = 0; a <= body.length; a += 3) {
            for (int b = a; b <= body.length; b += 5) {
                assertArrayEquals(file, parse(body, a, b).parts.get(1).data(), "cuts at " + a + ", " + b);
            }
        }
    }

    @Test
    void oneByteAtATimeGivesTheSameParts() throws Exception {
        byte[] file = new byte[3000];
        new Random(1).nextBytes(file);
        byte[] body = formBody(file);
        int[] cuts = new int[body.length - 1];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        assertArrayEquals(file, parse(body, cuts).parts.get(1).data());
    }

    @Test
    void randomContentAndRandomPiecesRoundTrip() throws Exception {
        Random rnd = new Random(42);
        byte[] delimiter = bytes("\r\n--" + B);
        for (int round = 0; round < 2000; round++) {
            // Content rich in delimiter prefixes: random bytes with pieces of the delimiter spliced in.
            ByteArrayOutputStream f = new ByteArrayOutputStream();
            int pieces = rnd.nextInt(12);
            for (int i = 0; i < pieces; i++) {
                byte[] r = new byte[rnd.nextInt(40)];
                rnd.nextBytes(r);
                f.writeBytes(r);
                f.write(delimiter, 0, rnd.nextInt(delimiter.length)); // never the whole delimiter
            }
            byte[] file = f.toByteArray();
            // A random byte after a prefix may complete the delimiter: that content is not legal, break it.
            for (int at; (at = indexOf(file, delimiter)) >= 0; ) {
                file[at + delimiter.length - 1] = 0;
            }
            byte[] body = formBody(file);
            int n = rnd.nextInt(6);
            int[] cuts = rnd.ints(n, 0, body.length + 1).sorted().toArray();
            Collector c = parse(body, cuts);
            assertEquals(2, c.parts.size(), "round " + round);
            assertArrayEquals(file, c.parts.get(1).data(), "round " + round);
        }
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void preambleEpilogueAndTransportPaddingAreIgnored() throws Exception {
        byte[] body = bytes("This is the preamble. --" + B + " is not at a line start.\r\n"
                + "--" + B + " \t\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\n"
                + "abc\r\n"
                + "--" + B + "--\r\nepilogue, ignored, even --" + B + "\r\n");
        Collector c = parse(body);
        assertEquals(1, c.parts.size());
        assertArrayEquals(bytes("abc"), c.parts.get(0).data());
    }

    @Test
    void aPartWithoutHeadersOrDataIsAPart() throws Exception {
        Collector c = parse(bytes("--" + B + "\r\n\r\n\r\n--" + B + "--"));
        assertEquals(1, c.parts.size());
        assertTrue(c.parts.get(0).headers().isEmpty());
        assertEquals(0, c.parts.get(0).data().length);
    }

    @Test
    void aMissingCloseDelimiterIsMalformedAtTheEnd() throws Exception {
        byte[] body = bytes("--" + B + "\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc\r\n--" + B
                + "\r\n");
        MultipartParser p = new MultipartParser(B, new Collector());
        p.feed(ByteBuffer.wrap(body));
        MultipartParser.MalformedException e = assertThrows(MultipartParser.MalformedException.class, p::finish);
        assertTrue(e.getMessage().contains("closing boundary"), e.getMessage());
        MultipartParser cut = new MultipartParser(B, new Collector());
        cut.feed(ByteBuffer.wrap(bytes("--" + B + "\r\n\r\nabc"))); // cut inside the data
        assertThrows(MultipartParser.MalformedException.class, cut::finish);
        MultipartParser none = new MultipartParser(B, new Collector());
        none.feed(ByteBuffer.wrap(bytes("just some bytes")));
        e = assertThrows(MultipartParser.MalformedException.class, none::finish);
        assertTrue(e.getMessage().contains("no part"), e.getMessage());
        assertFalse(none.complete());
    }

    @Test
    void aBoundaryLineWithoutCrlfIsMalformed() {
        MultipartParser p = new MultipartParser(B, new Collector());
        assertThrows(MultipartParser.MalformedException.class,
                () -> p.feed(ByteBuffer.wrap(bytes("--" + B + "X\r\n\r\nabc"))));
        MultipartParser lf = new MultipartParser(B, new Collector());
        assertThrows(MultipartParser.MalformedException.class,
                () -> lf.feed(ByteBuffer.wrap(bytes("--" + B + "\r\r\n"))));
        MultipartParser dash = new MultipartParser(B, new Collector());
        assertThrows(MultipartParser.MalformedException.class,
                () -> dash.feed(ByteBuffer.wrap(bytes("--" + B + "-x"))));
    }

    @Test
    void anEndlessHeaderBlockIsRefused() {
        MultipartParser p = new MultipartParser(B, new Collector());
        byte[] header = bytes("--" + B + "\r\nX-Long: " + "a".repeat(MultipartParser.MAX_HEADER_BYTES));
        MultipartParser.MalformedException e = assertThrows(MultipartParser.MalformedException.class,
                () -> p.feed(ByteBuffer.wrap(header)));
        assertTrue(e.getMessage().contains("header block"), e.getMessage());
        MultipartParser q = new MultipartParser(B, new Collector());
        assertThrows(MultipartParser.MalformedException.class,
                () -> q.feed(ByteBuffer.wrap(bytes("--" + B + "\r\nno colon here\r\n\r\n"))));
    }

    @Test
    void aHandlerThatThrowsStopsTheParse() {
        MultipartParser p = new MultipartParser(B, new Collector() {
            @Override
            public void data(ByteBuffer d) {
                throw new IllegalStateException("refused");
            }
        });
        assertThrows(IllegalStateException.class, () -> p.feed(ByteBuffer.wrap(formBody(bytes("x")))));
    }

    @Test
    void dispositionParametersAreParsedAsRfc7578Says() {
        MultipartParser.PartHeaders h = new MultipartParser.PartHeaders(Map.of("content-disposition",
                "form-data; name=\"file\"; filename=\"a \\\"quoted\\\" name; with semicolon.png\""));
        assertEquals(Optional.of("file"), h.name());
        assertEquals(Optional.of("a \"quoted\" name; with semicolon.png"), h.filename());
        MultipartParser.PartHeaders ext = new MultipartParser.PartHeaders(Map.of("content-disposition",
                "form-data; name=file; filename*=UTF-8''%E5%9B%BE%E7%89%87.png"));
        assertEquals(Optional.of("file"), ext.name());
        assertEquals(Optional.of("图片.png"), ext.filename());
        MultipartParser.PartHeaders utf8 = new MultipartParser.PartHeaders(Map.of("content-disposition",
                "form-data; name=\"file\"; filename=\"résumé.pdf\""));
        assertEquals(Optional.of("résumé.pdf"), utf8.filename());
        assertEquals(Optional.empty(), new MultipartParser.PartHeaders(Map.of()).name());
    }

    @Test
    void theBoundaryComesFromTheContentType() {
        assertEquals(Optional.of(B), MultipartParser.boundaryOf("multipart/form-data; boundary=" + B));
        assertEquals(Optional.of("a b"), MultipartParser.boundaryOf("Multipart/Form-Data; charset=x; boundary=\"a b\""));
        assertEquals(Optional.empty(), MultipartParser.boundaryOf("multipart/form-data"));
        assertEquals(Optional.empty(), MultipartParser.boundaryOf("multipart/mixed; boundary=x"));
        assertEquals(Optional.empty(), MultipartParser.boundaryOf("image/png"));
        assertEquals(Optional.empty(), MultipartParser.boundaryOf("multipart/form-data; boundary=" + "x".repeat(71)));
        assertThrows(IllegalArgumentException.class, () -> new MultipartParser("", new Collector()));
        assertThrows(IllegalArgumentException.class, () -> new MultipartParser("a\r\nb", new Collector()));
    }
}
