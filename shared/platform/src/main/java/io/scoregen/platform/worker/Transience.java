package io.scoregen.platform.worker;

import io.scoregen.platform.storage.StorageException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RetriableException;

/** Whether a failure is worth retrying later (store or broker unreachable) rather than failing the job. */
public final class Transience {

    private Transience() {}

    public static boolean isTransient(Throwable failure) {
        for (Throwable c = failure; c != null; c = c.getCause()) {
            if (c instanceof StorageException s) {
                return s.isTransient();
            }
            if (c instanceof RetriableException
                    || c instanceof TimeoutException
                    || c instanceof ConnectException
                    || c instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
