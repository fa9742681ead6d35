/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.record;

import dev.cskit.media.forward.CodecSpec;
import dev.cskit.media.rtp.RtpPacket;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records one published track to a file: Opus to Ogg ({@link OggOpusWriter}), VP8 to IVF ({@link IvfWriter}),
 * H.264 to an Annex B byte stream ({@code .h264}, no timestamps: players assume a frame rate).
 *
 * <p>{@link #offer} is the network thread's side: it copies the plain RTP packet into a bounded queue (when the
 * queue is full the packet is dropped and counted) and schedules a drain on the caller's executor, where all
 * parsing and disk I/O happen. The file is created on the first drained packet, as {@code directory/base.ext}
 * or, if that exists, {@code base-2.ext}, {@code base-3.ext}, … (an earlier recording is never overwritten).
 * {@link #close} stops accepting packets; the queued ones are written and the file is finalized (Ogg
 * end-of-stream page, IVF header), after which {@link #closed()} completes.
 *
 * <p>Only packets of the recorded codec's payload type are written (RTX, FEC and other codecs are counted and
 * ignored). If the SSRC changes (the publisher reconnected), the recording continues: audio picks up where it
 * stopped, video waits for a keyframe.
 *
 * <p>Thread-safety: {@link #offer} must be called by one thread at a time and never blocks or throws; the
 * other methods are thread-safe. The recorder starts no threads.
 */
public final class TrackRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(TrackRecorder.class);
    private static final int DEFAULT_QUEUE = 1024;

    /** The file formats, chosen by codec name. */
    public enum Format {
        OGG_OPUS("ogg", "audio/ogg"),
        IVF_VP8("ivf", "video/x-ivf"),
        H264_ANNEX_B("h264", "video/h264");

        private final String extension;
        private final String contentType;

        Format(String extension, String contentType) {
            this.extension = extension;
            this.contentType = contentType;
        }

        /** The file name extension, without the dot. */
        public String extension() {
            return extension;
        }

        public String contentType() {
            return contentType;
        }

        /** The format that records {@code codecName} ({@code opus}, {@code VP8}, {@code H264}), if any. */
        public static Optional<Format> forCodec(String codecName) {
            return switch (codecName.toLowerCase(Locale.ROOT)) {
                case "opus" -> Optional.of(OGG_OPUS);
                case "vp8" -> Optional.of(IVF_VP8);
                case "h264" -> Optional.of(H264_ANNEX_B);
                default -> Optional.empty();
            };
        }

        /** The format whose file name extension is {@code extension}, if any. */
        public static Optional<Format> forExtension(String extension) {
            for (Format f : values()) {
                if (f.extension.equals(extension)) {
                    return Optional.of(f);
                }
            }
            return Optional.empty();
        }
    }

    /** What {@link #counter} counts. */
    public enum Counter {
        /** Packets handed to {@link #offer}. */
        OFFERED,
        /** Packets dropped because the queue was full (the disk or the executor is too slow). */
        QUEUE_FULL,
        /** Packets offered after {@link #close}. */
        AFTER_CLOSE,
        /** Packets of another payload type (RTX, FEC, another codec), ignored. */
        OTHER_PAYLOAD_TYPE,
        /** Packets that were not RTP, or whose payload the codec could not parse. */
        MALFORMED,
        /** Duplicates and packets that arrived after newer ones. */
        LATE,
        /** Sequence numbers never seen. */
        LOST,
        /** Audio packets or video frames written. */
        WRITTEN,
        /** Video frames dropped because a packet of them was lost or malformed. */
        FRAMES_DROPPED,
        /** Complete video frames skipped while waiting for a keyframe (after a loss, or at the start). */
        FRAMES_SKIPPED,
        /** Video keyframes written. */
        KEYFRAMES,
        /** Packets discarded because the file could not be written. */
        IO_FAILED
    }

    private final Format format;
    private final CodecSpec codec;
    private final Path directory;
    private final String baseName;
    private final Executor executor;
    private final int capacity;
    private final ArrayBlockingQueue<Slot> ready;
    private final ArrayBlockingQueue<Slot> free;
    private final AtomicLong[] counters = new AtomicLong[Counter.values().length];
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicLong bytes = new AtomicLong();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile boolean closing;
    private volatile Path file;
    private int allocated; // network thread only

    // Writer-side state: touched only by the drain, which never runs twice at once.
    private final RtpPacket rtp = new RtpPacket();
    private TrackSink sink;
    private FileChannel channel;
    private boolean failed;
    private boolean finished;

    private TrackRecorder(Builder b) {
        this.codec = b.codec;
        this.format = Format.forCodec(codec.name()).orElseThrow(() -> new IllegalArgumentException(
                "no recording format for codec " + codec.name() + ": recordable are opus, VP8 and H264"));
        this.directory = b.directory;
        this.baseName = b.baseName;
        this.executor = Objects.requireNonNull(b.executor, "executor: the caller supplies the writer executor");
        this.capacity = b.queueCapacity;
        this.ready = new ArrayBlockingQueue<>(capacity);
        this.free = new ArrayBlockingQueue<>(capacity);
        for (int i = 0; i < counters.length; i++) {
            counters[i] = new AtomicLong();
        }
    }

    /**
     * A recorder of {@code codec} (by name: opus, VP8 or H264) to {@code directory/baseName.ext}.
     *
     * @throws IllegalArgumentException if the codec cannot be recorded or the base name is not a plain file name
     */
    public static Builder newBuilder(CodecSpec codec, Path directory, String baseName) {
        return new Builder(codec, directory, baseName);
    }

    public Format format() {
        return format;
    }

    public CodecSpec codec() {
        return codec;
    }

    /** The file, once the first packet was drained. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** Bytes written to the file so far. */
    public long bytesWritten() {
        return bytes.get();
    }

    public long counter(Counter c) {
        return counters[c.ordinal()].get();
    }

    /** Completes when the file is finalized and closed after {@link #close}. */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    /**
     * Network thread: copies one plain RTP packet for writing. Returns false (and counts why) if the packet
     * was dropped: queue full, or recorder closed. Never blocks, never throws.
     */
    public boolean offer(byte[] buf, int off, int len) {
        count(Counter.OFFERED);
        if (closing) {
            count(Counter.AFTER_CLOSE);
            return false;
        }
        Slot s = free.poll();
        if (s == null) {
            if (allocated >= capacity) {
                count(Counter.QUEUE_FULL);
                return false;
            }
            allocated++;
            s = new Slot();
        }
        if (s.buf.length < len) {
            s.buf = new byte[len];
        }
        System.arraycopy(buf, off, s.buf, 0, len);
        s.len = len;
        ready.offer(s); // cannot fail: there are never more slots than its capacity
        schedule();
        return true;
    }

    /** Stops accepting packets; the queued ones are written and the file is finalized on the executor. */
    public void close() {
        closing = true;
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
                count(Counter.IO_FAILED);
            }
        }
    }

    private void drain() {
        for (;;) {
            Slot s;
            while ((s = ready.poll()) != null) {
                if (!finished) {
                    handle(s.buf, s.len);
                }
                free.offer(s);
            }
            if (closing && !finished) {
                finish();
            }
            scheduled.set(false);
            // A packet or the close may have arrived after the poll but before the flag was cleared.
            if (ready.isEmpty() && (!closing || finished)) {
                return;
            }
            if (!scheduled.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private void handle(byte[] buf, int len) {
        if (failed) {
            count(Counter.IO_FAILED);
            return;
        }
        if (!rtp.wrap(buf, 0, len)) {
            count(Counter.MALFORMED);
            return;
        }
        if (rtp.payloadType() != codec.payloadType()) {
            count(Counter.OTHER_PAYLOAD_TYPE);
            return;
        }
        try {
            if (sink == null) {
                open();
            }
            sink.write(rtp);
            bytes.set(channel.position());
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    private void open() throws IOException {
        Files.createDirectories(directory);
        for (int i = 1;; i++) {
            Path p = directory.resolve(baseName + (i == 1 ? "" : "-" + i) + "." + format.extension());
            try {
                channel = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                file = p;
                break;
            } catch (FileAlreadyExistsException e) {
                if (i >= 1000) {
                    throw e;
                }
            }
        }
        sink = TrackSink.open(format, channel, codec.channels() == 1 ? 1 : 2, this::add);
    }

    private void finish() {
        finished = true;
        try {
            if (sink != null && !failed) {
                sink.close();
                bytes.set(channel.position());
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        } finally {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException e) {
                LOG.warn("could not close recording {}", file, e);
            }
            closed.complete(null);
        }
    }

    private void fail(Exception e) {
        if (!failed) {
            failed = true;
            LOG.warn("recording {} stopped: {}", file != null ? file : directory.resolve(baseName), e.toString());
        }
        count(Counter.IO_FAILED);
    }

    private void count(Counter c) {
        counters[c.ordinal()].incrementAndGet();
    }

    private void add(Counter c, long n) {
        counters[c.ordinal()].addAndGet(n);
    }

    private static final class Slot {
        byte[] buf = new byte[1500];
        int len;
    }

    /** Builds a {@link TrackRecorder}; not thread-safe. */
    public static final class Builder {
        private final CodecSpec codec;
        private final Path directory;
        private final String baseName;
        private Executor executor;
        private int queueCapacity = DEFAULT_QUEUE;

        private Builder(CodecSpec codec, Path directory, String baseName) {
            this.codec = Objects.requireNonNull(codec, "codec");
            this.directory = Objects.requireNonNull(directory, "directory");
            this.baseName = Objects.requireNonNull(baseName, "baseName");
            if (baseName.isEmpty() || baseName.contains("/") || baseName.contains("\\") || baseName.startsWith(".")) {
                throw new IllegalArgumentException("baseName must be a plain file name, was '" + baseName + "'");
            }
        }

        /** Where the queue is drained and the file written; may block on disk I/O. Required. */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Packets that may wait for the writer; more are dropped and counted. Default 1024. */
        public Builder queueCapacity(int queueCapacity) {
            if (queueCapacity < 1) {
                throw new IllegalArgumentException("queueCapacity must be at least 1, was " + queueCapacity);
            }
            this.queueCapacity = queueCapacity;
            return this;
        }

        public TrackRecorder build() {
            return new TrackRecorder(this);
        }
    }
}
