package io.scoregen.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.data.DataSet;
import io.scoregen.core.data.Npy;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.core.likelihood.BitsPerDimOffset;
import io.scoregen.core.likelihood.Divergence;
import io.scoregen.core.likelihood.Likelihood;
import io.scoregen.core.likelihood.LikelihoodResult;
import io.scoregen.core.model.ModelConfig;
import io.scoregen.core.model.ScoreModel;
import io.scoregen.core.sampling.PaletteInputs;
import io.scoregen.core.sampling.SampleFiles;
import io.scoregen.core.sampling.SampleRun;
import io.scoregen.core.sampling.Sampler;
import io.scoregen.core.sampling.Samplers;
import io.scoregen.core.sampling.StepListener;
import io.scoregen.core.score.ScoreFunction;
import io.scoregen.core.train.ScoreTrainer;
import io.scoregen.core.train.TrainPlan;
import io.scoregen.core.train.TrainResult;
import io.scoregen.job.SampleSummary;
import io.scoregen.job.SamplerSpec;
import io.scoregen.job.TrainJob;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;

/**
 * What {@code train}, {@code sample} and {@code likelihood} run in this process: thin glue between the parsed requests
 * and the core library, printing a summary on {@code out}.
 */
final class LocalActions {

    static final String CHECKPOINT_FILE = "checkpoint.ckpt";
    /** Examples per probability-flow integration: bounds native memory, not the result. */
    private static final int LIKELIHOOD_BATCH = 64;

    private final PrintStream out;

    LocalActions(PrintStream out) {
        this.out = out;
    }

    int train(TrainCommand.Request request) throws IOException {
        TrainPlan plan = request.plan();
        TrainJob job = plan.job();
        Device device = engine(request.threads(), job.seed());
        DataSet data = request.data();
        Files.createDirectories(request.out());
        Path checkpoint = request.out().resolve(CHECKPOINT_FILE);
        try (ScoreTrainer trainer = Files.exists(checkpoint)
                ? ScoreTrainer.resume(checkpoint, data, device)
                : ScoreTrainer.create(plan.model(), plan.train(), data, device)) {
            if (trainer.step() > 0) {
                out.printf("resuming from step %d of %s%n", trainer.step(), checkpoint);
            }
            out.printf(
                    "training %s on %s (%d examples of %s), %,d parameters, %s%n",
                    job.sde(),
                    job.dataset(),
                    data.size(),
                    data.exampleShape(),
                    trainer.model().parameterCount(),
                    device);
            TrainResult result;
            long deadline = request.maxMinutes() > 0
                    ? System.nanoTime() + (long) (request.maxMinutes() * 60e9)
                    : Long.MAX_VALUE;
            try (ProgressBar bar = ProgressBar.start("train", job.steps())) {
                result = trainer.train(checkpoint, progress -> {
                    bar.update(progress.step());
                    if (System.nanoTime() - deadline >= 0) {
                        throw new CancellationException("time limit");
                    }
                });
            }
            if (result.cancelled()) {
                out.printf("stopped at the %s-minute limit%n", request.maxMinutes());
            }
            trainer.exportModel(request.out(), true);
            float last = result.losses().length > 0 ? result.losses()[result.losses().length - 1] : Float.NaN;
            out.printf(
                    "trained to step %d (%.1f steps/s, last loss %.4g); model in %s%n",
                    result.step(), result.stepsPerSecond(), last, request.out());
        }
        return Cli.OK;
    }

    int sample(SampleCommand.Request request) throws IOException {
        Device device = engine(0, request.seed());
        try (ScoreModel model = ScoreModel.load(request.model(), device);
                NDManager manager = NDManager.newBaseManager(device)) {
            ModelConfig config = model.config();
            Shape shape = config.exampleShape();
            Sampler sampler = Samplers.of(request.sampler(), config.sde());
            SampleRun.Batch batch;
            int count = request.count();
            try {
                if (request.restore() == null) {
                    ScoreFunction score = model.guided(request.classLabel(), request.guidance());
                    batch = SampleRun.Batch.of(sampler, score, shape, request.seed());
                } else {
                    if (request.classLabel() != null || request.guidance() != null) {
                        throw new IllegalArgumentException("--class, --guidance: not with --inputs (an image-to-image "
                                + "model is not class-conditional)");
                    }
                    SampleCommand.Restore restore = request.restore();
                    PaletteInputs inputs = PaletteInputs.of(
                            config,
                            Npy.read(restore.inputs()),
                            restore.mask() == null ? null : Npy.read(restore.mask()),
                            restore.degradation(),
                            SampleCommand.Restore.OPTIONS);
                    count = Math.multiplyExact(restore.perInput(), inputs.count());
                    batch = inputs.batch(model, sampler, request.seed());
                }
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new IllegalArgumentException(
                        "cannot sample " + request.model() + " as asked: " + e.getMessage(), e);
            }
            SampleRun.Result result;
            try (ProgressBar bar = ProgressBar.start("sample", count)) {
                result = SampleRun.draw(
                        manager, config, batch, 0, count, request.batchSize(), StepListener.NONE, bar::advance);
            }
            SampleSummary summary = result.summary(request.sampler());
            SampleFiles.write(
                    request.out(),
                    result.samples(),
                    shape,
                    config.dataRange(),
                    request.format(),
                    0,
                    request.seed(),
                    config.sampleClass(request.classLabel()),
                    summary);
            out.printf("%s; %s in %s%n", summary.line(), shape, request.out());
        }
        return Cli.OK;
    }

    int likelihood(LikelihoodCommand.Request request) throws IOException {
        Device device = engine(0, request.seed());
        DataSet data =
                request.data().head(Math.min(request.count(), request.data().size()));
        try (ScoreModel model = ScoreModel.load(request.model(), device);
                NDManager manager = NDManager.newBaseManager(device)) {
            ModelConfig config = model.config();
            boolean images = config.exampleShape().dimension() == 3;
            float[] x = new float[data.size() * data.exampleSize()];
            data.fill(java.util.stream.IntStream.range(0, data.size()).toArray(), x);
            if (images) {
                dequantize(x, request.seed());
            }
            config.toModelRange(x);
            BitsPerDimOffset offset =
                    images ? BitsPerDimOffset.eightBit(config.modelRange().width()) : BitsPerDimOffset.NONE;
            Likelihood likelihood = new Likelihood(
                    model.sde(),
                    Divergence.HUTCHINSON_RADEMACHER,
                    SamplerSpec.DEFAULT_TOLERANCE,
                    SamplerSpec.DEFAULT_TOLERANCE,
                    Likelihood.DEFAULT_EPS,
                    offset);
            double[] bitsPerDim = new double[data.size()];
            int size = data.exampleSize();
            try (ProgressBar bar = ProgressBar.start("likelihood", data.size())) {
                for (int first = 0; first < data.size(); first += LIKELIHOOD_BATCH) {
                    int n = Math.min(LIKELIHOOD_BATCH, data.size() - first);
                    float[] part = java.util.Arrays.copyOfRange(x, first * size, (first + n) * size);
                    try (NDManager step = manager.newSubManager()) {
                        NDArray batch = step.create(part, new Shape(n).addAll(config.exampleShape()));
                        LikelihoodResult result =
                                likelihood.compute(step, model, batch, request.seed(), first, StepListener.NONE);
                        System.arraycopy(result.bitsPerDim(), 0, bitsPerDim, first, n);
                    }
                    bar.advance(n);
                }
            }
            double mean = mean(bitsPerDim);
            double stderr = Math.sqrt(variance(bitsPerDim, mean) / bitsPerDim.length);
            out.printf(
                    "bits/dim %.4f ± %.4f over %d examples of %s (%s)%n",
                    mean,
                    stderr,
                    data.size(),
                    request.datasetSpec(),
                    images
                            ? "uniformly dequantised 8-bit, offset " + offset.bits() + " bits"
                            : "continuous data, no dequantisation");
        }
        return Cli.OK;
    }

    /** 8-bit pixels in [0, 1] → uniform dequantisation within each pixel's bin, (k + u)/256. */
    private static void dequantize(float[] pixels, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) ((Math.round(pixels[i] * 255) + random.nextDouble()) / 256);
        }
    }

    private static Device engine(int threads, long seed) {
        return EngineSetup.configure(new EngineSetup.Options(threads, seed, null, "auto"));
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static double variance(double[] values, double mean) {
        double sum = 0;
        for (double v : values) {
            sum += (v - mean) * (v - mean);
        }
        return values.length > 1 ? sum / (values.length - 1) : 0;
    }
}
