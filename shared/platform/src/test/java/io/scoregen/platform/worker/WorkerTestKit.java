package io.scoregen.platform.worker;

import io.scoregen.platform.kafka.DeadLetters;
import io.scoregen.platform.kafka.ProducerSettings;
import io.scoregen.platform.kafka.TopicAdmin;
import io.scoregen.platform.kafka.Topics;
import io.scoregen.platform.messages.JobEvent;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobStatus;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.messages.MessageCodec;
import io.scoregen.platform.storage.ObjectStore;
import io.scoregen.platform.storage.StoreConfig;
import io.scoregen.platform.testing.S3ProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Helpers for tests of workers against a real broker: a config with topic and group names of its own (so tests sharing
 * a broker do not see each other's records), producing, reading topics, offsets.
 */
public final class WorkerTestKit {

    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final MessageCodec CODEC = new MessageCodec();

    private WorkerTestKit() {}

    /**
     * A config for {@code bootstrap} with fresh topic and group names (the topics are created now, so that a test may
     * write to them before any worker runs), plus {@code extra} keys.
     */
    public static WorkerConfig config(String bootstrap, Map<String, String> extra) {
        String run =
                "t" + RUNS.incrementAndGet() + "-" + ProcessHandle.current().pid();
        Map<String, String> values = new HashMap<>();
        values.put(WorkerConfig.BOOTSTRAP_SERVERS, bootstrap);
        values.put(WorkerConfig.WORKER_ID, "worker-" + run);
        for (String role : List.of("train", "sample", "events", "status", "dlq")) {
            values.put(Topics.PREFIX + "topic." + role + ".name", run + "." + role);
        }
        values.put(Topics.PREFIX + "group.train", run + "-train");
        values.put(Topics.PREFIX + "group.sample", run + "-sample");
        values.put(WorkerConfig.PROGRESS_INTERVAL_MS, "0");
        values.putAll(extra);
        WorkerConfig config = WorkerConfig.of(values);
        TopicAdmin.ensureTopics(bootstrap, topics(config));
        return config;
    }

    /** Another worker of the same run as {@code config}: same broker, topics, groups and intervals, its own id. */
    public static WorkerConfig peer(WorkerConfig config, String workerId) {
        return WorkerConfig.of(peerValues(config, workerId));
    }

    /**
     * {@link #peer}'s settings as {@code -Dkey=value} options of a worker process of its own (a JVM that a test may let
     * die).
     */
    public static List<String> peerOptions(WorkerConfig config, String workerId) {
        return peerValues(config, workerId).entrySet().stream()
                .map(e -> "-D" + e.getKey() + "=" + e.getValue())
                .sorted()
                .toList();
    }

    private static Map<String, String> peerValues(WorkerConfig config, String workerId) {
        Map<String, String> values = new HashMap<>();
        List<String> keys = new ArrayList<>(List.of(
                WorkerConfig.BOOTSTRAP_SERVERS,
                WorkerConfig.PROGRESS_INTERVAL_MS,
                WorkerConfig.LAG_INTERVAL_MS,
                WorkerConfig.HAND_OFF_AFTER_MS,
                WorkerConfig.MAX_POLL_INTERVAL_MS,
                WorkerConfig.SESSION_TIMEOUT_MS,
                WorkerConfig.MAX_ATTEMPTS,
                Topics.PREFIX + "group.train",
                Topics.PREFIX + "group.sample"));
        for (String role : List.of("train", "sample", "events", "status", "dlq")) {
            keys.add(Topics.PREFIX + "topic." + role + ".name");
            keys.add(Topics.PREFIX + "topic." + role + ".partitions");
        }
        keys.forEach(key -> config.lookup().apply(key).ifPresent(value -> values.put(key, value)));
        values.put(WorkerConfig.WORKER_ID, workerId);
        return values;
    }

    /**
     * A config for {@code bootstrap} and the test S3Proxy {@code s3}, as {@link #config(String, Map)}, working in
     * {@code workDir} and reporting progress every 500 ms, plus {@code extra} keys.
     */
    public static WorkerConfig config(String bootstrap, S3ProxyServer s3, Path workDir, Map<String, String> extra) {
        Map<String, String> keys = new HashMap<>(storeKeys(s3));
        keys.put(WorkerConfig.WORK_DIR, workDir.toString());
        keys.put(WorkerConfig.PROGRESS_INTERVAL_MS, "500");
        keys.putAll(extra);
        return config(bootstrap, keys);
    }

    /** An object store on the test S3Proxy {@code s3}, its bucket created. */
    public static ObjectStore openStore(S3ProxyServer s3) {
        Map<String, String> keys = storeKeys(s3);
        ObjectStore store = ObjectStore.open(StoreConfig.fromConfig(key -> Optional.ofNullable(keys.get(key))));
        store.ensureBucket();
        return store;
    }

    /** The {@code scoregen.s3.*} keys of a test S3Proxy, bucket {@code scoregen}. */
    public static Map<String, String> storeKeys(S3ProxyServer s3) {
        return Map.of(
                StoreConfig.ENDPOINT,
                s3.endpoint().toString(),
                StoreConfig.ACCESS_KEY,
                s3.accessKey(),
                StoreConfig.SECRET_KEY,
                s3.secretKey(),
                StoreConfig.BUCKET,
                "scoregen");
    }

    public static String bootstrap(WorkerConfig config) {
        return config.settings().kafka().bootstrapServers();
    }

    public static Topics topics(WorkerConfig config) {
        return Topics.fromConfig(config.lookup());
    }

    public static void send(WorkerConfig config, String topic, String key, byte[] value) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                ProducerSettings.of(bootstrap(config), "test-producer").toProperties())) {
            producer.send(new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value))
                    .get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("could not send to " + topic, e);
        }
    }

    public static void sendMessage(WorkerConfig config, String topic, String key, Object message) {
        send(config, topic, key, CODEC.encode(message));
    }

    /** Sends {@code messages} in one Kafka transaction, committed or aborted, as the gateway publishes shards. */
    public static void sendInTransaction(
            WorkerConfig config, String topic, String key, List<?> messages, boolean commit) {
        Properties p =
                ProducerSettings.of(bootstrap(config), "test-tx-producer").toProperties();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-tx-" + RUNS.incrementAndGet());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (Object message : messages) {
                producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), CODEC.encode(message)));
            }
            if (commit) {
                producer.commitTransaction();
            } else {
                producer.flush();
                producer.abortTransaction();
            }
        }
    }

    /** Writes a status snapshot as the gateway would. */
    public static void sendStatus(
            WorkerConfig config, String jobId, JobType type, JobState state, long total, int shards) {
        long now = System.currentTimeMillis();
        sendMessage(
                config,
                topics(config).status().name(),
                jobId,
                new JobStatus(jobId, type, state, total, shards, now, now, null, "test"));
    }

    /**
     * Reads {@code topic} from the beginning until {@code done} holds for what was read, or fails after
     * {@code timeout}.
     */
    public static List<ConsumerRecord<byte[], byte[]>> readUntil(
            WorkerConfig config, String topic, Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(config));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            List<TopicPartition> partitions = List.of();
            while (partitions.isEmpty() && System.nanoTime() < deadline) {
                partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                        .map(i -> new TopicPartition(topic, i.partition()))
                        .toList();
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!done.test(read)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out reading " + topic + "; read " + read.size() + " records");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
        }
        return read;
    }

    /** The events on the events topic, decoded, until {@code done} holds. */
    public static List<JobEvent> eventsUntil(WorkerConfig config, Predicate<List<JobEvent>> done, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> records = readUntil(
                config, topics(config).events().name(), read -> done.test(decode(read, JobEvent.class)), timeout);
        return decode(records, JobEvent.class);
    }

    public static <T> List<T> decode(List<ConsumerRecord<byte[], byte[]>> records, Class<T> type) {
        return records.stream().map(r -> CODEC.read(r.value(), type)).collect(Collectors.toList());
    }

    /** The group's committed offsets, by partition (absent: never committed). */
    public static Map<TopicPartition, Long> committed(WorkerConfig config, String group) {
        Map<TopicPartition, Long> out = new HashMap<>();
        committedWithMetadata(config, group).forEach((tp, om) -> out.put(tp, om.offset()));
        return out;
    }

    /** The group's committed offsets with their metadata, by partition (absent: never committed). */
    public static Map<TopicPartition, OffsetAndMetadata> committedWithMetadata(WorkerConfig config, String group) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(config));
        try (Admin admin = Admin.create(p)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get();
            Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
            offsets.forEach((tp, om) -> {
                if (om != null) {
                    out.put(tp, om);
                }
            });
            return out;
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("could not read offsets of " + group, e);
        }
    }

    /** The records on the dead-letter topic, read until there is at least one. */
    public static List<ConsumerRecord<byte[], byte[]>> deadLetters(WorkerConfig config, Duration timeout) {
        return readUntil(config, topics(config).dlq().name(), read -> !read.isEmpty(), timeout);
    }

    /** The one record on the dead-letter topic: fails if there are more (or, after {@code timeout}, none). */
    public static ConsumerRecord<byte[], byte[]> onlyDeadLetter(WorkerConfig config, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> dead = deadLetters(config, timeout);
        if (dead.size() != 1) {
            throw new AssertionError("expected one dead letter, got " + dead.size());
        }
        return dead.get(0);
    }

    /** A record's key, as text. */
    public static String key(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.key(), StandardCharsets.UTF_8);
    }

    /** Why a dead letter was dead-lettered: its {@link DeadLetters#REASON} header. */
    public static String reason(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8);
    }

    /** The first FAILED snapshot on the status topic, read until there is one (fails after {@code timeout}). */
    public static JobStatus failedStatus(WorkerConfig config, Duration timeout) {
        return decode(
                        readUntil(
                                config,
                                topics(config).status().name(),
                                read -> decode(read, JobStatus.class).stream()
                                        .anyMatch(s -> s.status() == JobState.FAILED),
                                timeout),
                        JobStatus.class)
                .stream()
                .filter(s -> s.status() == JobState.FAILED)
                .findFirst()
                .orElseThrow();
    }

    /**
     * Waits (by polling the worker's own count) until {@code n} records are committed, or fails after {@code timeout}.
     */
    public static void awaitCommitted(JobConsumer<?> worker, long n, Duration timeout) {
        awaitCommitted(worker::committedCount, n, timeout);
    }

    /** {@link #awaitCommitted(JobConsumer, long, Duration)} of a count of several workers' commits. */
    public static void awaitCommitted(LongSupplier committed, long n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (committed.getAsLong() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + committed.getAsLong() + " of " + n + " records committed");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    /**
     * A producer for a broker that is down (a loopback port nothing listens on): every send fails, each within
     * {@code maxBlock} (the wait for the topic's metadata).
     */
    public static KafkaProducer<byte[], byte[]> unreachableProducer(Duration maxBlock) {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties p = ProducerSettings.of("127.0.0.1:" + port, "unreachable").toProperties();
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(maxBlock.toMillis()));
        return new KafkaProducer<>(p);
    }

    /** Runs the consumer's loop on a thread of its own. */
    public static Thread start(JobConsumer<?> consumer) {
        Thread thread = new Thread(consumer::run, consumer.workerId() + "-loop");
        thread.start();
        return thread;
    }
}
