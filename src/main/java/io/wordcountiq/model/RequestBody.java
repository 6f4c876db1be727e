package io.wordcountiq.model;

import java.util.concurrent.CompletionStage;

/**
 * A request's body before it is read: a route reads it only after deciding the request may have one
 * (authentication, method, declared size), so nothing of a refused request is ever buffered.
 */
public interface RequestBody {

    /** The Content-Length the client declared, or -1 when it sends the body chunked. */
    long declaredLength();

    /**
     * Reads the whole body, at most {@code maxBytes} (413 past that, the connection closed), within the server's
     * budget of bytes buffered for uploads at once (503 with Retry-After while it is spent). Completes on the
     * request's event loop.
     */
    CompletionStage<byte[]> read(int maxBytes);
}
