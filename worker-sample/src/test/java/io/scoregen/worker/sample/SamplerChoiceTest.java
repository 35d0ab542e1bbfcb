package io.scoregen.worker.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoregen.core.model.SdeConfig;
import io.scoregen.core.sampling.AnnealedLangevinDynamics;
import io.scoregen.core.sampling.OdeSampler;
import io.scoregen.core.sampling.PcSampler;
import io.scoregen.job.SamplerSpec;
import io.scoregen.platform.worker.PoisonJobException;
import org.junit.jupiter.api.Test;

/**
 * The worker builds the sampler each type names, the same as the CLI's: {@code annealed_langevin} is NCSN's
 * annealed Langevin dynamics (not PC with the ald corrector, which is {@code pc} + corrector {@code ald}).
 */
class SamplerChoiceTest {

    private static final SdeConfig VE = new SdeConfig("ve", 1000, 0.01, 28);
    private static final SdeConfig VP = new SdeConfig("vp", 1000, 0.1, 20);

    private static SamplerOptions options(String type, String predictor, String corrector) {
        return new SamplerOptions(type, predictor, corrector, null, null, null, null, null);
    }

    @Test
    void eachTypeIsItsOwnSampler() {
        assertInstanceOf(PcSampler.class, SamplerChoice.of(SamplerOptions.defaults(), VE));
        assertInstanceOf(PcSampler.class, SamplerChoice.of(options("pc", "none", "ald"), VE));
        assertInstanceOf(OdeSampler.class, SamplerChoice.of(options("ode", null, null), VP));
        assertInstanceOf(AnnealedLangevinDynamics.class, SamplerChoice.of(options("annealed_langevin", null, null), VE));
    }

    @Test
    void annealedLangevinNeedsAVeModel() {
        PoisonJobException e = assertThrows(PoisonJobException.class,
                () -> SamplerChoice.of(options("annealed_langevin", null, null), VP));
        assertTrue(e.getMessage().contains("VE"), e.getMessage());
        assertEquals(PoisonJobException.class, assertThrows(RuntimeException.class,
                () -> SamplerChoice.of(options("ald", "none", "ald"), VE)).getClass());
    }
}
