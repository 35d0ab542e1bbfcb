package io.scoregen.core.data;

import ai.djl.ndarray.types.Shape;
import io.scoregen.job.BuiltInData;
import io.scoregen.job.ToyData;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Two-dimensional toy distributions, the usual first test of a generative model. Each is drawn from one
 * {@link SplittableRandom} seeded with {@code seed}, example after example, so the first {@code n} examples of a larger
 * set equal the set of size {@code n} with the same seed.
 *
 * <p>Scales follow the common FFJORD conventions so every set fits in about [−4, 4]².
 */
public final class ToyDataSets {

    private ToyDataSets() {}

    /** {@code count} examples of the toy set {@code name}, each of shape {@code [2]}. */
    public static DataSet generate(String name, int count, long seed) {
        if (count <= 0) {
            throw new IllegalArgumentException(
                    BuiltInData.TOY_PREFIX + name + ": count must be positive, got " + count);
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] xy = new float[2 * count];
        ToyData toy = ToyData.byName(name.toLowerCase(Locale.ROOT));
        Sampler sampler = switch (toy) {
            case EIGHT_GAUSSIANS -> EightGaussians::draw;
            case TWO_MOONS -> ToyDataSets::twoMoons;
            case CHECKERBOARD -> Checkerboard::draw;
            case SWISS_ROLL -> ToyDataSets::swissRoll;
        };
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = sampler.draw(random, xy, 2 * i);
        }
        return new DataSet(
                BuiltInData.TOY_PREFIX + toy,
                xy,
                new Shape(2),
                null,
                toy.classes().isPresent() ? labels : null,
                toy.classes().orElse(null));
    }

    @FunctionalInterface
    private interface Sampler {
        /**
         * Writes one (x, y) example at {@code out[at]}, {@code out[at + 1]} and returns its class
         * ({@link ToyData#classes()}; 0 for a set without classes). The label is what was drawn anyway: it takes no
         * draw of its own, so a set's values are the same with or without labels.
         */
        int draw(SplittableRandom random, float[] out, int at);
    }

    /**
     * Eight isotropic Gaussians with means evenly spaced on a circle of radius {@link #RADIUS} (starting at angle 0)
     * and standard deviation {@link #STD}, equally weighted.
     */
    public static final class EightGaussians {
        /** 4/√2 ≈ 2.83: FFJORD's circle of radius 4 scaled by 1/√2. */
        public static final double RADIUS = 4 / Math.sqrt(2);
        /** 0.5/√2 ≈ 0.354: neighbouring means are about 6 standard deviations apart. */
        public static final double STD = 0.5 / Math.sqrt(2);

        public static final int MODES = 8;

        private EightGaussians() {}

        /** The eight means as {x, y} pairs. */
        public static double[][] modes() {
            double[][] modes = new double[MODES][];
            for (int k = 0; k < MODES; k++) {
                double angle = 2 * Math.PI * k / MODES;
                modes[k] = new double[] {RADIUS * Math.cos(angle), RADIUS * Math.sin(angle)};
            }
            return modes;
        }

        /** Index of the mean nearest to (x, y). */
        public static int nearestMode(double x, double y) {
            double angle = Math.atan2(y, x);
            return Math.floorMod((int) Math.round(angle / (2 * Math.PI / MODES)), MODES);
        }

        /**
         * How well points {@code xy} (pairs, in the data's units) reproduce the mixture: the count within 3σ of their
         * nearest mean, per mean. A model that learned only the overall spread, or that dropped or starved a mode,
         * shows it here; the training tests judge their samples by it.
         */
        public static ModeCoverage coverage(float[] xy) {
            double[][] modes = modes();
            int[] near = new int[MODES];
            for (int i = 0; i < xy.length / 2; i++) {
                int k = nearestMode(xy[2 * i], xy[2 * i + 1]);
                if (Math.hypot(xy[2 * i] - modes[k][0], xy[2 * i + 1] - modes[k][1]) <= 3 * STD) {
                    near[k]++;
                }
            }
            return new ModeCoverage(xy.length / 2, near);
        }

        /**
         * @param points number of points judged
         * @param nearPerMode per mean, the points within 3σ of it
         */
        public record ModeCoverage(int points, int[] nearPerMode) {

            public ModeCoverage {
                nearPerMode = nearPerMode.clone();
            }

            /** Share of all points within 3σ of a mean (0.989 for draws of the mixture itself). */
            public double nearShare() {
                return (double) Arrays.stream(nearPerMode).sum() / points;
            }

            /** The smallest mode's share of all points within 3σ of it (about 1/8 for the mixture itself). */
            public double minModeShare() {
                return (double) Arrays.stream(nearPerMode).min().orElse(0) / points;
            }

            @Override
            public int[] nearPerMode() {
                return nearPerMode.clone();
            }

            @Override
            public String toString() {
                return String.format(
                        Locale.ROOT,
                        "%.1f %% within 3σ of a mode, smallest mode %.1f %%, per mode %s",
                        100 * nearShare(),
                        100 * minModeShare(),
                        Arrays.toString(nearPerMode));
            }
        }

        /** Draws one example; its label is its mode's index. */
        static int draw(SplittableRandom random, float[] out, int at) {
            int mode = random.nextInt(MODES);
            double angle = 2 * Math.PI * mode / MODES;
            out[at] = (float) (RADIUS * Math.cos(angle) + STD * random.nextGaussian());
            out[at + 1] = (float) (RADIUS * Math.sin(angle) + STD * random.nextGaussian());
            return mode;
        }
    }

    /**
     * A 4×4 board of 2×2 cells on [−4, 4]², uniform over the eight cells whose column and row indices have an even sum
     * (the lower-left cell is one of them).
     */
    public static final class Checkerboard {
        public static final double HALF_WIDTH = 4;
        private static final double CELL = 2;

        private Checkerboard() {}

        /** Whether (x, y) lies in a filled cell of the board. */
        public static boolean inFilledCell(double x, double y) {
            if (Math.abs(x) > HALF_WIDTH || Math.abs(y) > HALF_WIDTH) {
                return false;
            }
            int column = (int) Math.min(3, Math.floor((x + HALF_WIDTH) / CELL));
            int row = (int) Math.min(3, Math.floor((y + HALF_WIDTH) / CELL));
            return (column + row) % 2 == 0;
        }

        /**
         * The colour of the filled cell (x, y) lies in: the filled cells form two interleaved diagonal lattices, colour
         * 0 where the column index is even, 1 where it is odd. −1 outside the filled cells.
         */
        public static int colour(double x, double y) {
            if (!inFilledCell(x, y)) {
                return -1;
            }
            return (int) Math.min(3, Math.floor((x + HALF_WIDTH) / CELL)) % 2;
        }

        /** Draws one example; its label is its cell's {@linkplain #colour colour}. */
        static int draw(SplittableRandom random, float[] out, int at) {
            int column = random.nextInt(4);
            int row = 2 * random.nextInt(2) + column % 2;
            out[at] = (float) (-HALF_WIDTH + CELL * (column + random.nextDouble()));
            out[at + 1] = (float) (-HALF_WIDTH + CELL * (row + random.nextDouble()));
            return column % 2;
        }
    }

    /**
     * Two interleaved half circles of radius 1 (scikit-learn's make_moons with noise 0.1), scaled by 2 and shifted by
     * (−1, −0.2) to centre them: the upper moon (label 0) is centred at (−1, −0.2), the lower one (label 1) at (1,
     * 0.8).
     */
    private static int twoMoons(SplittableRandom random, float[] out, int at) {
        double angle = Math.PI * random.nextDouble();
        boolean upper = random.nextBoolean();
        double x = upper ? Math.cos(angle) : 1 - Math.cos(angle);
        double y = upper ? Math.sin(angle) : 0.5 - Math.sin(angle);
        out[at] = (float) (2 * (x + 0.1 * random.nextGaussian()) - 1);
        out[at + 1] = (float) (2 * (y + 0.1 * random.nextGaussian()) - 0.2);
        return upper ? 0 : 1;
    }

    /**
     * A planar swiss roll: angle t uniform in [1.5π, 4.5π], point (t cos t, t sin t) plus unit Gaussian noise
     * (scikit-learn's make_swiss_roll with noise 1), all divided by 5.
     */
    private static int swissRoll(SplittableRandom random, float[] out, int at) {
        double t = 1.5 * Math.PI * (1 + 2 * random.nextDouble());
        out[at] = (float) ((t * Math.cos(t) + random.nextGaussian()) / 5);
        out[at + 1] = (float) ((t * Math.sin(t) + random.nextGaussian()) / 5);
        return 0;
    }
}
