/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.cluster;

import dev.cskit.api.Ids;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.session.Session;
import dev.cskit.core.session.SessionException;
import dev.cskit.core.session.SessionListener;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries the session changes that steer media (end, hold and resume, transfer, recording turned off) to the
 * session's media home when another node made them: the listeners of a node hear only the changes made on it, and
 * the home's {@link dev.cskit.core.media.WebRtcGateway} must pause, retarget or close its peers all the same.
 *
 * <p>On the node that made a change: a change that matters to media, of a session whose home is another node, sends
 * that node the session id ({@link NodeRegistry#send}). On the home: for each session with media here, the version
 * its media last acted on is kept; a session id received is read afresh from the store, and the media hears the
 * change from the kept version to it ({@link SessionListener#onChanged}). Ids, not versions, travel, so a lost or
 * late message is made good by the next one; one lost while the home was cut from Redis leaves its media as it was
 * until the next change (the end of the call still closes it when the parties delete their resources, or their
 * connections time out).
 *
 * <p><b>Threading:</b> thread-safe. {@link #onChanged} runs on the thread that changed the session and reads Redis
 * for changes that matter; {@link #receive} runs on the registry's I/O thread and hands the work to the blocking
 * executor.
 */
final class MediaChanges implements SessionListener {

    private static final Logger LOG = LoggerFactory.getLogger(MediaChanges.class);

    private final NodeRegistry registry;
    private final String selfId;
    private final Function<String, Optional<Session>> sessions;
    private final SessionListener media;
    private final Executor blocking;
    /** The sessions whose media is here, as their media last heard them. */
    private final Map<String, Session> homed = new ConcurrentHashMap<>();

    MediaChanges(NodeRegistry registry, String selfId, Function<String, Optional<Session>> sessions,
                 SessionListener media, Executor blocking) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.media = Objects.requireNonNull(media, "media");
        this.blocking = Objects.requireNonNull(blocking, "blocking");
    }

    /** A WHIP/WHEP resource of the session was made here: its media hears the other nodes' changes from now on. */
    void homedHere(String sessionId) {
        if (!homed.containsKey(sessionId)) {
            sessions.apply(sessionId).filter(s -> !s.isEnded()).ifPresent(s -> homed.putIfAbsent(sessionId, s));
        }
    }

    /** The sessions whose media is here. */
    int homed() {
        return homed.size();
    }

    @Override
    public void onChanged(@Nullable Session before, Session after) {
        // Made here: the media here heard it already.
        homed.computeIfPresent(after.id(), (id, last) -> after.isEnded() ? null : after);
        if (before == null || !steersMedia(before, after)) {
            return;
        }
        try {
            Optional<String> home = registry.home(after.id());
            if (home.isPresent() && !home.get().equals(selfId)) {
                registry.send(home.get(), after.id());
            }
        } catch (IOException e) {
            LOG.warn("could not tell session {}'s media home of its change ({}); its media stays as it was until "
                    + "the next change", after.id(), e.getMessage());
        }
    }

    static boolean steersMedia(Session before, Session after) {
        return before.isEnded() != after.isEnded() || before.onHold() != after.onHold()
                || !Objects.equals(before.agentId(), after.agentId())
                || before.recordingDisabled() != after.recordingDisabled();
    }

    /** A session id another node sent (on the registry's I/O thread). */
    void receive(String sessionId) {
        if (!Ids.isValid(sessionId) || !homed.containsKey(sessionId)) {
            return; // not a session with media here (any more)
        }
        try {
            blocking.execute(() -> apply(sessionId));
        } catch (RejectedExecutionException e) {
            LOG.warn("session {} changed on another node, but the blocking executor refused to apply it", sessionId);
        }
    }

    /** Reads the session and has the media hear the change from the version it last acted on. */
    void apply(String sessionId) {
        Optional<Session> now;
        try {
            now = sessions.apply(sessionId);
        } catch (SessionException e) {
            LOG.warn("session {} changed on another node, but it cannot be read ({})", sessionId, e.getMessage());
            return;
        }
        homed.computeIfPresent(sessionId, (id, last) -> {
            Session current = now.orElse(null);
            if (current == null) {
                return null;
            }
            if (!current.equals(last)) {
                media.onChanged(last, current);
            }
            return current.isEnded() ? null : current;
        });
    }
}
