/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.media;

import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.core.web.Envelope;
import dev.cskit.media.ice.IceCredentials;
import dev.cskit.media.sdp.SdpAnswerer;
import dev.cskit.media.sdp.SdpException;
import dev.cskit.media.sdp.SdpFragment;
import dev.cskit.media.whip.IceUpdate;
import dev.cskit.media.whip.MediaEngine;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A WHIP/WHEP {@code PATCH} (RFC 9725 §4.3 with RFC 8840 fragments) of a resource whose owner was checked: trickle
 * candidates get 204 (an ICE-lite server needs none of them); new ICE credentials under {@code If-Match: *} restart
 * ICE on the same resource and get 200 with the server's new credentials and a new ETag. {@code If-Match} is
 * required (428) and must match the ETag (412); a bad fragment gets 400 and changes nothing.
 */
final class IcePatch {

    private IcePatch() {
    }

    static HttpResponse apply(MediaEngine engine, String id, HttpRequest r) {
        String contentType = r.header("content-type").orElse("");
        if (!contentType.toLowerCase(Locale.ROOT).startsWith(SdpFragment.MEDIA_TYPE)) {
            return Envelope.error(415, "a PATCH carries Content-Type: " + SdpFragment.MEDIA_TYPE + " (RFC 8840), not '"
                    + contentType + "'");
        }
        Optional<String> ifMatch = r.header("if-match");
        if (ifMatch.isEmpty() || ifMatch.get().isBlank()) {
            return Envelope.error(428, "If-Match is required: the resource's ETag for trickle, \"*\" for an ICE "
                    + "restart (RFC 9725 §4.3)");
        }
        if (r.bodyLength() > SdpFragment.MAX_LENGTH) {
            return Envelope.error(413, "the fragment exceeds " + SdpFragment.MAX_LENGTH + " bytes");
        }
        SdpFragment fragment;
        IceCredentials remote;
        try {
            fragment = SdpFragment.parse(new String(r.body(), StandardCharsets.UTF_8));
            remote = fragment.hasCredentials()
                    ? new IceCredentials(fragment.ufrag().orElseThrow(), fragment.pwd().orElseThrow()) : null;
        } catch (SdpException e) {
            return Envelope.error(400, "bad trickle ICE fragment: " + e.getMessage());
        }
        String condition = ifMatch.get().trim();
        // RFC 9110 §13.1.1: the wildcard is a bare *; a quoted "*" (as RFC 9725's prose writes it) is taken too.
        List<String> tags = condition.equals("*") || condition.equals("\"*\"") ? null : HostSockets.entityTags(condition);
        IceUpdate u = engine.updateIce(id, tags, Optional.ofNullable(remote));
        return switch (u.outcome()) {
            case NOT_FOUND -> Envelope.error(404, "no WHIP/WHEP resource " + id);
            case ETAG_MISMATCH -> Envelope.error(412, "If-Match does not match the resource's ETag: it changed with "
                    + "an ICE restart").withHeader("ETag", u.etag());
            case RESTART_NEEDS_WILDCARD -> Envelope.error(422, "the fragment has new ICE credentials, an ICE restart: "
                    + "send it with If-Match: \"*\" (RFC 9725 §4.3.2)");
            case TRICKLED -> HttpResponse.of(204, "text/plain", new byte[0]).withHeader("ETag", u.etag());
            case RESTARTED -> {
                IceCredentials local = u.local().orElseThrow();
                String body = fragment.restartAnswer(local.ufrag(), local.pwd(),
                        SdpAnswerer.candidateAttributes(u.candidates(), u.tcpCandidates()));
                yield HttpResponse.of(200, SdpFragment.MEDIA_TYPE, body.getBytes(StandardCharsets.UTF_8))
                        .withHeader("ETag", u.etag());
            }
        };
    }
}
