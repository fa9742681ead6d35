/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.sdp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One media section ({@code m=} line and what follows, RFC 8866 §5.14) of a parsed description,
 * with the attributes WebRTC needs already interpreted. Immutable and thread-safe; built by
 * {@link SdpParser}.
 */
public final class MediaDescription {
    private final String kind;
    private final int port;
    private final String proto;
    private final List<String> formats;
    private final int line;
    private final List<Attribute> attributes;
    private final List<PayloadFormat> payloadFormats;
    private final List<Extmap> extmaps;
    private final Map<Long, Map<String, String>> ssrcs;
    private final List<SsrcGroup> ssrcGroups;
    private final Direction direction;

    MediaDescription(String kind, int port, String proto, List<String> formats, int line, List<Attribute> attributes,
            List<PayloadFormat> payloadFormats, List<Extmap> extmaps, Map<Long, Map<String, String>> ssrcs,
            List<SsrcGroup> ssrcGroups, Direction direction) {
        this.kind = kind;
        this.port = port;
        this.proto = proto;
        this.formats = List.copyOf(formats);
        this.line = line;
        this.attributes = List.copyOf(attributes);
        this.payloadFormats = List.copyOf(payloadFormats);
        this.extmaps = List.copyOf(extmaps);
        Map<Long, Map<String, String>> copy = new LinkedHashMap<>();
        ssrcs.forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
        this.ssrcs = Collections.unmodifiableMap(copy);
        this.ssrcGroups = List.copyOf(ssrcGroups);
        this.direction = direction;
    }

    /** The media type: "audio", "video", "application", … */
    public String kind() {
        return kind;
    }

    /** The port of the m= line (0 means rejected/disabled unless bundle-only). */
    public int port() {
        return port;
    }

    /** The transport protocol, e.g. "UDP/TLS/RTP/SAVPF". */
    public String proto() {
        return proto;
    }

    /** The format list of the m= line, as written. */
    public List<String> formats() {
        return formats;
    }

    /** The 1-based line number of the m= line. */
    public int line() {
        return line;
    }

    /** Every attribute of the section in order. */
    public List<Attribute> attributes() {
        return attributes;
    }

    /** The first attribute named {@code name}. */
    public Optional<Attribute> attribute(String name) {
        return Attribute.first(attributes, name);
    }

    /** All attributes named {@code name}, in order. */
    public List<Attribute> attributes(String name) {
        List<Attribute> out = new ArrayList<>();
        for (Attribute a : attributes) {
            if (a.name().equals(name)) {
                out.add(a);
            }
        }
        return out;
    }

    /** Whether a property attribute (or any attribute) named {@code name} is present. */
    public boolean has(String name) {
        return attribute(name).isPresent();
    }

    /** {@code a=mid} (RFC 9143 / RFC 8843). */
    public Optional<String> mid() {
        return attribute("mid").map(Attribute::value);
    }

    /** The effective direction (section level, else session level, else sendrecv). */
    public Direction direction() {
        return direction;
    }

    /** RTP payload types in m= line order (non-numeric formats skipped). */
    public List<PayloadFormat> payloadFormats() {
        return payloadFormats;
    }

    /** The payload format with number {@code pt}. */
    public Optional<PayloadFormat> payloadFormat(int pt) {
        for (PayloadFormat f : payloadFormats) {
            if (f.payloadType() == pt) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** {@code a=extmap} lines in order. */
    public List<Extmap> extmaps() {
        return extmaps;
    }

    /** SSRCs from {@code a=ssrc} lines, each with its source attributes (cname, msid, …), in order. */
    public Map<Long, Map<String, String>> ssrcs() {
        return ssrcs;
    }

    /** {@code a=ssrc-group} lines. */
    public List<SsrcGroup> ssrcGroups() {
        return ssrcGroups;
    }

    /** {@code a=msid} value ("stream-id [track-id]", RFC 8830). */
    public Optional<String> msid() {
        return attribute("msid").map(Attribute::value);
    }

    /** Whether {@code a=rtcp-mux} is present (RFC 5761 §5.1.3). */
    public boolean rtcpMux() {
        return has("rtcp-mux");
    }

    /** {@code a=candidate} values, raw. */
    public List<String> candidates() {
        List<String> out = new ArrayList<>();
        for (Attribute a : attributes("candidate")) {
            out.add(a.value());
        }
        return out;
    }
}
