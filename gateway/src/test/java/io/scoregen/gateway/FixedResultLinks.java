package io.scoregen.gateway;

import io.scoregen.gateway.jobs.ResultLinks;
import jakarta.inject.Singleton;
import java.net.URI;

/** Test links: a URL derived from the key, so tests can check every result key got its own. */
@Singleton
public class FixedResultLinks implements ResultLinks {

    @Override
    public URI link(String objectKey) {
        return URI.create("http://objects.test/" + objectKey + "?signature=test");
    }
}
