package io.wordcountiq.model;

/**
 * An answer's body produced chunk by chunk as the client reads it: a whole-store answer merged from parts that
 * arrive asynchronously. The HTTP server asks for the next chunk only when the client has taken the last one, so a
 * slow reader slows the producer instead of filling memory, and a reader that stops is cut off (a write timeout).
 */
public interface AsyncBody {

    /** Asks for the next chunk; {@code sink} gets exactly one call, on any thread. */
    void next(Sink sink);

    /** The answer is abandoned (the client went away, stopped reading, or the server stops): release everything. */
    void cancel();

    /** Where one chunk goes. */
    interface Sink {
        void chunk(byte[] bytes);

        /** The body is complete. */
        void end();

        /** The body cannot be completed: the answer must be cut, never ended as if whole. */
        void fail(Throwable cause);
    }
}
