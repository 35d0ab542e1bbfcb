package io.scoregen.core.degrade;

import io.scoregen.core.data.ValueRange;
import io.scoregen.job.ImageToImageTask;
import java.util.List;
import java.util.SplittableRandom;

/** Palette's multi-task model: each example degraded by one of the four tasks, drawn with equal odds. */
public final class MultiTask implements Degradation {

    /** The tasks drawn, in the order of their index (the network's task channel). */
    public static final List<ImageToImageTask> TASKS = List.of(
            ImageToImageTask.INPAINT,
            ImageToImageTask.UNCROP,
            ImageToImageTask.JPEG,
            ImageToImageTask.SUPER_RESOLUTION);

    @Override
    public Degraded apply(float[] clean, ImageSize size, ValueRange range, SplittableRandom rng) {
        ImageToImageTask task = TASKS.get(rng.nextInt(TASKS.size()));
        return PaletteCondition.degradation(task).apply(clean, size, range, rng);
    }
}
