package io.scoregen.gateway.jobs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.scoregen.gateway.config.GatewayConfig;
import io.scoregen.gateway.kafka.JobPublisher;
import io.scoregen.gateway.kafka.JobPublisher.Message;
import io.scoregen.gateway.kafka.JobPublisher.PublishException;
import io.scoregen.platform.kafka.Topics;
import io.scoregen.platform.messages.JobManifest;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The one writer of jobs' ends: when the registry shows that a job has ended (its shards all reported, one failed, it
 * was cancelled) and its snapshot does not record the result, this stores the job's {@link JobManifest} and then writes
 * the terminal snapshot naming it to the compacted status topic. From then on the job's view needs neither its fold nor
 * its events (which expire), and workers skip whatever of its work is left.
 *
 * <p>Both writes are idempotent (the manifest's bytes and the snapshot depend only on the job's records), so two
 * gateway instances may both finish a job, and a gateway that died between the two writes finishes it again at its
 * restart. Work starts once the registry has caught up, so that a restarting gateway does not rewrite the ends it is
 * about to read. A failed write is retried after {@link #RETRY}.
 */
@Singleton
@Startup
public final class JobFinisher {

    private static final Logger LOG = Logger.getLogger(JobFinisher.class);
    static final Duration RETRY = Duration.ofSeconds(5);
    private static final int FINISHING_AT_ONCE = 8;

    private final JobRegistry registry;
    private final JobPublisher publisher;
    private final String statusTopic;
    private final String instanceId;
    private final Optional<ManifestStore> manifests;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    /**
     * A few jobs at a time: each waits on a PUT and an acknowledged send (tens of ms), which overlap; many finishing at
     * once (a burst of small jobs) would otherwise queue behind each other's round trips.
     */
    private final ScheduledExecutorService worker = Executors.newScheduledThreadPool(FINISHING_AT_ONCE, r -> {
        Thread t = new Thread(r, "scoregen-job-finisher");
        t.setDaemon(true);
        return t;
    });

    private final Counter finished;

    JobFinisher(
            JobRegistry registry,
            JobPublisher publisher,
            Topics topics,
            GatewayConfig config,
            Instance<ManifestStore> manifests,
            MeterRegistry meters) {
        this.registry = registry;
        this.publisher = publisher;
        this.statusTopic = topics.status().name();
        this.instanceId = config.instanceId();
        this.manifests = manifests.isResolvable() ? Optional.of(manifests.get()) : Optional.empty();
        this.finished = Counter.builder("scoregen.gateway.jobs.finished")
                .description("Terminal snapshots (and manifests) this gateway wrote for ended jobs")
                .register(meters);
        Gauge.builder("scoregen.gateway.jobs.active", registry, JobRegistry::active)
                .description("Jobs whose fold the gateway holds in memory: not ended, or their end not yet recorded")
                .register(meters);
        registry.caughtUp().thenRun(() -> {
            registry.onEnded(this::finishLater);
            registry.endedWithoutResult().forEach(this::finishLater);
        });
    }

    private void finishLater(String jobId) {
        if (pending.add(jobId)) {
            worker.execute(() -> finish(jobId));
        }
    }

    private void finish(String jobId) {
        try {
            Optional<JobRegistry.Ending> ending = registry.ending(
                    jobId,
                    instanceId,
                    (id, type) -> manifests.map(m -> m.key(id, type)).orElse(null));
            if (ending.isPresent()) {
                manifests.ifPresent(m -> m.write(ending.get().manifest()));
                publisher.publish(new Message(statusTopic, jobId, ending.get().status()));
                registry.apply(ending.get().status());
                finished.increment();
            }
            pending.remove(jobId);
        } catch (PublishException | RuntimeException e) {
            LOG.warnf("cannot record the end of job %s yet (retrying in %s): %s", jobId, RETRY, e.getMessage());
            worker.schedule(() -> finish(jobId), RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
