package io.scoregen.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import io.scoregen.core.data.ToyDataSets.Checkerboard;
import io.scoregen.core.data.ToyDataSets.EightGaussians;
import io.scoregen.job.ToyData;
import io.scoregen.job.WireNames;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ToyDataSetsTest {

    private static final int N = 40_000;

    @Test
    void everySetIsDeterministicAndPrefixStable() {
        for (String name : WireNames.all(ToyData.class)) {
            DataSet big = ToyDataSets.generate(name, 1000, 42);
            DataSet small = ToyDataSets.generate(name, 10, 42);
            DataSet other = ToyDataSets.generate(name, 10, 43);
            assertEquals(new Shape(2), big.exampleShape());
            assertEquals("toy:" + name, big.name());
            for (int i = 0; i < 10; i++) {
                assertArrayEquals(small.example(i), big.example(i), name);
            }
            assertFalse(java.util.Arrays.equals(small.example(0), other.example(0)), name + " ignores its seed");
        }
    }

    @Test
    void eightGaussiansCoverEveryModeEquallyWithTheDocumentedStd() {
        DataSet set = ToyDataSets.generate("eight-gaussians", N, 1);
        double[][] modes = EightGaussians.modes();
        int[] hits = new int[EightGaussians.MODES];
        double sumSq = 0;
        for (int i = 0; i < N; i++) {
            float[] p = set.example(i);
            int k = EightGaussians.nearestMode(p[0], p[1]);
            hits[k]++;
            double dx = p[0] - modes[k][0];
            double dy = p[1] - modes[k][1];
            sumSq += dx * dx + dy * dy;
        }
        // Binomial(N, 1/8): standard deviation about 66; allow 5 of them.
        for (int k = 0; k < hits.length; k++) {
            assertEquals(N / 8.0, hits[k], 5 * Math.sqrt(N / 8.0 * 7 / 8), "mode " + k);
        }
        double std = Math.sqrt(sumSq / (2 * N));
        assertEquals(EightGaussians.STD, std, 0.02 * EightGaussians.STD);
        assertEquals(2.828, EightGaussians.RADIUS, 1e-3);
    }

    @Test
    void labelsAreTheModeTheMoonAndTheColourAndTheSwissRollHasNone() {
        DataSet gaussians = ToyDataSets.generate("eight-gaussians", 2000, 3);
        int[] modes = gaussians.labels().orElseThrow();
        assertEquals(8, gaussians.classes().orElseThrow().size());
        DataSet board = ToyDataSets.generate("checkerboard", 2000, 3);
        int[] colours = board.labels().orElseThrow();
        DataSet moons = ToyDataSets.generate("two-moons", 2000, 3);
        int[] moon = moons.labels().orElseThrow();
        int[] perMode = new int[8];
        int[] perMoon = new int[2];
        for (int i = 0; i < 2000; i++) {
            float[] p = gaussians.example(i);
            // Neighbouring means are about 6σ apart: a draw nearer another mode than its own is a > 3σ event.
            if (Math.hypot(p[0] - EightGaussians.modes()[modes[i]][0], p[1] - EightGaussians.modes()[modes[i]][1])
                    < 3 * EightGaussians.STD) {
                assertEquals(modes[i], EightGaussians.nearestMode(p[0], p[1]), "example " + i);
            }
            perMode[modes[i]]++;
            float[] q = board.example(i);
            assertEquals(Checkerboard.colour(q[0], q[1]), colours[i], "square of " + Arrays.toString(q));
            float[] m = moons.example(i);
            // The upper moon's points lie around (−1, −0.2) + 2·(cos a, sin a), the lower one's below (1, 0.8).
            double upper = Math.abs(Math.hypot(m[0] + 1, m[1] + 0.2) - 2);
            double lower = Math.abs(Math.hypot(m[0] - 1, m[1] - 0.8) - 2);
            if (Math.abs(upper - lower) > 0.6) {
                assertEquals(upper < lower ? 0 : 1, moon[i], "moon of " + Arrays.toString(m));
            }
            perMoon[moon[i]]++;
        }
        assertTrue(Arrays.stream(perMode).allMatch(n -> n > 150), Arrays.toString(perMode));
        assertTrue(Arrays.stream(perMoon).allMatch(n -> n > 900), Arrays.toString(perMoon));
        assertEquals(2, board.classes().orElseThrow().size());
        assertTrue(ToyDataSets.generate("swiss-roll", 10, 3).labels().isEmpty());
        assertTrue(ToyDataSets.generate("swiss-roll", 10, 3).classes().isEmpty());
    }

    @Test
    void nearestModeMatchesBruteForce() {
        double[][] modes = EightGaussians.modes();
        DataSet set = ToyDataSets.generate("two-moons", 500, 3);
        for (int i = 0; i < set.size(); i++) {
            float[] p = set.example(i);
            int best = 0;
            for (int k = 1; k < modes.length; k++) {
                if (Math.hypot(p[0] - modes[k][0], p[1] - modes[k][1])
                        < Math.hypot(p[0] - modes[best][0], p[1] - modes[best][1])) {
                    best = k;
                }
            }
            assertEquals(best, EightGaussians.nearestMode(p[0], p[1]));
        }
    }

    @Test
    void checkerboardStaysInFilledCellsUniformly() {
        DataSet set = ToyDataSets.generate("checkerboard", N, 2);
        int[] cells = new int[16];
        for (int i = 0; i < N; i++) {
            float[] p = set.example(i);
            assertTrue(Checkerboard.inFilledCell(p[0], p[1]), p[0] + ", " + p[1]);
            cells[(int) Math.floor((p[0] + 4) / 2) * 4 + (int) Math.floor((p[1] + 4) / 2)]++;
        }
        int filled = 0;
        for (int count : cells) {
            if (count > 0) {
                filled++;
                assertEquals(N / 8.0, count, 5 * Math.sqrt(N / 8.0 * 7 / 8));
            }
        }
        assertEquals(8, filled);
        assertFalse(Checkerboard.inFilledCell(-3, -1), "cell (0, 1) is empty");
        assertTrue(Checkerboard.inFilledCell(-3, -3), "cell (0, 0) is filled");
    }

    @Test
    void twoMoonsHaveTheDocumentedMean() {
        // Before scaling the mean is (0.5, 0.25): the upper arc has mean y = 2/π,
        // lower arc mean y = 0.5 − 2/π; after 2·p + (−1, −0.2) it is (0, 0.3).
        double[] mean = mean(ToyDataSets.generate("two-moons", N, 4));
        assertEquals(0.0, mean[0], 0.03);
        assertEquals(0.3, mean[1], 0.02);
    }

    @Test
    void swissRollRadiusFollowsItsAngleUniformly() {
        // Noise-free radius is t/5 with t uniform on [1.5π, 4.5π]: mean 3π/5; unit noise/5 barely shifts it.
        DataSet set = ToyDataSets.generate("swiss-roll", N, 5);
        double sum = 0;
        for (int i = 0; i < N; i++) {
            float[] p = set.example(i);
            sum += Math.hypot(p[0], p[1]);
        }
        assertEquals(3 * Math.PI / 5, sum / N, 0.05);
    }

    @Test
    void rejectsUnknownNamesAndEmptySets() {
        IllegalArgumentException unknown =
                assertThrows(IllegalArgumentException.class, () -> ToyDataSets.generate("nine-gaussians", 10, 0));
        assertTrue(unknown.getMessage().contains("eight-gaussians"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ToyDataSets.generate("two-moons", 0, 0));
    }

    private static double[] mean(DataSet set) {
        double[] mean = new double[2];
        for (int i = 0; i < set.size(); i++) {
            float[] p = set.example(i);
            mean[0] += p[0] / set.size();
            mean[1] += p[1] / set.size();
        }
        return mean;
    }
}
