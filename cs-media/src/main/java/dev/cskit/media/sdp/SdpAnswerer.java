/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.sdp;

import dev.cskit.media.ice.CandidatePriority;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the server's SDP answer to a WHIP (RFC 9725) or WHEP offer, the JSEP subset a 1v1 SFU needs
 * (RFC 8829 §5.3): ICE-lite (RFC 8445 §2.5), DTLS server ({@code a=setup:passive}, RFC 8842), BUNDLE
 * (RFC 8843), rtcp-mux (RFC 5761).
 *
 * <p>Per offered m-section, in offer order:
 * <ul>
 *   <li>WHIP accepts audio/video sections the client sends ({@code sendonly}/{@code sendrecv}) and
 *       answers {@code recvonly}; WHEP accepts sections the client receives ({@code recvonly}/
 *       {@code sendrecv}) and answers {@code sendonly}, announcing the caller's {@link SendTrack}
 *       for that kind (the first section of a kind gets it; later ones are rejected).</li>
 *   <li>Codecs keep the offer's payload types: Opus for audio; for video the preferred names
 *       ({@code VP8}, {@code H264} by default, a {@link Builder#preferVideo} codec first) the offer has,
 *       H.264 only with packetization-mode=1, preferring the preferred codec's profile-level-id, then
 *       42e01f, then other baseline profiles. WHIP answers one video codec (what the publisher will send);
 *       WHEP answers every usable one, so that whatever a publisher sends, now or later, can be forwarded. Its rtx ({@code apt}) is kept when offered (for WHEP only with an rtx SSRC), and the
 *       offered rtcp-fb among nack, nack pli, ccm fir, goog-remb. RED, ULPFEC, transport-cc and other
 *       codecs are dropped.</li>
 *   <li>Header extensions: only the offered ones among sdes:mid, abs-send-time, ssrc-audio-level
 *       and video-orientation, with the offer's ids.</li>
 *   <li>Anything else (data channels, sections with no supported codec or the wrong direction, ports
 *       of 0, non-SAVPF transports, sections outside the BUNDLE group) is answered with port 0 and
 *       only {@code a=mid}, kept in order, and left out of the answer's BUNDLE group.</li>
 * </ul>
 * The offer must carry ice-ufrag/ice-pwd, a fingerprint, {@code a=setup:actpass} or {@code active},
 * rtcp-mux on every accepted section, a BUNDLE group and a mid per section; otherwise
 * {@link SdpException} names the offending line.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class SdpAnswerer {
    /** Which WebRTC-HTTP ingestion protocol the offer came in on. */
    public enum Mode {
        /** Publish: the client sends, the server receives. */
        WHIP,
        /** Play: the server sends, the client receives. */
        WHEP
    }

    /** RFC 9143 §15 / RFC 8843: the mid header extension. */
    public static final String EXT_SDES_MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
    /** Absolute send time (webrtc.org). */
    public static final String EXT_ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    /** RFC 6464 audio level. */
    public static final String EXT_AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    /** 3GPP TS 26.114 coordination of video orientation. */
    public static final String EXT_VIDEO_ORIENTATION = "urn:3gpp:video-orientation";

    private static final Set<String> SUPPORTED_EXTENSIONS =
            Set.of(EXT_SDES_MID, EXT_ABS_SEND_TIME, EXT_AUDIO_LEVEL, EXT_VIDEO_ORIENTATION);
    private static final List<String> SUPPORTED_FEEDBACK = List.of("nack", "nack pli", "ccm fir", "goog-remb");
    private static final String CRLF = "\r\n";

    private final Mode mode;
    private final String iceUfrag;
    private final String icePwd;
    private final String fingerprintAlgorithm;
    private final String fingerprint;
    private final List<InetSocketAddress> candidates;
    private final List<InetSocketAddress> tcpCandidates;
    private final List<SendTrack> sendTracks;
    private final List<String> videoCodecs;
    private final String preferredVideo;
    private final String preferredVideoFmtp;
    private final long sessionId;

    private SdpAnswerer(Builder b) {
        this.mode = b.mode;
        this.iceUfrag = b.iceUfrag;
        this.icePwd = b.icePwd;
        this.fingerprintAlgorithm = b.fingerprintAlgorithm;
        this.fingerprint = b.fingerprint;
        this.candidates = List.copyOf(b.candidates);
        this.tcpCandidates = List.copyOf(b.tcpCandidates);
        this.sendTracks = List.copyOf(b.sendTracks);
        this.videoCodecs = List.copyOf(b.videoCodecs);
        this.preferredVideo = b.preferredVideo;
        this.preferredVideoFmtp = b.preferredVideoFmtp;
        this.sessionId = b.sessionId >= 0 ? b.sessionId : new SecureRandom().nextLong() & Long.MAX_VALUE;
    }

    /** A builder for {@code mode}. */
    public static Builder builder(Mode mode) {
        return new Builder(mode);
    }

    /** Builder; not thread-safe. */
    public static final class Builder {
        private final Mode mode;
        private String iceUfrag;
        private String icePwd;
        private String fingerprintAlgorithm;
        private String fingerprint;
        private final List<InetSocketAddress> candidates = new ArrayList<>();
        private final List<InetSocketAddress> tcpCandidates = new ArrayList<>();
        private final List<SendTrack> sendTracks = new ArrayList<>();
        private List<String> videoCodecs = List.of("VP8", "H264");
        private String preferredVideo;
        private String preferredVideoFmtp;
        private long sessionId = -1;

        private Builder(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
        }

        /** The server's ICE credentials (e.g. from {@code IceCredentials.random}). Required. */
        public Builder iceCredentials(String ufrag, String pwd) {
            this.iceUfrag = Objects.requireNonNull(ufrag, "ufrag");
            this.icePwd = Objects.requireNonNull(pwd, "pwd");
            return this;
        }

        /** The server certificate's fingerprint, e.g. ("sha-256", "AB:CD:…"). Required. */
        public Builder fingerprint(String algorithm, String value) {
            this.fingerprintAlgorithm = Objects.requireNonNull(algorithm, "algorithm");
            this.fingerprint = Objects.requireNonNull(value, "value");
            return this;
        }

        /** Adds a host candidate: the server's UDP address as clients reach it. At least one. */
        public Builder candidate(InetSocketAddress address) {
            Objects.requireNonNull(address, "address");
            if (address.isUnresolved() || address.getPort() == 0) {
                throw new IllegalArgumentException("candidate needs a resolved address and a port: " + address);
            }
            candidates.add(address);
            return this;
        }

        /**
         * Adds a passive ICE-TCP host candidate (RFC 6544): the server's TCP media listener as clients reach it.
         * Written after the UDP ones, with lower priorities ({@link CandidatePriority}).
         */
        public Builder tcpCandidate(InetSocketAddress address) {
            Objects.requireNonNull(address, "address");
            if (address.isUnresolved() || address.getPort() == 0) {
                throw new IllegalArgumentException("candidate needs a resolved address and a port: " + address);
            }
            tcpCandidates.add(address);
            return this;
        }

        /** Adds a track the server sends (WHEP). */
        public Builder sendTrack(SendTrack track) {
            sendTracks.add(Objects.requireNonNull(track, "track"));
            return this;
        }

        /** Video codec names in preference order, among "VP8" and "H264" (default both, VP8 first). */
        public Builder videoCodecs(List<String> names) {
            for (String n : names) {
                if (!n.equalsIgnoreCase("VP8") && !n.equalsIgnoreCase("H264")) {
                    throw new IllegalArgumentException("supported video codecs are VP8 and H264, not " + n);
                }
            }
            if (names.isEmpty()) {
                throw new IllegalArgumentException("at least one video codec");
            }
            this.videoCodecs = List.copyOf(names);
            return this;
        }

        /**
         * A video codec to choose before {@link #videoCodecs}' order when it is offered: the codec the other side of
         * the forwarding sends or decodes (for WHEP, the publisher's). For H.264 the offered format with the same
         * profile-level-id ({@code fmtp}) is chosen first.
         */
        public Builder preferVideo(String name, String fmtp) {
            Objects.requireNonNull(name, "name");
            this.preferredVideo = name;
            this.preferredVideoFmtp = Objects.requireNonNull(fmtp, "fmtp");
            return this;
        }

        /** The o= session id (default: random). */
        public Builder sessionId(long id) {
            if (id < 0) {
                throw new IllegalArgumentException("session id must be >= 0");
            }
            this.sessionId = id;
            return this;
        }

        /** Builds the answerer; checks the required values. */
        public SdpAnswerer build() {
            if (iceUfrag == null || fingerprint == null) {
                throw new IllegalStateException("iceCredentials(...) and fingerprint(...) are required");
            }
            if (iceUfrag.length() < 4 || icePwd.length() < 22) {
                throw new IllegalStateException("ice ufrag must be >= 4 and pwd >= 22 characters (RFC 8839 §5.4)");
            }
            if (!fingerprint.matches("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})+") || fingerprintAlgorithm.isBlank()) {
                throw new IllegalStateException("fingerprint must be '<algorithm>', 'XX:XX:…'");
            }
            if (candidates.isEmpty()) {
                throw new IllegalStateException("at least one candidate(...) address is required for ICE-lite");
            }
            return new SdpAnswerer(this);
        }
    }

    /** Parses {@code offer} and answers it. */
    public SdpAnswer answer(String offer) throws SdpException {
        return answer(SdpParser.parse(offer));
    }

    /** Answers a parsed offer; throws {@link SdpException} naming the line when it cannot. */
    public SdpAnswer answer(SessionDescription offer) throws SdpException {
        List<String> bundle = offer.bundleMids();
        // Checks that hold for the whole offer.
        checkSetupLines(offer.attributes());
        List<MediaDescription> sections = offer.media();
        if (sections.isEmpty()) {
            throw new SdpException(0, "the offer has no media sections");
        }
        List<Plan> plans = new ArrayList<>();
        List<String> usedKinds = new ArrayList<>();
        for (MediaDescription m : sections) {
            String mid = m.mid().orElseThrow(() -> new SdpException(m.line(),
                    "media section without a=mid (required with BUNDLE, RFC 8843 §7.2)"));
            for (Plan p : plans) {
                if (p.mid.equals(mid)) {
                    throw new SdpException(m.line(), "duplicate mid '" + mid + "'");
                }
            }
            checkSetupLines(m.attributes());
            Plan plan = plan(m, mid, bundle, usedKinds);
            if (plan.accepted) {
                if (!m.rtcpMux()) {
                    throw new SdpException(m.line(), "a=rtcp-mux is required (RFC 5761, RFC 8843 §9)");
                }
                usedKinds.add(m.kind());
            }
            plans.add(plan);
        }
        if (bundle.isEmpty()) {
            throw new SdpException(sections.get(0).line(), "the offer must group its sections with a=group:BUNDLE (RFC 8843)");
        }
        MediaDescription tagged = null;
        for (Plan p : plans) {
            if (p.accepted) {
                tagged = p.media;
                break;
            }
        }
        if (tagged == null) {
            throw new SdpException(0, mode == Mode.WHIP
                    ? "the offer has no audio/video section the server can receive (sendonly/sendrecv with Opus, VP8 or H264)"
                    : "the offer has no audio/video section the server can send (recvonly/sendrecv with Opus, VP8 or H264)");
        }
        Attribute ufrag = transport(offer, tagged, "ice-ufrag");
        Attribute pwd = transport(offer, tagged, "ice-pwd");
        if (ufrag.value().length() < 4 || ufrag.value().length() > 256) {
            throw new SdpException(ufrag.line(), "ice-ufrag must be 4..256 characters (RFC 8839 §5.4)");
        }
        if (pwd.value().length() < 22 || pwd.value().length() > 256) {
            throw new SdpException(pwd.line(), "ice-pwd must be 22..256 characters (RFC 8839 §5.4)");
        }
        Attribute setup = transport(offer, tagged, "setup");
        Attribute fp = fingerprint(offer, tagged);
        String[] fpParts = fp.value().trim().split("\\s+");

        StringBuilder sb = new StringBuilder(2048);
        line(sb, "v=0");
        line(sb, "o=- " + sessionId + " 2 IN IP4 127.0.0.1");
        line(sb, "s=-");
        line(sb, "t=0 0");
        StringBuilder group = new StringBuilder("a=group:BUNDLE");
        for (Plan p : plans) {
            if (p.accepted) {
                group.append(' ').append(p.mid);
            }
        }
        line(sb, group.toString());
        line(sb, "a=ice-lite");
        List<NegotiatedMedia> negotiated = new ArrayList<>();
        for (Plan p : plans) {
            if (p.accepted) {
                negotiated.add(writeAccepted(sb, p));
            } else {
                writeRejected(sb, p);
            }
        }
        NegotiatedSession session = new NegotiatedSession(ufrag.value(), pwd.value(),
                fpParts[0].toLowerCase(Locale.ROOT), fpParts[1].toUpperCase(Locale.ROOT), setup.value(), negotiated);
        return new SdpAnswer(sb.toString(), session);
    }

    private static final class Plan {
        final MediaDescription media;
        final String mid;
        final boolean accepted;
        // One entry per codec answered, the first preferred; rtx entries may be null.
        final List<PayloadFormat> codecs;
        final List<PayloadFormat> rtx;
        final List<List<String>> feedback;
        final List<Extmap> extmaps;
        final SendTrack track;

        Plan(MediaDescription media, String mid) {
            this(media, mid, false, List.of(), List.of(), List.of(), List.of(), null);
        }

        Plan(MediaDescription media, String mid, boolean accepted, List<PayloadFormat> codecs, List<PayloadFormat> rtx,
                List<List<String>> feedback, List<Extmap> extmaps, SendTrack track) {
            this.media = media;
            this.mid = mid;
            this.accepted = accepted;
            this.codecs = codecs;
            this.rtx = rtx;
            this.feedback = feedback;
            this.extmaps = extmaps;
            this.track = track;
        }
    }

    private Plan plan(MediaDescription m, String mid, List<String> bundle, List<String> usedKinds) {
        boolean av = m.kind().equals("audio") || m.kind().equals("video");
        boolean live = m.port() != 0 || m.has("bundle-only");
        boolean wantedDirection = mode == Mode.WHIP ? m.direction().sends() : m.direction().receives();
        if (!av || !live || !m.proto().contains("SAVPF") || !bundle.contains(mid) || !wantedDirection
                || usedKinds.contains(m.kind())) {
            return new Plan(m, mid);
        }
        SendTrack track = null;
        if (mode == Mode.WHEP) {
            for (SendTrack t : sendTracks) {
                if (t.kind().equals(m.kind())) {
                    track = t;
                    break;
                }
            }
            if (track == null) {
                return new Plan(m, mid);
            }
        }
        List<PayloadFormat> codecs = new ArrayList<>();
        if (m.kind().equals("audio")) {
            PayloadFormat opus = CodecChoice.audio(m);
            if (opus != null) {
                codecs.add(opus);
            }
        } else {
            codecs.addAll(CodecChoice.videoAll(m, videoCodecs, preferredVideo, preferredVideoFmtp));
            if (mode == Mode.WHIP && codecs.size() > 1) {
                // A publisher sends one codec: answering one makes it the one we chose (RFC 8829 §5.3.1).
                codecs.subList(1, codecs.size()).clear();
            }
            // WHEP keeps every usable codec: the server may then forward whatever its publisher sends, also one
            // that publishes later or replaces it (RFC 3264 §6.1: the offerer must be ready to receive any of them).
        }
        if (codecs.isEmpty()) {
            return new Plan(m, mid);
        }
        List<PayloadFormat> rtxs = new ArrayList<>();
        List<List<String>> feedback = new ArrayList<>();
        for (PayloadFormat codec : codecs) {
            PayloadFormat rtx = null;
            if (mode == Mode.WHIP || (track != null && track.rtxSsrc() != 0)) {
                for (PayloadFormat f : m.payloadFormats()) {
                    if (f.is("rtx") && f.fmtpParameter("apt").equals(Integer.toString(codec.payloadType()))) {
                        rtx = f;
                        break;
                    }
                }
            }
            rtxs.add(rtx);
            List<String> fbs = new ArrayList<>();
            for (String fb : codec.rtcpFeedback()) {
                if (SUPPORTED_FEEDBACK.contains(fb) && !fbs.contains(fb)) {
                    fbs.add(fb);
                }
            }
            feedback.add(fbs);
        }
        List<Extmap> extmaps = new ArrayList<>();
        for (Extmap e : m.extmaps()) {
            if (SUPPORTED_EXTENSIONS.contains(e.uri())) {
                extmaps.add(e);
            }
        }
        return new Plan(m, mid, true, codecs, rtxs, feedback, extmaps, track);
    }

    /**
     * The server's candidates as SDP attribute values ({@code candidate:…}, without {@code a=}), as answers and
     * ICE-restart fragments carry them: the UDP host candidates, then an ICE-TCP passive one per TCP address.
     */
    public static List<String> candidateAttributes(List<InetSocketAddress> udp, List<InetSocketAddress> tcp) {
        List<String> out = new ArrayList<>(udp.size() + tcp.size());
        for (int i = 0; i < udp.size(); i++) {
            InetSocketAddress a = udp.get(i);
            // RFC 8839 §5.1: foundation, component 1 (RTP, muxed), udp, priority, address, port, typ host.
            out.add("candidate:" + (i + 1) + " 1 udp " + (2130706431L - i) + " " + sdpHost(a) + " " + a.getPort()
                    + " typ host");
        }
        for (int i = 0; i < tcp.size(); i++) {
            InetSocketAddress a = tcp.get(i);
            // RFC 6544 §4.5: transport tcp, a foundation of its own (RFC 8445 §5.1.1.3), tcptype passive: the
            // client connects (active), the server only accepts.
            out.add("candidate:" + (udp.size() + i + 1) + " 1 tcp " + CandidatePriority.hostTcpPassive(i) + " "
                    + sdpHost(a) + " " + a.getPort() + " typ host tcptype passive");
        }
        return out;
    }

    private NegotiatedMedia writeAccepted(StringBuilder sb, Plan p) {
        MediaDescription m = p.media;
        Direction dir = mode == Mode.WHIP ? Direction.RECVONLY : Direction.SENDONLY;
        StringBuilder mline = new StringBuilder("m=").append(m.kind()).append(" 9 ").append(m.proto());
        for (int i = 0; i < p.codecs.size(); i++) {
            mline.append(' ').append(p.codecs.get(i).payloadType());
            if (p.rtx.get(i) != null) {
                mline.append(' ').append(p.rtx.get(i).payloadType());
            }
        }
        line(sb, mline.toString());
        line(sb, "c=IN IP4 0.0.0.0");
        line(sb, "a=ice-ufrag:" + iceUfrag);
        line(sb, "a=ice-pwd:" + icePwd);
        line(sb, "a=fingerprint:" + fingerprintAlgorithm + " " + fingerprint.toUpperCase(Locale.ROOT));
        line(sb, "a=setup:passive");
        line(sb, "a=mid:" + p.mid);
        Map<String, Integer> extIds = new LinkedHashMap<>();
        for (Extmap e : p.extmaps) {
            line(sb, "a=extmap:" + e.id() + " " + e.uri());
            extIds.put(e.uri(), e.id());
        }
        line(sb, "a=" + dir.attribute());
        line(sb, "a=rtcp-mux");
        if (m.has("rtcp-rsize")) {
            line(sb, "a=rtcp-rsize");
        }
        List<NegotiatedCodec> codecs = new ArrayList<>();
        for (int i = 0; i < p.codecs.size(); i++) {
            PayloadFormat c = p.codecs.get(i);
            PayloadFormat rtx = p.rtx.get(i);
            line(sb, "a=rtpmap:" + c.payloadType() + " " + c.encoding() + "/" + c.clockRate()
                    + (m.kind().equals("audio") && c.channels() > 1 ? "/" + c.channels() : ""));
            for (String fb : p.feedback.get(i)) {
                line(sb, "a=rtcp-fb:" + c.payloadType() + " " + fb);
            }
            if (!c.fmtp().isEmpty()) {
                line(sb, "a=fmtp:" + c.payloadType() + " " + c.fmtp());
            }
            if (rtx != null) {
                line(sb, "a=rtpmap:" + rtx.payloadType() + " " + rtx.encoding() + "/" + rtx.clockRate());
                line(sb, "a=fmtp:" + rtx.payloadType() + " apt=" + c.payloadType());
            }
            codecs.add(new NegotiatedCodec(c.payloadType(), c.encoding(), c.clockRate(), c.channels(), c.fmtp(),
                    p.feedback.get(i), rtx == null ? -1 : rtx.payloadType()));
        }
        if (p.track != null) {
            SendTrack t = p.track;
            String msid = t.streamId() + " " + t.trackId();
            line(sb, "a=msid:" + msid);
            if (p.rtx.get(0) != null) {
                line(sb, "a=ssrc-group:FID " + t.ssrc() + " " + t.rtxSsrc());
            }
            line(sb, "a=ssrc:" + t.ssrc() + " cname:" + t.cname());
            line(sb, "a=ssrc:" + t.ssrc() + " msid:" + msid);
            if (p.rtx.get(0) != null) {
                line(sb, "a=ssrc:" + t.rtxSsrc() + " cname:" + t.cname());
                line(sb, "a=ssrc:" + t.rtxSsrc() + " msid:" + msid);
            }
        }
        for (String c : candidateAttributes(candidates, tcpCandidates)) {
            line(sb, "a=" + c);
        }
        line(sb, "a=end-of-candidates");

        return new NegotiatedMedia(p.mid, m.kind(), dir, codecs, extIds, new ArrayList<>(m.ssrcs().keySet()),
                m.ssrcGroups(), Optional.ofNullable(p.track));
    }

    private static String sdpHost(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        int zone = host.indexOf('%');
        return a.getAddress() instanceof Inet6Address && zone >= 0 ? host.substring(0, zone) : host;
    }

    private static void writeRejected(StringBuilder sb, Plan p) {
        MediaDescription m = p.media;
        // RFC 8829 §5.3.1 / RFC 8843 §7.3.3: port 0, same proto and formats, only a=mid.
        line(sb, "m=" + m.kind() + " 0 " + m.proto() + " " + String.join(" ", m.formats()));
        line(sb, "c=IN IP4 0.0.0.0");
        line(sb, "a=mid:" + p.mid);
    }

    private static void checkSetupLines(List<Attribute> attributes) throws SdpException {
        for (Attribute a : attributes) {
            if (a.name().equals("setup") && !a.value().equals("actpass") && !a.value().equals("active")) {
                throw new SdpException(a.line(), "a=setup:" + a.value()
                        + " is not possible: the server is the DTLS server, the offer must be actpass or active (RFC 8842 §5.2)");
            }
        }
    }

    private static Attribute transport(SessionDescription offer, MediaDescription tagged, String name)
            throws SdpException {
        Optional<Attribute> a = tagged.attribute(name);
        if (a.isEmpty()) {
            a = offer.attribute(name);
        }
        return a.orElseThrow(() -> new SdpException(tagged.line(),
                "missing a=" + name + " for this media section or the session"));
    }

    private static Attribute fingerprint(SessionDescription offer, MediaDescription tagged) throws SdpException {
        List<Attribute> all = new ArrayList<>(tagged.attributes("fingerprint"));
        if (all.isEmpty()) {
            for (Attribute a : offer.attributes()) {
                if (a.name().equals("fingerprint")) {
                    all.add(a);
                }
            }
        }
        if (all.isEmpty()) {
            throw new SdpException(tagged.line(), "missing a=fingerprint for this media section or the session (RFC 8122)");
        }
        for (Attribute a : all) {
            if (a.value().trim().toLowerCase(Locale.ROOT).startsWith("sha-256 ")) {
                return a;
            }
        }
        return all.get(0);
    }

    private static void line(StringBuilder sb, String s) {
        sb.append(s).append(CRLF);
    }
}
