package dev.cskit.media.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.media.rtcp.RtcpWriter.ReportBlock;
import org.junit.jupiter.api.Test;

class ReceiveStatisticsTest {

    private static final long MS = 1_000_000L;

    @Test
    void noReportBeforeTheFirstPacket() {
        assertNull(new ReceiveStatistics(1, 48000).reportBlock(0));
    }

    @Test
    void countsLossAcrossTheSequenceWrap() {
        ReceiveStatistics rs = new ReceiveStatistics(0x1234, 90000);
        // 65530..65535, then 0..9 with 3 and 4 missing: 16 expected, 14 received.
        int i = 0;
        for (int seq = 65530; seq <= 65535; seq++) {
            rs.onPacket(seq, 3000L * i, 33 * MS * i++);
        }
        for (int seq = 0; seq < 10; seq++) {
            if (seq != 3 && seq != 4) {
                rs.onPacket(seq, 3000L * i, 33 * MS * i);
            }
            i++;
        }
        ReportBlock b = rs.reportBlock(600 * MS);
        assertEquals(0x1234, b.ssrc());
        assertEquals(2, b.cumulativeLost());
        assertEquals(0x10000 + 9, b.extendedHighestSequence()); // one wrap, highest 9
        assertEquals(2 * 256 / 16, b.fractionLost());
        // The next interval had no loss.
        rs.onPacket(10, 3000L * i, 33 * MS * i);
        assertEquals(0, rs.reportBlock(700 * MS).fractionLost());
    }

    @Test
    void jitterGrowsWithIrregularArrivalsAndStaysZeroForRegularOnes() {
        ReceiveStatistics regular = new ReceiveStatistics(1, 90000);
        ReceiveStatistics irregular = new ReceiveStatistics(2, 90000);
        for (int i = 0; i < 100; i++) {
            regular.onPacket(i, 3000L * i, (long) (i * 33.333333 * MS));
            irregular.onPacket(i, 3000L * i, (long) (i * 33.333333 * MS) + (i % 2 == 0 ? 0 : 10 * MS));
        }
        assertTrue(regular.reportBlock(0).jitter() <= 1, "regular arrivals: " + regular.reportBlock(0).jitter());
        // 10 ms of alternating delay is 900 ticks at 90 kHz; the estimate converges towards that.
        assertTrue(irregular.reportBlock(0).jitter() > 500, "irregular arrivals: " + irregular.reportBlock(0).jitter());
    }

    @Test
    void reportsTheLastSenderReportAndTheDelaySinceIt() {
        ReceiveStatistics rs = new ReceiveStatistics(1, 48000);
        rs.onPacket(1, 0, 0);
        long ntp = 0xAABBCCDD_11223344L;
        rs.onSenderReport(ntp, 1000 * MS);
        ReportBlock b = rs.reportBlock(1500 * MS);
        assertEquals(0xCCDD1122L, b.lastSr());       // the middle 32 bits of the NTP timestamp
        assertEquals(65536 / 2, b.delaySinceLastSr()); // 0.5 s in 1/65536 s units
    }
}
