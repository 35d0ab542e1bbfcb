package io.scoregen.e2e;

/** The job bodies the end-to-end tests submit: small MLPs on 2-D toy sets, and a cheap pc sampler for them. */
final class ToyJobs {

    private static final String TRAIN = """
            {"dataset":"toy:two-moons","sde":"vp","steps":%d,"batchSize":128,"seed":3,"lr":0.001,"warmupSteps":0,
             "checkpointEvery":%d,"emaDecay":0.99,"model":{"network":"mlp","hiddenDim":%d,"hiddenLayers":2}}""";

    private static final String CLASS_CONDITIONAL_TRAIN = """
            {"dataset":"toy:eight-gaussians","sde":"vp","steps":%d,"batchSize":128,"seed":5,"lr":0.002,
             "warmupSteps":0,"checkpointEvery":%d,"emaDecay":0.99,
             "model":{"network":"mlp","hiddenDim":64,"hiddenLayers":2,"classConditional":true}}""";

    private ToyJobs() {}

    /** A class-conditional train job on eight Gaussians (classes {@code 0} … {@code 7}, one per mode). */
    static String classConditionalTrain(long steps, long checkpointEvery) {
        return CLASS_CONDITIONAL_TRAIN.formatted(steps, checkpointEvery);
    }

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
