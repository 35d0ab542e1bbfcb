package io.scoregen.gateway.jobs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.scoregen.gateway.config.GatewayConfig;
import io.scoregen.gateway.kafka.JobPublisher;
import io.scoregen.gateway.kafka.JobPublisher.Message;
import io.scoregen.gateway.kafka.JobPublisher.PublishException;
import io.scoregen.gateway.metrics.GatewayMetrics;
import io.scoregen.job.Checks;
import io.scoregen.job.ConditioningTask;
import io.scoregen.job.Guidance;
import io.scoregen.job.SampleJob;
import io.scoregen.job.SdeKind;
import io.scoregen.job.TrainJob;
import io.scoregen.platform.kafka.Topics;
import io.scoregen.platform.messages.InvalidMessageException;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobStatus;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.messages.JobView;
import io.scoregen.platform.messages.MessageCodec;
import io.scoregen.platform.messages.MessageValidator;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Submission and cancellation: validates with the shared rules and writes the job's first snapshot to the status topic.
 * A train job's one work record follows in the request (QUEUED once both are acknowledged); a sampling job answers
 * PUBLISHING once its snapshot is acknowledged, and the {@link ShardPublisher} writes its shards in the background.
 */
@Singleton
@Startup
public final class JobService {

    private static final Logger LOG = Logger.getLogger(JobService.class);
    private static final MessageCodec CODEC = new MessageCodec();

    private final JobPublisher publisher;
    private final JobRegistry registry;
    private final Topics topics;
    private final GatewayConfig config;
    private final GatewayMetrics metrics;
    private final ShardPublisher shards;
    private final Counter jobsCancelled;
    private final Instance<ModelCatalog> models;

    JobService(
            JobPublisher publisher,
            JobRegistry registry,
            Topics topics,
            GatewayConfig config,
            MeterRegistry meters,
            GatewayMetrics metrics,
            Instance<ModelCatalog> models) {
        this.models = models;
        this.publisher = publisher;
        this.metrics = metrics;
        this.registry = registry;
        this.topics = topics;
        this.config = config;
        Gauge.builder("scoregen.gateway.jobs.known", registry, JobRegistry::size)
                .description("Jobs the gateway knows from the status topic")
                .register(meters);
        FunctionCounter.builder("scoregen.gateway.records.rejected", registry, JobRegistry::rejectedRecords)
                .description("Status and event records the gateway could not read")
                .register(meters);
        shards = new ShardPublisher(
                new ShardPublisher.Settings(
                        config.kafka().bootstrapServers(),
                        topics.sample().name(),
                        topics.status().name(),
                        config.instanceId(),
                        config.sampling().publishBatch(),
                        config.kafka().sendTimeout()),
                registry,
                metrics,
                Counter.builder("scoregen.gateway.shards.published")
                        .description("Sample shards published to Kafka")
                        .register(meters));
        shards.start();
        jobsCancelled = Counter.builder("scoregen.gateway.jobs.cancelled")
                .description("Jobs cancelled through the API")
                .register(meters);
    }

    /** Assigns an id, validates and submits; throws InvalidMessageException (→ 400) or PublishException (→ 503). */
    public JobStatus submit(TrainJob request) throws PublishException {
        requireNoId(request.jobId());
        TrainJob job = MessageValidator.requireValid(request.withJobId(newId(JobType.TRAIN)));
        JobStatus queued = accepted(job.jobId(), JobType.TRAIN, JobState.QUEUED, job.steps(), 1, job, null);
        submit(queued, new Message(topics.train().name(), job.jobId(), job));
        return queued;
    }

    /**
     * As {@link #submit(TrainJob)}, but returns once the PUBLISHING snapshot is acknowledged: the shards' records (one
     * per shard, keyed {@code jobId/shardIndex}) go out in the background, and the job is QUEUED once all are.
     */
    public JobStatus submit(SampleJob request) throws PublishException {
        requireNoId(request.jobId());
        SampleJob job = MessageValidator.requireValid(
                request.withDefaults(newId(JobType.SAMPLE), config.sampling().defaultShardSize()));
        requireSampleable(job);
        JobStatus publishing =
                accepted(job.jobId(), JobType.SAMPLE, JobState.PUBLISHING, job.count(), job.shardCount(), job, 0);
        publisher.publish(new Message(topics.status().name(), publishing.jobId(), publishing));
        registry.apply(publishing);
        shards.publish(publishing.jobId());
        metrics.submitted(JobType.SAMPLE);
        return publishing;
    }

    /**
     * Refuses what a worker could only fail or would have to wait for: a model whose train job the registry shows still
     * running is not ready yet (409); where the gateway knows the stored models, a model that is not there (its train
     * job failed, or there is none), a sampler that does not exist for the model's SDE, a class it lacks, or a task it
     * cannot take (an image-to-image model's inputs, or their absence) is invalid (400).
     */
    private void requireSampleable(SampleJob job) {
        Optional<SdeKind> sde = models.isResolvable() ? models.get().sde(job.model()) : Optional.empty();
        Checks checks = new Checks();
        if (sde.isPresent()) {
            job.sampler().checkForModel(checks, "sampler.", sde.get());
            Guidance.checkForModel(checks, job, models.get().classes(job.model()));
            ConditioningTask.checkForModel(
                    checks, job.task(), models.get().imageToImage(job.model()).orElse(null));
        } else {
            Optional<JobState> training = registry.view(job.model())
                    .filter(view -> view.type() == JobType.TRAIN)
                    .map(JobView::status);
            if (training.isPresent() && !training.get().isTerminal()) {
                throw new ModelNotReadyException(job.model(), training.get());
            }
            if (models.isResolvable()) {
                checks.add(
                        "model",
                        "no trained model '" + job.model() + "' ("
                                + training.map(state -> "its train job is " + state)
                                        .orElse("no train job of that id has succeeded")
                                + ")");
            }
        }
        if (!checks.violations().isEmpty()) {
            throw new InvalidMessageException(checks.violations());
        }
    }

    /**
     * Writes a CANCELLED snapshot of a job that has not ended; workers honour it by skipping the job's remaining work,
     * and the shard publisher by publishing no more of it. Returns the job's view afterwards.
     */
    public JobView cancel(JobView view) throws PublishException {
        // Between two of the publisher's commits, so that the CANCELLED snapshot is the job's last on the (compacted)
        // status topic and counts exactly the shards out.
        return shards.exclusive(() -> cancelNow(view));
    }

    private JobView cancelNow(JobView view) throws PublishException {
        String jobId = view.jobId();
        JobStatus current = registry.snapshot(jobId)
                .orElseGet(() -> new JobStatus(
                        jobId,
                        view.type(),
                        JobState.QUEUED,
                        view.progress().total(),
                        view.shards() == null ? 1 : view.shards().total(),
                        view.updatedAt(),
                        view.updatedAt(),
                        null,
                        config.instanceId()));
        JobStatus cancelled = current.with(
                JobState.CANCELLED, "cancelled by client", System.currentTimeMillis(), config.instanceId());
        publisher.publish(new Message(topics.status().name(), jobId, cancelled));
        registry.apply(cancelled);
        jobsCancelled.increment();
        return registry.view(jobId).orElseThrow();
    }

    private void submit(JobStatus queued, Message work) throws PublishException {
        String statusTopic = topics.status().name();
        publisher.publish(new Message(statusTopic, queued.jobId(), queued));
        registry.apply(queued);
        try {
            publisher.publish(work);
        } catch (PublishException e) {
            // The work record may be out; mark the job failed so workers and clients stop waiting for it.
            JobStatus failed = queued.with(
                    JobState.FAILED,
                    "submission failed: " + e.getMessage(),
                    System.currentTimeMillis(),
                    config.instanceId());
            try {
                publisher.publish(new Message(statusTopic, failed.jobId(), failed));
                registry.apply(failed);
            } catch (PublishException again) {
                LOG.errorf(again, "cannot mark job %s as failed", failed.jobId());
            }
            throw e;
        }
        metrics.submitted(queued.type());
    }

    /** The first snapshot, carrying the job as submitted (validated, defaults applied) for the job's page. */
    private JobStatus accepted(
            String jobId, JobType type, JobState state, long total, int shards, Object job, Integer published) {
        long now = System.currentTimeMillis();
        return new JobStatus(
                jobId,
                type,
                state,
                total,
                shards,
                now,
                now,
                null,
                config.instanceId(),
                CODEC.tree(job),
                published,
                null);
    }

    /** Stops the shard publisher; what it has not committed is resumed by the next start. */
    @PreDestroy
    void close() {
        shards.close();
    }

    private static void requireNoId(String jobId) {
        if (jobId != null) {
            throw new InvalidMessageException("jobId", "is assigned by the gateway; leave it out");
        }
    }

    private static String newId(JobType type) {
        return type.name().toLowerCase() + "-" + UUID.randomUUID();
    }
}
