package io.scoregen.gateway.jobs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.scoregen.gateway.config.GatewayConfig;
import io.scoregen.gateway.kafka.JobPublisher;
import io.scoregen.gateway.kafka.JobPublisher.PublishException;
import io.scoregen.platform.kafka.Topics;
import io.scoregen.platform.messages.JobView;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Forgetting finished jobs: {@code DELETE /v1/jobs/{id}?purge=true}, and every job finished longer than
 * {@code scoregen.jobs.retention} ago. A purge writes the job's tombstone on the compacted status topic (compaction
 * then drops its snapshots; every registry and worker forgets it), forgets it in this registry, and deletes its
 * manifest. The job's results stay in the object store: they are the user's, and the bucket's lifecycle rules own them.
 */
@Singleton
@Startup
public final class JobRetention {

    private static final Logger LOG = Logger.getLogger(JobRetention.class);
    private static final Duration LONGEST_SWEEP_INTERVAL = Duration.ofHours(1);

    private final JobRegistry registry;
    private final JobPublisher publisher;
    private final String statusTopic;
    private final Optional<ManifestStore> manifests;
    private final Counter purged;
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "scoregen-job-retention");
        t.setDaemon(true);
        return t;
    });

    JobRetention(
            JobRegistry registry,
            JobPublisher publisher,
            Topics topics,
            GatewayConfig config,
            Instance<ManifestStore> manifests,
            MeterRegistry meters) {
        this.registry = registry;
        this.publisher = publisher;
        this.statusTopic = topics.status().name();
        this.manifests = manifests.isResolvable() ? Optional.of(manifests.get()) : Optional.empty();
        this.purged = Counter.builder("scoregen.gateway.jobs.purged")
                .description("Finished jobs forgotten: by request or after the retention period")
                .register(meters);
        config.jobs().retention().ifPresent(retention -> {
            long every = Math.min(retention.toMillis() / 10 + 1, LONGEST_SWEEP_INTERVAL.toMillis());
            registry.caughtUp()
                    .thenRun(() ->
                            sweeper.scheduleWithFixedDelay(() -> sweep(retention), 0, every, TimeUnit.MILLISECONDS));
        });
    }

    /** Forgets a finished job; see the class comment. */
    public void purge(JobView finished) throws PublishException {
        if (!finished.status().isTerminal()) {
            throw new IllegalArgumentException("job " + finished.jobId() + " has not ended");
        }
        publisher.tombstone(statusTopic, finished.jobId());
        registry.forget(finished.jobId());
        if (finished.manifest() != null) {
            manifests.ifPresent(m -> m.delete(finished.manifest()));
        }
        purged.increment();
    }

    private void sweep(Duration retention) {
        for (JobView old : registry.finishedBefore(System.currentTimeMillis() - retention.toMillis())) {
            try {
                purge(old);
            } catch (PublishException | RuntimeException e) {
                LOG.warnf("cannot purge job %s yet: %s", old.jobId(), e.getMessage());
                return; // the next sweep tries again
            }
        }
    }

    @PreDestroy
    void stop() {
        sweeper.shutdownNow();
    }
}
