package io.scoregen.gateway.jobs;

import io.scoregen.platform.messages.JobState;

/**
 * A sampling job names a model whose train job has not ended yet: a passing state (409, submit again once it has
 * succeeded), unlike a model that does not exist or whose training failed (400).
 */
public final class ModelNotReadyException extends RuntimeException {

    private final String model;

    public ModelNotReadyException(String model, JobState trainState) {
        super("model '" + model + "' is still training (its train job is " + trainState
                + "); submit again once it has SUCCEEDED");
        this.model = model;
    }

    /** The model id, as the request's {@code model} field gave it. */
    public String model() {
        return model;
    }
}
