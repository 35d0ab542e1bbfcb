package io.scoregen.platform.worker;

/**
 * Does one job. Returning normally means the job's result is durable (stored, SUCCEEDED event acknowledged): the
 * runtime then commits the record. A handler checks {@link JobContext#stopRequested()} at every step or shard boundary
 * and throws {@link JobContext#stopped()} after saving what it must; it throws {@link PoisonJobException} for jobs that
 * can never succeed. Any other failure is retried later if {@link Transience#isTransient transient}, otherwise the job
 * is FAILED.
 */
@FunctionalInterface
public interface JobHandler<T> {

    void handle(T job, JobContext context) throws Exception;
}
