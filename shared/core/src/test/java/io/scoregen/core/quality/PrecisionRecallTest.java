package io.scoregen.core.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoregen.core.sampling.TestEngine;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PrecisionRecallTest {

    @RegisterExtension
    static final TestEngine ENGINE = new TestEngine();

    private static final int DIM = 8;

    @Test
    void identicalSetsHavePrecisionAndRecallOne() {
        float[] x = FrechetDistanceTest.correlated(1500, DIM, new SplittableRandom(3));
        PrecisionRecall pr = PrecisionRecall.of(ENGINE.manager(), x, 1500, x, 1500, DIM);
        assertEquals(new PrecisionRecall(1, 1), pr);
    }

    @Test
    void farApartSetsHavePrecisionAndRecallZero() {
        float[] real = gaussian(400, 0, 1, new SplittableRandom(4));
        float[] fake = gaussian(300, 100, 1, new SplittableRandom(5));
        assertEquals(new PrecisionRecall(0, 0), PrecisionRecall.of(ENGINE.manager(), real, 400, fake, 300, DIM));
    }

    /** Samples collapsed onto the real data's core are precise but miss most of it: the paper's mode-dropping case. */
    @Test
    void aCollapsedSetIsPreciseWithLowRecall() {
        float[] real = gaussian(2000, 0, 1, new SplittableRandom(6));
        float[] fake = gaussian(2000, 0, 0.2, new SplittableRandom(7));
        PrecisionRecall pr = PrecisionRecall.of(ENGINE.manager(), real, 2000, fake, 2000, DIM);
        assertTrue(pr.precision() > 0.95, pr::toString);
        assertTrue(pr.recall() < 0.3, pr::toString);
    }

    @Test
    void tooFewPointsAreRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> PrecisionRecall.of(ENGINE.manager(), new float[3 * DIM], 3, new float[9 * DIM], 9, DIM));
    }

    private static float[] gaussian(int count, double mean, double sigma, SplittableRandom random) {
        float[] x = new float[count * DIM];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (mean + sigma * random.nextGaussian());
        }
        return x;
    }
}
