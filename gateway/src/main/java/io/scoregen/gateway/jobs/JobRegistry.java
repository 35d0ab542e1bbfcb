package io.scoregen.gateway.jobs;

import io.scoregen.platform.kafka.ReaderSettings;
import io.scoregen.platform.kafka.TopicFollower;
import io.scoregen.platform.messages.InvalidMessageException;
import io.scoregen.platform.messages.JobEvent;
import io.scoregen.platform.messages.JobFold;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobStatus;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.messages.JobView;
import io.scoregen.platform.messages.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * The gateway's knowledge of all jobs, rebuilt from Kafka alone: on start it reads the compacted status topic and the
 * events topic from the beginning ({@link TopicFollower}: manual assignment, no consumer group, no committed offsets)
 * and then keeps following them, folding every record into a {@link JobFold}. Because the fold is idempotent and
 * order-insensitive, a restarted gateway ends with the same views, and the gateway may also apply its own status
 * records directly for read-your-writes.
 */
public final class JobRegistry implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(JobRegistry.class);

    private final String statusTopic;
    private final MessageCodec codec = new MessageCodec();
    private final Map<String, JobFold> jobs = new HashMap<>();
    private final AtomicLong rejected = new AtomicLong();
    private final TopicFollower follower;

    /** A page of job views, newest first, and how many matched in all. */
    public record Page(List<JobView> items, int offset, int limit, int total) {}

    public JobRegistry(String bootstrapServers, String statusTopic, String eventsTopic) {
        this.statusTopic = statusTopic;
        follower = new TopicFollower(
                new ReaderSettings(bootstrapServers, "scoregen-gateway-registry"),
                List.of(statusTopic, eventsTopic),
                this::fold);
        follower.caughtUp().thenRun(() -> LOG.infof("job registry caught up: %d jobs", size()));
    }

    public void start() {
        follower.start();
    }

    /** Completes once everything that was on both topics at start has been folded in. */
    public CompletableFuture<Void> caughtUp() {
        return follower.caughtUp();
    }

    /** Records that could not be decoded or validated, skipped. */
    public long rejectedRecords() {
        return rejected.get();
    }

    public synchronized void apply(JobStatus status) {
        jobs.computeIfAbsent(status.jobId(), JobFold::new).apply(status);
    }

    public synchronized void apply(JobEvent event) {
        jobs.computeIfAbsent(event.jobId(), JobFold::new).apply(event);
    }

    public synchronized Optional<JobView> view(String jobId) {
        return Optional.ofNullable(jobs.get(jobId)).map(JobFold::view);
    }

    public synchronized Optional<JobStatus> snapshot(String jobId) {
        return Optional.ofNullable(jobs.get(jobId)).flatMap(JobFold::snapshot);
    }

    public synchronized int size() {
        return jobs.size();
    }

    /** Jobs matching the optional filters, newest submission first. */
    public Page list(JobState status, JobType type, int offset, int limit) {
        List<JobView> all;
        synchronized (this) {
            all = new ArrayList<>(jobs.size());
            for (JobFold f : jobs.values()) {
                all.add(f.view());
            }
        }
        List<JobView> matching = all.stream()
                .filter(v -> status == null || v.status() == status)
                .filter(v -> type == null || v.type() == type)
                .sorted(Comparator.comparing((JobView v) -> v.createdAt() == null ? Long.MIN_VALUE : v.createdAt())
                        .reversed()
                        .thenComparing(JobView::jobId))
                .toList();
        int from = Math.min(offset, matching.size());
        int to = Math.min(matching.size(), from + limit);
        return new Page(matching.subList(from, to), offset, limit, matching.size());
    }

    private void fold(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            // A tombstone on the compacted status topic: the job has been forgotten.
            if (record.topic().equals(statusTopic) && record.key() != null) {
                synchronized (this) {
                    jobs.remove(new String(record.key(), StandardCharsets.UTF_8));
                }
            }
            return;
        }
        try {
            if (record.topic().equals(statusTopic)) {
                apply(codec.read(record.value(), JobStatus.class));
            } else {
                apply(codec.read(record.value(), JobEvent.class));
            }
        } catch (InvalidMessageException e) {
            rejected.incrementAndGet();
            LOG.warnf(
                    "skipping invalid record %s-%d@%d: %s",
                    record.topic(), record.partition(), record.offset(), e.getMessage());
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
