package io.scoregen.platform.worker;

import io.scoregen.platform.storage.StorageException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Whether a failure is worth retrying later rather than failing the job: an outage (store or broker unreachable), or a
 * store error that may pass (HTTP 5xx, an invalid response, an I/O error), which the worker retries a bounded number of
 * times.
 */
public final class Transience {

    private Transience() {}

    public static boolean isTransient(Throwable failure) {
        if (isOutage(failure)) {
            return true;
        }
        for (Throwable c = failure; c != null; c = c.getCause()) {
            if (c instanceof StorageException s) {
                return s.isTransient();
            }
        }
        return false;
    }

    /** No answer at all (refused, unresolved, unroutable, timed out): the service is down, not the job wrong. */
    public static boolean isOutage(Throwable failure) {
        for (Throwable c = failure; c != null; c = c.getCause()) {
            if (c instanceof RetriableException
                    || c instanceof TimeoutException
                    || c instanceof ConnectException
                    || c instanceof NoRouteToHostException
                    || c instanceof UnknownHostException
                    || c instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
