package io.scoregen.platform.messages;

/** What a job does: train a score model, or draw samples from a trained one. */
public enum JobType {
    TRAIN,
    SAMPLE
}
