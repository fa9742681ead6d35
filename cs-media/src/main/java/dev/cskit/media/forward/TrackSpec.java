/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.forward;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One negotiated m-section of a peer connection as the forwarder sees it: its codecs with that peer's payload
 * types, and that peer's header-extension ids by URI.
 *
 * @param mid          the section's mid
 * @param kind         audio or video
 * @param codecs       the codecs kept in the answer, preferred first
 * @param extensionIds RFC 8285 ids by extension URI, as negotiated with this peer
 * @param nack         whether generic NACK feedback was negotiated (RFC 4585 §4.2)
 * @param ssrc         the sending SSRC: the peer's (from its offer) for a publisher, ours for a player; 0 if unknown
 */
public record TrackSpec(String mid, MediaKind kind, List<CodecSpec> codecs, Map<String, Integer> extensionIds,
                        boolean nack, long ssrc) {

    /** RFC 8843 §15.2: the BUNDLE media-identification header extension. */
    public static final String SDES_MID = "urn:ietf:params:rtp-hdrext:sdes:mid";

    public TrackSpec {
        Objects.requireNonNull(mid, "mid");
        Objects.requireNonNull(kind, "kind");
        codecs = List.copyOf(codecs);
        extensionIds = Map.copyOf(extensionIds);
    }

    /** The codec this peer sends with payload type {@code pt}, or null. */
    public CodecSpec codec(int pt) {
        for (int i = 0; i < codecs.size(); i++) {
            CodecSpec c = codecs.get(i);
            if (c.payloadType() == pt) {
                return c;
            }
        }
        return null;
    }

    /** This peer's codec that can carry media of {@code codec}, or null. */
    public CodecSpec matching(CodecSpec codec) {
        for (int i = 0; i < codecs.size(); i++) {
            CodecSpec c = codecs.get(i);
            if (c.sameCodec(codec)) {
                return c;
            }
        }
        return null;
    }

    /** This peer's id for the extension {@code uri}, or 0 if it was not negotiated. */
    public int extensionId(String uri) {
        Integer id = extensionIds.get(uri);
        return id == null ? 0 : id;
    }
}
