package io.scoregen.gateway.jobs;

import io.quarkus.arc.lookup.LookupIfProperty;
import io.scoregen.gateway.config.GatewayConfig;
import io.scoregen.platform.storage.ObjectStore;
import io.scoregen.platform.storage.StoreConfig;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Result links as presigned GETs of the object store, valid for {@code scoregen.s3.link-expiry}, signed for the host
 * clients reach the store at: {@link StoreConfig#PUBLIC_ENDPOINT} when set (a URL signed for the in-cluster host fails
 * its signature check anywhere else), else the store's own endpoint.
 */
@Singleton
@LookupIfProperty(name = "scoregen.s3.enabled", stringValue = "true")
public class PresignedResultLinks implements ResultLinks {

    private final ObjectStore store;
    /** Signs only (presigning makes no request): the store's credentials at the public endpoint. */
    private final ObjectStore signer;

    private final Duration expiry;

    @Inject
    PresignedResultLinks(ObjectStore store, GatewayConfig config, Config source) {
        this(
                store,
                config.s3().linkExpiry(),
                source.getOptionalValue(StoreConfig.PUBLIC_ENDPOINT, String.class)
                        .map(URI::create));
    }

    /** @param publicEndpoint where clients reach the store, if not at {@code store}'s endpoint */
    PresignedResultLinks(ObjectStore store, Duration expiry, Optional<URI> publicEndpoint) {
        this.store = store;
        this.expiry = expiry;
        this.signer = publicEndpoint
                .map(endpoint -> ObjectStore.open(publicConfig(store, endpoint)))
                .orElse(store);
    }

    private static StoreConfig publicConfig(ObjectStore store, URI endpoint) {
        try {
            return store.config().withEndpoint(endpoint);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(StoreConfig.PUBLIC_ENDPOINT + ": " + e.getMessage(), e);
        }
    }

    @Override
    public URI link(String objectKey) {
        return signer.presignedGet(objectKey, expiry);
    }

    @PreDestroy
    void close() {
        if (signer != store) {
            signer.close();
        }
    }
}
