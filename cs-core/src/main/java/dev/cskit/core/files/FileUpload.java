/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.files;

import dev.cskit.api.FileType;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.http.BodyAbort;
import dev.cskit.api.http.BodySink;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.core.web.Envelope;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The body of one file upload, as it arrives: a raw body (the file itself), or {@code multipart/form-data} whose
 * part named {@code file} is the file ({@link MultipartParser}). The file's first bytes decide its type
 * ({@link ContentSniffer}) before any of it is written; text is checked to its end ({@link PlainText}); its size is
 * counted against {@code max_file_size}. A refusal ({@code 400}, {@code 413}, {@code 415}) is answered as soon as
 * it is known, and leaves nothing on disk; so does an abort.
 *
 * <p>Driven by the host, one call at a time ({@link BodySink}).
 */
public final class FileUpload implements BodySink {

    /** Bytes of multipart fields other than {@code file} that are read and dropped. */
    static final int MAX_OTHER_FIELDS = 64 * 1024;
    /** The field that carries the file (PROTOCOL.md). */
    public static final String FIELD = "file";

    /**
     * What may be stored.
     *
     * @param maxFileSize {@code max_file_size}
     * @param allowed     {@code file_types}
     */
    public record Policy(long maxFileSize, Set<FileType> allowed) {
        public Policy {
            allowed = Set.copyOf(allowed);
        }
    }

    /** Who sends the file. */
    public record From(Sender sender, String userId) {
        public From {
            Objects.requireNonNull(sender, "sender");
            Objects.requireNonNull(userId, "userId");
        }
    }

    /** What happens once the file is stored: the answer to the upload. */
    @FunctionalInterface
    public interface Then {
        HttpResponse stored(StoredFile file) throws Exception;
    }

    /** A refusal of the upload, with its status. */
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private final FileStore.Writer writer;
    private final Policy policy;
    private final From from;
    private final Then then;
    private final Content content = new Content();
    private final @Nullable MultipartParser parser;
    private @Nullable String name;
    private boolean fileSeen;
    private boolean inFile;
    private long otherBytes;

    private FileUpload(FileStore.Writer writer, Policy policy, From from, Then then, @Nullable String boundary,
                       @Nullable String rawName) {
        this.writer = writer;
        this.policy = policy;
        this.from = from;
        this.then = then;
        this.parser = boundary == null ? null : new MultipartParser(boundary, new Parts());
        this.name = rawName;
        this.fileSeen = boundary == null;
    }

    /** A body that is the file itself, named {@code name} by the client. */
    public static FileUpload raw(FileStore.Writer writer, Policy policy, From from, String name, Then then) {
        return new FileUpload(writer, policy, from, then, null, Objects.requireNonNull(name, "name"));
    }

    /** A {@code multipart/form-data} body with this boundary, whose part {@code file} is the file. */
    public static FileUpload multipart(FileStore.Writer writer, Policy policy, From from, String boundary, Then then) {
        return new FileUpload(writer, policy, from, then, Objects.requireNonNull(boundary, "boundary"), null);
    }

    @Override
    public Optional<HttpResponse> onData(ByteBuffer data) throws Exception {
        try {
            if (parser != null) {
                parser.feed(data);
            } else {
                content.write(data);
            }
            return Optional.empty();
        } catch (Refused r) {
            writer.abort();
            return Optional.of(Envelope.error(r.status, r.getMessage()));
        } catch (MultipartParser.MalformedException m) {
            writer.abort();
            return Optional.of(Envelope.error(400, "malformed multipart/form-data body: " + m.getMessage()));
        }
    }

    @Override
    public HttpResponse onEnd() throws Exception {
        StoredFile stored;
        try {
            if (parser != null) {
                parser.finish();
                if (!fileSeen) {
                    throw new Refused(400, "the multipart/form-data body has no part named '" + FIELD
                            + "'; send the file as that field");
                }
            }
            FileType type = content.finish();
            stored = writer.commit(FileNames.safe(name, type), type, from.sender(), from.userId());
        } catch (Refused r) {
            writer.abort();
            return Envelope.error(r.status, r.getMessage());
        } catch (MultipartParser.MalformedException m) {
            writer.abort();
            return Envelope.error(400, "malformed multipart/form-data body: " + m.getMessage());
        }
        return then.stored(stored);
    }

    @Override
    public void onAbort(BodyAbort reason) {
        writer.abort();
    }

    /** The multipart parts: the one named {@code file} is the content, others are dropped (bounded). */
    private final class Parts implements MultipartParser.Handler {
        @Override
        public void partStart(MultipartParser.PartHeaders headers) throws Refused {
            inFile = headers.name().filter(FIELD::equals).isPresent();
            if (inFile) {
                if (fileSeen) {
                    throw new Refused(400, "send one file per request: a second part named '" + FIELD + "' came");
                }
                fileSeen = true;
                name = headers.filename().orElse(null);
            }
        }

        @Override
        public void data(ByteBuffer data) throws Refused, IOException {
            if (inFile) {
                content.write(data);
                return;
            }
            otherBytes += data.remaining();
            if (otherBytes > MAX_OTHER_FIELDS) {
                throw new Refused(400, "fields other than '" + FIELD + "' may have " + MAX_OTHER_FIELDS
                        + " bytes in all; send the file alone");
            }
        }

        @Override
        public void partEnd() {
            inFile = false;
        }
    }

    /** The file's bytes: held until its first bytes show its type, then written; counted against the limit. */
    private final class Content {
        private final byte[] head = new byte[ContentSniffer.SNIFF_BYTES];
        private int headLength;
        private @Nullable FileType type;
        private @Nullable PlainText text;
        private long size;

        void write(ByteBuffer data) throws Refused, IOException {
            size += data.remaining();
            if (size > policy.maxFileSize()) {
                throw new Refused(413, "the file is larger than max_file_size (" + policy.maxFileSize() + " bytes)");
            }
            ByteBuffer in = data.duplicate();
            if (type == null) {
                int n = Math.min(in.remaining(), head.length - headLength);
                in.get(head, headLength, n);
                headLength += n;
                if (headLength < head.length) {
                    return;
                }
                decide(false);
            }
            if (text != null && !text.feed(in)) {
                throw new Refused(415, "the file is not plain text after all (it has bytes that are not UTF-8 text "
                        + "past its start); send it as one of " + allowedNames());
            }
            writer.write(in);
        }

        FileType finish() throws Refused, IOException {
            if (size == 0) {
                throw new Refused(400, "the file is empty");
            }
            if (type == null) {
                decide(true);
            }
            if (text != null && !text.end()) {
                throw new Refused(415, "the file is not plain text: it ends inside a UTF-8 character");
            }
            return type;
        }

        /** The head is full, or the whole file: its type decides; allowed, the head is written. */
        private void decide(boolean whole) throws Refused, IOException {
            Optional<FileType> t = ContentSniffer.detect(head, headLength, whole);
            if (t.isEmpty() || !policy.allowed().contains(t.get())) {
                String what = t.map(x -> x.wireName() + " files are not accepted here")
                        .or(() -> ContentSniffer.describe(head, headLength).map(d -> "the file looks like " + d
                                + ", which is never accepted"))
                        .orElse("the file's content is not of a type accepted here");
                throw new Refused(415, what + "; its content (not its name) must be one of " + allowedNames());
            }
            type = t.get();
            if (type == FileType.TEXT) {
                text = new PlainText();
                text.feed(ByteBuffer.wrap(head, 0, headLength));
            }
            writer.write(ByteBuffer.wrap(head, 0, headLength));
        }
    }

    private String allowedNames() {
        return policy.allowed().stream().sorted().map(FileType::wireName).collect(Collectors.joining(", "));
    }
}
