package io.scoregen.gateway.api;

import io.scoregen.gateway.config.GatewayConfig;
import io.scoregen.gateway.jobs.JobRegistry;
import io.scoregen.gateway.jobs.JobRetention;
import io.scoregen.gateway.jobs.JobService;
import io.scoregen.gateway.jobs.JobStream;
import io.scoregen.gateway.jobs.ManifestStore;
import io.scoregen.gateway.jobs.ResultLinks;
import io.scoregen.gateway.kafka.JobPublisher.PublishException;
import io.scoregen.job.Checks;
import io.scoregen.job.JobId;
import io.scoregen.job.Violation;
import io.scoregen.platform.messages.InvalidMessageException;
import io.scoregen.platform.messages.JobFold;
import io.scoregen.platform.messages.JobManifest;
import io.scoregen.platform.messages.JobState;
import io.scoregen.platform.messages.JobType;
import io.scoregen.platform.messages.JobView;
import io.scoregen.platform.storage.StorageException;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
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

/** Job state as folded by the {@link JobRegistry}, its changes as a stream, and cancellation. */
@Path("/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
public final class JobResource {

    private static final String LAST_EVENT_ID = "Last-Event-ID";

    private final JobRegistry registry;
    private final JobService jobs;
    private final Instance<ResultLinks> links;
    private final Instance<ManifestStore> manifests;
    private final JobRetention retention;
    private final int maxPageSize;

    JobResource(
            JobRegistry registry,
            JobService jobs,
            Instance<ResultLinks> links,
            Instance<ManifestStore> manifests,
            JobRetention retention,
            GatewayConfig config) {
        this.manifests = manifests;
        this.retention = retention;
        this.registry = registry;
        this.jobs = jobs;
        this.links = links;
        this.maxPageSize = config.api().maxPageSize();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "State, progress, loss curve, shards, timestamps, error, spec and result keys of a job")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = JobDetails.class)))
    @APIResponse(responseCode = "404", description = "unknown job")
    public Response get(@PathParam("id") String id) {
        return details(id).map(d -> Response.ok(details(d)).build()).orElseGet(() -> notFound(id));
    }

    /**
     * An active job's details from the registry; a finished one's view from the registry, the rest from its manifest.
     */
    private Optional<JobFold.Details> details(String id) {
        if (!registry.isFinished(id)) {
            return registry.details(id);
        }
        return registry.view(id).map(view -> {
            JobManifest manifest = manifest(view);
            return new JobFold.Details(
                    view.withResultKeys(manifest.allKeys()),
                    manifest.spec(),
                    view.type() == JobType.TRAIN ? manifest.lossCurve() : null,
                    view.type() == JobType.SAMPLE ? manifest.shardProgress() : null);
        });
    }

    private JobManifest manifest(JobView finished) {
        return manifests
                .get()
                .read(finished.manifest())
                .orElseThrow(() -> new StorageException(
                        "the manifest " + finished.manifest() + " of job " + finished.jobId() + " is missing",
                        null,
                        false,
                        1));
    }

    @GET
    @Path("/{id}/results")
    @Operation(summary = "A job's result keys, a page at a time, each with its download URL where links are configured")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ResultPage.class)))
    @APIResponse(responseCode = "400", description = "invalid cursor or limit")
    @APIResponse(responseCode = "404", description = "unknown job")
    public Response results(
            @PathParam("id") String id, @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        List<Violation> violations = new ArrayList<>();
        int from = integer("cursor", cursor, 0, 0, Integer.MAX_VALUE, violations);
        int size = integer("limit", limit, JobView.INLINE_RESULT_KEYS, 1, maxPageSize, violations);
        if (!violations.isEmpty()) {
            throw new InvalidMessageException(violations);
        }
        Optional<List<String>> keys = registry.isFinished(id)
                ? registry.view(id).map(view -> manifest(view).allKeys())
                : registry.resultKeys(id);
        return keys.map(all ->
                        Response.ok(ResultPage.of(all, from, size, this::link)).build())
                .orElseGet(() -> notFound(id));
    }

    private URI link(String key) {
        return links.isResolvable() ? links.get().link(key) : null;
    }

    private JobDetails details(JobFold.Details details) {
        if (!links.isResolvable()) {
            return JobDetails.of(details, null);
        }
        Map<String, URI> urls = new LinkedHashMap<>();
        details.view().resultKeys().forEach(key -> urls.put(key, links.get().link(key)));
        return JobDetails.of(details, urls);
    }

    /**
     * Server-sent events of job changes: {@code id} the registry's change sequence, {@code event: job}, data the job's
     * view as in the list. A client resumes with {@code Last-Event-ID}; see {@link JobRegistry#follow}. Declared before
     * {@code /{id}} matters not: a literal segment wins over a template, so {@code GET /v1/jobs/stream} is never a job.
     */
    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Job changes as server-sent events (event: job, id: change sequence; event: reset)")
    @APIResponse(responseCode = "200", description = "text/event-stream of job views")
    @APIResponse(responseCode = "400", description = "invalid job id")
    public Multi<OutboundSseEvent> stream(
            @QueryParam("job") String job, @HeaderParam(LAST_EVENT_ID) String lastEventId, @Context Sse sse) {
        if (job != null) {
            Checks checks = new Checks();
            if (!JobId.check(checks, "job", job)) {
                throw new InvalidMessageException(checks.violations());
            }
        }
        return registry.follow(sequence(lastEventId), job).map(item -> event(item, sse));
    }

    private static OutboundSseEvent event(JobStream.Item item, Sse sse) {
        if (item instanceof JobStream.Change c) {
            return sse.newEventBuilder()
                    .id(Long.toString(c.sequence()))
                    .name("job")
                    .mediaType(MediaType.APPLICATION_JSON_TYPE)
                    .data(JobView.class, c.view())
                    .build();
        }
        if (item instanceof JobStream.Reset) {
            return sse.newEventBuilder()
                    .name("reset")
                    .mediaType(MediaType.APPLICATION_JSON_TYPE)
                    .data(Map.class, Map.of())
                    .build();
        }
        return sse.newEventBuilder().comment("keep-alive").build();
    }

    /** A {@code Last-Event-ID} that is no sequence number is older than any window: the client starts over. */
    private static Long sequence(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(lastEventId.trim());
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
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
    @Operation(
            summary = "Cancel a job (workers skip its remaining work), or with purge=true forget a finished one (its"
                    + " status and manifest; its results stay)")
    @APIResponse(
            responseCode = "202",
            description = "cancellation recorded",
            content = @Content(schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "204", description = "purged")
    @APIResponse(responseCode = "400", description = "purge is not true or false")
    @APIResponse(responseCode = "404", description = "unknown job")
    @APIResponse(responseCode = "409", description = "cancel: the job has already ended; purge: it has not ended yet")
    public Response cancel(@PathParam("id") String id, @QueryParam("purge") String purge) throws PublishException {
        boolean purging = bool("purge", purge);
        Optional<JobView> view = registry.view(id);
        if (view.isEmpty()) {
            return notFound(id);
        }
        boolean ended = view.get().status().isTerminal();
        if (purging) {
            if (!ended) {
                return conflict(
                        "job has not ended", "job " + id + " is " + view.get().status() + ": cancel it first");
            }
            retention.purge(view.get());
            return Response.noContent().build();
        }
        if (ended) {
            return conflict("job has ended", "job " + id + " is " + view.get().status());
        }
        return Response.accepted(jobs.cancel(view.get())).build();
    }

    private static Response conflict(String error, String detail) {
        return ErrorMappers.json(Response.Status.CONFLICT, ApiError.of(error, detail));
    }

    private static boolean bool(String field, String value) {
        if (value == null || value.isBlank() || value.trim().equalsIgnoreCase("false")) {
            return false;
        }
        if (value.trim().equalsIgnoreCase("true")) {
            return true;
        }
        throw new InvalidMessageException(field, "must be true or false, got '" + value + "'");
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
