package io.scoregen.core.train;

/**
 * The outcome of {@link ScoreTrainer#train}.
 *
 * @param step the step reached
 * @param losses the loss of each step run by this call, in order
 * @param cancelled whether the listener stopped training early
 * @param stepsPerSecond mean throughput of this call
 */
public record TrainResult(long step, float[] losses, boolean cancelled, double stepsPerSecond) {}
