package io.scoregen.e2e;

import io.scoregen.platform.testing.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One child process of a test (gateway, worker, kcat), its stdout and stderr in a log file. {@link #stop()} asks it to
 * end (SIGTERM) and kills it if it does not within 20 s; {@link #kill()} is SIGKILL.
 */
final class ManagedProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private ManagedProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static ManagedProcess start(String name, List<String> command, Map<String, String> env, Path log) {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            return new ManagedProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last lines of the log, for failure messages. */
    String tail() {
        List<String> lines = output().lines().toList();
        return name + " log " + log + ":\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** Waits for the log to contain {@code text}; fails early if the process dies. */
    void awaitOutput(String text, Duration timeout) {
        Await.until(name + " to print '" + text + "'", timeout, () -> {
            if (output().contains(text)) {
                return true;
            }
            if (!process.isAlive()) {
                throw new AssertionError(
                        name + " exited with " + process.exitValue() + " before printing '" + text + "'\n" + tail());
            }
            return false;
        });
    }

    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still running after " + timeout + "\n" + tail());
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hooks, nothing flushed, nothing committed. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGKILL without waiting (for the shutdown hook of a test JVM that is being ended). */
    void destroyForcibly() {
        process.destroyForcibly();
    }

    /** SIGTERM, then SIGKILL after 20 s. */
    void stop() {
        if (!process.isAlive()) {
            return;
        }
        Processes.terminate(process, Duration.ofSeconds(20));
    }

    @Override
    public void close() {
        stop();
    }
}
