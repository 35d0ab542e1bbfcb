package io.scoregen.worker.train;

import java.util.List;

/**
 * What a finished train job did.
 *
 * @param resumedFrom the step it started from: 0, or the step of the checkpoint it resumed
 * @param step        the step reached (the job's total)
 * @param resultKeys  the model files and the last checkpoint, as reported in the SUCCEEDED event
 */
public record TrainOutcome(long resumedFrom, long step, List<String> resultKeys) {
}
