package io.scoregen.worker.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import io.scoregen.core.data.DataSet;
import io.scoregen.core.data.ValueRange;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.core.train.ProgressListener;
import io.scoregen.core.train.ScoreTrainer;
import io.scoregen.core.train.TrainPlan;
import io.scoregen.core.train.TrainResult;
import io.scoregen.job.BuiltInData;
import io.scoregen.job.ToyData;
import io.scoregen.job.TrainJob;
import io.scoregen.job.Violation;
import io.scoregen.platform.messages.MessageCodec;
import io.scoregen.platform.messages.MessageValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No accept-then-poison: every train body the gateway's validator accepts for a built-in data set, the train worker's
 * own path (its plan for the data, then the trainer) builds and trains for a step, and every body it refuses names a
 * field of the network. Covers U-Net widths 1 … 24 (6, 8 and 12 among them) under several channel multipliers, and the
 * MLP.
 */
class AcceptedTrainJobsTest {

    private static final MessageCodec CODEC = new MessageCodec();
    private static Device device;

    @BeforeAll
    static void engine() {
        device = EngineSetup.configure(new EngineSetup.Options(2, 0, null, "cpu"));
    }

    static Stream<String> bodies() {
        List<String> bodies = new ArrayList<>();
        for (String mults : List.of("[1,2,2]", "[1,2,2,2]", "[2]", "[1,1,2]")) {
            for (int channels = 1; channels <= 24; channels++) {
                bodies.add("{\"dataset\":\"fashion-mnist\",\"model\":{\"channels\":" + channels + ",\"channelMults\":"
                        + mults + ",\"numResBlocks\":1,\"attention\":" + (channels % 2 == 0) + "}}");
            }
        }
        bodies.add(
                "{\"dataset\":\"fashion-mnist\",\"model\":{\"network\":\"mlp\",\"hiddenDim\":16,\"hiddenLayers\":1}}");
        bodies.add("{\"dataset\":\"toy:two-moons\",\"sde\":\"ve\",\"model\":{\"hiddenDim\":8}}");
        bodies.add("{\"dataset\":\"toy:two-moons\",\"model\":{\"network\":\"unet\"}}");
        bodies.add("{\"dataset\":\"toy:checkerboard\",\"sde\":\"subvp\",\"model\":{\"network\":\"mlp\"}}");
        return bodies.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void whatTheGatewayAcceptsTheWorkerTrains(String body) throws IOException {
        TrainJob job = CODEC.decodeRequest(body.getBytes(StandardCharsets.UTF_8), TrainJob.class)
                .withJobId("accepted");
        job = new TrainJob(
                job.jobId(),
                job.dataset(),
                job.sde(),
                1L,
                2,
                job.seed(),
                job.lr(),
                job.warmupSteps(),
                job.gradClip(),
                job.emaDecay(),
                job.checkpointEvery(),
                job.model());
        List<Violation> violations = MessageValidator.validate(job);
        if (!violations.isEmpty()) {
            assertTrue(violations.stream().allMatch(v -> v.field().startsWith("model.")), violations.toString());
            return;
        }
        DataSet data = data(job.dataset());
        TrainPlan plan = TrainJobHandler.plan(job, data);
        try (ScoreTrainer trainer = ScoreTrainer.create(plan.model(), plan.train(), data, device)) {
            TrainResult result = trainer.train(null, ProgressListener.NONE);
            assertEquals(1, result.step());
            assertFalse(Float.isNaN(result.losses()[0]), "a finite loss");
        }
    }

    /** A few examples of the built-in data set's shape (the rules depend on nothing else of it). */
    private static DataSet data(String dataset) {
        List<Long> shape =
                dataset.startsWith(BuiltInData.TOY_PREFIX) ? ToyData.EXAMPLE_SHAPE : BuiltInData.FASHION_MNIST_SHAPE;
        Shape example = new Shape(shape.stream().mapToLong(Long::longValue).toArray());
        float[] values = new float[Math.toIntExact(8 * example.size())];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble();
        }
        return DataSet.of(dataset, values, example, ValueRange.UNIT);
    }
}
