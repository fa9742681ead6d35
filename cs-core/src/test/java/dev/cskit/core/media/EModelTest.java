/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The simplified G.107 E-model for Opus: known points computed by hand from the formulas, and its shape. */
class EModelTest {

    private static final double EPS = 1e-3;

    @Test
    void aPerfectCallRatesTheG107DefaultAndItsMos() {
        // R = 93.2 - 0 - 0; MOS = 1 + 0.035*93.2 + 93.2*33.2*6.8*7e-6 = 4.26200 + 0.14728
        assertEquals(93.2, EModel.rating(0, 0), EPS);
        assertEquals(4.40928, EModel.mos(93.2), 1e-4);
    }

    @Test
    void g107AnnexBMapsTheEdgesOfR() {
        assertEquals(1.0, EModel.mos(0));
        assertEquals(1.0, EModel.mos(-20));
        assertEquals(1.0, EModel.mos(3)); // the curve dips below 1 under R = 6.5: clamped
        assertEquals(4.5, EModel.mos(100));
        assertEquals(4.5, EModel.mos(130));
        // R = 50: 1 + 1.75 + 50*(-10)*50*7e-6 = 2.575
        assertEquals(2.575, EModel.mos(50), 1e-9);
    }

    @Test
    void tenPercentRandomLossCostsOpusAbout27PointsOfR() {
        // Ie,eff = 0 + 95 * 10 / (10 + 25.1) = 27.0655
        assertEquals(27.0655, EModel.lossImpairment(10), 1e-4);
        assertEquals(95.0 * 100 / 125.1, EModel.lossImpairment(100), 1e-9);
        assertEquals(0.0, EModel.lossImpairment(0));
        // R = 93.2 - 27.0655 = 66.1345; MOS = 1 + 2.31471 + 66.1345*6.1345*33.8655*7e-6 = 3.41088
        assertEquals(3.41088, EModel.mos(EModel.rating(10, 0)), 1e-4);
    }

    @Test
    void delayCostsLittleUntil177MsAndMuchAfter() {
        assertEquals(0.024 * 100, EModel.delayImpairment(100), 1e-9);
        assertEquals(0.024 * 177.3, EModel.delayImpairment(177.3), 1e-9);
        // 300 ms: 7.2 + 0.11 * 122.7 = 20.697
        assertEquals(20.697, EModel.delayImpairment(300), 1e-9);
        // One way = RTT/2 + 2*jitter + 26.5 ms of Opus framing and look-ahead.
        assertEquals(100 / 2.0 + 2 * 10 + 26.5, EModel.oneWayDelayMs(100, 10), 1e-9);
    }

    @Test
    void mosFallsAsLossGrowsAndAsDelayGrows() {
        double last = 5;
        for (double loss = 0; loss <= 50; loss += 0.5) {
            double mos = EModel.mos(loss, 40, 5);
            assertTrue(mos < last, () -> "MOS must fall with loss, at " + mos);
            last = mos;
        }
        last = 5;
        for (double rtt = 0; rtt <= 600; rtt += 10) {
            double mos = EModel.mos(1, rtt, 5);
            assertTrue(mos < last, () -> "MOS must fall with delay, at " + mos);
            last = mos;
        }
        last = 5;
        for (double jitter = 0; jitter <= 100; jitter += 5) {
            double mos = EModel.mos(1, 40, jitter);
            assertTrue(mos < last, () -> "MOS must fall with jitter, at " + mos);
            last = mos;
        }
        for (double loss = 0; loss <= 100; loss += 5) {
            double mos = EModel.mos(loss, 1000, 200);
            assertTrue(mos >= 1 && mos <= 4.5, () -> "MOS out of range: " + mos);
        }
    }
}
