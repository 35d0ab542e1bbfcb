package io.scoregen.gateway.jobs;

import io.micrometer.core.instrument.Counter;
import io.scoregen.gateway.metrics.GatewayMetrics;
import io.scoregen.job.SampleJob;
import io.scoregen.job.SampleShard;
import io.scoregen.platform.kafka.ProducerSettings;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobStatus;
import io.scoregen.platform.messages.MessageCodec;
import io.scoregen.platform.messages.MessageValidator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.jboss.logging.Logger;

/**
 * Publishes the work records of sampling jobs in the background, on one thread with one transactional producer: per
 * batch of shards (of one job or of several small ones), ONE transaction holds the batch's records on the sample topic
 * and each job's snapshot with {@code published} advanced (the last batch's moves it to QUEUED). Readers are
 * read_committed, so the snapshot's count is always exactly the shards out, and a restart resumes from it without a
 * duplicate or a gap.
 *
 * <p>The transactional id is {@code scoregen-gateway-<instance id>}: a restarted instance fences its predecessor (its
 * open transaction is aborted), then resumes every job still PUBLISHING whose snapshot names it as producer. With
 * several gateway instances each resumes its own. A job whose snapshot has ended (CANCELLED) gets no further shard; a
 * job that makes no progress for the deadline (the broker gone) is marked FAILED with the reason.
 */
public final class ShardPublisher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ShardPublisher.class);
    private static final MessageCodec CODEC = new MessageCodec();
    /** Between attempts on a broker error: the producer's own timeouts bound each attempt. */
    private static final long RETRY_PAUSE_MS = 500;

    private final Properties producerProperties;
    private final String sampleTopic;
    private final String statusTopic;
    private final String instanceId;
    private final int batchSize;
    private final Duration deadline;
    private final JobRegistry registry;
    private final GatewayMetrics metrics;
    private final Counter shardsPublished;
    private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
    /** Held around each commit and each cancel, so that a cancel never lands between a check and a commit. */
    private final ReentrantLock commits = new ReentrantLock();

    private final Thread thread;
    private volatile boolean closed;
    /** The publisher thread's only. */
    private KafkaProducer<byte[], byte[]> producer;

    /** What the publisher's settings are; the registry must be started (its catching up gates resuming). */
    public record Settings(
            String bootstrapServers,
            String sampleTopic,
            String statusTopic,
            String instanceId,
            int batchSize,
            Duration deadline) {}

    /** An action run while no batch is committed, such as writing a cancel. */
    public interface Exclusive<T, E extends Exception> {
        T run() throws E;
    }

    public ShardPublisher(Settings settings, JobRegistry registry, GatewayMetrics metrics, Counter shardsPublished) {
        if (settings.batchSize() < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + settings.batchSize());
        }
        this.sampleTopic = settings.sampleTopic();
        this.statusTopic = settings.statusTopic();
        this.instanceId = settings.instanceId();
        this.batchSize = settings.batchSize();
        this.deadline = settings.deadline();
        this.registry = registry;
        this.metrics = metrics;
        this.shardsPublished = shardsPublished;
        producerProperties = new ProducerSettings(
                        settings.bootstrapServers(),
                        "scoregen-gateway-publisher",
                        settings.deadline(),
                        Duration.ofMillis(5))
                .toProperties();
        producerProperties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "scoregen-gateway-" + instanceId);
        producerProperties.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(128 * 1024));
        thread = new Thread(this::run, "scoregen-shard-publisher");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Queues a job whose PUBLISHING snapshot the registry holds; returns at once. */
    public void publish(String jobId) {
        queue.add(jobId);
    }

    /** Runs {@code action} between two commits: what it writes follows every batch committed so far. */
    public <T, E extends Exception> T exclusive(Exclusive<T, E> action) throws E {
        commits.lock();
        try {
            return action.run();
        } finally {
            commits.unlock();
        }
    }

    private void run() {
        try {
            try {
                // Fence the instance's predecessor first: its open transaction is aborted, so what the registry
                // reads of its jobs is all it committed.
                producer();
            } catch (KafkaException e) {
                closeProducer();
                LOG.warnf("transactional producer not ready yet (%s); retrying with the first job", e.getMessage());
            }
            registry.caughtUp().get();
            List<String> resumed = registry.publishing(instanceId);
            if (!resumed.isEmpty()) {
                LOG.infof("resuming the publishing of %d jobs", resumed.size());
            }
            queue.addAll(resumed);
            while (!closed) {
                String jobId = queue.poll(1, TimeUnit.SECONDS);
                if (jobId != null) {
                    List<String> jobIds = new ArrayList<>(List.of(jobId));
                    queue.drainTo(jobIds, batchSize - 1);
                    try {
                        publishAll(jobIds);
                    } catch (ProducerFencedException e) {
                        throw e;
                    } catch (RuntimeException e) {
                        // Not the end of the publisher: these jobs stay PUBLISHING, the next start resumes them.
                        LOG.errorf(e, "cannot publish jobs %s", jobIds);
                    }
                }
            }
        } catch (InterruptedException e) {
            // close()
        } catch (ExecutionException e) {
            LOG.error("the registry did not catch up; nothing is published", e.getCause());
        } catch (ProducerFencedException e) {
            LOG.errorf("another gateway took this instance's transactional id over; publishing stops: %s", e);
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.error("shard publisher stopped", e);
            }
        } finally {
            closeProducer();
        }
    }

    /** A job being published: its shards, how many are out, its latest snapshot, when it last made progress. */
    private static final class Pending {
        final List<SampleShard> shards;
        int published;
        JobStatus current;
        long progressAt = System.nanoTime();

        Pending(List<SampleShard> shards, JobStatus current) {
            this.shards = shards;
            this.current = current;
            this.published = current.published() == null ? 0 : current.published();
        }
    }

    /** One job's share of a transaction: its shards up to {@code end}, and the snapshot that counts them. */
    private record Part(Pending job, int end, JobStatus next) {}

    /**
     * Publishes {@code jobIds} to the end. A transaction holds up to {@code batchSize} shards of one job or of several:
     * a burst of small jobs costs one commit per batch, not one per job.
     */
    private void publishAll(List<String> jobIds) throws InterruptedException {
        Deque<Pending> pending = new ArrayDeque<>();
        // A job can be queued twice (submitted while the publisher resumed its instance's jobs): publish it once.
        for (String jobId : new LinkedHashSet<>(jobIds)) {
            pending(jobId).ifPresent(pending::add);
        }
        while (!pending.isEmpty()) {
            List<Part> parts = new ArrayList<>();
            int room = batchSize;
            long now = System.currentTimeMillis();
            for (Pending job : pending) {
                if (room == 0) {
                    break;
                }
                int end = Math.min(job.shards.size(), job.published + room);
                room -= end - job.published;
                parts.add(new Part(
                        job,
                        end,
                        job.current.withPublished(end, Math.max(now, job.current.updatedAt() + 1), instanceId)));
            }
            KafkaException failure = null;
            commits.lock();
            try {
                // A job cancelled meanwhile gets no further shard.
                parts.removeIf(part -> {
                    String jobId = part.job().current.jobId();
                    if (registry.snapshot(jobId)
                            .map(st -> st.status().isTerminal())
                            .orElse(true)) {
                        LOG.infof(
                                "job %s ended while publishing: %d of %d shards out",
                                jobId, part.job().published, part.job().shards.size());
                        pending.remove(part.job());
                        return true;
                    }
                    return false;
                });
                if (!parts.isEmpty()) {
                    commit(parts);
                    parts.forEach(part -> registry.apply(part.next()));
                }
            } catch (ProducerFencedException e) {
                throw e;
            } catch (KafkaException e) {
                closeProducer();
                failure = e;
            } finally {
                commits.unlock();
            }
            if (closed) {
                return; // still PUBLISHING: the next start resumes them
            }
            long progressAt = System.nanoTime();
            for (Part part : parts) {
                Pending job = part.job();
                if (failure == null) {
                    shardsPublished.increment(part.end() - job.published);
                    job.published = part.end();
                    job.current = part.next();
                    job.progressAt = progressAt;
                    if (job.published == job.shards.size()) {
                        pending.remove(job);
                    }
                } else if (progressAt - job.progressAt > deadline.toNanos()) {
                    fail(job.current, job.published, job.shards.size(), failure);
                    pending.remove(job);
                }
            }
            if (failure != null && !pending.isEmpty()) {
                LOG.warnf("publishing %d jobs: %s; retrying", pending.size(), failure.getMessage());
                Thread.sleep(RETRY_PAUSE_MS);
            }
        }
    }

    /**
     * The job to publish, if its snapshot is still PUBLISHING (not published already after being queued twice, nor
     * cancelled, nor forgotten); a job whose spec cannot even be read is skipped, and stays PUBLISHING.
     */
    private Optional<Pending> pending(String jobId) {
        Optional<JobStatus> held = registry.snapshot(jobId).filter(st -> st.status() == JobState.PUBLISHING);
        if (held.isEmpty()) {
            return Optional.empty();
        }
        try {
            List<SampleShard> shards = MessageValidator.requireValid(CODEC.decodeRequest(
                            held.get().spec().toString().getBytes(StandardCharsets.UTF_8), SampleJob.class))
                    .shards();
            return Optional.of(new Pending(shards, held.get()));
        } catch (RuntimeException e) {
            LOG.errorf(e, "cannot publish job %s; it stays PUBLISHING", jobId);
            return Optional.empty();
        }
    }

    /** One transaction: every part's shard records and the snapshots counting them, or nothing. */
    private void commit(List<Part> parts) {
        KafkaProducer<byte[], byte[]> p = producer();
        int partitions = p.partitionsFor(sampleTopic).size();
        p.beginTransaction();
        long sent = System.nanoTime();
        for (Part part : parts) {
            // Round robin from a place of the job's own: each worker owns partitions, so the shards spread evenly
            // over them rather than as the keys' hashes fall (100 shards hashed put 60 on one of two workers).
            int first = part.job().current.jobId().hashCode();
            for (SampleShard shard : part.job().shards.subList(part.job().published, part.end())) {
                int partition = Math.floorMod(first + shard.shardIndex(), partitions);
                ProducerRecord<byte[], byte[]> record =
                        new ProducerRecord<>(sampleTopic, partition, utf8(shard.key()), CODEC.encode(shard));
                p.send(record, (ack, failure) -> {
                    if (failure == null) {
                        metrics.published(sampleTopic, Duration.ofNanos(System.nanoTime() - sent));
                    }
                });
            }
            p.send(new ProducerRecord<>(statusTopic, utf8(part.next().jobId()), CODEC.encode(part.next())));
        }
        // Throws what any send failed with; the transaction is then not committed.
        p.commitTransaction();
    }

    /** Marks a job that cannot be published FAILED; if even that cannot be written, the next start resumes it. */
    private void fail(JobStatus current, int published, int total, KafkaException cause) {
        JobStatus failed = current.with(
                JobState.FAILED,
                "publishing failed after " + published + " of " + total + " shards: " + cause.getMessage(),
                Math.max(System.currentTimeMillis(), current.updatedAt() + 1),
                instanceId);
        commits.lock();
        try {
            KafkaProducer<byte[], byte[]> p = producer();
            p.beginTransaction();
            p.send(new ProducerRecord<>(statusTopic, utf8(failed.jobId()), CODEC.encode(failed)));
            p.commitTransaction();
            registry.apply(failed);
            LOG.errorf("job %s failed: %s", failed.jobId(), failed.message());
        } catch (ProducerFencedException e) {
            throw e;
        } catch (KafkaException e) {
            closeProducer();
            LOG.errorf("cannot mark job %s failed (%s); it stays PUBLISHING", failed.jobId(), e.getMessage());
        } finally {
            commits.unlock();
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(producerProperties);
            producer = p;
            p.initTransactions();
        }
        return producer;
    }

    /** Drops the producer without committing: its open transaction is aborted by the next one's initTransactions. */
    private void closeProducer() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    private static byte[] utf8(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    /** Stops at once, mid-transaction if it is in one: what is not committed is never seen. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
