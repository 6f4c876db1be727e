package io.wordcountiq.consistency;

import io.wordcountiq.model.Caller;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A read that waits, holding no thread, until its copy covers a token: an attempt now, and again every
 * {@link TokenPoll#INTERVAL_MS} on the request's event loop until the deadline, when it gives up.
 */
public abstract class TokenWait<T> {

    protected final Caller caller;
    protected final CompletableFuture<T> out = new CompletableFuture<>();
    private final long deadlineNanos;

    protected TokenWait(long deadlineNanos, Caller caller) {
        this.deadlineNanos = deadlineNanos;
        this.caller = caller;
    }

    public CompletionStage<T> start() {
        attempt();
        return out;
    }

    /** Looks whether the copy covers the token: completes {@link #out}, or calls {@link #again}. */
    protected abstract void attempt();

    /** Completes {@link #out} at the deadline, with why the copy is still behind. */
    protected abstract void giveUp(String behind);

    protected void again(String behind) {
        if (!TokenPoll.again(deadlineNanos, caller, this::attempt)) {
            giveUp(behind);
        }
    }
}
