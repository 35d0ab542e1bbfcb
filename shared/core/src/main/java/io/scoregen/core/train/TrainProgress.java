package io.scoregen.core.train;

/** Reported after every training step. */
public record TrainProgress(long step, long totalSteps, float loss, double stepsPerSecond) {}
