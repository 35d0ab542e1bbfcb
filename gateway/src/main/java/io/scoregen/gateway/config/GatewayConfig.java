package io.scoregen.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Everything the gateway reads from configuration ({@code application.properties}, env, -D). */
@ConfigMapping(prefix = "scoregen")
public interface GatewayConfig {

    /**
     * Id written as {@code producer} into the status records of this instance, and the base of its transactional id:
     * unique per instance and stable across its restarts (a restart resumes the jobs it was publishing).
     */
    @WithDefault("gateway")
    String instanceId();

    Api api();

    Kafka kafka();

    Sampling sampling();

    Datasets datasets();

    S3 s3();

    Jobs jobs();

    interface Jobs {
        /**
         * How long a finished job is kept before it is purged (its status tombstoned, its manifest deleted; its results
         * stay); absent: kept until purged by {@code DELETE /v1/jobs/{id}?purge=true}.
         */
        Optional<Duration> retention();
    }

    interface Api {
        /** Accepted bearer tokens for {@code /v1/*} (env {@code SCOREGEN_API_TOKEN}, comma-separated). */
        List<String> tokens();

        /** Largest accepted JSON body. */
        @WithDefault("1048576")
        int maxJsonBytes();

        /** Largest page of {@code GET /v1/jobs}. */
        @WithDefault("500")
        int maxPageSize();

        /** {@code GET /v1/jobs/stream}. */
        Stream stream();
    }

    interface Stream {
        /** Recent changes a client reconnecting with {@code Last-Event-ID} is served from; older ids get a reset. */
        @WithDefault("10000")
        int window();

        /** Changes a client may fall behind by before its stream is ended (it reconnects with Last-Event-ID). */
        @WithDefault("1024")
        int buffer();

        /** Interval of the keep-alive comment, which keeps proxies from closing a quiet stream. */
        @WithDefault("15s")
        Duration keepAlive();
    }

    /**
     * Connection settings; topic names and partitions are the platform's {@code Topics} (keys
     * {@code scoregen.kafka.topic.*}).
     */
    interface Kafka {
        String bootstrapServers();

        /** Create missing topics at start (as {@code TopicAdmin.ensureTopics} does for the local stack). */
        @WithDefault("true")
        boolean createTopics();

        /**
         * How long a submission waits for all its records to be acknowledged; at least 30 s + 5 ms (request timeout +
         * linger).
         */
        @WithDefault("60s")
        Duration sendTimeout();
    }

    interface Sampling {
        /** Samples per shard when a sampling job does not say. */
        @WithDefault("1000")
        int defaultShardSize();

        /**
         * Shards' work records per Kafka transaction of the background publisher: each commits them together with the
         * job's snapshot counting them ({@code published}), the unit a restarted gateway resumes from.
         */
        @WithDefault("1000")
        int publishBatch();
    }

    interface Datasets {
        /** Largest accepted data set upload. */
        @WithDefault("1073741824")
        long maxBytes();
    }

    /**
     * Object store of data sets and results. Where and how to reach it is read by the platform's
     * {@code StoreConfig.fromConfig} ({@code scoregen.s3.endpoint|region|access-key|secret-key|bucket}).
     */
    interface S3 {
        /** Without a store the gateway answers 501 to uploads and job views carry keys only. */
        @WithDefault("true")
        boolean enabled();

        /** How long a presigned result URL stays valid. */
        @WithDefault("1h")
        Duration linkExpiry();
    }
}
