/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A player's receiver reports on one outbound stream: loss of what was sent, jitter, RTT from LSR and DLSR. */
class ReceiverFeedbackTest {

    private static final long MS = 1_000_000L;
    /** An NTP time whose middle 32 bits (the LSR) are 0x1234_5678. */
    private static final long NTP = 0x0000_1234_5678_0000L;

    @Test
    void roundTripIsArrivalMinusTheReportsSendTimeMinusDlsr() {
        ReceiverFeedback f = new ReceiverFeedback();
        f.senderReportSent(NTP, 1_000 * MS);
        f.senderReportSent(NTP + (1L << 32), 2_000 * MS); // a later report, another LSR
        // The player held the first report 0.5 s (DLSR 32768/65536 s) and its report arrived 0.58 s after we sent it.
        f.onReportBlock(100, 5, 100 + 99, 480, 0x1234_5678L, 32768, 48000, 1_580 * MS);
        LinkQuality q = f.quality(MediaKind.AUDIO);
        assertEquals(80.0, q.rttMs(), 1e-6);
        assertEquals(100, q.expected(), "sequence 100 to 199");
        assertEquals(5, q.lost());
        assertEquals(10.0, q.jitterMs(), 1e-9, "480 ticks of 48 kHz");
        assertTrue(q.fromReceiver());
    }

    @Test
    void anUnknownLsrOrNoneGivesNoRoundTripButStillLoss() {
        ReceiverFeedback f = new ReceiverFeedback();
        assertFalse(f.reported());
        assertNull(f.quality(MediaKind.AUDIO));
        f.senderReportSent(NTP, 1_000 * MS);
        f.onReportBlock(65530, 0, 65536 + 9, 0, 0, 0, 48000, 2_000 * MS); // no SR seen yet; the sequence wrapped
        f.onReportBlock(65530, 2, 65536 + 19, 0, 0xDEAD_BEEFL, 0, 48000, 3_000 * MS); // not an LSR we sent
        LinkQuality q = f.quality(MediaKind.AUDIO);
        assertFalse(q.hasRtt());
        assertEquals(26, q.expected(), "65530 to 65535, then 0 to 19");
        assertEquals(2, q.lost());
    }

    @Test
    void reportsOnNothingSentOrFromAnotherStreamAreIgnored() {
        ReceiverFeedback f = new ReceiverFeedback();
        f.onReportBlock(-1, 3, 500, 0, 0, 0, 48000, MS); // nothing sent yet
        f.onReportBlock(1000, 3, 500, 0, 0, 0, 48000, MS); // behind the first packet sent: not ours
        assertFalse(f.reported());
    }
}
