package io.wordcountiq.model;

import java.util.concurrent.Executor;

/**
 * The request as a route's beans see it beyond its message: the event loop it runs on, and whether its client is
 * still there. A bean that waits (a token not covered yet, a part of a whole-store answer) continues on this loop
 * ({@link #loop()}, {@link #after}) instead of holding a thread, and stops waiting once the client has gone.
 * Exchange property {@link Headers#CALLER}, set by the HTTP server.
 */
public interface Caller {

    /** Runs actions on the request's event loop, one at a time, in order. */
    Executor loop();

    /** Runs {@code action} on the request's event loop after {@code ms} milliseconds. */
    void after(long ms, Runnable action);

    /** The client closed or reset the connection. */
    boolean gone();

    /** Runs {@code action} once the client has gone (at once if it has already). */
    void whenGone(Runnable action);
}
