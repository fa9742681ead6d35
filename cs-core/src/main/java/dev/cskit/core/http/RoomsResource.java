/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.http;

import static dev.cskit.core.http.CustomerServiceApi.PREFIX;
import static dev.cskit.core.http.CustomerServiceApi.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.api.http.HttpRoutes;
import dev.cskit.api.room.Participant;
import dev.cskit.api.room.RoomInfo;
import dev.cskit.api.room.RoomService;
import dev.cskit.api.room.RoomType;
import dev.cskit.api.session.CallQuality;
import dev.cskit.api.session.Session;
import dev.cskit.core.auth.AdminGuard;
import dev.cskit.core.json.QualityJson;
import dev.cskit.core.json.SessionJson;
import dev.cskit.core.media.Monitors;
import dev.cskit.core.media.PeerReport;
import dev.cskit.core.media.WebRtcGateway;
import dev.cskit.core.session.SessionManager;
import dev.cskit.core.web.Envelope;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code GET /customer-service/rooms} (admin): each call room, its participants, its call's quality so far
 * ({@code quality}, as {@link QualityJson}), its media (the media path's {@link PeerReport}s, the parties' only), and
 * the supervisors listening to it ({@code monitored_by}: never participants, see {@link Monitors}). Thread-safe.
 */
public final class RoomsResource {

    private static final RoomType TYPE = RoomType.CUSTOMER_SERVICE;

    private final RoomService rooms;
    private final SessionManager sessions;
    private final @Nullable WebRtcGateway media;
    private final AdminGuard admin;
    private volatile @Nullable Monitors monitors;

    /** @param media the media path, or {@code null} without a media port (no media is reported) */
    public RoomsResource(RoomService rooms, SessionManager sessions, @Nullable WebRtcGateway media, AdminGuard admin) {
        this.rooms = Objects.requireNonNull(rooms, "rooms");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.media = media;
        this.admin = Objects.requireNonNull(admin, "admin");
    }

    /** Lists who listens to each call ({@code monitored_by}; always empty with {@code null}: no media path). */
    public RoomsResource withMonitors(@Nullable Monitors m) {
        this.monitors = m;
        return this;
    }

    public void mount(HttpRoutes routes) {
        routes.add("GET", PREFIX + "/rooms", admin(admin, this::list));
    }

    private HttpResponse list(HttpRequest r) {
        ObjectNode data = SessionJson.MAPPER.createObjectNode();
        ArrayNode list = data.putArray("rooms");
        for (RoomInfo room : rooms.rooms(TYPE.roomIdPrefix())) {
            ObjectNode n = list.addObject();
            n.put("room_id", room.roomId());
            String sid = TYPE.owns(room.roomId()) ? TYPE.keyOf(room.roomId()) : null;
            n.put("session_id", sid);
            Optional<Session> s = sid == null ? Optional.empty() : sessions.get(sid);
            n.put("status", s.map(x -> x.status().wireName()).orElse(null));
            n.put("on_hold", s.map(Session::onHold).orElse(false));
            n.put("created_at", SessionJson.time(room.createdAt()));
            ArrayNode ps = n.putArray("participants");
            for (Participant p : room.participants()) {
                ObjectNode pn = ps.addObject();
                pn.put("user_id", p.userId());
                pn.put("display_name", p.displayName());
                pn.put("role", p.role());
                pn.put("joined_at", SessionJson.time(p.joinedAt()));
            }
            // The call's quality so far (issue 16): the same figures the session keeps when it ends.
            CallQuality q = media == null || s.isEmpty() || s.get().isEnded() ? null : media.quality().measure(s.get());
            if (q == null) {
                n.putNull("quality");
            } else {
                n.set("quality", QualityJson.toNode(q));
            }
            ArrayNode watchers = n.putArray("monitored_by");
            Monitors mon = monitors;
            if (mon != null && sid != null) {
                mon.supervisors(sid).forEach(watchers::add);
            }
            ArrayNode ms = n.putArray("media");
            if (media != null && sid != null) {
                for (PeerReport st : PeerReport.ofSession(media, sid)) {
                    if (Monitors.isMonitor(st.userId())) {
                        continue; // a supervisor is no user of the room
                    }
                    ObjectNode m = ms.addObject();
                    m.put("resource_id", st.resourceId());
                    m.put("kind", st.kind());
                    m.put("stream_path", st.streamPath());
                    m.put("user_id", st.userId());
                    m.put("state", st.state());
                    m.put("srtp_profile", st.srtpProfile());
                    m.put("transport", st.transport());
                    m.put("packets_received", st.packetsReceived());
                    m.put("bytes_received", st.bytesReceived());
                    m.put("packets_sent", st.packetsSent());
                    m.put("bytes_sent", st.bytesSent());
                    m.put("packets_dropped", st.packetsDropped());
                    m.put("nacks_answered", st.nacksAnswered());
                    m.put("keyframe_requests", st.keyframeRequests());
                }
            }
        }
        return Envelope.ok(data);
    }
}
