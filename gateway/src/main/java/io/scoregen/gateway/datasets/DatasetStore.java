package io.scoregen.gateway.datasets;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where uploaded data sets go (the object store in production). Implementations must stream (never hold a whole data
 * set in memory) and must leave nothing behind when {@code put} throws, including when the stream fails part-way
 * because the upload went over its size limit.
 */
public interface DatasetStore {

    /** Stores the content under the data set id and returns the number of bytes stored. */
    long put(String datasetId, String contentType, InputStream content) throws IOException;
}
