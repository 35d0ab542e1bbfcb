package io.scoregen.cli.client;

import io.scoregen.platform.messages.JobView;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code scoregen jobs}: the gateway's jobs, newest first. */
@Command(name = "jobs", description = "List jobs, newest first.")
final class JobsCommand extends ClientCommand {

    @Option(names = "--status", description = "PUBLISHING, QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED.")
    String status;

    @Option(names = "--type", description = "TRAIN or SAMPLE.")
    String type;

    @Option(names = "--limit", defaultValue = "50", description = "At most this many (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    int run(GatewayClient client) {
        GatewayClient.Page page = client.jobs(upper(status), upper(type), limit);
        for (JobView job : page.items()) {
            out().printf(
                            Locale.ROOT,
                            "%-44s %-6s %-9s %d/%d%s%n",
                            job.jobId(),
                            job.type(),
                            job.status(),
                            job.progress().done(),
                            job.progress().total(),
                            job.error() == null ? "" : "  " + job.error());
        }
        err().println(page.items().size() + " of " + page.total() + " job(s)");
        return 0;
    }

    private static String upper(String s) {
        return s == null ? null : s.toUpperCase(Locale.ROOT);
    }
}
