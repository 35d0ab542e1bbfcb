package io.scoregen.gateway.api;

import io.scoregen.gateway.config.GatewayConfig;
import io.scoregen.gateway.jobs.JobRegistry;
import io.scoregen.gateway.jobs.JobService;
import io.scoregen.gateway.jobs.ResultLinks;
import io.scoregen.gateway.kafka.JobPublisher.PublishException;
import io.scoregen.job.Violation;
import io.scoregen.platform.messages.InvalidMessageException;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.messages.JobView;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Job state as folded by the {@link JobRegistry}, and cancellation. */
@Path("/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
public final class JobResource {

    private final JobRegistry registry;
    private final JobService jobs;
    private final Instance<ResultLinks> links;
    private final int maxPageSize;

    JobResource(JobRegistry registry, JobService jobs, Instance<ResultLinks> links, GatewayConfig config) {
        this.registry = registry;
        this.jobs = jobs;
        this.links = links;
        this.maxPageSize = config.api().maxPageSize();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "State, progress, loss, timestamps, error and result keys of a job")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "404", description = "unknown job")
    public Response get(@PathParam("id") String id) {
        return registry.view(id).map(v -> Response.ok(details(v)).build()).orElseGet(() -> notFound(id));
    }

    private JobDetails details(JobView view) {
        if (!links.isResolvable()) {
            return new JobDetails(view, null);
        }
        Map<String, URI> urls = new LinkedHashMap<>();
        view.resultKeys().forEach(key -> urls.put(key, links.get().link(key)));
        return new JobDetails(view, urls);
    }

    @GET
    @Operation(summary = "Jobs, newest first, optionally filtered by status and type")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = JobRegistry.Page.class)))
    public JobRegistry.Page list(
            @QueryParam("status") String status,
            @QueryParam("type") String type,
            @QueryParam("offset") String offset,
            @QueryParam("limit") String limit) {
        List<Violation> violations = new ArrayList<>();
        JobState s = parse("status", status, JobState.class, violations);
        JobType t = parse("type", type, JobType.class, violations);
        int from = integer("offset", offset, 0, 0, Integer.MAX_VALUE, violations);
        int size = integer("limit", limit, 50, 1, maxPageSize, violations);
        if (!violations.isEmpty()) {
            throw new InvalidMessageException(violations);
        }
        return registry.list(s, t, from, size);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Cancel a job: workers skip its remaining work")
    @APIResponse(
            responseCode = "202",
            description = "cancellation recorded",
            content = @Content(schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "404", description = "unknown job")
    @APIResponse(responseCode = "409", description = "the job has already ended")
    public Response cancel(@PathParam("id") String id) throws PublishException {
        Optional<JobView> view = registry.view(id);
        if (view.isEmpty()) {
            return notFound(id);
        }
        if (view.get().status().isTerminal()) {
            return ErrorMappers.json(
                    Response.Status.CONFLICT,
                    ApiError.of(
                            "job has ended", "job " + id + " is " + view.get().status()));
        }
        return Response.accepted(jobs.cancel(view.get())).build();
    }

    private static Response notFound(String id) {
        return ErrorMappers.json(Response.Status.NOT_FOUND, ApiError.of("not found", "no job " + id));
    }

    private static <E extends Enum<E>> E parse(String field, String value, Class<E> type, List<Violation> violations) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            violations.add(new Violation(
                    field,
                    "unknown value '" + value + "'; expected one of " + Arrays.toString(type.getEnumConstants())));
            return null;
        }
    }

    private static int integer(String field, String value, int fallback, int min, int max, List<Violation> violations) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(value.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        violations.add(
                new Violation(field, "must be an integer between " + min + " and " + max + ", got '" + value + "'"));
        return fallback;
    }
}
