package io.scoregen.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scoregen.core.data.DataSet;
import io.scoregen.core.data.DataSets;
import io.scoregen.core.data.ValueRange;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.core.quality.ClassifierTraining;
import io.scoregen.core.quality.FeatureClassifier;
import io.scoregen.core.quality.SampleQuality;
import io.scoregen.job.Quality;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.stream.IntStream;

/** What {@code train-classifier} and {@code evaluate} run in this process, printing on {@code out}. */
final class QualityActions {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;

    QualityActions(PrintStream out) {
        this.out = out;
    }

    int trainClassifier(TrainClassifierCommand.Request request) throws IOException {
        ClassifierTraining.Config config = request.config();
        Device device = EngineSetup.configure(new EngineSetup.Options(request.threads(), config.seed(), null, "auto"));
        DataSet train = DataSets.load(request.trainSpec());
        DataSet test = DataSets.load(request.testSpec());
        long start = System.nanoTime();
        try (FeatureClassifier classifier = FeatureClassifier.create(device)) {
            double loss;
            try (ProgressBar bar = ProgressBar.start("train-classifier", config.steps(train.size()))) {
                loss = ClassifierTraining.train(classifier, train, config, (step, total, value) -> bar.update(step));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double accuracy = classifier.accuracy(test);
            classifier.save(request.out());
            out.printf(
                    "trained on %s for %d epochs (seed %d, %s) in %.0f s, last epoch's loss %.4f%n",
                    request.trainSpec(), config.epochs(), config.seed(), device, seconds, loss);
            out.printf("test accuracy %.4f on %s; weights in %s%n", accuracy, request.testSpec(), request.out());
        }
        return Cli.OK;
    }

    int evaluate(EvaluateCommand.Request request) throws IOException {
        Device device = EngineSetup.configure(new EngineSetup.Options(0, 0, null, "auto"));
        DataSet samples = request.samples();
        float[] images = new float[request.count() * samples.exampleSize()];
        samples.fill(IntStream.range(0, request.count()).toArray(), images);
        Quality report;
        try (NDManager manager = NDManager.newBaseManager(device)) {
            report = SampleQuality.evaluate(
                    manager, images, request.count(), request.reference(), request.referenceCount());
        }
        if (request.json()) {
            out.println(JSON.writeValueAsString(report));
            return Cli.OK;
        }
        ValueRange observed = samples.observedRange();
        if (observed.low() < 0 || observed.high() > 1) {
            out.printf("samples span %s: clipped to [0, 1], as their PNGs are%n", observed);
        }
        out.printf(Locale.ROOT, "%-10s %.4f%n", "fd", report.fd());
        out.printf(Locale.ROOT, "%-10s %.4f%n", "precision", report.precision());
        out.printf(Locale.ROOT, "%-10s %.4f%n", "recall", report.recall());
        out.printf(
                "%-10s %d samples of %s against %d of %s%n",
                "compared",
                report.count(),
                samples.name(),
                report.referenceCount(),
                request.reference().name());
        return Cli.OK;
    }
}
