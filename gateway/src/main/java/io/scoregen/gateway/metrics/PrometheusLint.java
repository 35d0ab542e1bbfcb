package io.scoregen.gateway.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Makes the meters Quarkus and Micrometer register themselves pass {@code promtool check metrics}: a description for
 * each meter that has none (Prometheus's HELP), no CPU time in nanoseconds (a non-base unit; {@code process_cpu_usage}
 * stays), the CPU count under a name that does not end in {@code _count} (a suffix reserved for histograms and
 * summaries), and no long task timers: the simpleclient registry writes them as a summary whose samples
 * ({@code _active_count}, {@code _duration_sum}) are not a summary's, which no text-format parser accepts (only
 * Vert.x's {@code http.server.connections} is one).
 */
@Singleton
public final class PrometheusLint {

    private static final String CPU_TIME_NANOS = "process.cpu.time";
    private static final String CPU_COUNT = "system.cpu.count";

    @Produces
    @Singleton
    MeterFilter lintFixes() {
        return new MeterFilter() {
            @Override
            public MeterFilterReply accept(Meter.Id id) {
                return id.getName().equals(CPU_TIME_NANOS) || id.getType() == Meter.Type.LONG_TASK_TIMER
                        ? MeterFilterReply.DENY
                        : MeterFilterReply.NEUTRAL;
            }

            @Override
            public Meter.Id map(Meter.Id id) {
                Meter.Id named = id.getName().equals(CPU_COUNT) ? id.withName("system.cpus") : id;
                if (named.getDescription() != null && !named.getDescription().isBlank()) {
                    return named;
                }
                return new Meter.Id(
                        named.getName(),
                        Tags.of(named.getTagsAsIterable()),
                        named.getBaseUnit(),
                        "Micrometer meter " + id.getName(),
                        named.getType());
            }
        };
    }
}
