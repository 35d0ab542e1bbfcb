package io.scoregen.core.inverse;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.sampling.PcSampler;
import io.scoregen.core.sampling.Progress;
import io.scoregen.core.sampling.SampleResult;
import io.scoregen.core.sampling.SampleStatistics;
import io.scoregen.core.sampling.TestEngine;
import io.scoregen.core.score.GaussianScore;
import io.scoregen.core.sde.Sde;
import io.scoregen.core.sde.VpSde;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Inpainting and colorization with an independent N(μ, s²) prior per coordinate: the unknown part must
 * follow the prior whatever the known part is, and the known part must come out exactly.
 */
class InverseProblemsTest {

    private static final double MU = 0.3;
    private static final double S = 0.6;
    @RegisterExtension
    static final TestEngine ENGINE = new TestEngine();

    private static float[] uniform(long seed, int n, double low, double high) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) random.nextDouble(low, high);
        }
        return out;
    }

    @Test
    void inpaintingKeepsKnownPixelsAndSamplesTheRest() {
        Sde sde = new VpSde(0.1, 20, 400);
        int count = 1000;
        int dims = 64;
        float[] known = uniform(1, count * dims, -3, 3);
        float[] mask = new float[dims];
        for (int d = 0; d < dims; d += 2) {
            mask[d] = 1;
        }
        SampleResult result;
        try (NDManager local = ENGINE.manager().newSubManager()) {
            Inpainter inpainter = new Inpainter(sde, PcSampler.of(sde, "reverse_diffusion", "none", 0.16, 1));
            result = inpainter.inpaint(local, new GaussianScore(sde, MU, S), local.create(known, new Shape(count, dims)),
                    local.create(mask, new Shape(dims)), 5, 0, Progress.NONE);
        }
        float[] unknown = new float[count * dims / 2];
        int u = 0;
        for (int i = 0; i < count; i++) {
            for (int d = 0; d < dims; d++) {
                float value = result.samples()[i * dims + d];
                if (mask[d] == 1) {
                    assertEquals(known[i * dims + d], value, 0f, "known pixel " + d + " of sample " + i);
                } else {
                    unknown[u++] = value;
                }
            }
        }
        assertAll(SampleStatistics.gaussianChecks("inpainted", unknown, MU, S, 4));
    }

    @Test
    void colorizationKeepsTheGreyImage() {
        Sde sde = new VpSde(0.1, 20, 100);
        int count = 16;
        float[] grey = uniform(2, count * 16, -1, 1);
        SampleResult result;
        try (NDManager local = ENGINE.manager().newSubManager()) {
            Colorizer colorizer = new Colorizer(sde, PcSampler.of(sde, "reverse_diffusion", "langevin", 0.16, 1));
            NDArray g = local.create(grey, new Shape(count, 1, 4, 4));
            result = colorizer.colorize(local, new GaussianScore(sde, MU, S), g, 6, 0, Progress.NONE);
        }
        assertEquals(new Shape(count, 3, 4, 4), result.shape());
        float[] x = result.samples();
        for (int i = 0; i < count; i++) {
            for (int p = 0; p < 16; p++) {
                float r = x[i * 48 + p];
                float gr = x[i * 48 + 16 + p];
                float b = x[i * 48 + 32 + p];
                assertEquals(grey[i * 16 + p], (r + gr + b) / 3, 1e-5, "grey of pixel " + p + " of image " + i);
                assertNotEquals(r, b, "colour channels are generated, not copies of the grey value");
            }
        }
    }
}
