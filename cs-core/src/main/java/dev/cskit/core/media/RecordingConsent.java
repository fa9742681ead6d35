/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.media;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.room.RoomService;
import dev.cskit.api.room.RoomType;
import dev.cskit.api.session.Session;
import dev.cskit.core.json.SessionJson;
import dev.cskit.core.session.SessionListener;
import dev.cskit.core.session.SessionManager;
import java.util.Objects;

/**
 * What a call's parties are told about its recording, so the customer can be told before its media starts and
 * both pages can show a "Recording" indicator: a {@link Status} per session, read with
 * {@code GET /customer-service/sessions/{id}/recording}, and the room frame {@value #FRAME} broadcast to the call's
 * room whenever it changes (the first recorded packet made the session {@code recorded}; an admin turned recording
 * off).
 *
 * <p>The status is derived from the session ({@link Session#recorded()}, {@link Session#recordingDisabled()}, its
 * status) and the configuration ({@code enable_recording} on a host with a media port, {@code consent_notice}),
 * both of which only move one way during a call, so a page may merge what it hears in any order.
 *
 * <p><b>Threading:</b> thread-safe and stateless besides its configuration; {@link #onChanged} runs in the
 * {@link Phase#SIGNALING} phase on the thread that changed the session, and only sends.
 */
public final class RecordingConsent implements SessionListener {

    /** The room frame's action. */
    public static final String FRAME = "recording";

    private final RoomService rooms;
    private final SessionManager sessions;
    private final boolean serverRecords;
    private final String consentNotice;

    /**
     * What the parties of one session are told.
     *
     * @param enabled       the call is recorded: recording is on for the server and was not turned off for it, and
     *                      it has not ended (the customer's page shows the notice)
     * @param active        media of it has been recorded and recording goes on: the "Recording" indicator
     * @param recorded      media of it was recorded (the session's {@code recorded})
     * @param consentNotice the text to show the customer while {@code enabled}, else {@code null}
     */
    public record Status(boolean enabled, boolean active, boolean recorded, @Nullable String consentNotice) {
    }

    /**
     * @param serverRecords whether this server records calls ({@code enable_recording} on a host with a media port)
     * @param consentNotice the {@code consent_notice}
     */
    public RecordingConsent(RoomService rooms, SessionManager sessions, boolean serverRecords, String consentNotice) {
        this.rooms = Objects.requireNonNull(rooms, "rooms");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.serverRecords = serverRecords;
        this.consentNotice = Objects.requireNonNull(consentNotice, "consentNotice");
    }

    /** Whether this server records calls at all. */
    public boolean serverRecords() {
        return serverRecords;
    }

    /** What the parties of {@code s} are told now. */
    public Status status(Session s) {
        boolean enabled = serverRecords && !s.recordingDisabled() && !s.isEnded();
        return new Status(enabled, enabled && s.recorded(), s.recorded(), enabled ? consentNotice : null);
    }

    /** The status as JSON: {@code enabled}, {@code active}, {@code recorded}, {@code consent_notice}. */
    public static ObjectNode toNode(Status st) {
        ObjectNode n = SessionJson.MAPPER.createObjectNode();
        n.put("enabled", st.enabled());
        n.put("active", st.active());
        n.put("recorded", st.recorded());
        n.put("consent_notice", st.consentNotice());
        return n;
    }

    /** After the media path (which stopped a recorder turned off), with the other frames to the parties. */
    @Override
    public Phase phase() {
        return Phase.SIGNALING;
    }

    /** Broadcasts {@value #FRAME} to the call's room when what its parties see changed (not at the end: the room closes). */
    @Override
    public void onChanged(@Nullable Session before, Session after) {
        if (before == null || after.isEnded()) {
            return;
        }
        Status now = status(after);
        if (now.equals(status(before))) {
            return;
        }
        String roomId = RoomType.CUSTOMER_SERVICE.roomId(after.id());
        ObjectNode f = SessionJson.MAPPER.createObjectNode();
        f.put("action", FRAME);
        f.put("room_id", roomId);
        f.put("session_id", after.id());
        f.setAll(toNode(now));
        rooms.broadcast(roomId, f.toString());
    }

    /** The status of session {@code id}. */
    public Status status(String id) {
        return status(sessions.require(id));
    }
}
