/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.sdp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A parsed session description (RFC 8866): the session-level lines and the media sections.
 * Immutable and thread-safe; obtain one from {@link SdpParser#parse(String)}.
 */
public final class SessionDescription {
    private final String origin;
    private final String sessionName;
    private final List<Attribute> attributes;
    private final List<MediaDescription> media;

    SessionDescription(String origin, String sessionName, List<Attribute> attributes, List<MediaDescription> media) {
        this.origin = origin;
        this.sessionName = sessionName;
        this.attributes = List.copyOf(attributes);
        this.media = List.copyOf(media);
    }

    /** The o= value. */
    public String origin() {
        return origin;
    }

    /** The s= value. */
    public String sessionName() {
        return sessionName;
    }

    /** Session-level attributes in order. */
    public List<Attribute> attributes() {
        return attributes;
    }

    /** The first session-level attribute named {@code name}. */
    public Optional<Attribute> attribute(String name) {
        return Attribute.first(attributes, name);
    }

    /** Media sections in order. */
    public List<MediaDescription> media() {
        return media;
    }

    /** The mids of the first {@code a=group:BUNDLE} (RFC 8843 §7), empty if none. */
    public List<String> bundleMids() {
        for (Attribute a : attributes) {
            if (a.name().equals("group")) {
                List<String> parts = new ArrayList<>(Arrays.asList(a.value().trim().split("\\s+")));
                if (!parts.isEmpty() && parts.get(0).equals("BUNDLE")) {
                    return List.copyOf(parts.subList(1, parts.size()));
                }
            }
        }
        return List.of();
    }

    /** Whether {@code a=ice-lite} is present. */
    public boolean iceLite() {
        return attribute("ice-lite").isPresent();
    }
}
