package io.scoregen.platform.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LossCurveTest {

    private static double lossAt(long step) {
        return 1.0 / (1 + step);
    }

    @Test
    void aShortCurveKeepsEveryPoint() {
        LossCurve curve = new LossCurve();
        for (long step = 10; step <= 100; step += 10) {
            curve.add(step, lossAt(step));
        }
        List<LossCurve.Point> points = curve.points();
        assertEquals(10, points.size());
        for (int i = 0; i < points.size(); i++) {
            assertEquals(new LossCurve.Point(10L * (i + 1), lossAt(10L * (i + 1))), points.get(i));
        }
    }

    @Test
    void aLongCurveIsThinnedEvenlyToTheLimitKeepingTheFirstAndTheLatestPoint() {
        LossCurve curve = new LossCurve();
        for (long step = 1; step <= 100_003; step++) {
            curve.add(step, lossAt(step));
            if (step % 4_999 == 0 || step == 100_003) {
                List<LossCurve.Point> points = curve.points();
                assertTrue(points.size() <= LossCurve.MAX_POINTS, points.size() + " points at step " + step);
                assertEquals(new LossCurve.Point(1, lossAt(1)), points.get(0), "first kept");
                assertEquals(new LossCurve.Point(step, lossAt(step)), points.get(points.size() - 1), "latest kept");
                for (int i = 1; i < points.size(); i++) {
                    assertTrue(points.get(i - 1).step() < points.get(i).step(), "ascending");
                }
            }
        }
        List<LossCurve.Point> points = curve.points();
        // 100 003 reports in at most 511 samples: the stride has doubled to 256, so the samples are 256 steps apart and
        // more than half the limit is in use.
        assertTrue(points.size() > LossCurve.MAX_POINTS / 2, points.size() + " points");
        for (int i = 1; i < points.size() - 1; i++) {
            assertEquals(256, points.get(i).step() - points.get(i - 1).step(), "evenly thinned at " + i);
        }
    }

    @Test
    void lateAndRepeatedReportsKeepTheCurveAscending() {
        LossCurve curve = new LossCurve();
        curve.add(10, 0.9);
        curve.add(30, 0.5);
        curve.add(20, 0.7); // late: before the latest step
        curve.add(30, 0.4); // the latest step again: its loss is replaced
        curve.add(30, 0.4); // a replay changes nothing
        assertEquals(List.of(new LossCurve.Point(10, 0.9), new LossCurve.Point(30, 0.4)), curve.points());
        assertEquals(List.of(), new LossCurve().points());
    }
}
