package io.scoregen.gateway.jobs;

import java.net.URI;

/**
 * Turns a result's object key into a URL a client can download it from (a presigned GET of the object store). Optional:
 * without an implementation, job views carry the keys only.
 */
public interface ResultLinks {

    URI link(String objectKey);
}
