/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.files;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A streaming parser of a {@code multipart/form-data} body (RFC 7578, on the syntax of RFC 2046 §5.1.1): fed the
 * body in pieces of any size, it tells its {@link Handler} where each part starts (with its headers), its data in
 * order, and where it ends, holding nothing but a part's header block (at most {@value #MAX_HEADER_BYTES} bytes)
 * and no copy of the data: {@link Handler#data} gets views of the pieces fed.
 *
 * <p>The delimiter is {@code CRLF "--" boundary}; the body is read as if a CRLF came before it, so the first
 * boundary line needs none. Anything before it is the preamble, anything after the close delimiter
 * ({@code "--" boundary "--"}) the epilogue; both are ignored. Whitespace after a boundary (RFC 2046's transport
 * padding) is skipped. A body that ends before the close delimiter is malformed ({@link #finish}).
 *
 * <p>Not thread-safe: one body, one thread at a time.
 */
public final class MultipartParser {

    /** The longest header block of one part. */
    public static final int MAX_HEADER_BYTES = 8 * 1024;
    /** RFC 2046 §5.1.1: a boundary is 1 to 70 characters. */
    private static final int MAX_BOUNDARY = 70;

    /** Where the parts go. May throw to stop the parse (the exception leaves {@link #feed}). */
    public interface Handler {
        /** A part begins. */
        void partStart(PartHeaders headers) throws Exception;

        /** The next bytes of the current part; a view valid during the call only. */
        void data(ByteBuffer data) throws Exception;

        /** The current part ended. */
        void partEnd() throws Exception;
    }

    /**
     * A part's header fields (RFC 7578 §4.2, §4.4), names lower case.
     *
     * @param fields every field; a repeated one keeps its last value
     */
    public record PartHeaders(Map<String, String> fields) {
        public PartHeaders {
            fields = Map.copyOf(fields);
        }

        /** The {@code name} parameter of {@code Content-Disposition: form-data}. */
        public Optional<String> name() {
            return dispositionParam("name");
        }

        /** The {@code filename} parameter ({@code filename*} of RFC 8187 if that is all there is). */
        public Optional<String> filename() {
            Optional<String> plain = dispositionParam("filename");
            return plain.isPresent() ? plain : dispositionParam("filename*").flatMap(MultipartParser::decodeExtValue);
        }

        /** The part's {@code Content-Type}, as the client claimed it. */
        public Optional<String> contentType() {
            return Optional.ofNullable(fields.get("content-type"));
        }

        private Optional<String> dispositionParam(String param) {
            String cd = fields.get("content-disposition");
            return cd == null ? Optional.empty() : Optional.ofNullable(parameters(cd).get(param));
        }
    }

    /** A body that is not well-formed multipart. */
    public static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) {
            super(message);
        }
    }

    private enum State {
        /** Before the first boundary: bytes are dropped. */
        PREAMBLE,
        /** Right after a delimiter: "--" closes, else padding and CRLF open a part. */
        AFTER_DELIMITER,
        /** After a delimiter, one '-' seen. */
        CLOSE_DASH,
        /** After a delimiter, skipping padding; a CR was seen if {@code sawCr}. */
        PADDING,
        /** A part's header block. */
        HEADERS,
        /** A part's data. */
        DATA,
        /** After the close delimiter: bytes are dropped. */
        EPILOGUE
    }

    private final byte[] delimiter;
    private final Handler handler;
    private State state = State.PREAMBLE;
    /** How many bytes of the delimiter the last bytes seen match (those bytes are held back, not yet data). */
    private int matched = 2; // the body is read as if a CRLF came first
    private boolean sawCr;
    private final ByteArrayOutputStream headerBytes = new ByteArrayOutputStream();
    private int parts;

    /**
     * @param boundary the {@code boundary} parameter of the body's {@code Content-Type} ({@link #boundaryOf})
     * @throws IllegalArgumentException if it is empty, longer than 70 characters, or has a CR or LF
     */
    public MultipartParser(String boundary, Handler handler) {
        if (boundary.isEmpty() || boundary.length() > MAX_BOUNDARY || boundary.indexOf('\r') >= 0
                || boundary.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a multipart boundary is 1 to 70 characters without CR or LF");
        }
        // The delimiter has no proper prefix that is also its suffix (it starts with CR, and a boundary has none),
        // so a failed partial match never hides the start of another: matching restarts at the failing byte.
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.handler = handler;
    }

    /**
     * The {@code boundary} parameter of a {@code multipart/form-data} content type, if it is one.
     *
     * @param contentType the request's {@code Content-Type}
     */
    public static Optional<String> boundaryOf(String contentType) {
        int semi = contentType.indexOf(';');
        String type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        if (!type.equals("multipart/form-data") || semi < 0) {
            return Optional.empty();
        }
        String b = parameters(contentType).get("boundary");
        return b == null || b.isEmpty() || b.length() > MAX_BOUNDARY ? Optional.empty() : Optional.of(b);
    }

    /** How many parts have started. */
    public int parts() {
        return parts;
    }

    /** Whether the close delimiter was seen. */
    public boolean complete() {
        return state == State.EPILOGUE;
    }

    /** Parses the next piece of the body. */
    public void feed(ByteBuffer piece) throws Exception {
        ByteBuffer in = piece.duplicate();
        while (in.hasRemaining()) {
            switch (state) {
                case PREAMBLE, DATA -> scan(in);
                case AFTER_DELIMITER, CLOSE_DASH, PADDING -> afterDelimiter(in);
                case HEADERS -> headers(in);
                case EPILOGUE -> in.position(in.limit());
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    /**
     * The body ended.
     *
     * @throws MalformedException if the close delimiter never came
     */
    public void finish() throws MalformedException {
        if (state != State.EPILOGUE) {
            throw new MalformedException(parts == 0
                    ? "the multipart body has no part: no boundary line '--" + boundary() + "' was found"
                    : "the multipart body ended before its closing boundary '--" + boundary() + "--'");
        }
    }

    private String boundary() {
        return new String(delimiter, 4, delimiter.length - 4, StandardCharsets.ISO_8859_1);
    }

    /**
     * Looks for the delimiter, handing the bytes before it on as data (in a part) or dropping them (preamble). The
     * bytes that match the start of the delimiter so far are held back until the match completes or fails; those
     * held from an earlier piece are {@code delimiter[0, fromEarlier)}, since the match ran without a break.
     */
    private void scan(ByteBuffer in) throws Exception {
        int start = in.position();
        int end = in.limit();
        int dataFrom = start; // the first byte of this piece not handed on yet
        int fromEarlier = matched;
        int i = start;
        while (i < end) {
            if (in.get(i) == delimiter[matched]) {
                matched++;
                i++;
                if (matched == delimiter.length) {
                    emit(in, dataFrom, i - (matched - fromEarlier)); // held bytes from earlier were delimiter
                    matched = 0;
                    in.position(i);
                    delimiterFound();
                    return;
                }
            } else if (matched > 0) {
                // The partial match failed, so its bytes were data: those held from an earlier piece come first
                // (this piece's matched bytes follow from dataFrom). The failing byte may start a new match.
                if (fromEarlier > 0) {
                    emitHeld(fromEarlier);
                    fromEarlier = 0;
                }
                matched = 0;
            } else {
                i++;
            }
        }
        emit(in, dataFrom, end - (matched - fromEarlier)); // keep back the bytes that may begin a delimiter
        in.position(end);
    }

    /** Hands bytes {@code [from, to)} of the piece to the part, or drops them in the preamble. */
    private void emit(ByteBuffer in, int from, int to) throws Exception {
        if (to > from && state == State.DATA) {
            ByteBuffer view = in.duplicate();
            view.limit(to).position(from);
            handler.data(view.asReadOnlyBuffer());
        }
    }

    /** Held-back delimiter bytes turned out to be data: the first {@code n} bytes of the delimiter. */
    private void emitHeld(int n) throws Exception {
        if (state == State.DATA) {
            handler.data(ByteBuffer.wrap(delimiter, 0, n).asReadOnlyBuffer());
        }
    }

    private void delimiterFound() throws Exception {
        if (state == State.DATA) {
            handler.partEnd();
        }
        state = State.AFTER_DELIMITER;
    }

    private void afterDelimiter(ByteBuffer in) throws Exception {
        byte b = in.get();
        switch (state) {
            case AFTER_DELIMITER -> {
                if (b == '-') {
                    state = State.CLOSE_DASH;
                } else {
                    state = State.PADDING;
                    sawCr = false;
                    padding(b);
                }
            }
            case CLOSE_DASH -> {
                if (b != '-') {
                    throw new MalformedException("a boundary line must end with CRLF, or with '--' for the last");
                }
                state = State.EPILOGUE;
            }
            default -> padding(b);
        }
    }

    /** RFC 2046 §5.1.1: {@code boundary transport-padding CRLF}, padding being spaces and tabs. */
    private void padding(byte b) throws MalformedException {
        if (sawCr) {
            if (b != '\n') {
                throw new MalformedException("a boundary line must end with CRLF");
            }
            state = State.HEADERS;
            headerBytes.reset();
        } else if (b == '\r') {
            sawCr = true;
        } else if (b != ' ' && b != '\t') {
            throw new MalformedException("a boundary line must end with CRLF (after the boundary came '"
                    + (char) (b & 0xff) + "')");
        }
    }

    /** Collects a part's header block up to its empty line. */
    private void headers(ByteBuffer in) throws Exception {
        while (in.hasRemaining()) {
            byte b = in.get();
            headerBytes.write(b);
            int n = headerBytes.size();
            if (n > MAX_HEADER_BYTES) {
                throw new MalformedException("a part's header block is longer than " + MAX_HEADER_BYTES + " bytes");
            }
            if (b == '\n') {
                byte[] h = headerBytes.toByteArray();
                boolean empty = n == 2 && h[0] == '\r';
                boolean blankLine = n >= 4 && h[n - 2] == '\r' && h[n - 3] == '\n' && h[n - 4] == '\r';
                if (empty || blankLine) {
                    PartHeaders parsed = parseHeaders(new String(h, 0, n, StandardCharsets.UTF_8));
                    parts++;
                    state = State.DATA;
                    matched = 0;
                    handler.partStart(parsed);
                    return;
                }
            }
        }
    }

    private static PartHeaders parseHeaders(String block) throws MalformedException {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : block.split("\r\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new MalformedException("a part header line has no name: '" + shorten(line) + "'");
            }
            fields.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return new PartHeaders(fields);
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }

    /**
     * The parameters of a header value {@code type; a=b; c="d \"e\""} (RFC 9110 §5.6.6), names lower case; quoted
     * strings unescaped.
     */
    static Map<String, String> parameters(String value) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = value.indexOf(';');
        int n = value.length();
        while (i >= 0 && i < n) {
            i++; // past ';'
            while (i < n && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
                i++;
            }
            int eq = i;
            while (eq < n && value.charAt(eq) != '=' && value.charAt(eq) != ';') {
                eq++;
            }
            if (eq >= n || value.charAt(eq) == ';') {
                i = eq < n ? eq : -1; // a parameter without a value: skip it
                continue;
            }
            String name = value.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            int j = eq + 1;
            while (j < n && (value.charAt(j) == ' ' || value.charAt(j) == '\t')) {
                j++;
            }
            StringBuilder v = new StringBuilder();
            if (j < n && value.charAt(j) == '"') {
                j++;
                while (j < n && value.charAt(j) != '"') {
                    char c = value.charAt(j);
                    if (c == '\\' && j + 1 < n) {
                        c = value.charAt(++j);
                    }
                    v.append(c);
                    j++;
                }
                j++; // past the closing quote, if any
                while (j < n && value.charAt(j) != ';') {
                    j++;
                }
            } else {
                while (j < n && value.charAt(j) != ';') {
                    v.append(value.charAt(j));
                    j++;
                }
            }
            out.putIfAbsent(name, v.toString().trim());
            i = j < n ? j : -1;
        }
        return out;
    }

    /** RFC 8187 §3.2: {@code charset'lang'pct-encoded}; UTF-8 only. */
    static Optional<String> decodeExtValue(String ext) {
        int q1 = ext.indexOf('\'');
        int q2 = q1 < 0 ? -1 : ext.indexOf('\'', q1 + 1);
        if (q2 < 0 || !ext.substring(0, q1).equalsIgnoreCase("UTF-8")) {
            return Optional.empty();
        }
        String enc = ext.substring(q2 + 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < enc.length(); i++) {
            char c = enc.charAt(i);
            if (c == '%' && i + 2 < enc.length()) {
                int hi = Character.digit(enc.charAt(i + 1), 16);
                int lo = Character.digit(enc.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return Optional.empty();
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else if (c == '%') {
                return Optional.empty();
            } else {
                out.write(c);
            }
        }
        return Optional.of(out.toString(StandardCharsets.UTF_8));
    }
}
