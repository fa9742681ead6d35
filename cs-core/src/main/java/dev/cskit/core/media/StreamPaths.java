/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.media;

import dev.cskit.api.Ids;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.room.RoomType;
import dev.cskit.api.session.Session;
import dev.cskit.core.auth.LinkRole;
import dev.cskit.core.auth.PartyAuthorizer;
import dev.cskit.media.whip.PeerRole;
import dev.cskit.media.whip.StreamKey;
import java.util.Optional;

/**
 * The one place where a WHIP/WHEP stream path becomes a {@link StreamKey}, and where the rule of who may publish and
 * play which stream lives.
 *
 * <p>Paths: {@code customer-service/{session_id}/{user_id}} is a party's camera and microphone
 * ({@link StreamKey.Source#CAMERA}), {@code customer-service/{session_id}/{user_id}/screen} its screen share
 * ({@link StreamKey.Source#SCREEN}), {@code customer-service/{session_id}/{supervisor_id}/whisper} a supervisor's whisper
 * to the agent ({@link StreamKey.Source#WHISPER}). A party publishes only its own camera and screen streams and plays
 * only the other party's; the agent plays a whisper too, the customer never. A supervisor's monitor token is no party:
 * its rule is {@link Monitors}'.
 *
 * <p>Stateless and thread-safe.
 */
public final class StreamPaths {

    private static final String PREFIX = RoomType.CUSTOMER_SERVICE.roomIdPrefix();

    private StreamPaths() {
    }

    /** Why a path is not a stream: the HTTP status to answer and a message that says what a path looks like. */
    public static final class BadPathException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        BadPathException(int status, String message) {
            super(message);
            this.status = status;
        }

        /** 404 for a path that names no stream (wrong shape, unknown source), 400 for a malformed id. */
        public int status() {
            return status;
        }
    }

    /**
     * The stream a WHIP/WHEP path (after {@code /webrtc/whip/} or {@code /webrtc/whep/}) names.
     *
     * @throws BadPathException if it is not {@code customer-service/{session_id}/{user_id}[/screen]} with valid ids
     */
    public static StreamKey parse(String path) throws BadPathException {
        String[] parts = path.split("/", -1);
        if ((parts.length != 3 && parts.length != 4) || !(parts[0] + "/").equals(PREFIX)
                || parts[1].isEmpty() || parts[2].isEmpty()) {
            throw new BadPathException(404, "stream path must be customer-service/{session_id}/{user_id} (camera) or "
                    + "customer-service/{session_id}/{user_id}/screen (screen share), was '" + path + "'");
        }
        StreamKey.Source source = StreamKey.Source.CAMERA;
        if (parts.length == 4) {
            if (parts[3].equals(StreamKey.Source.SCREEN.wireName())) {
                source = StreamKey.Source.SCREEN;
            } else if (parts[3].equals(StreamKey.Source.WHISPER.wireName())) {
                source = StreamKey.Source.WHISPER;
            } else {
                throw new BadPathException(404, "unknown stream '" + parts[3] + "' in '" + path + "': after "
                        + "customer-service/{session_id}/{user_id} only /screen (a screen share) or /whisper (a "
                        + "supervisor's whisper) may follow");
            }
        }
        if (!Ids.isValid(parts[1])) {
            throw new BadPathException(400, Ids.problem("session_id", parts[1]));
        }
        if (!Ids.isValid(parts[2])) {
            throw new BadPathException(400, Ids.problem("user_id", parts[2]));
        }
        return new StreamKey(parts[1], parts[2], source);
    }

    /** The path of a stream, {@code customer-service/{session_id}/{user_id}[/screen|/whisper]}: {@link #parse}'s inverse. */
    public static String format(StreamKey stream) {
        String base = PREFIX + stream.sessionId() + "/" + stream.userId();
        return stream.source() == StreamKey.Source.CAMERA ? base : base + "/" + stream.source().wireName();
    }

    /**
     * Why {@code party} may not publish or play {@code stream} (a stream of the party's own session), or empty if it
     * may: a party publishes only its own streams (camera and screen alike) and plays only the other party's; a
     * whisper only the agent plays, and no party publishes one.
     */
    public static Optional<String> refusal(PartyAuthorizer.Party party, PeerRole role, StreamKey stream) {
        if (stream.source() == StreamKey.Source.WHISPER) {
            if (role == PeerRole.PUBLISH) {
                return Optional.of("a whisper is published by a supervisor with its monitor token, not by a party "
                        + "of the call");
            }
            return party.role() == LinkRole.AGENT ? Optional.empty()
                    : Optional.of("a supervisor's whisper is for the agent only");
        }
        String own = format(new StreamKey(stream.sessionId(), party.userId(), stream.source()));
        if (role == PeerRole.PUBLISH) {
            return stream.userId().equals(party.userId()) ? Optional.empty()
                    : Optional.of("you may publish only your own stream: " + own);
        }
        Session s = party.session();
        @Nullable String other = party.role() == LinkRole.CUSTOMER ? s.agentId() : s.customerId();
        if (other != null && stream.userId().equals(other)) {
            return Optional.empty();
        }
        return Optional.of("you may play only the other party's stream" + (other == null
                ? " (no agent is assigned yet)"
                : ": " + format(new StreamKey(stream.sessionId(), other, stream.source()))));
    }
}
