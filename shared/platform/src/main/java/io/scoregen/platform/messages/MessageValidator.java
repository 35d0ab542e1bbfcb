package io.scoregen.platform.messages;

import io.scoregen.job.BuiltInData;
import io.scoregen.job.Checks;
import io.scoregen.job.ConditioningKind;
import io.scoregen.job.ConditioningTask;
import io.scoregen.job.Guidance;
import io.scoregen.job.JobId;
import io.scoregen.job.Limits;
import io.scoregen.job.SampleJob;
import io.scoregen.job.SampleShard;
import io.scoregen.job.SamplerSpec;
import io.scoregen.job.TrainJob;
import io.scoregen.job.Violation;
import io.scoregen.platform.storage.StorageKeys;
import java.util.List;

/**
 * The one set of rules for every message, used by the gateway (→ 400) and by the workers (→ dead letter), so that both
 * reject exactly the same records. Each check names the field path of the offending value; all violations are reported,
 * not only the first.
 */
public final class MessageValidator {

    private MessageValidator() {}

    /** Violations of any message type of this package; empty when valid. */
    public static List<Violation> validate(Object message) {
        Checks c = new Checks();
        if (message instanceof TrainJob m) {
            train(c, m);
        } else if (message instanceof SampleJob m) {
            sampleJob(c, m);
        } else if (message instanceof SampleShard m) {
            shard(c, m);
        } else if (message instanceof JobEvent m) {
            event(c, m);
        } else if (message instanceof JobStatus m) {
            status(c, m);
        } else {
            throw new IllegalArgumentException("not a scoregen message: " + message.getClass());
        }
        return c.violations();
    }

    /** Throws {@link InvalidMessageException} listing all violations, or returns the message. */
    public static <T> T requireValid(T message) {
        List<Violation> violations = validate(message);
        if (!violations.isEmpty()) {
            throw new InvalidMessageException(violations);
        }
        return message;
    }

    private static void train(Checks c, TrainJob m) {
        id(c, "jobId", m.jobId());
        List<Long> shape = BuiltInData.check(c, "dataset", m.dataset()).orElse(null);
        m.checkSettings(c, shape);
        m.checkBuiltInClasses(c);
    }

    private static void sampleJob(Checks c, SampleJob m) {
        id(c, "jobId", m.jobId());
        id(c, "model", m.model());
        int before = c.violations().size();
        Guidance.check(c, m.classLabel(), m.classes(), m.guidance());
        // Bad classes leave no sum to check the count against.
        boolean count = c.violations().size() == before
                && c.range("count", m.count(), 1, Limits.MAX_SAMPLES)
                && sumOfClasses(c, m);
        if (m.shardSize() != null
                && c.range("shardSize", m.shardSize(), 1, Limits.MAX_SHARD_SIZE)
                && count
                && m.shardCount() > Limits.MAX_SHARDS) {
            c.add(
                    "shardSize",
                    (m.classes() == null ? "count / shardSize" : "the classes' counts / shardSize") + " gives "
                            + m.shardCount() + " shards, more than " + Limits.MAX_SHARDS
                            + "; use a shardSize of at least "
                            + ((m.count() + Limits.MAX_SHARDS - 1) / Limits.MAX_SHARDS));
        }
        common(c, m.jobId(), m.sampler(), m.seed(), m.task());
        imageToImageUnguided(c, m.task(), m.classLabel() != null || m.classes() != null || m.guidance() != null);
    }

    /** A job with {@code classes} draws their sum: a {@code count} given with them must be it. */
    private static boolean sumOfClasses(Checks c, SampleJob m) {
        if (m.classes() == null) {
            return true;
        }
        long sum = m.classes().values().stream().mapToLong(Long::longValue).sum();
        if (m.count() != sum) {
            c.add("count", "must be the sum of classes' counts, " + sum + ", or left out; got " + m.count());
            return false;
        }
        return true;
    }

    private static void shard(Checks c, SampleShard m) {
        id(c, "jobId", m.jobId());
        id(c, "model", m.model());
        if (c.range("shardCount", m.shardCount(), 1, Limits.MAX_SHARDS) && c.required("shardIndex", m.shardIndex())) {
            c.range("shardIndex", m.shardIndex(), 0, m.shardCount() - 1L);
        }
        if (c.range("firstIndex", m.firstIndex(), 0, Limits.MAX_SAMPLES - 1)
                && c.range("count", m.count(), 1, Limits.MAX_SHARD_SIZE)
                && m.firstIndex() + m.count() > Limits.MAX_SAMPLES) {
            c.add("count", "firstIndex + count must not exceed " + Limits.MAX_SAMPLES);
        }
        common(c, m.jobId(), m.sampler(), m.seed(), m.task());
        Guidance.check(c, m.classLabel(), m.guidance());
        imageToImageUnguided(c, m.task(), m.classLabel() != null || m.guidance() != null);
    }

    private static void common(Checks c, String jobId, SamplerSpec s, Long seed, ConditioningTask task) {
        c.range("seed", seed, 0, Long.MAX_VALUE);
        s.check(c, "sampler.");
        if (task != null) {
            boolean kind = c.required("task.kind", task.kind());
            if (kind && task.kind().replacement() && !s.type().predictorCorrector()) {
                c.add("sampler.type", task.kind() + " runs with the pc sampler, got " + s.type());
            }
            conditioningInput(c, "task.inputKey", task.inputKey(), jobId);
            if (kind && task.kind() == ConditioningKind.INPAINTING) {
                conditioningInput(c, "task.maskKey", task.maskKey(), jobId);
            } else if (kind && task.kind() == ConditioningKind.IMAGE_TO_IMAGE) {
                // Whether the mask is required depends on the model's task: checked against the model.
                if (task.maskKey() != null) {
                    conditioningInput(c, "task.maskKey", task.maskKey(), jobId);
                }
            } else if (task.maskKey() != null) {
                c.add("task.maskKey", "only inpainting and image-to-image take a mask");
            }
            if (kind && task.kind() != ConditioningKind.IMAGE_TO_IMAGE && task.degradation() != null) {
                c.add(ConditioningTask.DEGRADATION_FIELD, "only the image-to-image kind takes a degradation");
            }
        }
    }

    /** A Palette model is not class-conditional: its condition is the image. */
    private static void imageToImageUnguided(Checks c, ConditioningTask task, boolean guided) {
        if (task != null && task.kind() == ConditioningKind.IMAGE_TO_IMAGE && guided) {
            c.add("task.kind", "image-to-image takes no class, classes or guidance (the condition is the image)");
        }
    }

    private static void event(Checks c, JobEvent m) {
        id(c, "jobId", m.jobId());
        c.required("type", m.type());
        c.required("status", m.status());
        if (m.shard() != null) {
            c.range("shard", m.shard(), 0, Limits.MAX_SHARDS - 1);
        }
        if (m.type() == JobType.SAMPLE && m.shard() == null) {
            c.add("shard", "required for SAMPLE events");
        }
        if (m.progress() != null) {
            c.range("progress.total", m.progress().total(), 0, Long.MAX_VALUE);
            c.range("progress.done", m.progress().done(), 0, m.progress().total());
        }
        if (m.loss() != null && !Double.isFinite(m.loss())) {
            c.add("loss", "must be a finite number");
        }
        for (int i = 0; i < m.resultKeys().size(); i++) {
            objectKey(c, "resultKeys[" + i + "]", m.resultKeys().get(i));
        }
        c.range("timestamp", m.timestamp(), 1, Long.MAX_VALUE);
        c.text("producer", m.producer());
    }

    private static void status(Checks c, JobStatus m) {
        id(c, "jobId", m.jobId());
        c.required("type", m.type());
        c.required("status", m.status());
        c.range("total", m.total(), 0, Long.MAX_VALUE);
        c.range("shards", m.shards(), 1, Limits.MAX_SHARDS);
        c.range("createdAt", m.createdAt(), 1, Long.MAX_VALUE);
        c.range("updatedAt", m.updatedAt(), 1, Long.MAX_VALUE);
        c.text("producer", m.producer());
        if (m.spec() != null && !m.spec().isObject()) {
            c.add("spec", "must be an object");
        }
        if (m.published() != null && m.shards() != null) {
            c.range("published", m.published(), 0, m.shards());
        }
        if (m.result() != null) {
            if (!m.status().isTerminal()) {
                c.add("result", "only a terminal snapshot has a result, this one is " + m.status());
            }
            if (m.result().manifest() != null) {
                objectKey(c, "result.manifest", m.result().manifest());
            }
            c.range("result.done", m.result().done(), 0, Long.MAX_VALUE);
            c.range("result.resultCount", m.result().resultCount(), 0, Long.MAX_VALUE);
        }
    }

    private static void objectKey(Checks c, String field, String key) {
        if (c.required(field, key) && !StorageKeys.isKey(key)) {
            c.add(field, "must be " + StorageKeys.KEY_RULE + ", got '" + key + "'");
        }
    }

    /** Conditioning reads only what the caller uploaded or the job wrote: no other job's samples, no models. */
    private static void conditioningInput(Checks c, String field, String key, String jobId) {
        if (c.required(field, key) && !StorageKeys.isConditioningInput(key, jobId)) {
            c.add(
                    field,
                    "must be " + StorageKeys.KEY_RULE + " under " + StorageKeys.DATASETS + "{datasetId}/ or "
                            + StorageKeys.SAMPLES + "{jobId}/, got '" + key + "'");
        }
    }

    private static boolean id(Checks c, String field, String value) {
        return JobId.check(c, field, value);
    }
}
