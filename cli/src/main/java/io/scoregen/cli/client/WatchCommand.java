package io.scoregen.cli.client;

import io.scoregen.cli.Cli;
import io.scoregen.cli.ProgressBar;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobView;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code scoregen watch JOB}: follows a job with a progress bar until it ends; exit 0 on SUCCEEDED, 1 otherwise. */
@Command(
        name = "watch",
        description = "Follow a job until it ends (exit 0 if it succeeded, 1 if it failed or was cancelled).")
final class WatchCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "JOB")
    String jobId;

    @Option(
            names = "--interval",
            description = "Seconds between polls (default: ${DEFAULT-VALUE}).",
            defaultValue = "1")
    double intervalSeconds;

    @Override
    int run(GatewayClient client) throws InterruptedException {
        if (!(intervalSeconds > 0)) {
            throw new GatewayException("--interval must be positive", Cli.USAGE);
        }
        Duration interval = Duration.ofMillis(Math.max(1, Math.round(intervalSeconds * 1000)));
        JobView job = client.job(jobId).view();
        try (ProgressBar bar =
                ProgressBar.start(label(job), Math.max(1, job.progress().total()))) {
            while (true) {
                bar.update(job.progress().done());
                if (job.status().isTerminal()) {
                    break;
                }
                Thread.sleep(interval.toMillis()); // polling the API, not waiting for readiness
                job = client.job(jobId).view();
            }
        }
        out().println(jobId + " " + job.status() + (job.loss() == null ? "" : " loss " + job.loss())
                + (job.error() == null ? "" : ": " + job.error())
                + (job.summary() == null ? "" : ": " + job.summary().line()));
        return job.status() == JobState.SUCCEEDED ? Cli.OK : Cli.FAILURE;
    }

    private static String label(JobView job) {
        return job.jobId()
                + (job.type() == null
                        ? ""
                        : switch (job.type()) {
                            case TRAIN -> " steps";
                            case SAMPLE -> " samples";
                        });
    }
}
