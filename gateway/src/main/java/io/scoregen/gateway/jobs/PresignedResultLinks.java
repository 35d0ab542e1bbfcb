package io.scoregen.gateway.jobs;

import io.quarkus.arc.lookup.LookupIfProperty;
import io.scoregen.gateway.config.GatewayConfig;
import io.scoregen.platform.storage.ObjectStore;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Duration;

/** Result links as presigned GETs of the object store, valid for {@code scoregen.s3.link-expiry}. */
@Singleton
@LookupIfProperty(name = "scoregen.s3.enabled", stringValue = "true")
public class PresignedResultLinks implements ResultLinks {

    private final ObjectStore store;
    private final Duration expiry;

    PresignedResultLinks(ObjectStore store, GatewayConfig config) {
        this.store = store;
        this.expiry = config.s3().linkExpiry();
    }

    @Override
    public URI link(String objectKey) {
        return store.presignedGet(objectKey, expiry);
    }
}
