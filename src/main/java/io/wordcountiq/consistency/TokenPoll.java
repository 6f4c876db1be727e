package io.wordcountiq.consistency;

import io.wordcountiq.model.Caller;
import java.util.concurrent.TimeUnit;

/** How a read waits for its copy to cover a token: it looks again every {@link #INTERVAL_MS} on its event loop. */
public final class TokenPoll {

    /** Between two checks of whether a copy covers a token yet. */
    public static final long INTERVAL_MS = 10;

    private TokenPoll() {
    }

    /**
     * Runs {@code attempt} again after {@link #INTERVAL_MS} on the request's event loop, unless that would pass the
     * deadline or the client has gone: then false, and the caller answers.
     */
    static boolean again(long deadlineNanos, Caller caller, Runnable attempt) {
        if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS) > deadlineNanos || caller.gone()) {
            return false;
        }
        caller.after(INTERVAL_MS, attempt);
        return true;
    }
}
