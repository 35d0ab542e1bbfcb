package io.scoregen.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.scoregen.core.data.Npy;
import io.scoregen.core.engine.EngineSetup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The whole {@link ScoreUnet} against an independent reference: its layer-for-layer PyTorch twin
 * ({@code bench/unet.py}) run in float64 by Debian's {@code /usr/bin/python3} (python3-torch, torch 1.13, so another
 * libtorch and no float32 oneDNN kernel) through {@code bench/unet_reference.py}. Per-layer tests cannot see a wrong
 * kernel that only some shapes in the assembled network get (as libtorch 2.7.1's oneDNN conv gradients on AVX-512, see
 * {@link Conv}), nor a wiring slip.
 *
 * <p>For VE (Fourier features of log σ) and VP (sinusoids of 999·t) networks, with and without attention, fixed
 * non-trivial weights (every bias, gain and shift perturbed, the zero-initialised convs made non-zero) and batches of
 * 1, 8 with distinct and 8 with equal conditionings (the sampler's broadcast embedding): the forward output on the
 * inference and the training path, and the input gradient of {@code sum(y·v)}, each within {@link #RELATIVE}·max|ref| +
 * {@link #ABSOLUTE}. Files are left in a temporary directory under {@code target/}.
 */
class UnetReferenceTest {

    private static final String PYTHON = "/usr/bin/python3";
    private static final long SEED = 20_261_201;
    private static final int SIDE = 28;
    /**
     * Float32 against float64. The worst error observed is 1.0e-5·max|ref| (VE, batch 8, gradient), set mostly by the
     * float32 rounding of the embedding phases (|c·f| up to ~10³); 3× that still fails GroupNorm's ε changed from 1e-6
     * to 1e-5, and a wrong kernel's errors are O(1)·max|ref| or NaN.
     */
    private static final double RELATIVE = 3e-5;

    private static final double ABSOLUTE = 1e-6;

    /**
     * Java child block (DJL name without its "%02d" position) → the twin's module attribute; the ScoreUnet's stages, in
     * order, are the twin's {@code stages.i}. Every name must be listed.
     */
    private static final Map<String, String> MODULES = Map.ofEntries(
            Map.entry("input", "input"),
            Map.entry("output_norm", "output_norm"),
            Map.entry("output", "output"),
            Map.entry("features", "features"),
            Map.entry("dense0", "dense0"),
            Map.entry("dense1", "dense1"),
            Map.entry("norm0", "norm0"),
            Map.entry("conv0", "conv0"),
            Map.entry("temb", "temb"),
            Map.entry("norm1", "norm1"),
            Map.entry("conv1", "conv1"),
            Map.entry("skip", "skip"),
            Map.entry("norm", "norm"),
            Map.entry("qkv", "qkv"),
            Map.entry("proj", "proj"),
            Map.entry("conv", "conv"));
    /** Java parameter → the twin's tensor; GroupNorm's γ and β are [C, 1, 1] here and [C] there. */
    private static final Map<String, String> LEAVES =
            Map.of("weight", "weight", "bias", "bias", "gamma", "weight", "beta", "bias", "frequencies", "frequencies");

    private static Device device;

    /** One network; {@code ve}: Fourier features of log σ, else sinusoids of 999·t. */
    private record Network(String name, boolean ve, boolean attention) {

        UnetConfig config() {
            return new UnetConfig(
                    1,
                    16,
                    List.of(1, 2),
                    1,
                    attention,
                    ve ? EmbeddingType.FOURIER : EmbeddingType.POSITIONAL,
                    16,
                    true);
        }
    }

    /** One input set's Java results, checked against the twin's files in {@code dir}. */
    private record Case(String name, Path dir, Shape shape, float[] inference, float[] training, float[] gradient) {}

    @BeforeAll
    static void engine() {
        device = EngineSetup.configure(new EngineSetup.Options(2, SEED, null, "cpu"));
    }

    @TestFactory
    Stream<DynamicTest> matchesTheFloat64PyTorchTwin() throws IOException {
        long start = System.nanoTime();
        Path root = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "unet-reference");
        List<Network> networks = List.of(
                new Network("VE, attention", true, true),
                new Network("VE", true, false),
                new Network("VP, attention", false, true),
                new Network("VP", false, false));
        List<Case> cases = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(SEED);
        for (Network network : networks) {
            Path dir = Files.createDirectory(root.resolve(network.name().replace(", ", "-")));
            dirs.add(dir);
            cases.addAll(prepare(network, dir, random));
        }
        runTwin(root, dirs);
        System.out.printf(
                "UnetReferenceTest: %d cases prepared and referenced in %.1f s (%s)%n",
                cases.size(), (System.nanoTime() - start) / 1e9, root);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    /** Builds and perturbs the network, writes its parameters and inputs, and computes the Java side. */
    private static List<Case> prepare(Network network, Path dir, SplittableRandom random) throws IOException {
        UnetConfig config = network.config();
        Files.writeString(dir.resolve("config.json"), twinConfig(config), StandardCharsets.UTF_8);
        List<Case> cases = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager(device)) {
            ScoreUnet net = config.build();
            net.initialize(m, DataType.FLOAT32, new Shape(1, 1, SIDE, SIDE), new Shape(1));
            perturb(net, m);
            writeParameters(net, Files.createDirectory(dir.resolve("params")));
            ParameterStore ps = new ParameterStore(m, false);
            for (String inputs : List.of("b1", "b8", "b8-equal")) {
                int batch = inputs.equals("b1") ? 1 : 8;
                Shape shape = new Shape(batch, 1, SIDE, SIDE);
                float[] x = normal(random, (int) shape.size());
                float[] v = normal(random, x.length);
                float[] c = conditionings(network.ve(), batch, inputs.equals("b8-equal"), random);
                Path in = Files.createDirectory(dir.resolve(inputs));
                Npy.write(in.resolve("x.npy"), shape, x);
                Npy.write(in.resolve("v.npy"), shape, v);
                Npy.write(in.resolve("c.npy"), new Shape(batch), c);
                try (NDManager step = m.newSubManager()) {
                    NDArray xs = step.create(x, shape);
                    NDArray cs = step.create(c);
                    float[] inference = net.apply(ps, xs, cs, false).toFloatArray();
                    float[] training;
                    float[] gradient;
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        xs.setRequiresGradient(true);
                        NDArray y = net.apply(ps, xs, cs, true);
                        training = y.toFloatArray();
                        collector.backward(y.mul(step.create(v, shape)).sum());
                        gradient = xs.getGradient().toFloatArray();
                    }
                    cases.add(new Case(network.name() + ", " + inputs, in, shape, inference, training, gradient));
                }
            }
        }
        return cases;
    }

    /**
     * Every trainable parameter made non-trivial: the zero-initialised weights (each residual branch's second conv, the
     * attention projections, the output conv) non-zero, biases and shifts non-zero, gains away from one, so that a
     * swapped, dropped or misplaced tensor changes the output.
     */
    private static void perturb(ScoreUnet net, NDManager m) {
        for (Pair<String, Parameter> p : net.getParameters()) {
            Parameter parameter = p.getValue();
            NDArray array = parameter.getArray();
            switch (parameter.getType()) {
                case WEIGHT -> {
                    if (array.abs().max().getFloat() == 0) {
                        array.addi(m.randomNormal(0, 0.05f, array.getShape(), DataType.FLOAT32));
                    }
                }
                case BIAS, BETA -> array.addi(m.randomNormal(0, 0.1f, array.getShape(), DataType.FLOAT32));
                case GAMMA -> array.addi(m.randomNormal(0, 0.1f, array.getShape(), DataType.FLOAT32));
                default -> assertTrue(p.getKey().endsWith("frequencies"), "unexpected parameter " + p.getKey());
            }
        }
    }

    /** Writes every parameter under its twin name and shape; fails if one is unmapped. */
    private static void writeParameters(ScoreUnet net, Path dir) throws IOException {
        Map<String, String> keys = twinKeys(net);
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        net.getParameters().forEach(p -> parameters.put(p.getKey(), p.getValue()));
        assertEquals(
                new TreeSet<>(parameters.keySet()), new TreeSet<>(keys.keySet()), "Java parameters vs the mapped ones");
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            NDArray array = e.getValue().getArray();
            Shape shape = e.getValue().getType() == Parameter.Type.GAMMA
                            || e.getValue().getType() == Parameter.Type.BETA
                    ? new Shape(array.getShape().get(0))
                    : array.getShape();
            Npy.write(dir.resolve(keys.get(e.getKey()) + ".npy"), shape, array.toFloatArray());
        }
    }

    /**
     * The explicit name mapping: walks the blocks as DJL names their parameters ("%02d" + child name, joined by "_")
     * and gives each the twin's state_dict key. The time embedding's blocks sit at the twin's top level; every other
     * ScoreUnet child that is not in {@link #MODULES} is a stage.
     */
    static Map<String, String> twinKeys(ScoreUnet net) {
        Map<String, String> keys = new LinkedHashMap<>();
        int stage = 0;
        for (Pair<String, Block> child : net.getChildren()) {
            String name = child.getKey().substring(2);
            if (name.equals("embedding")) {
                for (Pair<String, Block> part : child.getValue().getChildren()) {
                    collect(part.getValue(), child.getKey() + "_" + part.getKey() + "_", module(part.getKey()), keys);
                }
            } else if (MODULES.containsKey(name)) {
                collect(child.getValue(), child.getKey() + "_", MODULES.get(name), keys);
            } else {
                collect(child.getValue(), child.getKey() + "_", "stages." + stage++, keys);
            }
        }
        return keys;
    }

    private static void collect(Block block, String javaPrefix, String twinPrefix, Map<String, String> keys) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            String leaf = LEAVES.get(p.getKey());
            if (leaf == null) {
                fail("unmapped parameter " + javaPrefix + p.getKey());
            }
            keys.put(javaPrefix + p.getKey(), twinPrefix + "." + leaf);
        }
        for (Pair<String, Block> child : block.getChildren()) {
            collect(
                    child.getValue(),
                    javaPrefix + child.getKey() + "_",
                    twinPrefix + "." + module(child.getKey()),
                    keys);
        }
    }

    private static String module(String djlChildName) {
        String twin = MODULES.get(djlChildName.substring(2));
        if (twin == null) {
            fail("unmapped block " + djlChildName);
        }
        return twin;
    }

    /** The UnetConfig in the arguments of the twin's ScoreUnet. */
    private static String twinConfig(UnetConfig c) {
        return "{\"image_channels\": " + c.imageChannels() + ", \"nf\": " + c.channels()
                + ", \"mults\": " + c.channelMults() + ", \"res_blocks\": " + c.resBlocks()
                + ", \"attention\": " + c.attention() + ", \"skip_rescale\": " + c.skipRescale()
                + ", \"embedding\": \"" + (c.embedding() == EmbeddingType.FOURIER ? "fourier" : "positional")
                + "\", \"fourier_scale\": " + c.fourierScale() + "}\n";
    }

    /** VE: log σ for σ in [0.01, 50]; VP: 999·t for t in [0.001, 1]; {@code equal}: one value for all. */
    private static float[] conditionings(boolean ve, int batch, boolean equal, SplittableRandom random) {
        float[] c = new float[batch];
        double first = random.nextDouble();
        for (int i = 0; i < batch; i++) {
            double u = equal ? first : random.nextDouble();
            c[i] = (float) (ve ? Math.log(0.01) + u * Math.log(50 / 0.01) : 999 * (0.001 + u * 0.999));
        }
        return c;
    }

    private static float[] normal(SplittableRandom random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }

    /** Runs bench/unet_reference.py on every network directory; a missing python3-torch is a failure, not a skip. */
    private static void runTwin(Path root, List<Path> dirs) throws IOException {
        Path script = repositoryRoot().resolve("bench/unet_reference.py");
        List<String> command = new ArrayList<>(List.of(PYTHON, script.toString()));
        dirs.forEach(d -> command.add(d.toString()));
        Path log = root.resolve("twin.log");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // Debian's interpreter with Debian's modules only, whatever a pyenv or virtualenv on PATH sets.
        builder.environment().remove("PYTHONPATH");
        builder.environment().remove("PYTHONHOME");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError(
                    PYTHON + " cannot be started (" + e.getMessage()
                            + "): the reference needs Debian's python3-torch (apt-get install python3-torch)",
                    e);
        }
        try {
            if (!process.waitFor(300, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("bench/unet_reference.py did not finish in 300 s; log: " + log);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            fail("interrupted waiting for bench/unet_reference.py");
        }
        if (process.exitValue() != 0) {
            fail(PYTHON + " bench/unet_reference.py failed (exit " + process.exitValue() + "):\n"
                    + Files.readString(log, StandardCharsets.UTF_8).strip());
        }
    }

    private static Path repositoryRoot() {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("bench/unet_reference.py"))) {
                return p;
            }
        }
        throw new AssertionError("bench/unet_reference.py not found above " + System.getProperty("user.dir"));
    }

    private static void check(Case c) throws IOException {
        float[] y = reference(c, "y.npy");
        float[] grad = reference(c, "grad.npy");
        List<String> failures = new ArrayList<>();
        String report = Stream.of(
                        compare("forward (inference)", c.inference(), y, failures),
                        compare("forward (training)", c.training(), y, failures),
                        compare("input gradient", c.gradient(), grad, failures))
                .collect(Collectors.joining("; "));
        System.out.printf("UnetReferenceTest %-22s %s%n", c.name() + ":", report);
        if (!failures.isEmpty()) {
            fail(c.name() + " differs from the twin (" + c.dir() + "): " + failures);
        }
    }

    private static float[] reference(Case c, String file) throws IOException {
        Npy.Array a = Npy.read(c.dir().resolve(file));
        assertEquals(c.shape(), a.shape(), file + " shape");
        return a.data();
    }

    /** Max abs error and max|ref|; adds a failure when the error exceeds the tolerance or is not finite. */
    private static String compare(String what, float[] actual, float[] expected, List<String> failures) {
        double error = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) actual[i] - expected[i]);
            error = Double.isNaN(d) || d > error ? d : error;
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        double bound = RELATIVE * scale + ABSOLUTE;
        String line = String.format("%s max err %.2e (%.1e of max|ref| %.3g)", what, error, error / scale, scale);
        if (!(error <= bound)) {
            failures.add(line + " > " + String.format("%.2e", bound));
        }
        return line;
    }
}
