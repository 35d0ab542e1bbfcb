package io.scoregen.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SampleSummaryTest {

    private static final SamplerSpec PC = SamplerSpec.defaults();
    private static final Quality FIGURES = new Quality(12.5, 0.7, 0.6, 100, "fashion-mnist:test", 10_000);

    @Test
    void aRunsRateIsItsCountOverItsSeconds() {
        SampleSummary s = SampleSummary.of(PC, 2000, 64, 16);
        assertEquals(SamplerType.PC, s.sampler());
        assertEquals(SamplerType.PC.defaultSteps(), s.steps());
        assertEquals(4.0, s.samplesPerSecond(), 1e-12);
        assertNull(s.quality());
    }

    @Test
    void qualityFiguresSurviveOnlyForAOneShardJob() {
        SampleSummary one = SampleSummary.of(PC, 2000, 100, 10).withQuality(FIGURES);
        assertEquals(FIGURES, SampleSummary.combine(List.of(one)).quality());
        SampleSummary two = SampleSummary.combine(List.of(one, one));
        assertNull(two.quality(), "FD and recall of two halves are not the whole's");
        assertEquals(200, two.count());
        assertEquals(10.0, two.samplesPerSecond(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> SampleSummary.combine(List.of()));
    }
}
