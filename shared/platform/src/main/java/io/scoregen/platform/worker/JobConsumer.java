package io.scoregen.platform.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scoregen.job.JobId;
import io.scoregen.platform.kafka.ConsumerSettings;
import io.scoregen.platform.kafka.DeadLetters;
import io.scoregen.platform.kafka.ProducerSettings;
import io.scoregen.platform.kafka.TopicAdmin;
import io.scoregen.platform.kafka.TopicSpec;
import io.scoregen.platform.kafka.Topics;
import io.scoregen.platform.messages.InvalidMessageException;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobStatus;
import io.scoregen.platform.messages.MessageCodec;
import io.scoregen.platform.metrics.FailureReason;
import io.scoregen.platform.metrics.WorkerMetrics;
import io.scoregen.platform.retry.RetryPolicy;
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
 *       id can be read, commit. A record started {@code max-attempts} times that never reached an outcome (the worker
 *       died each time, see {@link AttemptLedger}) → the same, instead of a new start.
 *   <li>A record of a job whose latest status is terminal (cancelled, failed, succeeded) is committed without running;
 *       a running job whose status becomes terminal is asked to stop.
 *   <li>The handler runs on its own thread while this thread keeps polling with every partition paused, so a job longer
 *       than {@code max.poll.interval.ms} keeps its partition. A job running longer than
 *       {@code scoregen.worker.hand-off-after-ms} hands every other partition to idle workers
 *       ({@link HandOffAssignor}), so the jobs queued there do not wait for it; the worker takes its share back when
 *       the job ends.
 *   <li>A terminal status, {@link #shutdown()} or the revocation of the job's partition ask the handler to stop at its
 *       next boundary; only a cancelled job is committed. Revocation waits for the handler to stop (checkpoint written)
 *       before the partition moves, at most half of {@code max.poll.interval}; a revoked job's outcome is the new
 *       owner's (nothing committed, dead-lettered or reported here), and only owned partitions are ever committed.
 *   <li>A train job's success is also written to the status topic (SUCCEEDED), before the commit.
 *   <li>A transient failure seeks back and retries after a {@link RetryPolicy} backoff that doubles from a second up to
 *       a minute: through an outage (store or broker unreachable) without end, after an answered error (5xx, I/O) at
 *       most {@code scoregen.worker.transient-attempts} runs in a row; any other failure, or the last of those runs,
 *       makes the job FAILED (DLQ, status) and commits. A dead letter or status the broker does not take is retried the
 *       same way: nothing a record holds, and no outage, ends the loop.
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
     * The job of record {@code offset} in progress on the handler thread, started at {@code startNanos}; {@code moved}
     * once its partition was revoked (its outcome is then the new owner's).
     */
    private record Running(
            TopicPartition partition,
            long offset,
            JobContext context,
            Future<?> result,
            long startNanos,
            AtomicBoolean moved) {}

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
    private final MarkerCommits markers;
    private final AttemptLedger attempts;
    private final MessageCodec codec = new MessageCodec();
    private final ObjectMapper json = new ObjectMapper();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final HandOffAssignor.Busy busy = new HandOffAssignor.Busy();
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
        TopicSpec work = kind.topic().apply(topics);
        this.topic = work.name();
        this.producer =
                new KafkaProducer<>(ProducerSettings.of(bootstrap, workerId).toProperties());
        this.events = new EventPublisher(producer, topics, workerId, Duration.ofSeconds(30), Clock.systemUTC());
        this.deadLetters = new DeadLetters(producer, topics);
        // Remembering a job longer than its records can wait on the work topic would keep nothing worth keeping.
        StatusTable.Limits limits =
                new StatusTable.Limits(work.recordLifetime().orElseThrow(), StatusTable.Limits.DEFAULT_ENTRIES);
        this.statuses = StatusTable.follow(bootstrap, topics.status().name(), workerId, Duration.ofSeconds(60), limits);
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
        // Hand-off first; cooperative-sticky, which every worker version speaks, carries the group through a rollout.
        properties.put(
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                HandOffAssignor.class.getName() + "," + CooperativeStickyAssignor.class.getName());
        properties.put(HandOffAssignor.BUSY, busy);
        this.consumer = new KafkaConsumer<>(properties);
        Duration halfPoll = worker.maxPollInterval().dividedBy(2);
        this.stopGrace = halfPoll.compareTo(STOP_GRACE) < 0 ? halfPoll : STOP_GRACE;
        this.lag = new ConsumerLag(consumer, metrics, worker.lagInterval());
        this.markers = new MarkerCommits(consumer, worker.lagInterval());
        this.attempts = new AttemptLedger(consumer);
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
                if (records.isEmpty()) {
                    markers.commitIfDue();
                }
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
            String reason = "invalid " + kind.messageType().getSimpleName() + ": " + e.getMessage();
            if (deadLetter(partition, record, reason, e, rawJobId(record))) {
                metrics.taskFailed(FailureReason.INVALID);
                commit(partition, record);
            }
            return;
        }
        String jobId = kind.jobId().apply(job);
        Optional<JobState> ended = statuses.ended(jobId);
        if (ended.isPresent()) {
            // Cancelled, failed (another shard was poison, the submission broke off) or done: nothing left to do.
            LOG.info("skipping job {} ({}): it is {}", jobId, where(record), ended.get());
            metrics.taskSkipped(ended.get());
            commit(partition, record);
            return;
        }
        if (!recordStart(partition, record, jobId)) {
            return;
        }
        JobContext context =
                new JobContext(jobId, events, config.settings().worker().progressInterval(), metrics::progressed);
        LOG.info("starting job {} ({})", jobId, where(record));
        metrics.taskStarted();
        long started = System.nanoTime();
        Running running = new Running(
                partition,
                record.offset(),
                context,
                runner.submit(() -> {
                    handler.handle(job, context);
                    return null;
                }),
                started,
                new AtomicBoolean());
        current = running;
        consumer.pause(consumer.assignment());
        long handOffNanos = config.settings().worker().handOffAfter().toNanos();
        boolean handingOff = false;
        try {
            while (!running.result().isDone()) {
                if (shutdown) {
                    context.requestStop(StopReason.SHUTDOWN);
                }
                if (statuses.ended(jobId).isPresent()) {
                    context.requestStop(StopReason.CANCELLED);
                }
                if (!handingOff && System.nanoTime() - started >= handOffNanos) {
                    // From now on a rebalance leaves this worker only the job's partition (and never moves that one).
                    handingOff = true;
                    busy.start(partition);
                    if (consumer.assignment().size() > 1) {
                        // The jobs queued on the other partitions would wait for this one: give them to idle workers.
                        LOG.info("job {} runs on: handing back every partition but {}", jobId, partition);
                        consumer.enforceRebalance("busy with job " + jobId);
                    }
                }
                pollPaused();
            }
        } finally {
            current = null;
            metrics.taskEnded();
        }
        finish(record, partition, running);
        if (busy.end()) {
            consumer.enforceRebalance("idle again"); // take a share of the partitions back
        }
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
            // No message: on a terminal snapshot the gateway's JobFold reads the message as the error.
            if (!kind.wholeJob() || writeStatus(partition, record, jobId, JobState.SUCCEEDED, null)) {
                commit(partition, record);
            }
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
                releaseStart(running.partition(), record.offset());
                rewind(partition, record);
            }
        } else if (failure instanceof PoisonJobException poison) {
            if (deadLetter(partition, record, poison.getMessage(), poison.getCause(), Optional.of(jobId))) {
                metrics.taskFailed(FailureReason.POISON);
                commit(partition, record);
            }
        } else if (Transience.isTransient(failure)) {
            int failures = countTransientFailure(partition, record);
            int attempts = config.settings().worker().transientAttempts();
            if (failures >= attempts && !Transience.isOutage(failure)) {
                LOG.error("job {} failed {} times, giving up", jobId, failures, failure);
                String reason = "job failed " + failures + " times (" + WorkerConfig.TRANSIENT_ATTEMPTS + "=" + attempts
                        + "), last: " + failure;
                if (deadLetter(partition, record, reason, failure, Optional.of(jobId))) {
                    metrics.taskFailed(FailureReason.ERROR);
                    retried = null;
                    commit(partition, record);
                }
                return;
            }
            metrics.taskFailed(FailureReason.TRANSIENT);
            retryLater(record, partition, failures, "job " + jobId + " failed transiently", failure);
        } else {
            LOG.error("job {} failed", jobId, failure);
            if (deadLetter(partition, record, "job failed: " + failure, failure, Optional.of(jobId))) {
                metrics.taskFailed(FailureReason.ERROR);
                commit(partition, record);
            }
        }
    }

    /**
     * Backs off (polling, paused) and seeks back to {@code record}, which is then tried again: the broker or the store
     * did not answer, which says nothing about the record.
     */
    private void retryLater(
            ConsumerRecord<byte[], byte[]> record, TopicPartition partition, String what, Throwable why) {
        retryLater(record, partition, countTransientFailure(partition, record), what, why);
    }

    /** {@link #retryLater} of a record whose transient failure the caller has counted ({@code failures} in a row). */
    private void retryLater(
            ConsumerRecord<byte[], byte[]> record, TopicPartition partition, int failures, String what, Throwable why) {
        Duration backoff = TRANSIENT_RETRY.backoffAfter(failures);
        LOG.warn("{}, retrying {} in {}: {}", what, where(record), backoff, why.toString());
        rewind(partition, record);
        waitPolling(backoff);
    }

    /**
     * Counts this start of {@code record} in the {@link AttemptLedger}, or dead-letters the record when it has been
     * started {@code max-attempts} times and the worker died each time. Returns whether the record is to run now.
     */
    private boolean recordStart(TopicPartition partition, ConsumerRecord<byte[], byte[]> record, String jobId) {
        try {
            Optional<Integer> before = attempts.startsBefore(partition, record.offset(), jobId);
            if (before.isEmpty()) {
                return true; // this worker counted it already: a retry after a transient failure
            }
            int maxAttempts = config.settings().worker().maxAttempts();
            if (before.get() >= maxAttempts) {
                String reason = "started " + before.get() + " times without finishing: the worker died each time";
                if (deadLetter(partition, record, reason, null, Optional.of(jobId))) {
                    metrics.taskFailed(FailureReason.CRASHED);
                    commit(partition, record);
                }
                return false;
            }
            attempts.recordStart(partition, record.offset(), jobId, before.get() + 1);
            return true;
        } catch (KafkaException e) {
            retryLater(record, partition, "could not count the start of job " + jobId, e);
            return false;
        }
    }

    /** Clears the ledger's entry of a job that stopped without dying (shutdown, revocation): not a failed start. */
    private void releaseStart(TopicPartition partition, long offset) {
        try {
            attempts.release(partition, offset);
        } catch (KafkaException e) {
            // The next owner counts one start too many: a record gets max-attempts - 1 more chances, not max-attempts.
            LOG.warn("could not clear the start count of {}-{}: {}", partition, offset, e.toString());
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

    /** Backs off polling with every partition paused; resumes them after, as no job runs when a retry waits. */
    private void waitPolling(Duration pause) {
        consumer.pause(consumer.assignment());
        long end = System.nanoTime() + pause.toNanos();
        while (!shutdown && System.nanoTime() < end) {
            pollPaused();
        }
        // A retry before a job starts (counting its start, dead-lettering it) returns straight to the loop.
        consumer.resume(consumer.paused());
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

    /**
     * Dead-letters {@code record} and marks its job FAILED; returns whether both were written, else the broker did not
     * take them and the record is tried again after a backoff ({@link #retryLater}): never a reason to stop the loop.
     */
    private boolean deadLetter(
            TopicPartition partition,
            ConsumerRecord<byte[], byte[]> record,
            String reason,
            Throwable cause,
            Optional<String> jobId) {
        LOG.warn("dead-lettering {} (job {}): {}", where(record), jobId.orElse("unknown"), DeadLetters.capped(reason));
        try {
            deadLetters.publish(record, reason, cause);
        } catch (RuntimeException e) {
            retryLater(record, partition, "could not dead-letter job " + jobId.orElse("unknown"), e);
            return false;
        }
        return jobId.isEmpty()
                || writeStatus(partition, record, jobId.get(), JobState.FAILED, DeadLetters.capped(reason));
    }

    /**
     * A terminal snapshot on the status topic: the gateway's latest one moved to {@code state}, else a minimal one;
     * nothing if the job already ended (a cancelled job stays cancelled).
     */
    private boolean writeStatus(
            TopicPartition partition,
            ConsumerRecord<byte[], byte[]> record,
            String jobId,
            JobState state,
            String message) {
        if (statuses.ended(jobId).isPresent()) {
            return true; // the first terminal state stands (JobState.endsFirst); compaction must not replace it
        }
        long now = events.now();
        JobStatus status = statuses.latest(jobId)
                .map(s -> s.with(state, message, Math.max(now, s.updatedAt()), workerId))
                .orElseGet(() -> new JobStatus(jobId, kind.jobType(), state, 0L, 1, now, now, message, workerId));
        try {
            events.publish(status);
        } catch (RuntimeException e) {
            retryLater(record, partition, "could not write the " + state + " status of job " + jobId, e);
            return false;
        }
        statuses.apply(status);
        return true;
    }

    /** The job id of a record that did not decode, if its JSON has a usable one. */
    private Optional<String> rawJobId(ConsumerRecord<byte[], byte[]> record) {
        try {
            JsonNode id = record.value() == null
                    ? null
                    : json.readTree(record.value()).get("jobId");
            if (id != null && id.isTextual() && JobId.isValid(id.asText())) {
                return Optional.of(id.asText());
            }
        } catch (java.io.IOException e) {
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
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof JobStoppedException) {
                        // Still owned until this callback returns: a stop for revocation is no failed start.
                        releaseStart(running.partition(), running.offset());
                    }
                    // any other outcome is the new owner's (finish() drops it)
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (TimeoutException e) {
                    // Past the grace the partition moves anyway; the fences (no commit, pointer sequences) hold.
                    LOG.warn("job {} did not stop within {}", running.context().jobId(), stopGrace);
                }
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }
    }
}
