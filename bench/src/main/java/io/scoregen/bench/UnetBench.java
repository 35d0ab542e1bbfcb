package io.scoregen.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.data.ValueRange;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.core.model.ModelConfig;
import io.scoregen.core.model.ScoreModel;
import io.scoregen.core.nn.EmbeddingType;
import io.scoregen.core.nn.UnetConfig;
import io.scoregen.core.sampling.PcSampler;
import io.scoregen.core.sampling.SampleBatch;
import io.scoregen.core.sampling.StepListener;
import io.scoregen.core.train.ScoreTrainer;
import io.scoregen.core.train.TrainConfig;
import io.scoregen.core.train.TrainingData;
import io.scoregen.job.CorrectorKind;
import io.scoregen.job.PredictorKind;
import io.scoregen.job.SamplerSpec;
import io.scoregen.job.SdeKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;

/**
 * Times the product's own code on the compact VP U-Net at 28×28×1: {@link ScoreTrainer#trainStep} (DSM, Adam, clip 1,
 * EMA) and one step of the PC sampler (reverse diffusion + Langevin, VP with N = 1000), each as the median wall time of
 * the timed steps after the warm-up ones, then the peak RSS (VmHWM) of the process. Its twin is {@code bench/unet.py};
 * {@code bench/run.sh} runs both.
 *
 * <p>Usage: {@code UnetBench [--threads 2] [--batch 64] [--warmup 5] [--steps 30] [--examples 1024] [--seed 0]}; prints
 * {@code key value} lines.
 */
public final class UnetBench {

    /** Image shape of the benchmark (Fashion-MNIST's). */
    private static final Shape IMAGE = new Shape(1, 28, 28);

    /**
     * @param threads libtorch intra-op threads (inter-op: 1)
     * @param batch examples per train step and samples per sampler step
     * @param warmup untimed steps before the timed ones (at least 1: the sampler's first report also covers the prior
     *     draw)
     * @param steps timed steps
     * @param examples random training examples, uniform in [−1, 1]
     * @param seed seed of initialisation, data and draws
     */
    public record Options(int threads, int batch, int warmup, int steps, int examples, long seed) {

        public Options {
            if (threads < 1 || batch < 1 || warmup < 1 || steps < 1 || examples < 1) {
                throw new IllegalArgumentException("threads, batch, warmup, steps and examples must be >= 1");
            }
            if (warmup + steps > ModelConfig.SDE_STEPS) {
                throw new IllegalArgumentException("at most " + ModelConfig.SDE_STEPS + " sampler steps");
            }
        }

        static Options parse(String[] args) {
            int threads = 2;
            int batch = 64;
            int warmup = 5;
            int steps = 30;
            int examples = 1024;
            long seed = 0;
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + args[i]);
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--threads" -> threads = Integer.parseInt(value);
                    case "--batch" -> batch = Integer.parseInt(value);
                    case "--warmup" -> warmup = Integer.parseInt(value);
                    case "--steps" -> steps = Integer.parseInt(value);
                    case "--examples" -> examples = Integer.parseInt(value);
                    case "--seed" -> seed = Long.parseLong(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            return new Options(threads, batch, warmup, steps, examples, seed);
        }
    }

    /**
     * Median milliseconds per step; the peak resident set size of the process after training and at the end (after
     * sampling too), which tells which phase sets the peak.
     */
    public record Result(
            String engine, long parameters, double trainMs, double sampleMs, double peakRssTrainMb, double peakRssMb) {}

    private UnetBench() {}

    public static Result run(Options options) {
        Device device = EngineSetup.configure(new EngineSetup.Options(options.threads(), options.seed(), null, "cpu"));
        String engine = "djl-pytorch " + Engine.getEngine("PyTorch").getVersion();
        ModelConfig model = ModelConfig.defaults(SdeKind.VP, IMAGE, ValueRange.SYMMETRIC, options.seed())
                .withNetwork(UnetConfig.compact(1, EmbeddingType.POSITIONAL));
        TrainConfig train = TrainConfig.defaults(options.warmup() + options.steps(), options.batch(), options.seed());
        try (ScoreTrainer trainer = ScoreTrainer.create(model, train, randomImages(options), device)) {
            double[] trainMs = new double[options.steps()];
            for (int i = 0; i < options.warmup() + options.steps(); i++) {
                long start = System.nanoTime();
                trainer.trainStep();
                if (i >= options.warmup()) {
                    trainMs[i - options.warmup()] = (System.nanoTime() - start) / 1e6;
                }
            }
            double peakRssTrainMb = peakRssMb();
            double sampleMs = median(sampleStepsMs(trainer.model(), options));
            return new Result(
                    engine, trainer.model().parameterCount(), median(trainMs), sampleMs, peakRssTrainMb, peakRssMb());
        }
    }

    /**
     * The first {@code warmup + steps} steps of the real PC sampler (VP, N = 1000), timed from its progress reports,
     * which come after each whole step (its sub-manager closed); then it is cancelled. Per-step cost does not depend on
     * t, so the first steps stand for all of them.
     */
    private static double[] sampleStepsMs(ScoreModel model, Options options) {
        PcSampler sampler = PcSampler.of(
                model.sde(), PredictorKind.REVERSE_DIFFUSION, CorrectorKind.LANGEVIN, SamplerSpec.DEFAULT_SNR, 1);
        int total = options.warmup() + options.steps();
        long[] reported = new long[total + 1];
        StepListener progress = (done, all) -> {
            reported[(int) done] = System.nanoTime();
            if (done == total) {
                throw new CancellationException("benchmark steps done");
            }
        };
        try (NDManager manager = model.manager().newSubManager()) {
            sampler.sample(manager, model, new SampleBatch(IMAGE, options.seed(), 0, options.batch()), progress);
            throw new IllegalStateException("the sampler ended before " + total + " steps");
        } catch (CancellationException expected) {
            double[] ms = new double[options.steps()];
            for (int i = 0; i < ms.length; i++) {
                int step = options.warmup() + 1 + i;
                ms[i] = (reported[step] - reported[step - 1]) / 1e6;
            }
            return ms;
        }
    }

    private static TrainingData randomImages(Options options) {
        SplittableRandom rng = new SplittableRandom(options.seed());
        float[] values = new float[Math.toIntExact(options.examples() * IMAGE.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) rng.nextDouble(-1, 1);
        }
        return TrainingData.of(values, IMAGE);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** VmHWM of /proc/self/status: the high-water mark of the resident set, in MiB. */
    static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmHWM in /proc/self/status");
    }

    public static void main(String[] args) {
        Options options = Options.parse(args);
        Result r = run(options);
        System.out.println("engine " + r.engine());
        System.out.println("threads " + options.threads());
        System.out.println("params " + r.parameters());
        System.out.println(String.format(Locale.ROOT, "train_ms %.2f", r.trainMs()));
        System.out.println(String.format(Locale.ROOT, "sample_ms %.2f", r.sampleMs()));
        System.out.println(String.format(Locale.ROOT, "peak_rss_train_mb %.1f", r.peakRssTrainMb()));
        System.out.println(String.format(Locale.ROOT, "peak_rss_mb %.1f", r.peakRssMb()));
    }
}
