package io.scoregen.worker.sample;

import ai.djl.Device;
import io.scoregen.core.model.ScoreModel;
import io.scoregen.job.ModelFiles;
import io.scoregen.platform.storage.ModelStore;
import io.scoregen.platform.storage.StorageKeys;
import io.scoregen.platform.worker.PoisonJobException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last few models used, downloaded from the {@link ModelStore} into a local directory; the least recently used one
 * is closed when a new one does not fit. Models are immutable once written (the train worker writes {@code config.json}
 * last), so a cached one never goes stale. Used by one job thread at a time.
 */
final class ModelCache implements AutoCloseable {

    private final ModelStore store;
    private final Path dir;
    private final Device device;
    private final LinkedHashMap<String, ScoreModel> loaded;

    ModelCache(ModelStore store, Path dir, int capacity, Device device) {
        if (capacity < 1) {
            throw new IllegalArgumentException("model cache capacity must be >= 1, got " + capacity);
        }
        this.store = store;
        this.dir = dir;
        this.device = device;
        this.loaded = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ScoreModel> eldest) {
                if (size() > capacity) {
                    eldest.getValue().close();
                    return true;
                }
                return false;
            }
        };
    }

    /** The model trained by job {@code modelId}; an unknown model is poison. */
    synchronized ScoreModel get(String modelId) throws IOException {
        ScoreModel model = loaded.get(modelId);
        if (model != null) {
            return model;
        }
        if (!store.exists(modelId)) {
            throw new PoisonJobException(
                    "unknown model '" + modelId + "': no " + StorageKeys.modelFile(modelId, ModelFiles.CONFIG));
        }
        Path local = dir.resolve(modelId);
        store.download(modelId, local);
        model = ScoreModel.load(local, device);
        loaded.put(modelId, model);
        return model;
    }

    @Override
    public synchronized void close() {
        loaded.values().forEach(ScoreModel::close);
        loaded.clear();
    }
}
