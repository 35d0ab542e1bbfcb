package io.scoregen.gateway.api;

import io.scoregen.gateway.config.GatewayConfig;
import io.scoregen.gateway.datasets.DatasetStore;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Streamed data set upload into the {@link DatasetStore}; the returned id goes into a train job's {@code dataset}. */
@Path("/v1/datasets")
public final class DatasetResource {

    /** The id and size of a stored data set. */
    public record Stored(String datasetId, long bytes) {}

    private final Instance<DatasetStore> stores;
    private final long maxBytes;

    DatasetResource(Instance<DatasetStore> stores, GatewayConfig config) {
        this.stores = stores;
        this.maxBytes = config.datasets().maxBytes();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Upload a data set (any content type, streamed, size-limited)")
    @APIResponse(responseCode = "201", description = "stored")
    @APIResponse(responseCode = "413", description = "over the size limit")
    @APIResponse(responseCode = "501", description = "no data set store configured")
    public Response upload(
            InputStream body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength)
            throws IOException {
        if (!stores.isResolvable()) {
            return ErrorMappers.json(
                    Response.Status.NOT_IMPLEMENTED,
                    ApiError.of("not configured", "this gateway has no data set store"));
        }
        if (contentLength != null && contentLength > maxBytes) {
            throw new PayloadTooLargeException(maxBytes);
        }
        String id = "ds-" + UUID.randomUUID();
        try (LimitedInputStream in = new LimitedInputStream(body, maxBytes)) {
            long stored =
                    stores.get().put(id, contentType == null ? MediaType.APPLICATION_OCTET_STREAM : contentType, in);
            return Response.status(Response.Status.CREATED)
                    .entity(new Stored(id, stored))
                    .build();
        }
    }
}
