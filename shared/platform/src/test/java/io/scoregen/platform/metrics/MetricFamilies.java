package io.scoregen.platform.metrics;

import java.util.List;

/** The metric families the workers' scrapes declare: what the unit tests and the end-to-end tests look for. */
public final class MetricFamilies {

    /** Every worker's own, the JVM's and the process's; the GPU gauge aside (there only with a GPU). */
    public static final List<String> WORKER = List.of(
            "scoregen_worker_tasks_in_progress",
            "scoregen_worker_tasks_completed_total",
            "scoregen_worker_tasks_failed_total",
            "scoregen_worker_tasks_skipped_total",
            "scoregen_worker_task_duration_seconds",
            "scoregen_worker_last_progress_timestamp_seconds",
            "scoregen_worker_consumer_lag_records",
            "scoregen_worker_native_memory_bytes",
            "jvm_memory_used_bytes",
            "process_cpu_seconds_total");

    /** The GPU memory gauge, by device: only where the worker has a GPU. */
    public static final String GPU = "scoregen_worker_gpu_memory_used_bytes";

    /** The train worker's that have samples at all times. */
    public static final List<String> TRAIN =
            List.of("scoregen_train_steps_total", "scoregen_train_checkpoint_upload_duration_seconds");

    /** The train worker's that have samples only while a job runs. */
    public static final List<String> TRAIN_WHILE_RUNNING =
            List.of("scoregen_train_steps_per_second", "scoregen_train_loss");

    /** The sample worker's. */
    public static final List<String> SAMPLE = List.of(
            "scoregen_sample_samples_total",
            "scoregen_sample_samples_per_second",
            "scoregen_sample_nfe",
            "scoregen_sample_score_evaluations_total",
            "scoregen_sample_phase_seconds_total");

    private MetricFamilies() {}
}
