/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.sdp;

import java.util.List;

/**
 * An {@code a=ssrc-group} line (RFC 5576 §4.2), e.g. {@code FID 1111 2222} (media, rtx).
 *
 * @param semantics e.g. "FID", "SIM"
 * @param ssrcs the SSRCs in order
 */
public record SsrcGroup(String semantics, List<Long> ssrcs) {
    /** Copies the list. */
    public SsrcGroup {
        ssrcs = List.copyOf(ssrcs);
    }
}
