/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.media;

import dev.cskit.api.CsConfig;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.api.http.HttpRoutes;
import dev.cskit.api.media.MediaTransport;
import dev.cskit.api.metrics.Histogram;
import dev.cskit.api.metrics.Meters;
import dev.cskit.api.metrics.Tags;
import dev.cskit.api.room.RoomService;
import dev.cskit.api.room.RoomType;
import dev.cskit.api.session.Session;
import dev.cskit.core.auth.PartyAuthorizer;
import dev.cskit.core.metrics.MediaStatsSource;
import dev.cskit.core.web.Envelope;
import dev.cskit.core.session.SessionException;
import dev.cskit.core.session.SessionListener;
import dev.cskit.core.session.SessionManager;
import dev.cskit.media.sdp.SdpException;
import dev.cskit.media.whip.GoneReason;
import dev.cskit.media.whip.MediaEngine;
import dev.cskit.media.whip.MediaLoop;
import dev.cskit.media.whip.MediaException;
import dev.cskit.media.whip.MediaListener;
import dev.cskit.media.whip.PeerResource;
import dev.cskit.media.whip.PeerRole;
import dev.cskit.media.whip.PeerStats;
import dev.cskit.media.whip.StreamKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call's media path: WHIP/WHEP endpoints (RFC 9725) on the host's HTTP server, the {@link MediaEngine} with
 * one {@link MediaLoop} on each of the host's media sockets (the loop's timers on the socket's thread), and the
 * session events that steer it (hold pauses forwarding both ways, a transfer moves
 * the customer's player to the new agent's stream, the end of a call closes every peer connection), and, with
 * {@code enable_recording}, the {@link CallRecorder} that writes each party's published media to files (from the
 * first recorded packet the session is {@code recorded}; a session whose recording an admin turned off is not
 * recorded).
 *
 * <p>Stream paths are {@code customer-service/{session_id}/{user_id}[/screen]}, mapped here, once, to a
 * {@link StreamKey} ({@link StreamPaths}): a party may publish only its own streams and play only the other party's
 * streams of its own session, with the bearer token of its link or agent login. A screen share is a stream of its own,
 * whose start and stop the room hears of ({@link ScreenShares}). A supervisor's monitor token plays the parties' streams
 * and publishes its whisper, without a seat in the room ({@link Monitors}, once {@link #useMonitors} was called).
 *
 * <p>Thread-safe. HTTP handlers run on the host's blocking threads; the session listener on the thread that
 * changed the session; datagrams, timers and the {@link MediaListener} callbacks on the media sockets' loops.
 */
public final class WebRtcGateway implements SessionListener, MediaListener {

    private static final Logger LOG = LoggerFactory.getLogger(WebRtcGateway.class);
    public static final String WHIP = "/webrtc/whip";
    public static final String WHEP = "/webrtc/whep";
    public static final String RESOURCE = "/webrtc/session";
    private static final String PREFIX = RoomType.CUSTOMER_SERVICE.roomIdPrefix();
    private static final int MAX_SDP = 64 * 1024;
    /** A full engine frees up as unconnected resources expire and calls end: ask again after a few seconds. */
    private static final String RETRY_AFTER_SECONDS = "5";

    private final MediaEngine engine;
    private final SessionManager sessions;
    private final PartyAuthorizer authorizer;
    private final RoomService rooms;
    /** Resource id → the session it belongs to, for DELETE authorization. */
    private final Map<String, String> resourceSessions = new ConcurrentHashMap<>();
    private final @Nullable CallRecorder recorder;
    /** Where work that may block runs (the handshakes, the recorder's files, marking a session recorded). */
    private final Executor blocking;
    private final List<MediaTransport.MediaSocket> sockets;
    private final EngineMediaStats mediaStats;
    private final IceServerLinks iceServers;
    private final ScreenShares screens;
    private final CallQualityMeter quality;
    private volatile @Nullable Monitors monitors;
    private volatile boolean stopped;

    public WebRtcGateway(MediaTransport transport, Executor handshakes, CsConfig config, SessionManager sessions,
                         PartyAuthorizer authorizer, RoomService rooms) {
        this(transport, handshakes, config, sessions, authorizer, rooms,
                Meters.none().histogram("cskit_media_dtls_handshake_seconds", "", Tags.empty()));
    }

    /** As the other constructor, timing each DTLS handshake into {@code handshakeSeconds}. */
    public WebRtcGateway(MediaTransport transport, Executor handshakes, CsConfig config, SessionManager sessions,
                         PartyAuthorizer authorizer, RoomService rooms, Histogram handshakeSeconds) {
        this(transport, handshakes, config, sessions, authorizer, rooms, handshakeSeconds, Clock.systemUTC());
    }

    /** As the other constructors, with the clock that dates ephemeral TURN credentials. */
    public WebRtcGateway(MediaTransport transport, Executor handshakes, CsConfig config, SessionManager sessions,
                         PartyAuthorizer authorizer, RoomService rooms, Histogram handshakeSeconds, Clock clock) {
        this.iceServers = new IceServerLinks(config.iceConfig(), clock);
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
        this.rooms = Objects.requireNonNull(rooms, "rooms");
        this.blocking = Objects.requireNonNull(handshakes, "handshakes");
        this.screens = new ScreenShares(rooms);
        this.sockets = List.copyOf(transport.sockets());
        if (sockets.isEmpty()) {
            throw new IllegalArgumentException("the host's media transport has no socket: start the host first");
        }
        MediaEngine.Builder b = MediaEngine.newBuilder()
                .executor(handshakes)
                .profileNames(config.srtpProfiles())
                .maxPerParty(config.maxMediaPerParty())
                .connectTimeout(config.mediaConnectTimeout())
                .listener(this);
        config.mediaMemoryBytes().ifPresent(b::memoryBudget);
        // Recording: the tap copies each publisher's packets into a queue; files are written on the same
        // blocking executor the handshakes use, never on the network thread.
        this.recorder = config.enableRecording() ? new CallRecorder(config.recordingDir(), handshakes) : null;
        if (recorder != null) {
            // A session whose recording an admin turned off is not recorded again, a restart included.
            recorder.recordOnly(id -> sessions.get(id).map(s -> !s.recordingDisabled()).orElse(false));
            recorder.onRecordingStarted(this::recordingStarted);
            b.packetTap(recorder);
        }
        sockets.forEach(s -> b.loop(HostSockets.loopContext(s)));
        this.engine = b.build();
        this.mediaStats = new EngineMediaStats(engine, handshakeSeconds);
        this.quality = new CallQualityMeter(engine::stats);
        for (int i = 0; i < sockets.size(); i++) {
            MediaLoop loop = engine.loops().get(i);
            sockets.get(i).setReceiver(HostSockets.receiver(loop));
        }
    }

    /** The engine, for statistics and tests. */
    public MediaEngine engine() {
        return engine;
    }

    /** What the media metrics read: the engine's packet, drop and handshake counts. */
    public MediaStatsSource mediaStats() {
        return mediaStats;
    }

    /** Each call's quality: live, and for {@link SessionManager#useQuality} when it ends. */
    public CallQualityMeter quality() {
        return quality;
    }

    /** The call recorder, when {@code enable_recording} is on. */
    public Optional<CallRecorder> recorder() {
        return Optional.ofNullable(recorder);
    }

    /** Who shares a screen in which call: the room is told of each start and stop. */
    public ScreenShares screenShares() {
        return screens;
    }

    /** Lets supervisors' monitor tokens play and whisper ({@link Monitors}); none are accepted before. */
    public void useMonitors(Monitors m) {
        this.monitors = Objects.requireNonNull(m, "monitors");
    }

    /** Mounts the WHIP/WHEP routes and starts each loop's timers on its socket's thread. */
    public void start(HttpRoutes routes) {
        routes.add("POST", WHIP + "/{path...}", r -> create(r, PeerRole.PUBLISH));
        routes.add("POST", WHEP + "/{path...}", r -> create(r, PeerRole.PLAY));
        routes.add("DELETE", RESOURCE + "/{id}", this::delete);
        routes.add("PATCH", RESOURCE + "/{id}", this::patch);
        routes.add("OPTIONS", WHIP + "/{path...}", this::options);
        routes.add("OPTIONS", WHEP + "/{path...}", this::options);
        for (int i = 0; i < sockets.size(); i++) {
            tick(sockets.get(i), engine.loops().get(i));
        }
    }

    // The loop's timers, driven on its socket's thread: handle what is due, then wake up when the loop says.
    private void tick(MediaTransport.MediaSocket socket, MediaLoop loop) {
        if (stopped) {
            return;
        }
        long delay = 1_000_000_000L;
        try {
            long now = System.nanoTime();
            loop.handleTimeout(now);
            delay = Math.max(1_000_000L, loop.nextTimeout() - System.nanoTime());
        } catch (RuntimeException e) {
            LOG.error("media loop {} timers failed", loop.index(), e); // keep the timers alive
        }
        try {
            socket.schedule(() -> tick(socket, loop), delay, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the host stopped the socket's loop
        }
    }

    /** Unmounts the routes and ends every peer connection. */
    public void stop(HttpRoutes routes) {
        stopped = true;
        routes.removeAll("/webrtc");
        engine.close();
        if (recorder != null) {
            recorder.closeAll();
        }
    }

    /** Media statistics of one session's peer connections, for room reports. */
    public List<PeerStats> stats(String sessionId) {
        return engine.stats(sessionId);
    }

    /** The WHIP/WHEP path of a stream, {@code customer-service/{session_id}/{user_id}[/screen]}, as room reports show it. */
    public static String streamPath(StreamKey stream) {
        return StreamPaths.format(stream);
    }

    private HttpResponse create(HttpRequest r, PeerRole role) {
        String contentType = r.header("content-type").orElse("");
        if (!contentType.toLowerCase(Locale.ROOT).startsWith("application/sdp")) {
            return Envelope.error(415, "the offer must be sent as Content-Type: application/sdp, not '"
                    + contentType + "'");
        }
        if (r.bodyLength() == 0) {
            return Envelope.error(400, "the body must be an SDP offer");
        }
        if (r.bodyLength() > MAX_SDP) {
            return Envelope.error(413, "the SDP offer exceeds " + MAX_SDP + " bytes");
        }
        StreamKey stream;
        try {
            stream = StreamPaths.parse(r.pathParam("path"));
        } catch (StreamPaths.BadPathException e) {
            return Envelope.error(e.status(), e.getMessage());
        }
        String sessionId = stream.sessionId();
        Monitors m = monitors;
        StreamAccess.Result who = StreamAccess.decide(m, authorizer, r.bearerToken().orElse(null), stream, role);
        if (who instanceof StreamAccess.Denied no) {
            return Envelope.error(no.status(), no.message());
        }
        String owner = ((StreamAccess.Granted) who).owner(); // a party, or supervisor:{id} (no user of the room)
        String offer = new String(r.body(), StandardCharsets.UTF_8);
        PeerResource res;
        try {
            res = role == PeerRole.PUBLISH ? engine.publish(stream, owner, offer) : engine.play(stream, owner, offer);
        } catch (SdpException e) {
            return Envelope.error(400, "bad SDP offer: " + e.getMessage());
        } catch (MediaException e) {
            return switch (e.kind()) {
                case BAD_OFFER -> Envelope.error(400, e.getMessage());
                case NOT_FOUND -> Envelope.error(404, e.getMessage());
                case PARTY_LIMIT -> Envelope.error(429, e.getMessage());
                case LIMIT -> Envelope.error(503, e.getMessage()).withHeader("Retry-After", RETRY_AFTER_SECONDS);
            };
        }
        mediaStats.created(res.id());
        // The session may have ended while the offer was answered: do not leave a peer behind.
        Session now = sessions.get(sessionId).orElse(null);
        if (now == null || now.isEnded()) {
            engine.delete(res.id());
            return Envelope.error(409, "session " + sessionId + " ended while the offer was answered");
        }
        resourceSessions.put(res.id(), sessionId);
        if (now.onHold()) {
            engine.setPaused(sessionId, true); // a stream created while the call is held starts held
        }
        if (role == PeerRole.PUBLISH && stream.source() == StreamKey.Source.SCREEN) {
            screens.started(stream, res.id());
        }
        if (m != null) {
            m.created(sessionId, owner, res.id()); // a supervisor's first: the agent hears it listens
        }
        return iceServers.addTo(HttpResponse.of(201, "application/sdp", res.answerSdp().getBytes(StandardCharsets.UTF_8))
                .withHeader("Location", RESOURCE + "/" + res.id())
                .withHeader("ETag", res.etag()), ((StreamAccess.Granted) who).iceUser());
    }

    /**
     * RFC 9725 §4.6: an {@code OPTIONS} of a WHIP/WHEP endpoint answers the ICE servers as {@code Link} headers, so
     * that a client has them before it makes its offer (relay-only needs them for the first one). TURN servers
     * with ephemeral credentials are listed only for a party of the session in the path (its bearer token).
     */
    private HttpResponse options(HttpRequest r) {
        HttpResponse ok = HttpResponse.of(204, "text/plain", new byte[0]).withHeader("Allow", "POST, OPTIONS");
        String user = null;
        StreamKey stream = null;
        try {
            stream = StreamPaths.parse(r.pathParam("path"));
        } catch (StreamPaths.BadPathException e) {
            // not a stream's path: the public ICE servers only
        }
        if (r.bearerToken().isPresent() && stream != null) {
            StreamAccess.Result who = StreamAccess.iceUser(monitors, authorizer, r.bearerToken().get(), stream);
            if (who instanceof StreamAccess.Denied no) {
                return Envelope.error(no.status(), no.message());
            }
            user = ((StreamAccess.Granted) who).iceUser();
        }
        return iceServers.addTo(ok, user);
    }

    /** The resource's owner, authorized as for DELETE: null when allowed, else the error to answer. */
    private @Nullable HttpResponse refuseOwner(HttpRequest r, String id) {
        String sessionId = resourceSessions.get(id);
        PeerStats peer = sessionId == null ? null : engine.peer(id).orElse(null);
        if (peer == null) {
            resourceSessions.remove(id);
            return Envelope.error(404, "no WHIP/WHEP resource " + id);
        }
        Monitors m = monitors;
        if (m != null && Monitors.isMonitor(peer.owner())) { // a supervisor's own: its monitor token only
            return m.refuseOwner(r.bearerToken().orElse(null), peer).map(no -> Envelope.error(no.status(), no.message()))
                    .orElse(null);
        }
        PartyAuthorizer.Result auth = authorizer.authorize(r.bearerToken().orElse(null), sessionId, null, true);
        if (auth instanceof PartyAuthorizer.Refused refused) {
            return Envelope.error(refused.httpStatus(), refused.message());
        }
        if (!peer.owner().equals(((PartyAuthorizer.Party) auth).userId())) {
            return Envelope.error(403, "resource " + id + " belongs to another party of the session");
        }
        return null;
    }

    /** RFC 9725 §4.3: a PATCH by the resource's owner; see {@link IcePatch}. */
    private HttpResponse patch(HttpRequest r) {
        String id = r.pathParam("id");
        HttpResponse refused = refuseOwner(r, id);
        if (refused != null) {
            return refused;
        }
        return IcePatch.apply(engine, id, r);
    }

    private HttpResponse delete(HttpRequest r) {
        String id = r.pathParam("id");
        HttpResponse refused = refuseOwner(r, id);
        if (refused != null) {
            return refused;
        }
        PeerStats peer = engine.peer(id).orElse(null);
        if (peer != null) {
            quality.remember(peer); // a party's reconnect: what its first connection saw still counts
        }
        engine.delete(id);
        mediaStats.closed(id);
        resourceSessions.remove(id);
        if (peer != null) {
            screenEnded(peer);
            monitorEnded(peer);
        }
        return Envelope.okMessage("resource deleted");
    }

    // ---------------------------------------------------------------- session events

    /** Media changes before the room hears of them: a party told {@code call_held} gets no media after it. */
    @Override
    public Phase phase() {
        return Phase.MEDIA;
    }

    @Override
    public void onChanged(@Nullable Session before, Session after) {
        if (before == null) {
            return;
        }
        String sessionId = after.id();
        if (after.isEnded()) {
            if (!before.isEnded()) {
                int n = closeAll(sessionId, null);
                quality.forget(sessionId); // measured into the ended session already
                resourceSessions.values().removeIf(after.id()::equals);
                screens.sessionEnded(after.id());
                Optional.ofNullable(monitors).ifPresent(m -> m.sessionEnded(after.id()));
                if (recorder != null) {
                    recorder.endSession(after.id());
                }
                LOG.debug("session {} ended: {} peer connections closed", after.id(), n);
            }
            return;
        }
        if (!before.recordingDisabled() && after.recordingDisabled() && recorder != null) {
            recorder.endSession(after.id()); // an admin turned recording off: its files are closed now
        }
        String oldAgent = before.agentId();
        String newAgent = after.agentId();
        if (oldAgent != null && newAgent != null && !oldAgent.equals(newAgent)) {
            // Transfer: the customer keeps its player, which now plays the new agent; the old agent's media ends.
            StreamKey oldStream = new StreamKey(sessionId, oldAgent);
            engine.retarget(oldStream, new StreamKey(sessionId, newAgent));
            closeAll(sessionId, oldAgent);
            screens.endedBy(sessionId, oldAgent);
            if (recorder != null) {
                recorder.endStream(oldStream);
                recorder.endStream(oldStream.withSource(StreamKey.Source.SCREEN));
            }
        }
        if (before.onHold() != after.onHold()) {
            engine.setPaused(sessionId, after.onHold());
        }
    }

    /**
     * A recorder of one of the session's tracks started (on the network thread): the session is marked
     * {@code recorded} on the blocking executor, since that writes the journal; the parties hear of it from the
     * session change ({@link RecordingConsent}). At most a few times a call, so failures are logged.
     */
    private void recordingStarted(String sessionId) {
        try {
            blocking.execute(() -> {
                try {
                    sessions.markRecorded(sessionId);
                } catch (SessionException e) {
                    LOG.warn("could not mark session {} as recorded: {}", sessionId, e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("could not mark session {} as recorded: the blocking executor refused it ({})", sessionId,
                    e.toString());
        }
    }

    /** Closes the session's peers of {@code owner} (all if null); their handshakes are no longer awaited. */
    private int closeAll(String sessionId, @Nullable String owner) {
        for (PeerStats p : engine.stats(sessionId)) {
            if (owner == null || p.owner().equals(owner)) {
                mediaStats.closed(p.id());
                if (owner != null) {
                    quality.remember(p); // a transfer: the old agent's side of the call still counts
                }
            }
        }
        return engine.closeAll(sessionId, owner);
    }

    @Override
    public void onConnected(PeerStats peer) {
        mediaStats.connected(peer);
    }

    /** A resource ended: if it was a screen share, the room hears it stopped and its files are closed. */
    private void screenEnded(PeerStats peer) {
        if (peer.role() == PeerRole.PUBLISH && screens.ended(peer.stream(), peer.id()) && recorder != null) {
            recorder.endStream(peer.stream()); // a new share is a new file
        }
    }

    /** A resource ended: if it was a supervisor's last of the call, the agent hears it stopped listening. */
    private void monitorEnded(PeerStats peer) {
        Optional.ofNullable(monitors).ifPresent(m -> m.ended(peer.stream().sessionId(), peer.owner(), peer.id()));
    }

    @Override
    public void onGone(PeerStats peer, GoneReason reason) {
        mediaStats.gone(peer, reason);
        quality.remember(peer);
        resourceSessions.remove(peer.id());
        screenEnded(peer);
        monitorEnded(peer);
        // A screen share that lost consent is only a share that stopped (a tab closed), not a party gone; a
        // supervisor, or the agent's whisper player, is no seat of the room.
        if (reason == GoneReason.CONSENT_EXPIRED && peer.stream().source() == StreamKey.Source.CAMERA
                && !Monitors.isMonitor(peer.owner())) {
            String roomId = PREFIX + peer.stream().sessionId();
            // RFC 7675: the peer's media is gone; the room learns it as the user leaving.
            rooms.removeUser(roomId, peer.owner(), "");
            LOG.info("media of {} in {} gone ({}); removed from the room", peer.owner(), roomId, reason);
        }
    }
}
