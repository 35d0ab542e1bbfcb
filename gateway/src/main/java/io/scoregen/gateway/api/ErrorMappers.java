package io.scoregen.gateway.api;

import io.scoregen.gateway.jobs.ModelNotReadyException;
import io.scoregen.gateway.kafka.JobPublisher.PublishException;
import io.scoregen.job.Violation;
import io.scoregen.platform.messages.InvalidMessageException;
import io.scoregen.platform.storage.StorageException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps the gateway's exceptions to JSON error responses. */
public final class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response invalid(InvalidMessageException e) {
        return json(Response.Status.BAD_REQUEST, new ApiError("invalid request", e.violations()));
    }

    @ServerExceptionMapper
    public Response notReady(ModelNotReadyException e) {
        return json(
                Response.Status.CONFLICT,
                new ApiError("model not ready", List.of(new Violation("model", e.getMessage()))));
    }

    @ServerExceptionMapper
    public Response tooLarge(PayloadTooLargeException e) {
        return json(Response.Status.REQUEST_ENTITY_TOO_LARGE, ApiError.of("payload too large", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response incomplete(IncompleteBodyException e) {
        return json(Response.Status.BAD_REQUEST, ApiError.of("incomplete body", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response unavailable(PublishException e) {
        LOG.error("publishing to Kafka failed", e);
        return json(Response.Status.SERVICE_UNAVAILABLE, ApiError.of("cannot queue the job", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response storeUnavailable(StorageException e) {
        LOG.error("the object store failed", e);
        return json(
                Response.Status.SERVICE_UNAVAILABLE, ApiError.of("the object store is unavailable", e.getMessage()));
    }

    /**
     * The framework's own refusals (404 for a path under a resource with no such method, 405, 406, 415) in the same
     * body as every other error, keeping their headers ({@code Allow} for 405).
     */
    @ServerExceptionMapper
    public Response http(WebApplicationException e) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        if (status.getFamily() != Response.Status.Family.CLIENT_ERROR) {
            return e.getResponse();
        }
        return Response.fromResponse(e.getResponse())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ApiError.of(status.getReasonPhrase().toLowerCase(Locale.ROOT), e.getMessage()))
                .build();
    }

    static Response json(Response.Status status, ApiError error) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(error)
                .build();
    }
}
