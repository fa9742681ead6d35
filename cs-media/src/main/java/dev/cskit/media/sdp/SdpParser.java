/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.sdp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a session description (RFC 8866 §5) into a {@link SessionDescription}.
 *
 * <p>Lines are {@code <type>=<value>} separated by CRLF or LF; {@code v=0} comes first, {@code o=}
 * and {@code s=} are required; unknown line types and unknown attributes are kept or ignored as
 * RFC 8866 §5 allows. The attributes WebRTC depends on (rtpmap, fmtp, rtcp-fb, extmap, ssrc,
 * ssrc-group, setup, fingerprint, mid) are checked for syntax. Every problem is an
 * {@link SdpException} naming the line. Bounds: at most {@value #MAX_LENGTH} characters and
 * {@value #MAX_MEDIA} media sections. Stateless and thread-safe.
 */
public final class SdpParser {
    /** Largest accepted description, in characters. */
    public static final int MAX_LENGTH = 64 * 1024;
    /** Most media sections accepted. */
    public static final int MAX_MEDIA = 64;

    private SdpParser() {
    }

    /** Parses {@code sdp}; throws {@link SdpException} with the line number on the first problem. */
    public static SessionDescription parse(String sdp) throws SdpException {
        if (sdp == null || sdp.isEmpty()) {
            throw new SdpException(0, "empty session description");
        }
        if (sdp.length() > MAX_LENGTH) {
            throw new SdpException(0, "session description longer than " + MAX_LENGTH + " characters");
        }
        String[] lines = sdp.split("\r?\n", -1);
        String origin = null;
        String sessionName = null;
        List<Attribute> session = new ArrayList<>();
        List<MediaDescription> media = new ArrayList<>();
        MediaBuilder current = null;
        boolean sawVersion = false;
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i];
            if (line.isEmpty()) {
                if (i == lines.length - 1) {
                    continue; // the final line terminator
                }
                throw new SdpException(lineNo, "empty line");
            }
            if (line.length() < 2 || line.charAt(1) != '=' || line.charAt(0) < 'a' || line.charAt(0) > 'z') {
                throw new SdpException(lineNo, "not a '<type>=<value>' line: '" + abbreviate(line) + "'");
            }
            for (int k = 0; k < line.length(); k++) {
                char c = line.charAt(k);
                if (c < 0x20 && c != '\t') {
                    throw new SdpException(lineNo, "control character in line");
                }
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            if (!sawVersion) {
                if (type != 'v' || !value.equals("0")) {
                    throw new SdpException(lineNo, "a session description starts with 'v=0'");
                }
                sawVersion = true;
                continue;
            }
            switch (type) {
                case 'v':
                    throw new SdpException(lineNo, "second 'v=' line");
                case 'o':
                    if (current != null || origin != null) {
                        throw new SdpException(lineNo, "'o=' only once, at session level");
                    }
                    if (value.split(" ").length != 6) {
                        throw new SdpException(lineNo, "'o=' needs 6 fields: username sess-id sess-version nettype addrtype address");
                    }
                    origin = value;
                    break;
                case 's':
                    if (current != null || sessionName != null) {
                        throw new SdpException(lineNo, "'s=' only once, at session level");
                    }
                    sessionName = value;
                    break;
                case 'm':
                    if (origin == null || sessionName == null) {
                        throw new SdpException(lineNo, "'o=' and 's=' must come before the first 'm='");
                    }
                    if (current != null) {
                        media.add(current.build(session));
                    }
                    if (media.size() == MAX_MEDIA) {
                        throw new SdpException(lineNo, "more than " + MAX_MEDIA + " media sections");
                    }
                    current = MediaBuilder.parse(value, lineNo);
                    break;
                case 'a':
                    Attribute a = attribute(value, lineNo);
                    if (current == null) {
                        session.add(a);
                    } else {
                        current.add(a);
                    }
                    break;
                default:
                    break; // c=, b=, t=, i=, … carry nothing a WebRTC answerer needs
            }
        }
        if (origin == null || sessionName == null) {
            throw new SdpException(0, "missing 'o=' or 's=' line");
        }
        if (current != null) {
            media.add(current.build(session));
        }
        return new SessionDescription(origin, sessionName, session, media);
    }

    private static Attribute attribute(String value, int lineNo) throws SdpException {
        int colon = value.indexOf(':');
        String name = colon < 0 ? value : value.substring(0, colon);
        String v = colon < 0 ? "" : value.substring(colon + 1);
        if (name.isEmpty() || name.indexOf(' ') >= 0) {
            throw new SdpException(lineNo, "bad attribute name in 'a=" + abbreviate(value) + "'");
        }
        switch (name) {
            case "setup":
                if (!v.equals("actpass") && !v.equals("active") && !v.equals("passive") && !v.equals("holdconn")) {
                    throw new SdpException(lineNo, "a=setup must be actpass, active, passive or holdconn (RFC 4145 §4)");
                }
                break;
            case "fingerprint":
                String[] f = v.trim().split("\\s+");
                if (f.length != 2 || !f[1].matches("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})+")) {
                    throw new SdpException(lineNo, "a=fingerprint needs '<hash-func> <XX:XX:…>' (RFC 8122 §5)");
                }
                break;
            case "mid":
                if (v.isEmpty() || v.length() > 32 || v.indexOf(' ') >= 0) {
                    throw new SdpException(lineNo, "a=mid needs a 1..32 character token");
                }
                break;
            default:
                break;
        }
        return new Attribute(name, v, lineNo);
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }

    private static final class MediaBuilder {
        final String kind;
        final int port;
        final String proto;
        final List<String> formats;
        final int line;
        final List<Attribute> attributes = new ArrayList<>();

        private MediaBuilder(String kind, int port, String proto, List<String> formats, int line) {
            this.kind = kind;
            this.port = port;
            this.proto = proto;
            this.formats = formats;
            this.line = line;
        }

        static MediaBuilder parse(String value, int lineNo) throws SdpException {
            String[] p = value.split(" ");
            if (p.length < 4) {
                throw new SdpException(lineNo, "'m=' needs '<media> <port> <proto> <fmt> …'");
            }
            String portText = p[1];
            int slash = portText.indexOf('/');
            if (slash >= 0) {
                portText = portText.substring(0, slash);
            }
            int port = parseInt(portText, 0, 65535, lineNo, "m= port");
            List<String> formats = new ArrayList<>();
            for (int i = 3; i < p.length; i++) {
                if (p[i].isEmpty()) {
                    throw new SdpException(lineNo, "empty format in 'm=' line");
                }
                formats.add(p[i]);
            }
            return new MediaBuilder(p[0], port, p[2], formats, lineNo);
        }

        void add(Attribute a) {
            attributes.add(a);
        }

        MediaDescription build(List<Attribute> session) throws SdpException {
            Map<Integer, String[]> rtpmaps = new LinkedHashMap<>();
            Map<Integer, String> fmtps = new LinkedHashMap<>();
            Map<Integer, List<String>> fbs = new LinkedHashMap<>();
            List<String> wildcardFbs = new ArrayList<>();
            List<Extmap> extmaps = new ArrayList<>();
            Map<Long, Map<String, String>> ssrcs = new LinkedHashMap<>();
            List<SsrcGroup> groups = new ArrayList<>();
            Direction direction = null;
            for (Attribute a : attributes) {
                String v = a.value();
                switch (a.name()) {
                    case "rtpmap": {
                        // RFC 8866 §6.6: a=rtpmap:<pt> <encoding>/<clock>[/<params>]
                        String[] sp = v.split(" ", 2);
                        int pt = parseInt(sp[0], 0, 127, a.line(), "rtpmap payload type");
                        String[] enc = sp.length == 2 ? sp[1].trim().split("/") : new String[0];
                        if (enc.length < 2 || enc.length > 3 || enc[0].isEmpty()) {
                            throw new SdpException(a.line(), "a=rtpmap needs '<pt> <encoding>/<clock rate>[/<channels>]'");
                        }
                        parseInt(enc[1], 1, Integer.MAX_VALUE, a.line(), "rtpmap clock rate");
                        if (enc.length == 3) {
                            parseInt(enc[2], 1, 255, a.line(), "rtpmap channels");
                        }
                        rtpmaps.put(pt, enc);
                        break;
                    }
                    case "fmtp": {
                        String[] sp = v.split(" ", 2);
                        int pt = parseInt(sp[0], 0, 127, a.line(), "fmtp payload type");
                        fmtps.put(pt, sp.length == 2 ? sp[1].trim() : "");
                        break;
                    }
                    case "rtcp-fb": {
                        // RFC 4585 §4.2: a=rtcp-fb:<pt|*> <type> [<param>]
                        String[] sp = v.trim().split("\\s+", 2);
                        if (sp.length < 2) {
                            throw new SdpException(a.line(), "a=rtcp-fb needs '<pt|*> <feedback type>'");
                        }
                        String fb = String.join(" ", sp[1].trim().split("\\s+"));
                        if (sp[0].equals("*")) {
                            wildcardFbs.add(fb);
                        } else {
                            int pt = parseInt(sp[0], 0, 127, a.line(), "rtcp-fb payload type");
                            fbs.computeIfAbsent(pt, k -> new ArrayList<>()).add(fb);
                        }
                        break;
                    }
                    case "extmap": {
                        // RFC 8285 §8: a=extmap:<id>[/<direction>] <uri> [<extensionattributes>]
                        String[] sp = v.trim().split("\\s+");
                        if (sp.length < 2) {
                            throw new SdpException(a.line(), "a=extmap needs '<id>[/<direction>] <uri>'");
                        }
                        String idText = sp[0];
                        String dir = "";
                        int slash = idText.indexOf('/');
                        if (slash >= 0) {
                            dir = idText.substring(slash + 1);
                            idText = idText.substring(0, slash);
                        }
                        int id = parseInt(idText, 1, 255, a.line(), "extmap id");
                        for (Extmap e : extmaps) {
                            if (e.id() == id) {
                                throw new SdpException(a.line(), "extmap id " + id + " used twice");
                            }
                        }
                        extmaps.add(new Extmap(id, dir, sp[1]));
                        break;
                    }
                    case "ssrc": {
                        // RFC 5576 §4.1: a=ssrc:<ssrc-id> <attribute>[:<value>]
                        String[] sp = v.split(" ", 2);
                        long ssrc = parseLong(sp[0], a.line(), "ssrc");
                        Map<String, String> attrs = ssrcs.computeIfAbsent(ssrc, k -> new LinkedHashMap<>());
                        if (sp.length == 2) {
                            int c = sp[1].indexOf(':');
                            attrs.put(c < 0 ? sp[1] : sp[1].substring(0, c), c < 0 ? "" : sp[1].substring(c + 1));
                        }
                        break;
                    }
                    case "ssrc-group": {
                        String[] sp = v.trim().split("\\s+");
                        if (sp.length < 2) {
                            throw new SdpException(a.line(), "a=ssrc-group needs '<semantics> <ssrc> …'");
                        }
                        List<Long> ids = new ArrayList<>();
                        for (int k = 1; k < sp.length; k++) {
                            ids.add(parseLong(sp[k], a.line(), "ssrc-group ssrc"));
                        }
                        groups.add(new SsrcGroup(sp[0], ids));
                        break;
                    }
                    default:
                        Direction d = Direction.fromAttribute(a.name()).orElse(null);
                        if (d != null) {
                            direction = d;
                        }
                        break;
                }
            }
            if (direction == null) {
                for (Attribute a : session) {
                    Direction d = Direction.fromAttribute(a.name()).orElse(null);
                    if (d != null) {
                        direction = d;
                    }
                }
            }
            List<PayloadFormat> formatsOut = new ArrayList<>();
            for (String f : formats) {
                int pt;
                try {
                    pt = Integer.parseInt(f);
                } catch (NumberFormatException e) {
                    continue; // e.g. "webrtc-datachannel"
                }
                if (pt < 0 || pt > 127) {
                    throw new SdpException(line, "payload type " + f + " out of 0..127");
                }
                String[] enc = rtpmaps.get(pt);
                List<String> fb = new ArrayList<>(fbs.getOrDefault(pt, List.of()));
                fb.addAll(wildcardFbs);
                formatsOut.add(new PayloadFormat(pt, enc == null ? "" : enc[0],
                        enc == null ? 0 : Integer.parseInt(enc[1].trim()), // checked as trimmed above
                        enc == null || enc.length < 3 ? 1 : Integer.parseInt(enc[2].trim()),
                        fmtps.getOrDefault(pt, ""), fb));
            }
            return new MediaDescription(kind, port, proto, formats, line, attributes, formatsOut, extmaps, ssrcs,
                    groups, direction == null ? Direction.SENDRECV : direction);
        }
    }

    private static int parseInt(String s, int min, int max, int line, String what) throws SdpException {
        try {
            int v = Integer.parseInt(s.trim());
            if (v < min || v > max) {
                throw new SdpException(line, what + " " + v + " out of " + min + ".." + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new SdpException(line, what + " is not a number: '" + abbreviate(s) + "'");
        }
    }

    private static long parseLong(String s, int line, String what) throws SdpException {
        try {
            long v = Long.parseLong(s.trim());
            if (v < 0 || v > 0xFFFFFFFFL) {
                throw new SdpException(line, what + " " + v + " out of 0..4294967295");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new SdpException(line, what + " is not a number: '" + abbreviate(s) + "'");
        }
    }
}
