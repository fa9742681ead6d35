/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CandidatePriorityTest {

    @Test
    void udpHostPrioritiesAreTheRfc8445RecommendedOnesInOrder() {
        // 126 << 24 | 65535 << 8 | (256 - 1): RFC 8445 §5.1.2.1 with the §5.1.2.2 host type preference.
        assertEquals(2130706431L, CandidatePriority.hostUdp(0));
        assertEquals(2130706430L, CandidatePriority.hostUdp(1));
    }

    @Test
    void tcpPassivePriorityFollowsRfc6544LocalPreference() {
        long p = CandidatePriority.hostTcpPassive(0);
        assertEquals(90, p >>> 24, "type preference");
        long local = (p >>> 8) & 0xFFFF;
        assertEquals(4, local >>> 13, "direction-pref of a passive host candidate (RFC 6544 §4.2)");
        assertEquals(8191, local & 0x1FFF, "other-pref of the first candidate");
        assertEquals(255, p & 0xFF, "256 - component 1");
        assertEquals(8190, (CandidatePriority.hostTcpPassive(1) >>> 8) & 0x1FFF, "unique other-pref per candidate");
    }

    @Test
    void everyUdpCandidateOutranksEveryTcpCandidate() {
        long lowestUdp = CandidatePriority.hostUdp(8191);
        long highestTcp = CandidatePriority.hostTcpPassive(0);
        assertTrue(lowestUdp > highestTcp, lowestUdp + " > " + highestTcp);
        assertTrue(CandidatePriority.hostTcpPassive(0) > CandidatePriority.hostTcpPassive(1));
        assertTrue(highestTcp < (1L << 31), "a priority is at most 2^31 - 1");
    }

    @Test
    void refusesIndexesOutsideTheOtherPrefRange() {
        assertThrows(IllegalArgumentException.class, () -> CandidatePriority.hostTcpPassive(-1));
        assertThrows(IllegalArgumentException.class, () -> CandidatePriority.hostTcpPassive(8192));
    }
}
