/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.whip;

import dev.cskit.media.forward.CodecSpec;
import dev.cskit.media.forward.TrackSpec;

/**
 * Sees every plain (unprotected) RTP packet a publisher sends while its stream is not paused, after the
 * engine forwarded it: the hook for recording. The owner decides per stream what to do with it (e.g. start a
 * recorder on the first packet of a stream and stop it when the call ends).
 *
 * <p><b>Threading:</b> called on the thread of the media loop that owns the stream, once per packet: with several
 * loops, calls for streams of different sessions may come at the same time. It must copy what it keeps ({@code buf}
 * is reused for the next datagram), must not block (no disk I/O: queue and write elsewhere) and must not throw.
 */
@FunctionalInterface
public interface PacketTap {

    /**
     * @param stream the publisher's stream
     * @param track  the publisher's track the packet belongs to
     * @param codec  the codec of the packet's payload type
     * @param buf    the plain RTP packet, header included, at {@code off}, {@code len} bytes
     */
    void onRtp(StreamKey stream, TrackSpec track, CodecSpec codec, byte[] buf, int off, int len);
}
