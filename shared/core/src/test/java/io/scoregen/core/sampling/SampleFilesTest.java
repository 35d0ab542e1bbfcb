package io.scoregen.core.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import io.scoregen.core.data.ValueRange;
import io.scoregen.core.model.SampleClass;
import io.scoregen.core.model.ScoreModel;
import io.scoregen.job.OutputFormat;
import io.scoregen.job.SampleSummary;
import io.scoregen.job.SamplerType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webdataset tar, read back by Python's own {@code tarfile} and {@code json}: the independent reader. */
class SampleFilesTest {

    /** Per member: name, header fields, SHA-256 of the content and, for a {@code .json}, the parsed document. */
    private static final String READ_TAR = """
            import hashlib, json, sys, tarfile
            members = []
            with tarfile.open(sys.argv[1], mode="r:") as tar:
                for m in tar.getmembers():
                    data = tar.extractfile(m).read()
                    members.append({"name": m.name, "file": m.isfile(), "mode": m.mode, "mtime": m.mtime,
                                    "uid": m.uid, "gid": m.gid, "uname": m.uname, "gname": m.gname,
                                    "sha256": hashlib.sha256(data).hexdigest(),
                                    "json": json.loads(data) if m.name.endswith(".json") else None})
            print(json.dumps(members))
            """;

    private static final long SEED = 1L << 40;
    private static final SampleSummary SUMMARY = new SampleSummary(SamplerType.ODE, 0, 10, 3, 1, 3, null);

    @TempDir
    Path dir;

    @Test
    void imageSamplesArePngAndJsonPairsInIndexOrder() throws Exception {
        Shape chw = new Shape(3, 4, 5);
        float[] samples = random(3 * 60);
        Optional<SampleClass> sandal = Optional.of(new SampleClass(5, "sandal"));
        List<Path> files = write(dir.resolve("wds"), samples, chw, OutputFormat.WEBDATASET, sandal);
        assertEquals(
                List.of(dir.resolve("wds/samples.tar"), dir.resolve("wds/summary.json")),
                files,
                "the tar and the summary, no labels.npy or grid: the tar carries the class");
        write(dir.resolve("png"), samples, chw, OutputFormat.PNG, sandal);

        List<JsonNode> members = readWithPython(dir.resolve("wds").resolve(SampleFiles.TAR));
        assertEquals(
                List.of("000007.png", "000007.json", "000008.png", "000008.json", "000009.png", "000009.json"),
                members.stream().map(m -> m.get("name").asText()).toList());
        for (int i = 0; i < 3; i++) {
            long index = 7 + i;
            JsonNode png = members.get(2 * i);
            assertEquals(
                    sha256(Files.readAllBytes(dir.resolve("png").resolve(SampleFiles.pngName(index)))),
                    png.get("sha256").asText(),
                    "the bytes of the png format's " + SampleFiles.pngName(index));
            assertEquals(
                    ScoreModel.JSON.readTree(
                            "{\"index\": " + index + ", \"seed\": " + SEED + ", \"class\": \"sandal\", \"label\": 5}"),
                    members.get(2 * i + 1).get("json"));
        }
        for (JsonNode m : members) {
            String name = m.get("name").asText();
            assertEquals(true, m.get("file").asBoolean(), name);
            assertEquals(0644, m.get("mode").asInt(), name);
            assertEquals(0, m.get("mtime").asLong(), name + ": no time of writing");
            assertEquals(0, m.get("uid").asInt(), name);
            assertEquals(0, m.get("gid").asInt(), name);
            assertEquals("", m.get("uname").asText(), name + ": no writer's user name");
            assertEquals("", m.get("gname").asText(), name);
        }
        byte[] tar = Files.readAllBytes(dir.resolve("wds").resolve(SampleFiles.TAR));
        assertEquals("ustar\0", new String(tar, 257, 6, StandardCharsets.US_ASCII), "a POSIX ustar header");
    }

    @Test
    void vectorSamplesCarryTheirValuesAndNoClassWhenUnconditional() throws Exception {
        float[] samples = {0.1f, -2.5f, 3e-7f, 1234.5f, -0f, Float.MIN_VALUE};
        write(dir, samples, new Shape(2), OutputFormat.WEBDATASET, Optional.empty());

        List<JsonNode> members = readWithPython(dir.resolve(SampleFiles.TAR));
        assertEquals(
                List.of("000007.json", "000008.json", "000009.json"),
                members.stream().map(m -> m.get("name").asText()).toList());
        for (int i = 0; i < 3; i++) {
            JsonNode json = members.get(i).get("json");
            assertEquals(List.of("index", "seed", "x"), names(json), "no class for unconditional samples");
            assertEquals(7 + i, json.get("index").asLong());
            assertEquals(SEED, json.get("seed").asLong());
            float[] x = new float[json.get("x").size()];
            for (int d = 0; d < x.length; d++) {
                x[d] = (float) json.get("x").get(d).asDouble();
            }
            assertArrayEquals(Arrays.copyOfRange(samples, 2 * i, 2 * i + 2), x, "every bit of sample " + i);
        }
    }

    /** A redone shard overwrites its objects: the tar must be the same bytes each time it is written. */
    @Test
    void aTarWrittenTwiceIsTheSameBytes() throws IOException {
        float[] samples = random(4 * 28 * 28);
        Optional<SampleClass> label = Optional.of(new SampleClass(1, "1"));
        write(dir.resolve("a"), samples, new Shape(1, 28, 28), OutputFormat.WEBDATASET, label);
        write(dir.resolve("b"), samples, new Shape(1, 28, 28), OutputFormat.WEBDATASET, label);
        byte[] first = Files.readAllBytes(dir.resolve("a").resolve(SampleFiles.TAR));
        assertArrayEquals(first, Files.readAllBytes(dir.resolve("b").resolve(SampleFiles.TAR)));
        assertEquals(0, first.length % 512, "whole tar records");
    }

    @Test
    void otherFormatsWriteNoTar() throws IOException {
        for (OutputFormat format : List.of(OutputFormat.NPY, OutputFormat.PNG, OutputFormat.BOTH)) {
            Path out = dir.resolve(format.toString());
            List<Path> files = write(out, random(2 * 16), new Shape(1, 4, 4), format, Optional.empty());
            assertFalse(files.contains(out.resolve(SampleFiles.TAR)), format.toString());
            assertFalse(Files.exists(out.resolve(SampleFiles.TAR)), format.toString());
        }
    }

    private static List<Path> write(
            Path out, float[] samples, Shape perSample, OutputFormat format, Optional<SampleClass> sampleClass)
            throws IOException {
        return SampleFiles.write(out, samples, perSample, ValueRange.UNIT, format, 7, SEED, sampleClass, SUMMARY);
    }

    private static List<JsonNode> readWithPython(Path tar) throws IOException, InterruptedException {
        Process python = new ProcessBuilder("/usr/bin/python3", "-c", READ_TAR, tar.toString())
                .redirectErrorStream(true)
                .start();
        String printed = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, python.waitFor(), printed);
        List<JsonNode> members = new ArrayList<>();
        ScoreModel.JSON.readTree(printed).forEach(members::add);
        return members;
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static float[] random(int n) {
        SplittableRandom random = new SplittableRandom(3);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextDouble(-0.1, 1.1);
        }
        return values;
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
