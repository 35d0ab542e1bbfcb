package io.scoregen.platform.storage;

import io.scoregen.platform.retry.RetryPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Where and how to reach the object store.
 *
 * @param endpoint {@code http(s)://host:port} of the S3 API (no path)
 * @param region signing region; S3Proxy and MinIO accept {@code us-east-1}
 * @param accessKey access key id
 * @param secretKey secret key
 * @param bucket the one bucket all scoregen objects live in
 * @param retry how transient failures are retried
 */
public record StoreConfig(
        URI endpoint, String region, String accessKey, String secretKey, String bucket, RetryPolicy retry) {

    public static final String DEFAULT_REGION = "us-east-1";

    /**
     * About 30 s of retrying in total: long enough to ride out a storage restart, short enough to fail a job visibly.
     */
    public static final RetryPolicy DEFAULT_RETRY =
            new RetryPolicy(8, Duration.ofMillis(200), Duration.ofSeconds(10), 2.0);

    /** Config keys read by {@link #fromConfig}; the defaults are those of {@code infra/bin/stack.sh}. */
    public static final String ENDPOINT = "scoregen.s3.endpoint";

    public static final String REGION = "scoregen.s3.region";
    public static final String ACCESS_KEY = "scoregen.s3.access-key";
    public static final String SECRET_KEY = "scoregen.s3.secret-key";
    public static final String BUCKET = "scoregen.s3.bucket";
    /**
     * Where clients outside the cluster reach the store, when not at {@link #ENDPOINT} (the gateway signs result links
     * for it; a presigned URL is valid for the host it was signed for only).
     */
    public static final String PUBLIC_ENDPOINT = "scoregen.s3.public-endpoint";

    // S3 bucket naming rules (lower case, digits, dots, hyphens; 3..63; starts and ends alphanumeric).
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    public StoreConfig {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(retry, "retry");
        String scheme = endpoint.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("endpoint must be http(s)://host:port, got " + endpoint);
        }
        if (endpoint.getHost() == null) {
            throw new IllegalArgumentException("endpoint has no host: " + endpoint);
        }
        if (endpoint.getPath() != null && !endpoint.getPath().isEmpty() && !"/".equals(endpoint.getPath())) {
            throw new IllegalArgumentException(
                    "endpoint must not have a path (path-style buckets are added by the client): " + endpoint);
        }
        region = region == null || region.isBlank() ? DEFAULT_REGION : region;
        requireText(accessKey, "accessKey");
        requireText(secretKey, "secretKey");
        if (bucket == null || !BUCKET_NAME.matcher(bucket).matches() || bucket.contains("..")) {
            throw new IllegalArgumentException("not a valid S3 bucket name: " + bucket);
        }
    }

    /** Default region and retry policy. */
    public static StoreConfig of(URI endpoint, String accessKey, String secretKey, String bucket) {
        return new StoreConfig(endpoint, DEFAULT_REGION, accessKey, secretKey, bucket, DEFAULT_RETRY);
    }

    /**
     * From any key/value source (system properties, MicroProfile config, which also maps the environment variables
     * {@code SCOREGEN_S3_ENDPOINT} etc.), with the local stack's defaults: {@code http://127.0.0.1:9000},
     * {@code scoregen} / {@code scoregen-secret}, bucket {@code scoregen}.
     */
    public static StoreConfig fromConfig(Function<String, Optional<String>> lookup) {
        return new StoreConfig(
                URI.create(lookup.apply(ENDPOINT).orElse("http://127.0.0.1:9000")),
                lookup.apply(REGION).orElse(DEFAULT_REGION),
                lookup.apply(ACCESS_KEY).orElse("scoregen"),
                lookup.apply(SECRET_KEY).orElse("scoregen-secret"),
                lookup.apply(BUCKET).orElse("scoregen"),
                DEFAULT_RETRY);
    }

    public StoreConfig withRetry(RetryPolicy policy) {
        return new StoreConfig(endpoint, region, accessKey, secretKey, bucket, policy);
    }

    /** The same store reached at {@code other} (validated as {@link #endpoint}). */
    public StoreConfig withEndpoint(URI other) {
        return new StoreConfig(other, region, accessKey, secretKey, bucket, retry);
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    /** Keeps the secret out of logs. */
    @Override
    public String toString() {
        return "StoreConfig[endpoint=" + endpoint + ", region=" + region + ", accessKey=" + accessKey + ", bucket="
                + bucket + ", retry=" + retry + "]";
    }
}
