package io.wordcountiq.model;

/** A request that cannot be answered, with the HTTP status the client gets. Mapped to JSON in routes/errors. */
public class ApiError extends RuntimeException {

    private final int status;
    private final Integer retryAfterSeconds;
    private final Object details;
    private final java.util.Map<String, String> headers;

    public ApiError(int status, String message) {
        this(status, message, null);
    }

    public ApiError(int status, String message, Integer retryAfterSeconds) {
        this(status, message, retryAfterSeconds, null);
    }

    /** @param details extra JSON-serialisable facts for the client, such as the instances tried */
    public ApiError(int status, String message, Integer retryAfterSeconds, Object details) {
        this(status, message, retryAfterSeconds, details, java.util.Map.of());
    }

    private ApiError(int status, String message, Integer retryAfterSeconds, Object details,
                     java.util.Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
        this.details = details;
        this.headers = headers;
    }

    /** The same error with one more response header, such as Allow or WWW-Authenticate. */
    public ApiError withHeader(String name, String value) {
        java.util.Map<String, String> more = new java.util.LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiError(status, getMessage(), retryAfterSeconds, details, java.util.Collections.unmodifiableMap(more));
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

    /** Response headers the error needs besides the body (Allow with 405, WWW-Authenticate with 401). */
    public java.util.Map<String, String> headers() {
        return headers;
    }
}
