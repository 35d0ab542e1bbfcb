package io.scoregen.core.train;

/** Reported after every training step. */
public record Progress(long step, long totalSteps, float loss, double stepsPerSecond) {}
