package io.scoregen.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/messages.md} says what the vocabulary's code says: every list of names in a rule is the enum's names in
 * order, every default the code's default, every preset the code's preset.
 */
class MessagesDocTest {

    private static final Path DOC = Path.of("..", "..", "docs", "messages.md");
    private static final Pattern ROW = Pattern.compile("^\\| `(\\w+)` \\|(.*)\\|$");
    private static final Pattern TICKED = Pattern.compile("`([^`]+)`");

    /** Table rows by "section heading / field": {type, default, rule}; three-column tables have no default. */
    private static final Map<String, String[]> ROWS = new HashMap<>();

    private static final List<String> LINES = new ArrayList<>();

    @BeforeAll
    static void read() throws IOException {
        String section = "";
        for (String line : Files.readAllLines(DOC)) {
            LINES.add(line);
            if (line.startsWith("## ") || line.startsWith("### ")) {
                section = line.replaceFirst("^#+ ", "").split(" ")[0];
            }
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                String[] cells = m.group(2).split("\\|");
                String rule = cells[cells.length - 1].strip();
                ROWS.put(
                        section + "/" + m.group(1),
                        new String[] {cells[0].strip(), cells.length == 3 ? cells[1].strip() : "", rule});
            }
        }
    }

    private static String[] row(String key) {
        String[] row = ROWS.get(key);
        assertNotNull(row, "no table row for " + key + " in " + DOC);
        return row;
    }

    /** The names listed after "one of" at the start of the rule. */
    private static List<String> listed(String rule) {
        Matcher start = Pattern.compile("^one of ((`[^`]+`(, )?)+)").matcher(rule);
        if (!start.find()) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        Matcher m = TICKED.matcher(start.group(1));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void everyNameListIsTheVocabularys() {
        Map<String, Class<? extends Enum<?>>> lists = Map.of(
                "TrainJob/sde", SdeKind.class,
                "TrainJob/network", NetworkKind.class,
                "SampleJob/format", OutputFormat.class,
                "SamplerSpec/type", SamplerType.class,
                "SamplerSpec/predictor", PredictorKind.class,
                "SamplerSpec/corrector", CorrectorKind.class,
                "SamplerSpec/schedule", SigmaSchedule.class,
                "ConditioningTask/kind", ConditioningKind.class,
                "TrainJob/imageToImage", ImageToImageTask.class);
        lists.forEach((key, type) -> assertEquals(WireNames.all(type), listed(row(key)[2]), key));
        Matcher toys = Pattern.compile("name one of ((`[^`]+`(, )?)+)").matcher(row("TrainJob/dataset")[2]);
        assertEquals(true, toys.find(), "the toy data sets are listed");
        assertEquals(
                WireNames.all(ToyData.class),
                TICKED.matcher(toys.group(1)).results().map(r -> r.group(1)).toList());
    }

    @Test
    void everyDefaultIsTheCodes() {
        ModelOptions model = ModelOptions.defaults();
        SamplerSpec sampler = SamplerSpec.defaults();
        Map<String, Object> defaults = new HashMap<>();
        defaults.put("TrainJob/sde", TrainJob.DEFAULT_SDE);
        defaults.put("TrainJob/steps", TrainJob.DEFAULT_STEPS);
        defaults.put("TrainJob/seed", TrainJob.DEFAULT_SEED);
        defaults.put("TrainJob/checkpointEvery", TrainJob.DEFAULT_CHECKPOINT_EVERY);
        defaults.put("TrainJob/channels", model.channels());
        defaults.put("TrainJob/channelMults", model.channelMults().toString().replace(" ", ""));
        defaults.put("TrainJob/numResBlocks", model.numResBlocks());
        defaults.put("TrainJob/attention", model.attention());
        defaults.put("TrainJob/hiddenDim", model.hiddenDim());
        defaults.put("TrainJob/hiddenLayers", model.hiddenLayers());
        defaults.put("TrainJob/classConditional", model.classConditional());
        defaults.put("SampleJob/format", SampleJob.DEFAULT_FORMAT);
        defaults.put("SampleJob/guidance", Guidance.DEFAULT_WEIGHT);
        defaults.put("SamplerSpec/type", sampler.type());
        defaults.put("SamplerSpec/snr", sampler.snr());
        defaults.put("SamplerSpec/nStepsEach", sampler.nStepsEach());
        defaults.put("SamplerSpec/rtol", sampler.rtol());
        defaults.put("SamplerSpec/atol", sampler.atol());
        defaults.put("SamplerSpec/churn", sampler.churn());
        defaults.put("SamplerSpec/sNoise", sampler.sNoise());
        defaults.put("SamplerSpec/eta", sampler.eta());
        defaults.forEach((key, expected) -> {
            String documented = row(key)[1].replace("`", "");
            if (expected instanceof Double d) {
                assertEquals(d, Double.parseDouble(documented), key);
            } else {
                assertEquals(expected.toString(), documented, key);
            }
        });
        assertEquals(
                "by type: "
                        + Arrays.stream(SamplerType.values())
                                .map(t -> "`" + t + "` " + t.defaultSteps())
                                .collect(Collectors.joining(", ")),
                row("SamplerSpec/steps")[1],
                "each sampler's default steps");
        assertEquals(
                ModelOptions.LABEL_DROPOUT + " with `classConditional`",
                row("TrainJob/labelDropout")[1],
                "the label dropout of a class-conditional model");
        assertEquals(
                ModelOptions.LABEL_DROPOUT,
                new ModelOptions(null, null, null, null, null, null, null, true, null).labelDropout());
        for (String preset : List.of("batchSize", "lr", "warmupSteps", "gradClip", "emaDecay")) {
            assertEquals("the data's preset", row("TrainJob/" + preset)[1], preset);
        }
    }

    @Test
    void thePresetTableIsTheCodes() {
        Map<String, TrainPreset> presets = Map.of("images", TrainPreset.IMAGES, "anything", TrainPreset.VECTORS);
        presets.forEach((name, preset) -> {
            String line = LINES.stream()
                    .filter(l -> l.startsWith("| " + name))
                    .findFirst()
                    .orElseThrow();
            String[] cells = line.split("\\|");
            assertEquals(preset.batchSize(), Integer.parseInt(cells[2].strip()), name);
            assertEquals(preset.learningRate(), Double.parseDouble(cells[3].strip()), name);
            assertEquals("min(" + preset.maxWarmup() + ", steps/10)", cells[4].strip(), name);
            assertEquals(preset.gradClip(), Double.parseDouble(cells[5].strip()), name);
            assertEquals(preset.emaDecay(), Double.parseDouble(cells[6].strip()), name);
        });
    }
}
