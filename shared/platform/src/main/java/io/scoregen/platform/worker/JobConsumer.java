package io.scoregen.platform.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scoregen.platform.kafka.ConsumerSettings;
import io.scoregen.platform.kafka.DeadLetters;
import io.scoregen.platform.kafka.ProducerSettings;
import io.scoregen.platform.kafka.TopicAdmin;
import io.scoregen.platform.kafka.Topics;
import io.scoregen.platform.messages.InvalidMessageException;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobStatus;
import io.scoregen.platform.messages.MessageCodec;
import io.scoregen.platform.metrics.FailureReason;
import io.scoregen.platform.metrics.WorkerMetrics;
import io.scoregen.platform.retry.RetryPolicy;
import io.scoregen.platform.storage.StorageKeys;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker loop: takes one job record at a time from its group's topic and runs it to a durable result before
 * committing (at-least-once; jobs are idempotent by id).
 *
 * <ul>
 *   <li>Poison (undecodable, invalid, or {@link PoisonJobException}) → DLQ with the reason, a FAILED status if the job
 *       id can be read, commit.
 *   <li>The handler runs on its own thread while this thread keeps polling with every partition paused, so a job longer
 *       than {@code max.poll.interval.ms} keeps its partition.
 *   <li>A CANCELLED status, {@link #shutdown()} or the revocation of the job's partition ask the handler to stop at its
 *       next boundary; only a cancelled job is committed. Revocation waits for the handler to stop (checkpoint written)
 *       before the partition moves, at most half of {@code max.poll.interval}; a revoked job's outcome is the new
 *       owner's (nothing committed, dead-lettered or reported here), and only owned partitions are ever committed.
 *   <li>A train job's success is also written to the status topic (SUCCEEDED), before the commit.
 *   <li>A transient failure seeks back and retries after a {@link RetryPolicy} backoff that doubles from a second up to
 *       a minute: through an outage (store or broker unreachable) without end, after an answered error (5xx, I/O) at
 *       most {@code scoregen.worker.transient-attempts} runs in a row; any other failure, or the last of those runs,
 *       makes the job FAILED (DLQ, status) and commits.
 * </ul>
 *
 * Cooperative rebalancing: a worker joining the group does not revoke partitions that stay put. Every outcome is
 * counted in {@link WorkerMetrics}, and the lag of the held partitions is measured while polling.
 */
public final class JobConsumer<T> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobConsumer.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /**
     * A job failing transiently is redelivered at most a minute apart: through an outage for as long as it takes, on
     * other errors {@code scoregen.worker.transient-attempts} times.
     */
    private static final RetryPolicy TRANSIENT_RETRY =
            new RetryPolicy(Integer.MAX_VALUE, Duration.ofSeconds(1), Duration.ofMinutes(1), 2.0);
    /** How long a revocation waits for the job to checkpoint and stop, at most (see {@link #stopGrace}). */
    private static final Duration STOP_GRACE = Duration.ofMinutes(2);

    /**
     * A job in progress on the handler thread, started at {@code startNanos}; {@code moved} once its partition was
     * revoked (its outcome is then the new owner's).
     */
    private record Running(
            TopicPartition partition, JobContext context, Future<?> result, long startNanos, AtomicBoolean moved) {}

    /** The record whose transient failures {@link #transientFailures} counts. */
    private record Attempted(TopicPartition partition, long offset) {}

    private final WorkerConfig config;
    private final JobKind<T> kind;
    private final JobHandler<T> handler;
    private final String workerId;
    private final String topic;
    private final Producer<byte[], byte[]> producer;
    private final EventPublisher events;
    private final DeadLetters deadLetters;
    private final StatusTable statuses;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ExecutorService runner;
    private final WorkerMetrics metrics;
    private final ConsumerLag lag;
    private final MessageCodec codec = new MessageCodec();
    private final ObjectMapper json = new ObjectMapper();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong committed = new AtomicLong();
    private volatile boolean shutdown;
    private volatile boolean started;
    private volatile Running current;
    private boolean announced;
    /** Consecutive transient failures of {@link #retried}. */
    private int transientFailures;

    private Attempted retried;
    /**
     * How long a revocation waits: below {@code max.poll.interval}, which bounds the rebalance; waiting longer would
     * get this worker evicted while its job still runs.
     */
    private final Duration stopGrace;

    private JobConsumer(WorkerConfig config, JobKind<T> kind, JobHandler<T> handler, WorkerMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.kind = kind;
        this.handler = handler;
        this.workerId = config.workerId();
        Topics topics = Topics.fromConfig(config.lookup());
        WorkerConfig.Settings.Worker worker = config.settings().worker();
        String bootstrap = config.settings().kafka().bootstrapServers();
        TopicAdmin.ensureTopics(bootstrap, topics);
        this.topic = kind.topic().apply(topics).name();
        this.producer =
                new KafkaProducer<>(ProducerSettings.of(bootstrap, workerId).toProperties());
        this.events = new EventPublisher(producer, topics, workerId, Duration.ofSeconds(30), Clock.systemUTC());
        this.deadLetters = new DeadLetters(producer, topics);
        this.statuses = StatusTable.follow(bootstrap, topics.status().name(), workerId, Duration.ofSeconds(60));
        ConsumerSettings jobs = ConsumerSettings.forJobs(bootstrap, kind.group().apply(topics), workerId);
        ConsumerSettings settings = new ConsumerSettings(
                bootstrap,
                jobs.groupId(),
                workerId,
                worker.maxPollInterval(),
                jobs.maxPollRecords(),
                worker.sessionTimeout(),
                jobs.offsetReset());
        var properties = settings.toProperties();
        properties.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        this.consumer = new KafkaConsumer<>(properties);
        Duration halfPoll = worker.maxPollInterval().dividedBy(2);
        this.stopGrace = halfPoll.compareTo(STOP_GRACE) < 0 ? halfPoll : STOP_GRACE;
        this.lag = new ConsumerLag(consumer, metrics, worker.lagInterval());
        this.runner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, workerId + "-job");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Connects (creating missing topics), reads the status topic, and is ready to {@link #run()}; counts into
     * {@code metrics}, whose kind is {@code kind}'s.
     */
    public static <T> JobConsumer<T> open(
            WorkerConfig config, JobKind<T> kind, JobHandler<T> handler, WorkerMetrics metrics) {
        return new JobConsumer<>(config, kind, handler, metrics);
    }

    public String workerId() {
        return workerId;
    }

    /** Records committed so far (jobs done, cancelled, failed or dead-lettered). */
    public long committedCount() {
        return committed.get();
    }

    /** Polls and runs jobs until {@link #shutdown()}; then leaves the group. */
    public void run() {
        started = true;
        try {
            consumer.subscribe(List.of(topic), new Rebalance());
            while (!shutdown) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(POLL);
                } catch (WakeupException e) {
                    continue;
                }
                lag.refreshIfDue();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (!consumer.assignment().contains(new TopicPartition(record.topic(), record.partition()))) {
                        continue; // revoked while an earlier record of this poll ran: the new owner reads it
                    }
                    process(record);
                    if (shutdown) {
                        break;
                    }
                }
            }
        } finally {
            try {
                consumer.close();
            } finally {
                stopped.countDown();
            }
        }
    }

    /** Asks {@link #run()} to stop: a running job stops at its next boundary, uncommitted. Thread-safe. */
    public void shutdown() {
        shutdown = true;
        consumer.wakeup();
    }

    /** Waits until {@link #run()} has returned. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void process(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        T job;
        try {
            job = codec.read(record.value() == null ? new byte[0] : record.value(), kind.messageType());
        } catch (InvalidMessageException e) {
            deadLetter(
                    record,
                    "invalid " + kind.messageType().getSimpleName() + ": " + e.getMessage(),
                    e,
                    rawJobId(record));
            metrics.taskFailed(FailureReason.INVALID);
            commit(partition, record);
            return;
        }
        String jobId = kind.jobId().apply(job);
        if (statuses.isCancelled(jobId)) {
            LOG.info("skipping cancelled job {} ({})", jobId, where(record));
            commit(partition, record);
            return;
        }
        JobContext context =
                new JobContext(jobId, events, config.settings().worker().progressInterval(), metrics::progressed);
        LOG.info("starting job {} ({})", jobId, where(record));
        metrics.taskStarted();
        long started = System.nanoTime();
        Running running = new Running(
                partition,
                context,
                runner.submit(() -> {
                    handler.handle(job, context);
                    return null;
                }),
                started,
                new AtomicBoolean());
        current = running;
        consumer.pause(consumer.assignment());
        try {
            while (!running.result().isDone()) {
                if (shutdown) {
                    context.requestStop(StopReason.SHUTDOWN);
                }
                if (statuses.isCancelled(jobId)) {
                    context.requestStop(StopReason.CANCELLED);
                }
                pollPaused();
            }
        } finally {
            current = null;
            metrics.taskEnded();
        }
        finish(record, partition, running);
        consumer.resume(consumer.paused());
    }

    private void finish(ConsumerRecord<byte[], byte[]> record, TopicPartition partition, Running running) {
        String jobId = running.context().jobId();
        if (running.moved().get()) {
            // Committing, dead-lettering or writing a status now could undo what the new owner has done since.
            LOG.warn("job {}'s partition {} moved while it ran: its outcome is the new owner's", jobId, partition);
            return;
        }
        Throwable failure;
        try {
            running.result().get();
            LOG.info("job {} done", jobId);
            metrics.taskCompleted(Duration.ofNanos(System.nanoTime() - running.startNanos()));
            retried = null;
            if (kind.wholeJob()) {
                // No message: on a terminal snapshot the gateway's JobFold reads the message as the error.
                writeStatus(jobId, JobState.SUCCEEDED, null);
            }
            commit(partition, record);
            return;
        } catch (ExecutionException e) {
            failure = e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = e;
        }
        if (failure instanceof JobStoppedException stop) {
            LOG.info("job {} stopped: {}", jobId, stop.reason());
            if (stop.reason().commits()) {
                commit(partition, record);
            } else {
                rewind(partition, record);
            }
        } else if (failure instanceof PoisonJobException poison) {
            metrics.taskFailed(FailureReason.POISON);
            deadLetter(record, poison.getMessage(), poison.getCause(), Optional.of(jobId));
            commit(partition, record);
        } else if (Transience.isTransient(failure)) {
            int failures = countTransientFailure(partition, record);
            int attempts = config.settings().worker().transientAttempts();
            if (failures >= attempts && !Transience.isOutage(failure)) {
                LOG.error("job {} failed {} times, giving up", jobId, failures, failure);
                metrics.taskFailed(FailureReason.ERROR);
                retried = null;
                deadLetter(
                        record,
                        "job failed " + failures + " times (" + WorkerConfig.TRANSIENT_ATTEMPTS + "=" + attempts
                                + "), last: " + failure,
                        failure,
                        Optional.of(jobId));
                commit(partition, record);
                return;
            }
            Duration backoff = TRANSIENT_RETRY.backoffAfter(failures);
            LOG.warn("job {} failed transiently, retrying in {}: {}", jobId, backoff, failure.toString());
            metrics.taskFailed(FailureReason.TRANSIENT);
            rewind(partition, record);
            waitPolling(backoff);
        } else {
            LOG.error("job {} failed", jobId, failure);
            metrics.taskFailed(FailureReason.ERROR);
            deadLetter(record, "job failed: " + failure, failure, Optional.of(jobId));
            commit(partition, record);
        }
    }

    /** Counts a transient failure of {@code record}: 1 for a record other than the last one retried. */
    private int countTransientFailure(TopicPartition partition, ConsumerRecord<byte[], byte[]> record) {
        Attempted attempted = new Attempted(partition, record.offset());
        if (!attempted.equals(retried)) {
            retried = attempted;
            transientFailures = 0;
        }
        transientFailures = Math.min(transientFailures + 1, TRANSIENT_RETRY.maxAttempts() - 1); // no overflow
        return transientFailures;
    }

    /** One poll with everything paused: keeps the membership alive and runs rebalance callbacks. */
    private void pollPaused() {
        try {
            ConsumerRecords<byte[], byte[]> unexpected = consumer.poll(POLL);
            // Paused partitions return nothing; should a record slip through, put it back for later.
            for (TopicPartition p : unexpected.partitions()) {
                consumer.seek(p, unexpected.records(p).get(0).offset());
                consumer.pause(List.of(p));
            }
        } catch (WakeupException e) {
            // shutdown() was called; the caller checks the flag
        }
        lag.refreshIfDue();
    }

    private void waitPolling(Duration pause) {
        consumer.pause(consumer.assignment());
        long end = System.nanoTime() + pause.toNanos();
        while (!shutdown && System.nanoTime() < end) {
            pollPaused();
        }
    }

    private void commit(TopicPartition partition, ConsumerRecord<byte[], byte[]> record) {
        if (!consumer.assignment().contains(partition)) {
            // The group accepts a member's commit for any partition: this one would rewind its new owner's offset.
            LOG.warn("not committing {}: the partition is no longer this worker's", where(record));
            return;
        }
        try {
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(record.offset() + 1)));
            committed.incrementAndGet();
        } catch (KafkaException e) {
            // The partition moved meanwhile: its new owner redoes the job, which is idempotent.
            LOG.warn("could not commit {}: {}", where(record), e.toString());
        }
    }

    private void rewind(TopicPartition partition, ConsumerRecord<byte[], byte[]> record) {
        if (consumer.assignment().contains(partition)) {
            consumer.seek(partition, record.offset());
        }
    }

    private void deadLetter(
            ConsumerRecord<byte[], byte[]> record, String reason, Throwable cause, Optional<String> jobId) {
        LOG.warn("dead-lettering {} (job {}): {}", where(record), jobId.orElse("unknown"), reason);
        deadLetters.publish(record, reason, cause);
        jobId.ifPresent(id -> writeStatus(id, JobState.FAILED, reason));
    }

    /**
     * A terminal snapshot on the status topic: the gateway's latest one moved to {@code state}, else a minimal one;
     * nothing if the job already ended (a cancelled job stays cancelled).
     */
    private void writeStatus(String jobId, JobState state, String message) {
        if (statuses.latest(jobId).filter(s -> s.status().isTerminal()).isPresent()) {
            return;
        }
        long now = events.now();
        JobStatus status = statuses.latest(jobId)
                .map(s -> s.with(state, message, Math.max(now, s.updatedAt()), workerId))
                .orElseGet(() -> new JobStatus(jobId, kind.jobType(), state, 0L, 1, now, now, message, workerId));
        events.publish(status);
        statuses.apply(status);
    }

    /** The job id of a record that did not decode, if its JSON has a usable one. */
    private Optional<String> rawJobId(ConsumerRecord<byte[], byte[]> record) {
        try {
            JsonNode id = record.value() == null
                    ? null
                    : json.readTree(record.value()).get("jobId");
            if (id != null && id.isTextual()) {
                return Optional.of(StorageKeys.segment(id.asText(), "jobId"));
            }
        } catch (java.io.IOException | IllegalArgumentException e) {
            // unreadable: no status can be written
        }
        return Optional.empty();
    }

    private static String where(ConsumerRecord<?, ?> r) {
        return r.topic() + "-" + r.partition() + "@" + r.offset();
    }

    /** Stops {@link #run()} (waiting for it to leave the group) and releases every client. */
    @Override
    public void close() {
        shutdown();
        try {
            if (!started) {
                consumer.close();
            } else if (!awaitStopped(STOP_GRACE)) {
                LOG.warn("worker loop did not stop within {}", STOP_GRACE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            runner.shutdownNow();
            statuses.close();
            producer.close(Duration.ofSeconds(10));
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (current != null) {
                consumer.pause(partitions); // one job at a time
            }
            lag.expire();
            if (!announced && !consumer.assignment().isEmpty()) {
                announced = true;
                System.out.println("scoregen worker ready: " + workerId);
                System.out.flush();
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            metrics.forgetLag(partitions);
            Running running = current;
            if (running != null && partitions.contains(running.partition())) {
                LOG.warn(
                        "partition {} of running job {} revoked: stopping it",
                        running.partition(),
                        running.context().jobId());
                running.moved().set(true);
                running.context().requestStop(StopReason.REVOKED);
                try {
                    running.result().get(stopGrace.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (TimeoutException e) {
                    // Past the grace the partition moves anyway; the fences (no commit, pointer sequences) hold.
                    LOG.warn("job {} did not stop within {}", running.context().jobId(), stopGrace);
                } catch (ExecutionException e) {
                    // the outcome is the new owner's (finish() drops it)
                }
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }
    }
}
