package io.scoregen.e2e;

/** The job bodies the end-to-end tests submit: a small MLP on a 2-D toy set, and a cheap pc sampler for it. */
final class ToyJobs {

    private static final String TRAIN = """
            {"dataset":"toy:two-moons","sde":"vp","steps":%d,"batchSize":128,"seed":3,"lr":0.001,"warmupSteps":0,
             "checkpointEvery":%d,"emaDecay":0.99,"model":{"network":"mlp","hiddenDim":%d,"hiddenLayers":2}}""";

    private ToyJobs() {}

    /** A train job of {@code steps} steps, checkpointed every {@code checkpointEvery}, two hidden layers. */
    static String train(long steps, long checkpointEvery, int hiddenDim) {
        return TRAIN.formatted(steps, checkpointEvery, hiddenDim);
    }

    /** Euler–Maruyama without a corrector, {@code steps} steps: every sample depends only on (seed, index). */
    static String sampler(int steps) {
        return "{\"type\":\"pc\",\"predictor\":\"euler_maruyama\",\"corrector\":\"none\",\"steps\":%d}"
                .formatted(steps);
    }
}
