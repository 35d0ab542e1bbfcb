package io.scoregen.gateway.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.scoregen.job.ClassNames;
import io.scoregen.job.ImageToImageTask;
import io.scoregen.job.ModelFiles;
import io.scoregen.job.SdeKind;
import io.scoregen.platform.storage.ObjectNotFoundException;
import io.scoregen.platform.storage.ObjectStore;
import io.scoregen.platform.storage.StorageKeys;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Models as the train worker stores them: a model exists once its {@link ModelFiles#CONFIG} does (it is written last),
 * and that config names its SDE under {@code sde.name}, for a class-conditional model its classes under
 * {@code classes}, and for an image-to-image model its task under {@code imageToImage} (the core's
 * {@code ModelConfig}).
 */
@Singleton
@LookupIfProperty(name = "scoregen.s3.enabled", stringValue = "true")
public class StoredModelCatalog implements ModelCatalog {

    private static final Logger LOG = Logger.getLogger(StoredModelCatalog.class);

    private final ObjectStore store;
    private final ObjectMapper json;
    private final Map<String, Stored> found = new ConcurrentHashMap<>();

    /** What the gateway reads of a stored model's config. */
    private record Stored(SdeKind sde, Optional<ClassNames> classes, Optional<ImageToImageTask> imageToImage) {}

    StoredModelCatalog(ObjectStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    @Override
    public Optional<SdeKind> sde(String modelId) {
        return find(modelId).map(Stored::sde);
    }

    @Override
    public Optional<ClassNames> classes(String modelId) {
        return find(modelId).flatMap(Stored::classes);
    }

    @Override
    public Optional<ImageToImageTask> imageToImage(String modelId) {
        return find(modelId).flatMap(Stored::imageToImage);
    }

    private Optional<Stored> find(String modelId) {
        Stored known = found.get(modelId);
        if (known != null) {
            return Optional.of(known);
        }
        byte[] config;
        try {
            config = store.get(StorageKeys.modelFile(modelId, ModelFiles.CONFIG));
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        }
        try {
            JsonNode root = json.readTree(config);
            SdeKind kind = json.treeToValue(root.path("sde").path("name"), SdeKind.class);
            Stored stored = new Stored(
                    kind,
                    optional(root.path("classes"), ClassNames.class),
                    optional(root.path("imageToImage"), ImageToImageTask.class));
            found.put(modelId, stored);
            return Optional.of(stored);
        } catch (IOException | IllegalArgumentException e) {
            // A sample worker could not load it either: the model is as good as absent (400, not 500).
            LOG.warnf("model %s has an unreadable %s: %s", modelId, ModelFiles.CONFIG, e.getMessage());
            return Optional.empty();
        }
    }

    /** A field of config.json that older models, or models without it, leave out. */
    private <T> Optional<T> optional(JsonNode node, Class<T> type) throws IOException {
        return node.isMissingNode() || node.isNull() ? Optional.empty() : Optional.of(json.treeToValue(node, type));
    }
}
