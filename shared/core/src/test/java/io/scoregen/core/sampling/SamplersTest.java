package io.scoregen.core.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoregen.core.model.SdeConfig;
import io.scoregen.job.Checks;
import io.scoregen.job.CorrectorKind;
import io.scoregen.job.PredictorKind;
import io.scoregen.job.SamplerSpec;
import io.scoregen.job.SamplerType;
import io.scoregen.job.SdeKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every sampler spec maps to its sampler, and combinations that do not exist fail with a clear message. */
class SamplersTest {

    private static SamplerSpec spec(SamplerType type, PredictorKind predictor, CorrectorKind corrector) {
        return new SamplerSpec(type, predictor, corrector, null, 100, null, null, null, null, null, null, null);
    }

    @Test
    void buildsEachMethod() {
        SdeConfig ve = SdeConfig.defaults(SdeKind.VE, 1000);
        assertInstanceOf(PcSampler.class, Samplers.of(SamplerSpec.defaults(), ve));
        assertInstanceOf(
                AnnealedLangevinDynamics.class, Samplers.of(spec(SamplerType.ANNEALED_LANGEVIN, null, null), ve));
        assertInstanceOf(OdeSampler.class, Samplers.of(spec(SamplerType.ODE, null, null), ve));
        assertInstanceOf(HeunSampler.class, Samplers.of(spec(SamplerType.HEUN, null, null), ve));
        assertInstanceOf(DpmSolverPlusPlus2M.class, Samplers.of(spec(SamplerType.DPMPP_2M, null, null), ve));
        assertInstanceOf(
                DdimSampler.class, Samplers.of(spec(SamplerType.DDIM, null, null), SdeConfig.defaults(SdeKind.VP, 50)));
    }

    /** DDIM exists for VP models only: the vocabulary says so on {@code sampler.type}, the registry refuses it. */
    @Test
    void ddimNeedsAVpModel() {
        SamplerSpec ddim = spec(SamplerType.DDIM, null, null);
        for (SdeKind kind : new SdeKind[] {SdeKind.VE, SdeKind.SUBVP}) {
            Checks checks = new Checks();
            ddim.checkForModel(checks, "sampler.", kind);
            assertEquals(1, checks.violations().size(), kind.toString());
            assertEquals("sampler.type", checks.violations().get(0).field());
            assertTrue(checks.violations().get(0).message().contains(kind.toString()), kind.toString());
            assertThrows(IllegalArgumentException.class, () -> Samplers.of(ddim, SdeConfig.defaults(kind, 50)));
        }
        Checks vp = new Checks();
        ddim.checkForModel(vp, "sampler.", SdeKind.VP);
        assertEquals(List.of(), vp.violations());
    }

    @Test
    void rejectsWhatDoesNotExistForTheModel() {
        SdeConfig subVp = SdeConfig.defaults(SdeKind.SUBVP, 1000);
        IllegalArgumentException ancestral = assertThrows(
                IllegalArgumentException.class,
                () -> Samplers.of(spec(SamplerType.PC, PredictorKind.ANCESTRAL_SAMPLING, CorrectorKind.NONE), subVp));
        assertTrue(ancestral.getMessage().contains("reverse_diffusion"), ancestral.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> Samplers.of(spec(SamplerType.ANNEALED_LANGEVIN, null, null), subVp));
        assertThrows(
                IllegalArgumentException.class,
                () -> Samplers.of(spec(SamplerType.PC, PredictorKind.NONE, CorrectorKind.NONE), subVp));
    }
}
