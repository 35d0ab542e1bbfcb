package io.scoregen.gateway;

import io.scoregen.gateway.datasets.DatasetStore;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test store: streams uploads to files under target/, deleting a partial file when the upload fails. */
@Singleton
public class RecordingDatasetStore implements DatasetStore {

    private final Path dir;

    public RecordingDatasetStore() throws IOException {
        dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "datasets"));
    }

    @Override
    public long put(String datasetId, String contentType, InputStream content) throws IOException {
        Path file = file(datasetId);
        try (OutputStream out = Files.newOutputStream(file)) {
            return content.transferTo(out);
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    Path file(String datasetId) {
        return dir.resolve(datasetId);
    }

    long storedCount() throws IOException {
        try (var files = Files.list(dir)) {
            return files.count();
        }
    }
}
