package io.scoregen.core.degrade;

import io.scoregen.core.data.ValueRange;
import io.scoregen.job.ImageToImageTask;
import java.util.SplittableRandom;

/** Palette's multi-task model: each example degraded by one of the four tasks, drawn with equal odds. */
public final class MultiTask implements Degradation {

    @Override
    public Degraded apply(float[] clean, ImageSize size, ValueRange range, SplittableRandom rng) {
        ImageToImageTask task = ImageToImageTask.MULTI_TASKS.get(rng.nextInt(ImageToImageTask.MULTI_TASKS.size()));
        return PaletteCondition.degradation(task).apply(clean, size, range, rng);
    }
}
