package io.wordcountiq.lookup;

import io.wordcountiq.cluster.StoreMetadata;
import io.wordcountiq.consistency.Consistency;
import io.wordcountiq.consistency.TokenPoll;
import io.wordcountiq.http.Callers;
import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.Caller;
import io.wordcountiq.model.Copy;
import io.wordcountiq.model.Placement;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.model.QueryResult.CatchUp;
import io.wordcountiq.model.QueryResult.NotHosted;
import io.wordcountiq.model.QueryResult.NotLocal;
import io.wordcountiq.model.QueryResult.Unavailable;
import io.wordcountiq.model.StoreRequest;
import io.wordcountiq.model.StoreRequest.KeyLookup;
import io.wordcountiq.streams.StreamsLifecycle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;

/**
 * Reads one key of this instance's Kafka Streams state with interactive queries v2. A key that lives elsewhere is not
 * an error here: the result is {@link NotLocal}, and routes/local-or-forward decides where to ask next.
 *
 * <p>A key lookup first asks for the processing active copy; when the partition's copy here is a standby, or an
 * active task still restoring after a rebalance, it reads that copy and says so ({@link Copy}): a rebalance never
 * makes a copy that exists unreadable. A lookup with a consistency token is {@link CatchUp}: its copy is read once it
 * covers the token ({@link #catchUp}), checked again every {@link TokenPoll#INTERVAL_MS} on the request's event loop,
 * with every question to Kafka asynchronous: a waiting read holds no thread. Which copy answers is
 * {@link CopyChoice}'s decision. Observers read their global stores ({@link ObserverReads}; IQv2 does not serve global
 * stores).
 */
public class LocalReads {

    private final StoreMetadata metadata;
    private final Consistency consistency;
    private final long requestTimeoutMs;
    private final long forwardTimeoutMs;
    private final CopyReader reader;
    private final ObserverReads observerReads;

    public LocalReads(StoreMetadata metadata, StreamsLifecycle lifecycle, Consistency consistency) {
        this.metadata = metadata;
        this.consistency = consistency;
        this.requestTimeoutMs = lifecycle.settings().requestTimeoutMs();
        this.forwardTimeoutMs = lifecycle.settings().forwardTimeoutMs();
        this.reader = new CopyReader(metadata, lifecycle, consistency);
        this.observerReads = new ObserverReads(lifecycle, consistency);
    }

    /**
     * How long a read may wait for its copy to cover the request's token: a client's read at the key's owner up to
     * REQUEST_TIMEOUT_MS; a peer's read (one hop of a walk) up to half of FORWARD_TIMEOUT_MS, so the walk can still
     * ask another copy.
     */
    public long waitDeadline(StoreRequest request) {
        return waitDeadline(request, 0);
    }

    /** {@link #waitDeadline(StoreRequest)} of a request that arrived {@code elapsedMs} ago: one deadline per request. */
    long waitDeadline(StoreRequest request, long elapsedMs) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(request.localOnly() ? forwardTimeoutMs / 2
                : Math.max(0, requestTimeoutMs - elapsedMs));
    }

    /** A key or windowed lookup: found here, absent here, not here at all, not readable right now, or to catch up. */
    public QueryResult read(KeyLookup request) {
        String notReady = metadata.notQueryableReason();
        if (notReady != null) {
            return new Unavailable(notReady);
        }
        if (metadata.isObserver()) {
            return observerReads.read(request);
        }
        Placement placement;
        try {
            placement = metadata.placement(request.store(), request.key());
        } catch (ApiError e) {
            return new Unavailable(e.getMessage());
        }
        return switch (CopyChoice.step(placement, request)) {
            case FORWARD -> new NotLocal(request, placement);
            case NOT_HOSTED -> new NotHosted(metadata.self());
            case CATCH_UP -> new CatchUp(request, placement);
            case READ_HERE -> CopyChoice.settledHere(request, placement, readNow(request, placement.partition()));
        };
    }

    /**
     * A {@link CatchUp}: the copy here is read once it covers the request's token, or {@link Unavailable} when it
     * does not by the deadline (or the client has gone). A client's read whose copy here does not settle it (a
     * restoring copy, a lagging standby) goes on to the key's other holders.
     */
    public CompletionStage<QueryResult> catchUp(Exchange exchange) {
        CatchUp catchUp = exchange.getMessage().getBody(CatchUp.class);
        KeyLookup request = catchUp.request();
        Caller caller = Callers.of(exchange);
        if (metadata.isObserver()) {
            return observerReads.catchUp(request, waitDeadline(request, exchange.getClock().elapsed()), caller);
        }
        long deadline = CopyChoice.looksOnce(request, catchUp.placement()) ? System.nanoTime()
                : waitDeadline(request, exchange.getClock().elapsed());
        return consistency.requirePlausible(request.token())
                .thenComposeAsync(v -> readCovering(request, catchUp.placement().partition(), deadline, caller),
                        caller.loop())
                .thenApply(read -> CopyChoice.afterCatchUp(request, catchUp.placement(), read));
    }

    /** The partition's copy here, read once: a request without a token never waits. */
    QueryResult readNow(KeyLookup request, int partition) {
        CopyRead read = reader.read(request, partition);
        if (read.copy() == null) {
            return read.result();
        }
        QueryResult tooFar = CopyChoice.beyondMaxLag(request, read.copy());
        return tooFar != null ? tooFar : read.withToken(request, partition);
    }

    /**
     * Reads the partition's copy here, whatever it is, once it covers the request's token, checking again every
     * {@link TokenPoll#INTERVAL_MS} until {@code deadlineNanos} (a deadline already passed: one check). Completes on
     * the request's event loop.
     */
    public CompletionStage<QueryResult> readCovering(KeyLookup request, int partition, long deadlineNanos, Caller caller) {
        if (request.token().isEmpty()) {
            return CompletableFuture.completedFuture(readNow(request, partition));
        }
        return new CoveringRead(reader, consistency, request, partition, deadlineNanos, caller).start();
    }
}
