package io.scoregen.gateway.storage;

import io.quarkus.arc.lookup.LookupIfProperty;
import io.quarkus.runtime.StartupEvent;
import io.scoregen.gateway.config.GatewayConfig;
import io.scoregen.platform.storage.ObjectStore;
import io.scoregen.platform.storage.StoreConfig;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * The object store as a bean, configured by the platform's {@link StoreConfig#fromConfig} (the keys the workers read
 * too). Present only when {@code scoregen.s3.enabled}; then the bucket is ensured at start, with the store's retries,
 * so a gateway started next to a still-booting S3 waits for it.
 */
@Singleton
public final class StorageBeans {

    private static final Logger LOG = Logger.getLogger(StorageBeans.class);

    @Produces
    @Singleton
    @LookupIfProperty(name = "scoregen.s3.enabled", stringValue = "true")
    ObjectStore objectStore(Config source) {
        return ObjectStore.open(StoreConfig.fromConfig(key -> source.getOptionalValue(key, String.class)));
    }

    void closeStore(@Disposes ObjectStore store) {
        store.close();
    }

    void ensureBucket(@Observes StartupEvent start, GatewayConfig config, Instance<ObjectStore> stores) {
        if (config.s3().enabled()) {
            ObjectStore store = stores.get();
            store.ensureBucket();
            LOG.infof("object store ready: %s", store.config());
        }
    }
}
