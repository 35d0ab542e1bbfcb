package io.scoregen.worker.train;

import ai.djl.ndarray.types.Shape;
import io.scoregen.core.data.ValueRange;
import io.scoregen.core.model.ModelConfig;
import io.scoregen.core.nn.EmbeddingType;
import io.scoregen.core.nn.MlpConfig;
import io.scoregen.core.nn.NetworkConfig;
import io.scoregen.core.nn.UnetConfig;
import io.scoregen.core.train.LossType;
import io.scoregen.core.train.TrainConfig;
import io.scoregen.platform.messages.ModelOptions;
import io.scoregen.platform.messages.TrainJob;
import io.scoregen.platform.worker.PoisonJobException;

/**
 * A {@link TrainJob} as the core's configs: the core's conventions ({@link ModelConfig#defaults}: data
 * range, embedding, SDE parameters) with the network the job asks for. Vector data always get an MLP;
 * images the network the job names (U-Net by default). The U-Net has attention at its lowest
 * resolution when the job lists any attention resolution; dropout is not implemented by the core's
 * U-Net and is ignored.
 *
 * @param model the network, SDE, data shape and range
 * @param train the optimiser settings
 */
record TrainPlan(ModelConfig model, TrainConfig train) {

    static final int MLP_EMBEDDING_DIM = 32;
    static final double FOURIER_SCALE = 16;

    /** The plan for {@code job} on examples of {@code exampleShape} in {@code dataRange}; impossible options are poison. */
    static TrainPlan of(TrainJob job, Shape exampleShape, ValueRange dataRange) {
        try {
            ModelConfig defaults = ModelConfig.defaults(job.sde(), exampleShape, dataRange, job.seed());
            ModelConfig model = defaults.withNetwork(network(job.model(), exampleShape, defaults.network().embedding()));
            TrainConfig train = new TrainConfig(job.steps(), job.batchSize(), job.lr(), Math.toIntExact(job.warmupSteps()),
                    job.gradClip(), job.emaDecay(), job.seed(), Math.toIntExact(job.checkpointEvery()), LossType.DSM, 0);
            return new TrainPlan(model, train);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new PoisonJobException("job " + job.jobId() + " cannot be trained as asked: " + e.getMessage(), e);
        }
    }

    private static NetworkConfig network(ModelOptions options, Shape exampleShape, EmbeddingType embedding) {
        boolean image = exampleShape.dimension() == 3;
        if (image && "unet".equals(options.network())) {
            return new UnetConfig(Math.toIntExact(exampleShape.get(0)), options.channels(), options.channelMults(),
                    options.numResBlocks(), !options.attentionResolutions().isEmpty(), embedding, FOURIER_SCALE, true);
        }
        return new MlpConfig(Math.toIntExact(exampleShape.size()), options.hiddenDim(), options.hiddenLayers(), embedding,
                MLP_EMBEDDING_DIM, FOURIER_SCALE);
    }
}
