package io.scoregen.gateway.jobs;

import io.quarkus.arc.lookup.LookupIfProperty;
import io.scoregen.platform.messages.JobManifest;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.messages.MessageCodec;
import io.scoregen.platform.storage.ObjectNotFoundException;
import io.scoregen.platform.storage.ObjectStore;
import io.scoregen.platform.storage.StorageException;
import io.scoregen.platform.storage.StorageKeys;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Finished jobs' {@link JobManifest}s in the object store, at {@link StorageKeys#jobManifest}. Reads go through a small
 * cache of the latest manifests read, because a client paging through a large job's results reads one manifest many
 * times.
 */
@Singleton
@LookupIfProperty(name = "scoregen.s3.enabled", stringValue = "true")
public class ManifestStore {

    private static final int CACHED = 8;

    private final ObjectStore store;
    private final MessageCodec codec = new MessageCodec();
    private final Map<String, JobManifest> cache = new LinkedHashMap<>(CACHED, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JobManifest> eldest) {
            return size() > CACHED;
        }
    };

    ManifestStore(ObjectStore store) {
        this.store = store;
    }

    /** Where a job's manifest is stored. */
    public String key(String jobId, JobType type) {
        return StorageKeys.jobManifest(jobId, type);
    }

    /** Stores the manifest (the same bytes whoever writes it, so a second writer changes nothing); returns its key. */
    public String write(JobManifest manifest) {
        String key = key(manifest.jobId(), manifest.type());
        store.put(key, codec.encode(manifest), "application/json", Map.of());
        return key;
    }

    /** Deletes the manifest at {@code key} (a purged job's). */
    public void delete(String key) {
        synchronized (cache) {
            cache.remove(key);
        }
        store.delete(key);
    }

    /** The manifest at {@code key}; empty if there is none. Throws {@link StorageException} if the store fails. */
    public Optional<JobManifest> read(String key) {
        synchronized (cache) {
            JobManifest cached = cache.get(key);
            if (cached != null) {
                return Optional.of(cached);
            }
        }
        JobManifest manifest;
        try {
            manifest = codec.decode(store.get(key), JobManifest.class);
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        }
        synchronized (cache) {
            cache.put(key, manifest);
        }
        return Optional.of(manifest);
    }
}
