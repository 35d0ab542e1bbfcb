package io.scoregen.gateway.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.scoregen.job.ModelFiles;
import io.scoregen.job.SdeKind;
import io.scoregen.platform.storage.ObjectNotFoundException;
import io.scoregen.platform.storage.ObjectStore;
import io.scoregen.platform.storage.StorageKeys;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.Optional;

/**
 * Models as the train worker stores them: a model exists once its {@link ModelFiles#CONFIG} does (it is written last),
 * and that config names its SDE under {@code sde.name} (the core's {@code ModelConfig}).
 */
@Singleton
@LookupIfProperty(name = "scoregen.s3.enabled", stringValue = "true")
public class StoredModelCatalog implements ModelCatalog {

    private final ObjectStore store;
    private final ObjectMapper json;

    StoredModelCatalog(ObjectStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    @Override
    public Optional<SdeKind> sde(String modelId) {
        byte[] config;
        try {
            config = store.get(StorageKeys.modelFile(modelId, ModelFiles.CONFIG));
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        }
        try {
            JsonNode sde = json.readTree(config).path("sde").path("name");
            return Optional.of(json.treeToValue(sde, SdeKind.class));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("model " + modelId + " has an unreadable " + ModelFiles.CONFIG, e);
        }
    }
}
