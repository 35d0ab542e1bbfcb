package io.scoregen.platform.storage;

import io.scoregen.job.ModelFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Trained models in the store, {@link ModelFiles} under {@code models/{id}/model/}: the train worker uploads them, the
 * sample worker downloads them. The config is uploaded last, so a model whose config exists is complete; models are
 * immutable once written.
 */
public final class ModelStore {

    private final ObjectStore store;

    public ModelStore(ObjectStore store) {
        this.store = store;
    }

    /**
     * Uploads the model files in {@code dir} in {@link ModelFiles#IN_STORE_ORDER}; returns their keys in that order.
     */
    public List<String> upload(String modelId, Path dir) {
        return ModelFiles.IN_STORE_ORDER.stream()
                .map(name -> {
                    String key = StorageKeys.modelFile(modelId, name);
                    store.put(
                            key,
                            dir.resolve(name),
                            name.endsWith(".json") ? "application/json" : "application/octet-stream",
                            Map.of());
                    return key;
                })
                .toList();
    }

    /** Whether model {@code modelId} is complete in the store. */
    public boolean exists(String modelId) {
        return store.exists(StorageKeys.modelFile(modelId, ModelFiles.CONFIG));
    }

    /** Downloads model {@code modelId}'s files into {@code dir}. */
    public void download(String modelId, Path dir) {
        for (String name : ModelFiles.IN_STORE_ORDER) {
            store.download(StorageKeys.modelFile(modelId, name), dir.resolve(name));
        }
    }
}
