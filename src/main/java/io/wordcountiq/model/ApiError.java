package io.wordcountiq.model;

/** A request that cannot be answered, with the HTTP status the client gets. Mapped to JSON in routes/errors. */
public class ApiError extends RuntimeException {

    private final int status;
    private final Integer retryAfterSeconds;
    private final Object details;

    public ApiError(int status, String message) {
        this(status, message, null);
    }

    public ApiError(int status, String message, Integer retryAfterSeconds) {
        this(status, message, retryAfterSeconds, null);
    }

    /** @param details extra JSON-serialisable facts for the client, such as the instances tried */
    public ApiError(int status, String message, Integer retryAfterSeconds, Object details) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
        this.details = details;
    }

    public static ApiError badRequest(String message) {
        return new ApiError(400, message);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, message);
    }

    public static ApiError notReady(String message) {
        return new ApiError(503, message, 1);
    }

    public int status() {
        return status;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public Object details() {
        return details;
    }
}
