package io.scoregen.platform.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.function.ToDoubleFunction;

/**
 * The train worker's own metrics. The loss and steps/s gauges describe the running job, so they have a sample only from
 * its first step to its end: a finished job's last loss cannot keep an alert firing, and a job that has not stepped yet
 * shows no made-up loss.
 */
public final class TrainMetrics {

    private static final double[] UPLOAD_SECONDS = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};

    /** What the gauges show while a job runs. */
    private record Latest(double loss, double stepsPerSecond) {}

    private final Counter steps;
    private final Histogram checkpointUpload;
    private volatile Latest latest;

    public TrainMetrics(WorkerMetrics worker) {
        var registry = worker.registry();
        steps = Counter.builder()
                .name("scoregen_train_steps_total")
                .help("Training steps done")
                .register(registry);
        checkpointUpload = Histogram.builder()
                .name("scoregen_train_checkpoint_upload_duration_seconds")
                .help("Time to upload a checkpoint and move the latest pointer to it")
                .classicOnly()
                .classicUpperBounds(UPLOAD_SECONDS)
                .register(registry);
        latestGauge(
                registry,
                "scoregen_train_steps_per_second",
                "Steps per second of the running job since its last checkpoint",
                Latest::stepsPerSecond);
        latestGauge(
                registry,
                "scoregen_train_loss",
                "Latest training loss of the running job (NaN when not finite)",
                Latest::loss);
    }

    /** A gauge of the running job's {@link Latest} values; no sample while no job runs. */
    private void latestGauge(PrometheusRegistry registry, String name, String help, ToDoubleFunction<Latest> value) {
        GaugeWithCallback.builder()
                .name(name)
                .help(help)
                .callback(cb -> {
                    Latest now = latest;
                    if (now != null) {
                        cb.call(value.applyAsDouble(now));
                    }
                })
                .register(registry);
    }

    /** One training step done with this loss, at this recent rate. */
    public void step(float loss, double stepsPerSecond) {
        steps.inc();
        latest = new Latest(Float.isFinite(loss) ? loss : Double.NaN, stepsPerSecond);
    }

    /** The job ended (finished, stopped or failed): the gauges lose their sample. */
    public void jobEnded() {
        latest = null;
    }

    public void checkpointUploaded(Duration took) {
        checkpointUpload.observe(took.toNanos() / 1e9);
    }
}
