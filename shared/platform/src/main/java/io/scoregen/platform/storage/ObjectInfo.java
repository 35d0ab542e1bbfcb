package io.scoregen.platform.storage;

import java.time.Instant;
import java.util.Map;

/**
 * What the store knows about one object. {@code userMetadata} keys are lower-cased (servers return them
 * canonical-cased); {@code contentType} and {@code userMetadata} are empty in listings, which carry only key, size,
 * etag and time.
 */
public record ObjectInfo(
        String key,
        long size,
        String etag,
        Instant lastModified,
        String contentType,
        Map<String, String> userMetadata) {

    public ObjectInfo {
        userMetadata = Map.copyOf(userMetadata);
    }
}
