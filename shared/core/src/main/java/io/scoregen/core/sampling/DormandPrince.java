package io.scoregen.core.sampling;

import io.scoregen.core.NonFiniteException;

/**
 * Adaptive Dormand–Prince RK5(4) with FSAL, the scheme behind scipy's RK45, integrating a batch of independent ODE
 * systems <em>each with its own t and step size</em>.
 *
 * <p>Each system keeps its own error norm (RMS of the local error over its components, scaled by {@code atol +
 * rtol·max(|y|, |y_new|)}) and its own step-size control, so its trajectory never depends on the other systems of the
 * batch: the solution of system i is the same in any batch. All unfinished systems advance in lockstep through the
 * stages, so one batched derivative call serves every stage (systems that reached t1 drop out of the batch). State and
 * stage arithmetic are in double precision.
 */
public final class DormandPrince {

    /**
     * Derivatives of the systems {@code y[j]} (original indices {@code systems[j]}, ascending) at their times
     * {@code t[j]}; returns an array shaped like y.
     */
    @FunctionalInterface
    public interface BatchDerivative {
        double[][] evaluate(int[] systems, double[] t, double[][] y);
    }

    /**
     * @param y the states at t1
     * @param evaluations batched derivative calls made (the NFE of the batch)
     * @param rounds integration steps (accepted or rejected) of the slowest system
     * @param perSystemEvaluations derivative evaluations each system took part in (batch-invariant)
     */
    public record Solution(double[][] y, long evaluations, long rounds, int[] perSystemEvaluations) {}

    private static final double[] C = {0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1};
    private static final double[][] A = {
        {},
        {1.0 / 5},
        {3.0 / 40, 9.0 / 40},
        {44.0 / 45, -56.0 / 15, 32.0 / 9},
        {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
        {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656},
        {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84},
    };
    /** Fifth-order weights minus the embedded fourth-order ones. */
    private static final double[] E = {
        71.0 / 57600, 0, -71.0 / 16695, 71.0 / 1920, -17253.0 / 339200, 22.0 / 525, -1.0 / 40
    };

    private static final double SAFETY = 0.9;
    private static final double MIN_FACTOR = 0.2;
    private static final double MAX_FACTOR = 10;

    private final double rtol;
    private final double atol;
    private final long maxRounds;

    public DormandPrince(double rtol, double atol, long maxRounds) {
        if (!(rtol > 0 && atol > 0 && maxRounds > 0)) {
            throw new IllegalArgumentException("need rtol > 0, atol > 0, maxRounds > 0");
        }
        this.rtol = rtol;
        this.atol = atol;
        this.maxRounds = maxRounds;
    }

    /**
     * Integrates every system from t0 to t1 (either direction). Progress is reported after every round as the per-mille
     * of [t0, t1] covered by the slowest system. A non-finite derivative at the start throws
     * {@link NonFiniteException}: no step size can recover from it, and the error control would otherwise shrink the
     * step for {@code maxRounds} rounds.
     */
    public Solution integrate(BatchDerivative f, double t0, double t1, double[][] y0, StepListener progress) {
        int n = y0.length;
        double direction = Math.signum(t1 - t0);
        double span = Math.abs(t1 - t0);
        double[][] y = new double[n][];
        for (int i = 0; i < n; i++) {
            y[i] = y0[i].clone();
        }
        double[] t = new double[n];
        java.util.Arrays.fill(t, t0);
        int[] perSystem = new int[n];
        int[] all = range(n);
        double[][] k1 = evaluate(f, all, t, y, perSystem);
        requireFinite(k1, t);
        double[] h = new double[n];
        initialSteps(f, t0, t1, y, k1, h, perSystem);
        long evaluations = 2;

        double[][][] k = new double[7][][];
        long rounds = 0;
        int[] active = all;
        while (active.length > 0) {
            if (++rounds > maxRounds) {
                throw new ArithmeticException("RK45 did not reach t1 within " + maxRounds + " steps");
            }
            int m = active.length;
            double[] hs = new double[m];
            double[][] stateOfActive = new double[m][];
            k[0] = new double[m][];
            for (int j = 0; j < m; j++) {
                int i = active[j];
                if (direction * (t[i] + h[i] - t1) > 0) {
                    h[i] = t1 - t[i];
                }
                hs[j] = h[i];
                stateOfActive[j] = y[i];
                k[0][j] = k1[i];
            }
            double[][] next = null;
            for (int s = 1; s < 7; s++) {
                double[] ts = new double[m];
                double[][] ys = new double[m][];
                for (int j = 0; j < m; j++) {
                    ts[j] = t[active[j]] + C[s] * hs[j];
                    ys[j] = combine(stateOfActive[j], hs[j], A[s], k, j);
                }
                if (s == 6) {
                    next = ys;
                }
                k[s] = evaluate(f, active, ts, ys, perSystem);
                evaluations++;
            }
            int stillActive = 0;
            for (int j = 0; j < m; j++) {
                int i = active[j];
                double error = errorNorm(stateOfActive[j], next[j], hs[j], k, j);
                boolean accept = error <= 1;
                double factor = error == 0 ? MAX_FACTOR : SAFETY * Math.pow(error, -0.2);
                if (accept) {
                    boolean last = t[i] + hs[j] == t1 || direction * (t[i] + hs[j] - t1) >= 0;
                    t[i] = last ? t1 : t[i] + hs[j];
                    y[i] = next[j];
                    k1[i] = k[6][j];
                    h[i] = hs[j] * Math.min(MAX_FACTOR, Math.max(MIN_FACTOR, factor));
                } else {
                    h[i] = hs[j] * (Double.isNaN(factor) ? MIN_FACTOR : Math.max(MIN_FACTOR, Math.min(1, factor)));
                    if (Math.abs(h[i]) < 1e-14 * Math.max(1, Math.abs(t[i]))) {
                        throw new ArithmeticException("RK45 step size underflow at t = " + t[i]);
                    }
                }
                if (t[i] != t1) {
                    active[stillActive++] = i;
                }
            }
            active = java.util.Arrays.copyOf(active, stillActive);
            double slowest = 1;
            for (int i : active) {
                slowest = Math.min(slowest, Math.abs(t[i] - t0) / span);
            }
            progress.report(active.length == 0 ? 1000 : (long) (1000 * slowest), 1000);
        }
        return new Solution(y, evaluations, rounds, perSystem);
    }

    /** Hairer's starting step size (Hairer, Nørsett & Wanner, II.4), per system; one batched evaluation. */
    private void initialSteps(
            BatchDerivative f, double t0, double t1, double[][] y, double[][] f0, double[] h, int[] perSystem) {
        int n = y.length;
        double direction = Math.signum(t1 - t0);
        double[] h0 = new double[n];
        double[] d1 = new double[n];
        double[] ts = new double[n];
        double[][] y1 = new double[n][];
        for (int i = 0; i < n; i++) {
            double d0 = scaledRms(y[i], y[i]);
            d1[i] = scaledRms(f0[i], y[i]);
            h0[i] = d0 < 1e-5 || d1[i] < 1e-5 ? 1e-6 : 0.01 * d0 / d1[i];
            h0[i] = Math.min(h0[i], Math.abs(t1 - t0));
            ts[i] = t0 + direction * h0[i];
            y1[i] = new double[y[i].length];
            for (int c = 0; c < y[i].length; c++) {
                y1[i][c] = y[i][c] + direction * h0[i] * f0[i][c];
            }
        }
        double[][] f1 = evaluate(f, range(n), ts, y1, perSystem);
        requireFinite(f1, ts);
        for (int i = 0; i < n; i++) {
            double[] diff = new double[y[i].length];
            for (int c = 0; c < diff.length; c++) {
                diff[c] = f1[i][c] - f0[i][c];
            }
            double d2 = scaledRms(diff, y[i]) / h0[i];
            double largest = Math.max(d1[i], d2);
            double h1 = largest <= 1e-15 ? Math.max(1e-6, h0[i] * 1e-3) : Math.pow(0.01 / largest, 0.2);
            h[i] = direction * Math.min(Math.min(100 * h0[i], h1), Math.abs(t1 - t0));
        }
    }

    private double[][] evaluate(BatchDerivative f, int[] systems, double[] t, double[][] y, int[] perSystem) {
        double[][] result = f.evaluate(systems.clone(), t, y);
        for (int i : systems) {
            perSystem[i]++;
        }
        return result;
    }

    /** Throws if any system's derivative holds NaN or infinity, naming how many do and the first one's time. */
    private static void requireFinite(double[][] derivatives, double[] t) {
        int count = 0;
        double first = Double.NaN;
        for (int j = 0; j < derivatives.length; j++) {
            for (double v : derivatives[j]) {
                if (!Double.isFinite(v)) {
                    first = count++ == 0 ? t[j] : first;
                    break;
                }
            }
        }
        if (count > 0) {
            throw new NonFiniteException(
                    "non-finite ODE derivative: " + count + " of " + derivatives.length + " systems at t = " + first);
        }
    }

    /** {@code y + h Σ_j a_j k_j} for the j-th active system. */
    private static double[] combine(double[] y, double h, double[] a, double[][][] k, int system) {
        double[] out = y.clone();
        for (int stage = 0; stage < a.length; stage++) {
            if (a[stage] == 0) {
                continue;
            }
            double[] ks = k[stage][system];
            double w = h * a[stage];
            for (int c = 0; c < out.length; c++) {
                out[c] += w * ks[c];
            }
        }
        return out;
    }

    private double errorNorm(double[] y, double[] next, double h, double[][][] k, int system) {
        double sum = 0;
        for (int c = 0; c < y.length; c++) {
            double e = 0;
            for (int stage = 0; stage < 7; stage++) {
                e += E[stage] * k[stage][system][c];
            }
            double scale = atol + rtol * Math.max(Math.abs(y[c]), Math.abs(next[c]));
            double r = h * e / scale;
            sum += r * r;
        }
        return Math.sqrt(sum / y.length);
    }

    private double scaledRms(double[] v, double[] y) {
        double sum = 0;
        for (int c = 0; c < v.length; c++) {
            double r = v[c] / (atol + rtol * Math.abs(y[c]));
            sum += r * r;
        }
        return Math.sqrt(sum / v.length);
    }

    private static int[] range(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }
}
