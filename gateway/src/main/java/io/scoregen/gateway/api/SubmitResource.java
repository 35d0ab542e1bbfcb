package io.scoregen.gateway.api;

import io.scoregen.gateway.jobs.JobService;
import io.scoregen.gateway.kafka.JobPublisher.PublishException;
import io.scoregen.job.SampleJob;
import io.scoregen.job.TrainJob;
import io.scoregen.platform.messages.JobStatus;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;

/**
 * Job submission: a train job answers 202 QUEUED once its records are acknowledged by Kafka; a sample job answers 202
 * PUBLISHING once its first snapshot is, and its shards follow in the background.
 */
@Path("/v1")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(
        responseCode = "400",
        description = "invalid body",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
public final class SubmitResource {

    private final JobService jobs;
    private final JsonBodies bodies;

    SubmitResource(JobService jobs, JsonBodies bodies) {
        this.jobs = jobs;
        this.bodies = bodies;
    }

    @POST
    @Path("/train-jobs")
    @Operation(summary = "Submit a training job")
    @APIResponseSchema(value = Accepted.class, responseCode = "202", responseDescription = "queued")
    public Response train(
            @RequestBody(content = @Content(schema = @Schema(implementation = TrainJob.class))) InputStream body)
            throws IOException, PublishException {
        return accepted(jobs.submit(bodies.read(body, TrainJob.class)));
    }

    @POST
    @Path("/sample-jobs")
    @Operation(summary = "Submit a sampling job; it is split into shards of at most shardSize samples")
    @APIResponseSchema(
            value = Accepted.class,
            responseCode = "202",
            responseDescription = "publishing: the shards go out in the background")
    @APIResponse(
            responseCode = "409",
            description = "the model's train job has not ended yet",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response sample(
            @RequestBody(content = @Content(schema = @Schema(implementation = SampleJob.class))) InputStream body)
            throws IOException, PublishException {
        return accepted(jobs.submit(bodies.read(body, SampleJob.class)));
    }

    private static Response accepted(JobStatus status) {
        return Response.accepted(Accepted.of(status))
                .location(URI.create("/v1/jobs/" + status.jobId()))
                .build();
    }
}
