package io.scoregen.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.scoregen.core.sampling.TestEngine;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Adam against its closed form under a constant gradient g: then m̂ = g and v̂ = g² at every step, so each update moves
 * w by exactly {@code lr_n · g / (|g| + ε)}, and clipping scales g by {@code c = clip/‖g‖} on both sides of that
 * fraction.
 */
class AdamTest {

    @RegisterExtension
    static final TestEngine ENGINE = new TestEngine();

    private static final float[] START = {1f, -2f, 0.5f, 3f};
    private static final float[] GRADIENT = {0.3f, -1.2f, 1e-6f, 4f};

    private static Parameter parameter(NDManager m) {
        Parameter p =
                Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
        p.setArray(m.create(START.clone()));
        return p;
    }

    /** w after {@code steps} updates with the constant gradient, in double precision. */
    private static double[] closedForm(Adam adam, double clipFactor, int steps) {
        double eps = 1e-8;
        double[] w = new double[START.length];
        for (int j = 0; j < w.length; j++) {
            double g = clipFactor * GRADIENT[j];
            double moved = 0;
            for (int n = 1; n <= steps; n++) {
                moved += adam.learningRate(n) * g / (Math.abs(g) + eps);
            }
            w[j] = START[j] - moved;
        }
        return w;
    }

    private static void check(double gradClip) {
        int steps = 25;
        try (NDManager m = ENGINE.manager().newSubManager()) {
            Parameter p = parameter(m);
            Adam adam = new Adam(Adam.Config.of(1e-2, 10, gradClip), List.of(p), m);
            double gradientNorm = 0;
            for (float g : GRADIENT) {
                gradientNorm += g * g;
            }
            gradientNorm = Math.sqrt(gradientNorm);
            for (int n = 0; n < steps; n++) {
                try (NDManager step = m.newSubManager()) {
                    NDArray g = step.create(GRADIENT.clone());
                    assertEquals(
                            gradientNorm, adam.update(List.of(g)), 1e-5 * gradientNorm, "the norm before clipping");
                }
            }
            double clipFactor = gradClip > 0 && gradientNorm > gradClip ? gradClip / (gradientNorm + 1e-6) : 1;
            double[] expected = closedForm(adam, clipFactor, steps);
            float[] actual = p.getArray().toFloatArray();
            // float32 weights round at every step: allow half an ulp of |w| ≤ 4 per step.
            double tolerance = steps * Math.ulp(4f) / 2;
            for (int j = 0; j < expected.length; j++) {
                assertEquals(expected[j], actual[j], tolerance, "w[" + j + "], clip " + gradClip);
            }
            assertEquals(steps, adam.step());
        }
    }

    @Test
    void constantGradientMovesEachWeightByTheWarmedUpLearningRate() {
        check(0);
    }

    @Test
    void clippingScalesTheGradientOnBothSidesOfTheUpdate() {
        // ‖g‖ ≈ 4.19 > 1: clipped. The tiny third component shows that ε is applied after clipping.
        check(1);
    }
}
