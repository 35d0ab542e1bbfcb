package io.scoregen.cli.client;

import io.scoregen.cli.Cli;
import io.scoregen.platform.storage.StorageKeys;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code scoregen fetch JOB --out DIR}: downloads a job's result objects through the gateway's presigned URLs. */
@Command(
        name = "fetch",
        description = "Download a job's results to DIR/<object key> through the presigned URLs the gateway returns.")
final class FetchCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "JOB")
    String jobId;

    @Option(names = "--out", required = true, paramLabel = "DIR")
    Path out;

    @Option(
            names = "--include",
            paramLabel = "REGEX",
            description = "Only keys matching this regular expression (e.g. 'grid-.*\\.png').")
    String include;

    @Override
    int run(GatewayClient client) {
        Pattern filter = pattern();
        GatewayClient.JobDetails job = client.job(jobId);
        Map<String, String> results = client.results(jobId);
        if (results.containsValue(null)) {
            throw new GatewayException(
                    "the gateway gives no download URLs (it has no object store configured)", Cli.FAILURE);
        }
        Map<String, String> wanted = new TreeMap<>();
        results.forEach((key, url) -> {
            if (filter == null || filter.matcher(key).find()) {
                wanted.put(StorageKeys.requireKey(key), url);
            }
        });
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            Path target = out.resolve(e.getKey());
            client.download(URI.create(e.getValue()), target);
            out().println(target);
        }
        err().println(jobId + ": " + wanted.size() + " file(s) in " + out + " (job "
                + job.view().status() + ")");
        return Cli.OK;
    }

    private Pattern pattern() {
        try {
            return include == null ? null : Pattern.compile(include);
        } catch (PatternSyntaxException e) {
            throw new GatewayException("--include is not a regular expression: " + e.getDescription(), Cli.USAGE);
        }
    }
}
