package io.scoregen.core.train;

import io.scoregen.core.model.ModelConfig;
import io.scoregen.core.model.ScoreModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Everything an exact resume needs, in one zip: the configs, the step reached, the weights, the EMA weights and Adam's
 * moments. Training draws depend only on (seed, step), so nothing else is needed. Written through a temporary file and
 * an atomic rename.
 */
public record Checkpoint(
        ModelConfig model, TrainConfig train, long step, byte[] parameters, byte[] ema, byte[] optimizer) {

    private static final String MODEL = "model.json";
    private static final String TRAIN = "train.json";
    private static final String STEP = "step.txt";
    private static final String PARAMETERS = "parameters.bin";
    private static final String EMA = "ema.bin";
    private static final String OPTIMIZER = "adam.bin";

    public void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try (OutputStream os = Files.newOutputStream(tmp);
                ZipOutputStream zip = new ZipOutputStream(os)) {
            entry(zip, MODEL, ScoreModel.JSON.writeValueAsBytes(model));
            entry(zip, TRAIN, ScoreModel.JSON.writeValueAsBytes(train));
            entry(zip, STEP, Long.toString(step).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            entry(zip, PARAMETERS, parameters);
            entry(zip, EMA, ema);
            entry(zip, OPTIMIZER, optimizer);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public static Checkpoint read(Path file) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (InputStream is = Files.newInputStream(file);
                ZipInputStream zip = new ZipInputStream(is)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                zip.transferTo(bytes);
                entries.put(e.getName(), bytes.toByteArray());
            }
        }
        for (String name : new String[] {MODEL, TRAIN, STEP, PARAMETERS, EMA, OPTIMIZER}) {
            if (!entries.containsKey(name)) {
                throw new IOException("checkpoint " + file + " lacks " + name);
            }
        }
        return new Checkpoint(
                ScoreModel.JSON.readValue(entries.get(MODEL), ModelConfig.class),
                ScoreModel.JSON.readValue(entries.get(TRAIN), TrainConfig.class),
                Long.parseLong(new String(entries.get(STEP), java.nio.charset.StandardCharsets.UTF_8).trim()),
                entries.get(PARAMETERS),
                entries.get(EMA),
                entries.get(OPTIMIZER));
    }

    private static void entry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }
}
