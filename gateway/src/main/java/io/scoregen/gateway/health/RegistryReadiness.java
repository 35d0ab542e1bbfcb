package io.scoregen.gateway.health;

import io.scoregen.gateway.jobs.JobRegistry;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the job registry has read the status and events topics up to where they were at start. */
@Readiness
@Singleton
public final class RegistryReadiness implements HealthCheck {

    private final JobRegistry registry;

    RegistryReadiness(JobRegistry registry) {
        this.registry = registry;
    }

    @Override
    public HealthCheckResponse call() {
        boolean ready = registry.caughtUp().isDone() && !registry.caughtUp().isCompletedExceptionally();
        return HealthCheckResponse.named("job-registry")
                .status(ready)
                .withData("jobs", registry.size())
                .build();
    }
}
