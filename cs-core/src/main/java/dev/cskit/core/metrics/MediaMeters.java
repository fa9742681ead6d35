/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.metrics;

import dev.cskit.api.metrics.Histogram;
import dev.cskit.api.metrics.Tags;
import dev.cskit.core.metrics.MediaTotals.HandshakeOutcome;
import dev.cskit.core.metrics.MediaTotals.IceTransport;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * The media metrics ({@code cskit_media_*}), read from a {@link MediaStatsSource} when the registry is scraped:
 * the packet path keeps counting with its own plain counters and allocates nothing for metrics. Each meter reads
 * the source when it is scraped (a few dozen reads per scrape, each a pass over the peer connections), so a scrape
 * is never older than the scrape.
 *
 * <p>Thread-safe.
 */
public final class MediaMeters {

    /** DTLS handshake times, from the SDP answer to the keys: 50 ms to 30 s. */
    static final double[] HANDSHAKE_BUCKETS = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    private final MediaStatsSource source;

    private MediaMeters(MediaStatsSource source) {
        this.source = source;
    }

    /**
     * The histogram a binding records DTLS handshake times into ({@code cskit_media_dtls_handshake_seconds}).
     * Register it first: the binding that owns the engine takes it before it can be a {@link MediaStatsSource}.
     */
    public static Histogram handshakeHistogram(MeterSet meters) {
        return meters.histogram("cskit_media_dtls_handshake_seconds",
                "Time from the SDP answer to a completed DTLS handshake (ICE included)", Tags.empty(),
                HANDSHAKE_BUCKETS);
    }

    /** Registers the media meters over {@code source}. */
    public static MediaMeters register(MeterSet meters, MediaStatsSource source) {
        MediaMeters m = new MediaMeters(Objects.requireNonNull(source, "source"));
        m.counter(meters, "cskit_media_packets_received", "RTP packets received and authenticated",
                MediaTotals::packetsReceived);
        m.counter(meters, "cskit_media_bytes_received", "Bytes of the RTP packets received and authenticated",
                MediaTotals::bytesReceived);
        m.counter(meters, "cskit_media_packets_sent", "RTP packets sent to players", MediaTotals::packetsSent);
        m.counter(meters, "cskit_media_bytes_sent", "Bytes of the RTP packets sent to players",
                MediaTotals::bytesSent);
        m.counter(meters, "cskit_media_nack_retransmissions", "Retransmissions sent to answer NACKs (RFC 4585)",
                MediaTotals::nacksAnswered);
        m.counter(meters, "cskit_media_keyframe_requests", "Keyframe requests (PLI/FIR) sent to publishers",
                MediaTotals::keyframeRequests);
        m.counter(meters, "cskit_media_datagrams_received", "Datagrams the media port received",
                MediaTotals::datagramsReceived);
        for (String reason : source.dropReasons()) {
            meters.functionCounter("cskit_media_dropped_packets", "Datagrams dropped, by reason",
                    Tags.of("reason", reason), () -> m.totals().droppedByReason().getOrDefault(reason, 0L));
        }
        String srtp = "SRTP/SRTCP packets that failed authentication or the replay check";
        meters.functionCounter("cskit_media_srtp_failures", srtp, Tags.of("kind", "rtp"),
                () -> m.totals().srtpFailures());
        meters.functionCounter("cskit_media_srtp_failures", srtp, Tags.of("kind", "rtcp"),
                () -> m.totals().srtcpFailures());
        for (HandshakeOutcome o : HandshakeOutcome.values()) {
            meters.functionCounter("cskit_media_dtls_handshakes", "DTLS handshakes, by outcome",
                    Tags.of("outcome", o.wireName()), () -> m.totals().handshakes().getOrDefault(o, 0L));
        }
        for (IceTransport t : IceTransport.values()) {
            meters.gauge("cskit_media_peer_connections", "Peer connections connected now, by ICE transport",
                    Tags.of("transport", t.wireName()),
                    () -> m.totals().connectedByTransport().getOrDefault(t, 0L));
        }
        return m;
    }

    private void counter(MeterSet meters, String name, String help, ToLongFunction<MediaTotals> f) {
        meters.functionCounter(name, help, Tags.empty(), () -> f.applyAsLong(totals()));
    }

    private MediaTotals totals() {
        return source.totals();
    }
}
