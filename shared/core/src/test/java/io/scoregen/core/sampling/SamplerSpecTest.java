package io.scoregen.core.sampling;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scoregen.core.sde.Sde;
import org.junit.jupiter.api.Test;

/** Configuration names map to the samplers, and impossible combinations fail with a clear message. */
class SamplerSpecTest {

    @Test
    void buildsEachMethod() {
        Sde ve = Sde.byName("ve", 100);
        assertInstanceOf(PcSampler.class, SamplerSpec.PC_DEFAULT.build(ve));
        assertInstanceOf(AnnealedLangevinDynamics.class, new SamplerSpec("annealed_langevin", "", "", 0, 1, 0).build(ve));
        assertInstanceOf(OdeSampler.class, new SamplerSpec("ode", "", "", 0, 1, 1e-5).build(ve));
    }

    @Test
    void rejectsWhatDoesNotExist() {
        Sde subVp = Sde.byName("subvp", 100);
        assertThrows(IllegalArgumentException.class, () -> new SamplerSpec("ddim", "", "", 0, 1, 0));
        // 'ald' names the corrector only: as a method it would be ambiguous with NCSN's sampler.
        IllegalArgumentException ald = assertThrows(IllegalArgumentException.class, () -> new SamplerSpec("ald", "", "", 0, 1, 0));
        assertTrue(ald.getMessage().contains("annealed_langevin"), ald.getMessage());
        IllegalArgumentException ancestral = assertThrows(IllegalArgumentException.class,
                () -> new SamplerSpec("pc", "ancestral_sampling", "none", 0.16, 1, 0).build(subVp));
        assertTrue(ancestral.getMessage().contains("reverse_diffusion"), ancestral.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SamplerSpec("annealed_langevin", "", "", 0, 1, 0).build(subVp));
        assertThrows(IllegalArgumentException.class, () -> new SamplerSpec("pc", "none", "none", 0.16, 1, 0).build(subVp));
        assertThrows(IllegalArgumentException.class, () -> new SamplerSpec("pc", "leapfrog", "none", 0.16, 1, 0).build(subVp));
        assertThrows(IllegalArgumentException.class, () -> new SamplerSpec("pc", "euler_maruyama", "hmc", 0.16, 1, 0).build(subVp));
    }
}
