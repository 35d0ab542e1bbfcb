package io.scoregen.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.data.DataSet;
import io.scoregen.core.data.Npy;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.core.image.SampleImages;
import io.scoregen.core.image.ScatterPlot;
import io.scoregen.core.likelihood.Dequantization;
import io.scoregen.core.likelihood.Divergence;
import io.scoregen.core.likelihood.Likelihood;
import io.scoregen.core.likelihood.LikelihoodResult;
import io.scoregen.core.model.ModelConfig;
import io.scoregen.core.model.ScoreModel;
import io.scoregen.core.nn.UnetConfig;
import io.scoregen.core.sampling.OdeSampler;
import io.scoregen.core.sampling.StepListener;
import io.scoregen.core.sampling.SampleResult;
import io.scoregen.core.sampling.Sampler;
import io.scoregen.core.sampling.SamplerSpec;
import io.scoregen.core.sde.Sde;
import io.scoregen.core.train.ScoreTrainer;
import io.scoregen.core.train.TrainConfig;
import io.scoregen.core.train.TrainResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.SplittableRandom;

/**
 * What {@code train --local}, {@code sample --local} and {@code likelihood --local} run: thin
 * glue between the parsed requests and the core library, printing a summary on {@code out}.
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
        requireLocal(request.local(), "train", "submit-train");
        Device device = engine(request.threads(), request.seed());
        DataSet data = request.data();
        ModelConfig defaults = ModelConfig.defaults(request.sde().label(), data.exampleShape(), data.range(), request.seed());
        ModelConfig model = defaults.network() instanceof UnetConfig unet
                ? defaults.withNetwork(request.unet().applyTo(unet)) : defaults;
        TrainConfig config = request.preset().config(request.steps(), request.seed(), request.checkpointEvery());
        Files.createDirectories(request.out());
        Path checkpoint = request.out().resolve(CHECKPOINT_FILE);
        try (ScoreTrainer trainer = Files.exists(checkpoint)
                ? ScoreTrainer.resume(checkpoint, data, device)
                : ScoreTrainer.create(model, config, data, device)) {
            if (trainer.step() > 0) {
                out.printf("resuming from step %d of %s%n", trainer.step(), checkpoint);
            }
            out.printf("training %s on %s (%d examples of %s), %,d parameters, %s%n", model.sde().name(),
                    request.datasetSpec(), data.size(), data.exampleShape(), trainer.model().parameterCount(), device);
            TrainResult result;
            long deadline = request.maxMinutes() > 0
                    ? System.nanoTime() + (long) (request.maxMinutes() * 60e9) : Long.MAX_VALUE;
            try (ProgressBar bar = ProgressBar.start("train", request.steps())) {
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
            out.printf("trained to step %d (%.1f steps/s, last loss %.4g); model in %s%n", result.step(),
                    result.stepsPerSecond(), last, request.out());
        }
        return Cli.OK;
    }

    int sample(SampleCommand.Request request) throws IOException {
        requireLocal(request.local(), "sample", "submit-sample");
        Device device = engine(0, request.seed());
        try (ScoreModel model = ScoreModel.load(request.model(), device);
                NDManager manager = NDManager.newBaseManager(device)) {
            ModelConfig config = model.config();
            Sde sde = config.sde().withSteps(request.steps()).toSde();
            Sampler sampler = spec(request).build(sde);
            Shape shape = config.exampleShape();
            int size = Math.toIntExact(shape.size());
            float[] samples = new float[Math.multiplyExact(request.count(), size)];
            long evaluations = 0;
            try (ProgressBar bar = ProgressBar.start("sample", request.count())) {
                for (int first = 0; first < request.count(); first += request.batchSize()) {
                    int n = Math.min(request.batchSize(), request.count() - first);
                    SampleResult result = sampler.sample(manager, model, shape, request.seed(), first, n, StepListener.NONE);
                    System.arraycopy(result.samples(), 0, samples, first * size, n * size);
                    evaluations += result.nfe();
                    bar.advance(n);
                }
            }
            config.toDataRange(samples);
            write(request, samples, shape, config);
            out.printf("%d samples of %s (%d score evaluations) in %s%n", request.count(), shape, evaluations,
                    request.out());
        }
        return Cli.OK;
    }

    int likelihood(LikelihoodCommand.Request request) throws IOException {
        requireLocal(request.local(), "likelihood", null);
        Device device = engine(0, request.seed());
        DataSet data = request.data().head(Math.min(request.count(), request.data().size()));
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
            Dequantization offset = images ? Dequantization.eightBit(config.modelRange().width()) : Dequantization.NONE;
            Likelihood likelihood = new Likelihood(model.sde(), Divergence.HUTCHINSON_RADEMACHER, OdeSampler.DEFAULT_TOLERANCE,
                    OdeSampler.DEFAULT_TOLERANCE, Likelihood.DEFAULT_EPS, offset);
            double[] bitsPerDim = new double[data.size()];
            int size = data.exampleSize();
            try (ProgressBar bar = ProgressBar.start("likelihood", data.size())) {
                for (int first = 0; first < data.size(); first += LIKELIHOOD_BATCH) {
                    int n = Math.min(LIKELIHOOD_BATCH, data.size() - first);
                    float[] part = java.util.Arrays.copyOfRange(x, first * size, (first + n) * size);
                    try (NDManager step = manager.newSubManager()) {
                        NDArray batch = step.create(part, new Shape(n).addAll(config.exampleShape()));
                        LikelihoodResult result = likelihood.compute(step, model, batch, request.seed(), first, StepListener.NONE);
                        System.arraycopy(result.bitsPerDim(), 0, bitsPerDim, first, n);
                    }
                    bar.advance(n);
                }
            }
            double mean = mean(bitsPerDim);
            double stderr = Math.sqrt(variance(bitsPerDim, mean) / bitsPerDim.length);
            out.printf("bits/dim %.4f ± %.4f over %d examples of %s (%s)%n", mean, stderr, data.size(),
                    request.datasetSpec(), images ? "uniformly dequantised 8-bit, offset " + offset.offsetBits() + " bits"
                            : "continuous data, no dequantisation");
        }
        return Cli.OK;
    }

    private static SamplerSpec spec(SampleCommand.Request request) {
        return new SamplerSpec(request.sampler().label(), request.predictor().label(), request.corrector().label(),
                request.snr(), 1, OdeSampler.DEFAULT_TOLERANCE);
    }

    private static void write(SampleCommand.Request request, float[] samples, Shape shape, ModelConfig config)
            throws IOException {
        Path dir = request.out();
        Files.createDirectories(dir);
        SampleCommand.Format format = request.format();
        if (format != SampleCommand.Format.PNG) {
            Npy.write(dir.resolve("samples.npy"), new Shape(request.count()).addAll(shape), samples);
        }
        if (format == SampleCommand.Format.NPY) {
            return;
        }
        if (shape.dimension() == 3) {
            SampleImages.writeEach(dir, "sample", samples, shape, config.dataRange());
            SampleImages.writeGrid(dir.resolve("grid.png"), samples, Math.min(request.count(), 256), shape,
                    config.dataRange());
        } else if (shape.size() == 2) {
            ScatterPlot.write(dir.resolve("scatter.png"), samples, 512, ScatterPlot.extentFor(samples));
        }
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

    private static void requireLocal(boolean local, String command, String platformCommand) {
        if (!local) {
            throw new IllegalArgumentException(command + " runs in this process only with --local"
                    + (platformCommand == null ? "" : "; to queue it on the platform use ./scoregen " + platformCommand));
        }
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
