package io.wordcountiq.http;

import io.wordcountiq.model.ApiError;
import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import org.apache.camel.component.direct.DirectConsumerNotAvailableException;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the client is told about a failure nobody turned into an {@link ApiError}: the status and a short reason. */
public final class Failures {

    private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

    private Failures() {
    }

    /** The failure itself, without the wrappers asynchronous stages put around it. */
    public static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static ApiError toApiError(Throwable failure, String routeId) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ApiError e) {
            return e;
        }
        if (cause instanceof DirectConsumerNotAvailableException) {
            // The HTTP server ran the request again for a while already; the route is still being swapped.
            return new ApiError(503, "this route is being reloaded; retry shortly", 1);
        }
        if (cause instanceof RejectedExecutionException) {
            return new ApiError(503, "this instance is too busy right now; retry shortly", 1);
        }
        if (cause instanceof IOException) {
            // Only calls to other instances do I/O here: one could not be reached.
            LOG.debug("Instance unreachable on {}: {}", routeId, cause.toString());
            return new ApiError(503, "another instance could not be reached; retry shortly", 1);
        }
        if (cause instanceof InvalidStateStoreException) {
            return new ApiError(503, "state is being moved between instances; retry shortly", 1);
        }
        StringBuilder chain = new StringBuilder(String.valueOf(cause));
        for (Throwable t = cause == null ? null : cause.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            chain.append(" <- ").append(t);
        }
        LOG.error("Unexpected failure on {}: {}", routeId, chain);
        return new ApiError(500, "internal error");
    }
}
