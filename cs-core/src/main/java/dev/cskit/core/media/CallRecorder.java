/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.media;

import dev.cskit.media.forward.CodecSpec;
import dev.cskit.media.forward.MediaKind;
import dev.cskit.media.forward.TrackSpec;
import dev.cskit.media.record.TrackRecorder;
import dev.cskit.media.whip.PacketTap;
import dev.cskit.media.whip.StreamKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Records each party's published tracks of a call into
 * {@code recording_dir/{session_id}/{user_id}-{audio|video}.{ogg|ivf|h264}}, a screen share's into
 * {@code {user_id}.screen-{audio|video}.{ext}} (see {@link Recordings}): a
 * {@link TrackRecorder} is started on the first packet of a track of a stream, which the engine names with its
 * {@link StreamKey}, and closed when the call ends ({@link #endSession}) or the party leaves it by transfer
 * ({@link #endStream}). The engine does not tap held media, so a hold writes nothing.
 *
 * <p>Thread-safety: {@link #onRtp} runs on the media loop of each stream's call (several loops at once, one
 * thread per stream) and only copies into the recorder's queue; the files are written on the {@code writer}
 * executor. The other methods are thread-safe.
 */
public final class CallRecorder implements PacketTap {

    private final Path directory;
    private final Executor writer;
    private final Map<StreamKey, Tracks> byStream = new ConcurrentHashMap<>();
    private final Set<String> endedSessions = ConcurrentHashMap.newKeySet();
    private volatile Consumer<String> sessionRecorded = id -> { };
    private volatile Consumer<String> recordingStarted = id -> { };
    private volatile Predicate<String> recordable = id -> true;

    /** The recorders of one stream. */
    private static final class Tracks {
        volatile TrackRecorder audio;
        volatile TrackRecorder video;
    }

    /**
     * @param directory the recording directory ({@code recording_dir})
     * @param writer    where the files are written; may block on disk I/O
     */
    public CallRecorder(Path directory, Executor writer) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.writer = Objects.requireNonNull(writer, "writer");
    }

    @Override
    public void onRtp(StreamKey stream, TrackSpec track, CodecSpec codec, byte[] buf, int off, int len) {
        if (stream.source() == StreamKey.Source.WHISPER) {
            return; // a supervisor's coaching for the agent is not part of the call the customer was told of
        }
        Tracks t = byStream.get(stream);
        if (t == null) {
            if (endedSessions.contains(stream.sessionId())) {
                return;
            }
            if (!recordable.test(stream.sessionId())) {
                endedSessions.add(stream.sessionId()); // recording was turned off for it: never again
                return;
            }
            t = byStream.computeIfAbsent(stream, k -> new Tracks());
        }
        boolean audio = track.kind() == MediaKind.AUDIO;
        TrackRecorder r = audio ? t.audio : t.video;
        if (r == null) {
            if (TrackRecorder.Format.forCodec(codec.name()).isEmpty()) {
                return; // RTX, FEC or a codec we cannot record: wait for a packet of a recordable one
            }
            r = TrackRecorder.newBuilder(codec, directory.resolve(Recordings.safeName(stream.sessionId())),
                    baseName(stream) + (audio ? "-audio" : "-video")).executor(writer).build();
            synchronized (t) {
                if (audio) {
                    t.audio = r;
                } else {
                    t.video = r;
                }
            }
            if (endedSessions.contains(stream.sessionId()) || byStream.get(stream) != t) {
                r.close(); // the call ended while the recorder was being made
                return;
            }
            recordingStarted.accept(stream.sessionId());
        }
        if (r.codec().payloadType() == codec.payloadType()) {
            r.offer(buf, off, len);
        }
    }

    /** {@code {user_id}}, or {@code {user_id}.screen} for a screen share: the file name before {@code -audio}/{@code -video}. */
    static String baseName(StreamKey stream) {
        String user = Recordings.safeName(stream.userId());
        return stream.source() == StreamKey.Source.SCREEN ? user + Recordings.SCREEN_INFIX : user;
    }

    /**
     * Tells {@code listener} a call's session id once the call ended and every file it recorded is closed (not for
     * a call that recorded nothing): on the thread that closed the last file, or the caller of {@link #endSession}.
     * One listener; it must not block (the webhooks' {@code recording.ready}).
     */
    public void onSessionRecorded(Consumer<String> listener) {
        this.sessionRecorded = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Tells {@code listener} a call's session id each time a recorder of one of its tracks starts, just before its
     * first packet is queued: on the media engine's network thread, so it must not block. One listener (the
     * session's {@code recorded} flag and the parties' "Recording" indicator).
     */
    public void onRecordingStarted(Consumer<String> listener) {
        this.recordingStarted = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Records only the sessions {@code filter} accepts (asked on the network thread when a stream's first packet
     * comes; must not block); a session refused once is never recorded again. All by default.
     */
    public void recordOnly(Predicate<String> filter) {
        this.recordable = Objects.requireNonNull(filter, "filter");
    }

    /**
     * The call ended, or its recording was turned off: closes its recorders; later packets of its streams are not
     * recorded.
     */
    public CompletableFuture<Void> endSession(String sessionId) {
        endedSessions.add(sessionId);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        byStream.entrySet().removeIf(e -> {
            if (e.getKey().sessionId().equals(sessionId)) {
                done.addAll(close(e.getValue()));
                return true;
            }
            return false;
        });
        CompletableFuture<Void> all = CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
        if (!done.isEmpty()) {
            all.whenComplete((v, e) -> sessionRecorded.accept(sessionId));
        }
        return all;
    }

    /** One party's media of a call ended for good (e.g. the agent was transferred away): closes its files. */
    public CompletableFuture<Void> endStream(StreamKey stream) {
        Tracks t = byStream.remove(stream);
        return t == null ? CompletableFuture.completedFuture(null)
                : CompletableFuture.allOf(close(t).toArray(CompletableFuture[]::new));
    }

    /** Closes every recorder (the plugin stops). */
    public CompletableFuture<Void> closeAll() {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (StreamKey stream : List.copyOf(byStream.keySet())) {
            done.add(endStream(stream));
        }
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
    }

    /** The recorders running now, for statistics and tests. */
    public List<TrackRecorder> active() {
        List<TrackRecorder> out = new ArrayList<>();
        for (Tracks t : byStream.values()) {
            if (t.audio != null) {
                out.add(t.audio);
            }
            if (t.video != null) {
                out.add(t.video);
            }
        }
        return out;
    }

    private static List<CompletableFuture<Void>> close(Tracks t) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        synchronized (t) {
            for (TrackRecorder r : new TrackRecorder[] {t.audio, t.video}) {
                if (r != null) {
                    r.close();
                    done.add(r.closed());
                }
            }
        }
        return done;
    }
}
