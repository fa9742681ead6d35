/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A trickle ICE SDP fragment, {@code application/trickle-ice-sdpfrag} (RFC 8840 §9), as a WHIP/WHEP client
 * PATCHes it (RFC 9725 §4.3): ICE credentials (an ICE restart when they are new), candidates and
 * end-of-candidates, session-level or under {@code m=} lines that carry an {@code a=mid}.
 *
 * <p>Only the lines RFC 8840 §9 allows are accepted: {@code a=ice-ufrag}, {@code a=ice-pwd},
 * {@code a=ice-options}, {@code a=group}, {@code a=candidate}, {@code a=end-of-candidates}, {@code m=} and
 * {@code a=mid}; anything else, a candidate that is not {@code foundation component transport priority address
 * port typ type …}, a half or malformed credential pair, or two sections with different credentials is an
 * {@link SdpException} naming the line. Immutable and thread-safe.
 *
 * @param ufrag           the fragment's ice-ufrag, if it has one
 * @param pwd             its ice-pwd (present exactly when {@code ufrag} is)
 * @param mediaLines      the {@code m=} lines, verbatim, in order
 * @param mids            the {@code a=mid} of each {@code m=} line, same order
 * @param candidates      the candidate attribute values ({@code candidate:…} without {@code a=}), in order
 * @param endOfCandidates whether the fragment carries {@code a=end-of-candidates}
 */
public record SdpFragment(Optional<String> ufrag, Optional<String> pwd, List<String> mediaLines, List<String> mids,
                          List<String> candidates, boolean endOfCandidates) {

    /** The media type of a trickle fragment (RFC 8840 §9). */
    public static final String MEDIA_TYPE = "application/trickle-ice-sdpfrag";
    /** The largest fragment parsed; a client's candidates fit many times over. */
    public static final int MAX_LENGTH = 16 * 1024;

    public SdpFragment {
        Objects.requireNonNull(ufrag, "ufrag");
        Objects.requireNonNull(pwd, "pwd");
        if (ufrag.isPresent() != pwd.isPresent()) {
            throw new IllegalArgumentException("ice-ufrag and ice-pwd come together");
        }
        mediaLines = List.copyOf(mediaLines);
        mids = List.copyOf(mids);
        candidates = List.copyOf(candidates);
        if (mediaLines.size() != mids.size()) {
            throw new IllegalArgumentException("one mid per m= line");
        }
    }

    /** Whether the fragment carries ICE credentials (an ICE restart when they differ from the current ones). */
    public boolean hasCredentials() {
        return ufrag.isPresent();
    }

    /**
     * Parses a fragment. Lines end with CRLF or LF; empty lines are skipped.
     *
     * @throws SdpException if the fragment is too long, empty, or has a line RFC 8840 §9 does not allow or that
     *                      does not parse; the message says which and why
     */
    public static SdpFragment parse(String text) throws SdpException {
        Objects.requireNonNull(text, "text");
        if (text.length() > MAX_LENGTH) {
            throw new SdpException(0, "the fragment exceeds " + MAX_LENGTH + " characters");
        }
        String ufrag = null;
        String pwd = null;
        List<String> mediaLines = new ArrayList<>();
        List<String> mids = new ArrayList<>();
        List<String> candidates = new ArrayList<>();
        boolean end = false;
        boolean any = false;
        // Credentials of the current section (session level first): checked as a pair when the section ends.
        String[] sectionCreds = new String[2];
        int sectionStart = 1;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int n = i + 1;
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            any = true;
            if (line.length() < 2 || line.charAt(1) != '=') {
                throw new SdpException(n, "not an SDP line (type=value): '" + shorten(line) + "'");
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            if (type == 'm') {
                String[] creds = closeSection(sectionCreds, sectionStart, ufrag, pwd);
                if (creds != null) {
                    ufrag = creds[0];
                    pwd = creds[1];
                }
                if (!mediaLines.isEmpty() && mids.size() < mediaLines.size()) {
                    throw new SdpException(sectionStart, "an m= line of a trickle fragment needs an a=mid (RFC 8840 §9)");
                }
                if (value.split(" ").length < 4) {
                    throw new SdpException(n, "m= needs media, port, proto and a format: '" + shorten(line) + "'");
                }
                mediaLines.add(line);
                sectionStart = n;
                continue;
            }
            if (type != 'a') {
                throw new SdpException(n, "a trickle fragment has only a= and m= lines (RFC 8840 §9), not '"
                        + type + "='");
            }
            int colon = value.indexOf(':');
            String name = colon < 0 ? value : value.substring(0, colon);
            String arg = colon < 0 ? "" : value.substring(colon + 1);
            switch (name) {
                case "ice-ufrag" -> sectionCreds[0] = credential(n, "ice-ufrag", arg, sectionCreds[0], 4);
                case "ice-pwd" -> sectionCreds[1] = credential(n, "ice-pwd", arg, sectionCreds[1], 22);
                case "ice-options", "group" -> {
                    if (arg.isBlank()) {
                        throw new SdpException(n, "a=" + name + " needs a value");
                    }
                }
                case "mid" -> {
                    if (mediaLines.isEmpty() || mids.size() == mediaLines.size()) {
                        throw new SdpException(n, "a=mid must follow its m= line, once");
                    }
                    if (arg.isEmpty() || arg.length() > 32) {
                        throw new SdpException(n, "a=mid must be 1..32 characters");
                    }
                    mids.add(arg);
                }
                case "candidate" -> {
                    candidate(n, arg);
                    candidates.add(value);
                }
                case "end-of-candidates" -> {
                    if (colon >= 0) {
                        throw new SdpException(n, "a=end-of-candidates takes no value");
                    }
                    end = true;
                }
                default -> throw new SdpException(n, "a=" + shorten(name) + " does not belong in a trickle fragment "
                        + "(RFC 8840 §9: ice-ufrag, ice-pwd, ice-options, group, mid, candidate, end-of-candidates)");
            }
        }
        if (!any) {
            throw new SdpException(0, "the fragment is empty: send candidates, end-of-candidates or new ICE credentials");
        }
        String[] creds = closeSection(sectionCreds, sectionStart, ufrag, pwd);
        if (creds != null) {
            ufrag = creds[0];
            pwd = creds[1];
        }
        if (!mediaLines.isEmpty() && mids.size() < mediaLines.size()) {
            throw new SdpException(sectionStart, "an m= line of a trickle fragment needs an a=mid (RFC 8840 §9)");
        }
        return new SdpFragment(Optional.ofNullable(ufrag), Optional.ofNullable(pwd), mediaLines, mids, candidates, end);
    }

    /**
     * The server's answer to an ICE restart (RFC 9725 §4.3.2): {@code a=ice-lite}, its new credentials and, under
     * each of the request's {@code m=} lines (or none, session level), its candidates and end-of-candidates.
     */
    public String restartAnswer(String localUfrag, String localPwd, List<String> candidateAttributes) {
        StringBuilder sb = new StringBuilder();
        sb.append("a=ice-lite\r\n");
        sb.append("a=ice-ufrag:").append(localUfrag).append("\r\n");
        sb.append("a=ice-pwd:").append(localPwd).append("\r\n");
        if (mediaLines.isEmpty()) {
            return sb.toString();
        }
        for (int i = 0; i < mediaLines.size(); i++) {
            sb.append(mediaLines.get(i)).append("\r\n");
            sb.append("a=mid:").append(mids.get(i)).append("\r\n");
            for (String c : candidateAttributes) {
                sb.append("a=").append(c).append("\r\n");
            }
            sb.append("a=end-of-candidates\r\n");
        }
        return sb.toString();
    }

    // A section's credentials: both or neither, and the same as another section's (one BUNDLE transport).
    private static String[] closeSection(String[] section, int line, String ufrag, String pwd) throws SdpException {
        String u = section[0];
        String p = section[1];
        section[0] = null;
        section[1] = null;
        if (u == null && p == null) {
            return null;
        }
        if (u == null || p == null) {
            throw new SdpException(line, "ice-ufrag and ice-pwd must come together (RFC 8840 §9)");
        }
        if (ufrag != null && (!ufrag.equals(u) || !pwd.equals(p))) {
            throw new SdpException(line, "every section must carry the same ICE credentials (one BUNDLE transport)");
        }
        return new String[] {u, p};
    }

    private static String credential(int n, String name, String value, String earlier, int min) throws SdpException {
        if (earlier != null) {
            throw new SdpException(n, "a=" + name + " twice in one section");
        }
        // RFC 8839 §5.4: ice-char = ALPHA / DIGIT / "+" / "/"; ufrag 4..256, pwd 22..256.
        boolean ok = value.length() >= min && value.length() <= 256;
        for (int i = 0; ok && i < value.length(); i++) {
            char c = value.charAt(i);
            ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
        }
        if (!ok) {
            throw new SdpException(n, "a=" + name + " must be " + min + "..256 ice-chars (RFC 8839 §5.4)");
        }
        return value;
    }

    // RFC 8839 §5.1: foundation component-id transport priority connection-address port "typ" cand-type ...
    private static void candidate(int n, String value) throws SdpException {
        String[] f = value.trim().split(" +");
        if (f.length < 8 || !f[6].equals("typ")) {
            throw new SdpException(n, "a=candidate must be 'foundation component transport priority address port "
                    + "typ type' (RFC 8839 §5.1): '" + shorten(value) + "'");
        }
        try {
            int component = Integer.parseInt(f[1]);
            long priority = Long.parseLong(f[3]);
            int port = Integer.parseInt(f[5]);
            if (component < 1 || component > 256 || priority < 1 || priority > 0xFFFFFFFFL || port < 0
                    || port > 65535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new SdpException(n, "a=candidate has a bad component, priority or port: '" + shorten(value) + "'");
        }
        if (!f[4].matches("[0-9A-Za-z.:\\-]{1,253}")) {
            throw new SdpException(n, "a=candidate has a bad address: '" + shorten(f[4]) + "'");
        }
    }

    private static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }
}
