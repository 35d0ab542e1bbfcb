package io.scoregen.worker.train;

import io.scoregen.core.data.DataSet;
import io.scoregen.core.data.DataSets;
import io.scoregen.job.BuiltInData;
import io.scoregen.platform.storage.ObjectInfo;
import io.scoregen.platform.storage.ObjectStore;
import io.scoregen.platform.storage.StorageKeys;
import io.scoregen.platform.worker.PoisonJobException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Resolves a train job's {@code dataset}: the built-ins ({@code toy:<name>}, {@code fashion-mnist[:split]}) load
 * locally; anything else is an uploaded data set id, downloaded from {@code datasets/{id}/} into the job's scratch
 * directory and read by {@link DataSets#load}: its one {@code .npy} or {@code .zip} file, or else the directory (PNGs).
 */
final class DataSetSource {

    private final ObjectStore store;
    private final Path fashionMnistDir;

    DataSetSource(ObjectStore store, Path fashionMnistDir) {
        this.store = store;
        this.fashionMnistDir = fashionMnistDir;
    }

    /**
     * @param seed seed of the generated toy data sets (the job's)
     * @param scratch where an uploaded data set is downloaded to
     */
    DataSet load(String dataset, long seed, Path scratch) throws IOException {
        String lower = dataset.toLowerCase(Locale.ROOT);
        DataSets.Options options = DataSets.Options.defaults()
                .withToy(DataSets.Options.DEFAULT_TOY_COUNT, seed)
                .withFashionMnistDir(fashionMnistDir);
        try {
            if (BuiltInData.isBuiltIn(lower)) {
                return DataSets.load(lower, options);
            }
            return DataSets.load(download(dataset, scratch).toString(), options);
        } catch (IllegalArgumentException e) {
            throw new PoisonJobException("unknown or unreadable data set '" + dataset + "': " + e.getMessage(), e);
        }
    }

    private Path download(String datasetId, Path scratch) {
        String prefix = StorageKeys.datasetPrefix(datasetId);
        List<ObjectInfo> files = store.list(prefix).stream()
                .filter(o -> !o.key().equals(StorageKeys.datasetManifest(datasetId)))
                .toList();
        if (files.isEmpty()) {
            throw new PoisonJobException("unknown data set '" + datasetId + "': nothing under " + prefix);
        }
        Path dir = scratch.resolve("dataset");
        for (ObjectInfo file : files) {
            store.download(file.key(), dir.resolve(file.key().substring(prefix.length())));
        }
        List<ObjectInfo> single = files.stream()
                .filter(o -> o.key().endsWith(".npy") || o.key().endsWith(".zip"))
                .toList();
        return single.size() == 1 ? dir.resolve(single.get(0).key().substring(prefix.length())) : dir;
    }
}
