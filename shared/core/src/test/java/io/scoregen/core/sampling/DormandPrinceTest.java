package io.scoregen.core.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** RK45 against closed-form solutions, with per-system step control. */
class DormandPrinceTest {

    /** y' = λ_i (y − cos t) − sin t has the solution y = cos t + (y0 − 1) e^{λ_i t}. */
    private static double[][] derivative(int[] systems, double[] t, double[][] y, double[] lambdas) {
        double[][] out = new double[y.length][1];
        for (int j = 0; j < y.length; j++) {
            out[j][0] = lambdas[systems[j]] * (y[j][0] - Math.cos(t[j])) - Math.sin(t[j]);
        }
        return out;
    }

    @Test
    void matchesClosedFormInBothDirections() {
        double[] lambdas = {-0.5, -3, -20};
        DormandPrince solver = new DormandPrince(1e-8, 1e-10, 10_000);
        double[][] y0 = {{2}, {0}, {1.5}};
        DormandPrince.Solution forward =
                solver.integrate((s, t, y) -> derivative(s, t, y, lambdas), 0, 2, y0, StepListener.NONE);
        for (int i = 0; i < 3; i++) {
            double exact = Math.cos(2) + (y0[i][0] - 1) * Math.exp(lambdas[i] * 2);
            assertEquals(exact, forward.y()[i][0], 1e-7, "system " + i);
        }
        assertTrue(
                forward.perSystemEvaluations()[2] > forward.perSystemEvaluations()[0],
                "the stiffer system takes more steps of its own");
        assertEquals(forward.evaluations(), forward.perSystemEvaluations()[2], "batched calls = slowest system");
        // backwards from t = 2 to 0 on the non-stiff direction of the first system returns to y0
        DormandPrince.Solution back = solver.integrate(
                (s, t, y) -> derivative(s, t, y, lambdas), 2, 0, new double[][] {forward.y()[0]}, StepListener.NONE);
        assertEquals(2, back.y()[0][0], 1e-6);
    }

    @Test
    void aSystemsSolutionDoesNotDependOnItsBatch() {
        double[] lambdas = {-0.5, -3, -20};
        DormandPrince solver = new DormandPrince(1e-5, 1e-5, 10_000);
        double[][] y0 = {{2}, {0}, {1.5}};
        DormandPrince.Solution all =
                solver.integrate((s, t, y) -> derivative(s, t, y, lambdas), 0, 2, y0, StepListener.NONE);
        double[] onlyMiddle = {lambdas[1]};
        DormandPrince.Solution alone = solver.integrate(
                (s, t, y) -> derivative(s, t, y, onlyMiddle), 0, 2, new double[][] {y0[1]}, StepListener.NONE);
        assertArrayEquals(all.y()[1], alone.y()[0]);
        assertEquals(all.perSystemEvaluations()[1], alone.perSystemEvaluations()[0]);
    }
}
