package io.scoregen.core.sampling;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.scoregen.core.data.ValueRange;
import io.scoregen.core.image.SampleImages;
import io.scoregen.core.model.SampleClass;
import io.scoregen.core.model.ScoreModel;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The {@link io.scoregen.job.OutputFormat#WEBDATASET} file: a POSIX (ustar) tar whose members are grouped by key, the
 * sample's global index as its PNG is named ({@link SampleFiles#key}), in index order: {@code 000042.png} for an image
 * sample (the bytes of {@link SampleFiles#pngName its PNG}) then {@code 000042.json}, {@code {"index", "seed", "class",
 * "label"}} ({@code class}, the model's name for the class, and {@code label} only for samples of one class) and, for
 * vector samples, which have no picture, their values {@code "x": [..]} in the data's range. Headers carry nothing of
 * the machine or the time (mtime 0, uid/gid 0, no owner names, mode 0644): a redone shard writes the same bytes.
 */
final class WebDatasetTar {

    private static final ObjectWriter JSON = ScoreModel.JSON.writer().without(SerializationFeature.INDENT_OUTPUT);
    /** Permission bits only, as GNU tar writes them: the type is the header's type flag (a regular file). */
    private static final int RW_R_R = 0644;

    private WebDatasetTar() {}

    static void write(
            Path file,
            float[] samples,
            Shape perSample,
            ValueRange range,
            long firstIndex,
            long seed,
            Optional<SampleClass> sampleClass)
            throws IOException {
        int size = Math.toIntExact(perSample.size());
        int count = samples.length / size;
        boolean images = perSample.dimension() == 3;
        String className = sampleClass.map(SampleClass::name).orElse(null);
        Integer label = sampleClass.map(SampleClass::label).orElse(null);
        try (TarArchiveOutputStream tar =
                new TarArchiveOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            for (int i = 0; i < count; i++) {
                long index = firstIndex + i;
                if (images) {
                    add(tar, SampleFiles.pngName(index), SampleImages.pngBytes(samples, i, perSample, range));
                }
                float[] x = images ? null : Arrays.copyOfRange(samples, i * size, (i + 1) * size);
                add(
                        tar,
                        SampleFiles.key(index) + ".json",
                        JSON.writeValueAsBytes(new Meta(index, seed, className, label, x)));
            }
        }
    }

    private static void add(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setModTime(FileTime.fromMillis(0));
        entry.setIds(0, 0);
        entry.setNames("", ""); // not the writer's user.name
        entry.setMode(RW_R_R);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    /** A sample's {@code .json} member. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"index", "seed", "class", "label", "x"})
    private record Meta(
            long index, long seed, @JsonProperty("class") String className, Integer label, float[] x) {}
}
