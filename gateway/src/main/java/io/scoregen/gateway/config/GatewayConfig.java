package io.scoregen.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Everything the gateway reads from configuration ({@code application.properties}, env, -D). */
@ConfigMapping(prefix = "scoregen")
public interface GatewayConfig {

    /** Id written as {@code producer} into the status records of this instance. */
    @WithDefault("gateway")
    String instanceId();

    Api api();

    Kafka kafka();

    Sampling sampling();

    Datasets datasets();

    S3 s3();

    interface Api {
        /** Accepted bearer tokens for {@code /v1/*} (env {@code SCOREGEN_API_TOKEN}, comma-separated). */
        List<String> tokens();

        /** Largest accepted JSON body. */
        @WithDefault("1048576")
        int maxJsonBytes();

        /** Largest page of {@code GET /v1/jobs}. */
        @WithDefault("500")
        int maxPageSize();
    }

    interface Kafka {
        String bootstrapServers();

        /** Create missing topics at start (with the partitions below). */
        @WithDefault("true")
        boolean createTopics();

        @WithDefault("1")
        short replicationFactor();

        /** How long a submission waits for all its records to be acknowledged. */
        @WithDefault("60s")
        Duration sendTimeout();

        Topic train();

        Topic sample();

        Topic events();

        Topic status();

        Topic dlq();
    }

    interface Topic {
        String name();

        int partitions();
    }

    interface Sampling {
        /** Samples per shard when a sampling job does not say. */
        @WithDefault("1000")
        int defaultShardSize();
    }

    interface Datasets {
        /** Largest accepted data set upload. */
        @WithDefault("1073741824")
        long maxBytes();
    }

    /** Object store of data sets and results: for the S3-backed {@code DatasetStore} and presigned result URLs. */
    interface S3 {
        Optional<String> endpoint();

        @WithDefault("scoregen")
        String bucket();

        @WithDefault("us-east-1")
        String region();

        Optional<String> accessKey();

        Optional<String> secretKey();
    }
}
