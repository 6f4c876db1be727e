package io.wordcountiq.lookup;

import io.wordcountiq.cluster.StoreMetadata;
import io.wordcountiq.consistency.Consistency;
import io.wordcountiq.http.Callers;
import io.wordcountiq.http.Failures;
import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.Caller;
import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.Copy;
import io.wordcountiq.model.KeyValueBean;
import io.wordcountiq.model.Placement;
import io.wordcountiq.model.QueryResult.Absent;
import io.wordcountiq.model.QueryResult.CatchUp;
import io.wordcountiq.model.QueryResult.Found;
import io.wordcountiq.model.QueryResult.NotHosted;
import io.wordcountiq.model.QueryResult.NotLocal;
import io.wordcountiq.model.QueryResult.Unavailable;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.model.StoreRequest.KeyLookup;
import io.wordcountiq.model.StoreRequest.KeyRequest;
import io.wordcountiq.model.StoreRequest.WindowRequest;
import io.wordcountiq.model.StoreRequest;
import io.wordcountiq.streams.StreamsLifecycle;
import io.wordcountiq.wire.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.WindowKeyQuery;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Reads one key of this instance's Kafka Streams state with interactive queries v2. A key that lives elsewhere is not
 * an error here: the result is {@link NotLocal}, and routes/local-or-forward decides where to ask next.
 *
 * <p>A key lookup first asks for the processing active copy; when the partition's copy here is a standby, or an
 * active task still restoring after a rebalance, it reads that copy and says so ({@link Copy}): a rebalance never
 * makes a copy that exists unreadable. A lookup with a consistency token is {@link CatchUp}: its copy is read once it
 * covers the token ({@link #catchUp}), checked again every {@link #TOKEN_POLL_MS} on the request's event loop, with
 * every question to Kafka asynchronous: a waiting read holds no thread. Observers read their global stores
 * ({@link ObserverReads}; IQv2 does not serve global stores).
 */
public class LocalReads {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LocalReads.class);

    /** Between two checks of whether a copy covers a token yet. */
    public static final long TOKEN_POLL_MS = 10;

    private final StoreMetadata metadata;
    private final StreamsLifecycle lifecycle;
    private final Consistency consistency;
    private final long requestTimeoutMs;
    private final long forwardTimeoutMs;
    private final ObserverReads observerReads;

    public LocalReads(StoreMetadata metadata, StreamsLifecycle lifecycle, Consistency consistency) {
        this.metadata = metadata;
        this.lifecycle = lifecycle;
        this.consistency = consistency;
        this.requestTimeoutMs = lifecycle.settings().requestTimeoutMs();
        this.forwardTimeoutMs = lifecycle.settings().forwardTimeoutMs();
        this.observerReads = new ObserverReads(lifecycle, consistency);
    }

    /**
     * How long a read may wait for its copy to cover the request's token: a client's read at the key's owner up to
     * REQUEST_TIMEOUT_MS; a peer's read (one hop of a walk) up to half of FORWARD_TIMEOUT_MS, so the walk can still
     * ask another copy.
     */
    public long waitDeadline(StoreRequest request) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(request.localOnly() ? forwardTimeoutMs / 2 : requestTimeoutMs);
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
        Placement.Decision decision = placement.decide(request.localOnly());
        if (decision == Placement.Decision.FORWARD && placement.role() == Placement.Role.STANDBY
                && request.statesFreshness()) {
            // The nearest copy that is fresh enough answers: this instance's own standby first.
            return request.token().isEmpty() ? settledHere(request, placement, readNow(request, placement.partition()))
                    : new CatchUp(request, placement);
        }
        if (decision == Placement.Decision.FORWARD) {
            return new NotLocal(request, placement);
        }
        if (decision == Placement.Decision.NOT_HOSTED) {
            return new NotHosted(metadata.self());
        }
        if (!request.token().isEmpty()) {
            return new CatchUp(request, placement);
        }
        return settledHere(request, placement, readNow(request, placement.partition()));
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
            return observerReads.catchUp(request, waitDeadline(request), caller);
        }
        // This instance's standby is only the nearest copy: it is looked at once, and the walk asks on if it is behind.
        long deadline = catchUp.placement().role() == Placement.Role.STANDBY && !request.localOnly() ? System.nanoTime()
                : waitDeadline(request);
        return consistency.requirePlausible(request.token())
                .thenComposeAsync(v -> readCovering(request, catchUp.placement().partition(), deadline, caller),
                        caller.loop())
                .thenApply(read -> read instanceof Unavailable && catchUp.placement().role() == Placement.Role.ACTIVE
                        // The owner itself does not cover the token in time: no other copy is further on.
                        ? read : settledHere(request, catchUp.placement(), read));
    }

    private static QueryResult settledHere(KeyLookup request, Placement placement, QueryResult read) {
        if (!request.localOnly() && !settles(read, request)) {
            // This copy is restoring (it may lag behind, or not have the key yet), or cannot be read right now: the
            // key's other holders are asked first, and this copy is the answer of last resort between rounds
            // (routes/forward.camel.yaml).
            return new NotLocal(request, placement);
        }
        return read;
    }

    /**
     * A read that answers a client without asking anyone else: the processing active copy's value or absence, or,
     * for a request that says how fresh it must be, any copy that was found fresh enough.
     */
    static boolean settles(QueryResult read, StoreRequest request) {
        if (request.statesFreshness() && (read instanceof Found || read instanceof Absent)) {
            return true;
        }
        return (read instanceof Found found && !found.stale())
                || (read instanceof Absent absent && absent.copy().authoritative());
    }

    /** The partition's copy here, read once: a request without a token never waits. */
    QueryResult readNow(KeyLookup request, int partition) {
        Read read = readOnce(request, partition);
        if (read.copy() == null) {
            return read.result();
        }
        QueryResult tooFar = beyondMaxLag(request, read.copy());
        return tooFar != null ? tooFar : withToken(request, partition, read);
    }

    /**
     * Reads the partition's copy here, whatever it is, once it covers the request's token, checking again every
     * {@link #TOKEN_POLL_MS} until {@code deadlineNanos} (a deadline already passed: one check). Completes on the
     * request's event loop.
     */
    public CompletionStage<QueryResult> readCovering(KeyLookup request, int partition, long deadlineNanos, Caller caller) {
        if (request.token().isEmpty()) {
            return CompletableFuture.completedFuture(readNow(request, partition));
        }
        return new TokenWait(request, partition, deadlineNanos, caller).start();
    }

    /** One read's wait for its copy to cover the token: an attempt now, and again after each pause. */
    private final class TokenWait {
        private final KeyLookup request;
        private final int partition;
        private final long deadlineNanos;
        private final Caller caller;
        private final Map<String, Long> targets = new HashMap<>();
        private final CompletableFuture<QueryResult> out = new CompletableFuture<>();
        /** The kind of copy the token's writes were found covered in, or null while they are not (or none concern it). */
        private Copy.Kind writesCoveredIn;

        TokenWait(KeyLookup request, int partition, long deadlineNanos, Caller caller) {
            this.request = request;
            this.partition = partition;
            this.deadlineNanos = deadlineNanos;
            this.caller = caller;
        }

        CompletionStage<QueryResult> start() {
            attempt();
            return out;
        }

        private void attempt() {
            Read read = readOnce(request, partition);
            if (read.copy() == null) {
                out.complete(read.result());
                return;
            }
            QueryResult tooFar = beyondMaxLag(request, read.copy());
            if (tooFar != null) {
                out.complete(tooFar);
                return;
            }
            String behind = positionBehind(request, partition, read.position());
            if (behind == null && request.token().committedConcern(partition) && writesCoveredIn != read.copy().kind()) {
                Copy copy = read.copy();
                consistency.committedBehind(request.token(), request.store(), partition, copy, read.position(), targets)
                        .whenCompleteAsync((writesBehind, failure) -> {
                            if (failure != null) {
                                out.complete(new Unavailable(Failures.unwrap(failure).getMessage()));
                            } else if (writesBehind == null) {
                                // Covered now, but the read was made before the check: read again, the copy only moves on.
                                writesCoveredIn = copy.kind();
                                attempt();
                            } else {
                                again(writesBehind);
                            }
                        }, caller.loop());
                return;
            }
            if (behind == null) {
                out.complete(withToken(request, partition, read));
                return;
            }
            again(behind);
        }

        private void again(String behind) {
            if (!pollAgain(deadlineNanos, caller, this::attempt)) {
                out.complete(new Unavailable("this copy does not cover X-IQ-Token yet: " + behind));
            }
        }
    }

    /**
     * Runs {@code attempt} again after {@link #TOKEN_POLL_MS} on the request's event loop, unless that would pass the
     * deadline or the client has gone: then false, and the caller answers.
     */
    public static boolean pollAgain(long deadlineNanos, Caller caller, Runnable attempt) {
        if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TOKEN_POLL_MS) > deadlineNanos || caller.gone()) {
            return false;
        }
        caller.after(TOKEN_POLL_MS, attempt);
        return true;
    }

    private static QueryResult beyondMaxLag(StoreRequest request, Copy copy) {
        if (request.maxLag() != null && copy.kind() == Copy.Kind.RESTORING) {
            return new Unavailable("this copy is restoring: how far behind it is is not known, and maxLag="
                    + request.maxLag() + " asks");
        }
        if (request.maxLag() != null && copy.kind() == Copy.Kind.STANDBY
                && (copy.lag() == null || copy.lag() > request.maxLag())) {
            return new Unavailable("this standby copy is " + (copy.lag() == null ? "an unknown number of"
                    : copy.lag()) + " records behind, more than maxLag=" + request.maxLag());
        }
        return null;
    }

    private static QueryResult withToken(StoreRequest request, int partition, Read read) {
        ConsistencyToken token = request.token().withPosition(partition, read.position());
        return read.result() instanceof Absent absent ? new Absent(absent.key(), absent.copy(), token)
                : new Found(((Found) read.result()).json(), read.copy(), token);
    }

    /** How far a read is behind a position the request's token has seen, or null when it is not. */
    public static String positionBehind(StoreRequest request, int partition, long position) {
        Long seen = request.token().positions().get(partition);
        if (seen != null && position < seen) {
            return "it is " + (seen - position) + " records behind a read already made";
        }
        return null;
    }

    /** One read of a copy: the result, the copy (null when no copy was read) and its position. */
    private record Read(QueryResult result, Copy copy, long position) {
    }

    private Read readOnce(KeyLookup request, int partition) {
        KafkaStreams streams = lifecycle.streams();
        Copy copy = Copy.ACTIVE;
        org.apache.kafka.streams.query.QueryResult<?> r;
        try {
            r = streams.query(inPartition(request, partition).requireActive()).getPartitionResults().get(partition);
            if (r != null && r.isFailure() && r.getFailureReason() == FailureReason.NOT_ACTIVE) {
                copy = metadata.copyHere(request.store(), partition);
                r = streams.query(inPartition(request, partition)).getPartitionResults().get(partition);
            }
        } catch (StreamsException | IllegalStateException e) {
            // Kafka Streams left RUNNING/REBALANCING between the check and the query.
            LOG.debug("Reading {} partition {} failed: {}", request.store(), partition, e.toString());
            return new Read(new Unavailable("store '" + request.store() + "' is being moved between instances; retry shortly"),
                    null, -1);
        }
        if (r == null || (r.isFailure() && (r.getFailureReason() == FailureReason.NOT_PRESENT
                || r.getFailureReason() == FailureReason.DOES_NOT_EXIST))) {
            return new Read(new NotHosted(metadata.self()), null, -1);
        }
        if (r.isFailure()) {
            LOG.debug("Reading {} partition {} failed: {} {}", request.store(), partition, r.getFailureReason(),
                    r.getFailureMessage());
            return new Read(new Unavailable("store '" + request.store() + "' cannot be read right now ("
                    + r.getFailureReason() + "); retry shortly"), null, -1);
        }
        QueryResult result = request instanceof WindowRequest window
                ? windows(window, (WindowStoreIterator<?>) r.getResult(), copy)
                : keyValue((KeyRequest) request, (Long) r.getResult(), copy);
        return new Read(result, copy, consistency.positionOf(r.getPosition(), partition));
    }

    private static StateQueryRequest<?> inPartition(KeyLookup request, int partition) {
        Query<?> query = request instanceof WindowRequest window
                ? WindowKeyQuery.<String, Long>withKeyAndWindowStartRange(window.key(),
                        Instant.ofEpochMilli(window.from()), Instant.ofEpochMilli(window.to()))
                : KeyQuery.<String, Long>withKey(request.key());
        return StateQueryRequest.inStore(request.store()).withQuery(query).withPartitions(Set.of(partition));
    }

    private static QueryResult keyValue(KeyRequest request, Long value, Copy copy) {
        return keyValue(request, value, copy, ConsistencyToken.NONE);
    }

    static QueryResult keyValue(KeyRequest request, Long value, Copy copy, ConsistencyToken token) {
        if (value == null) {
            return new Absent(request.key(), copy, token);
        }
        return new Found(Json.write(new KeyValueBean(request.key(), value)), copy, token);
    }

    private static QueryResult windows(WindowRequest request, WindowStoreIterator<?> iterator, Copy copy) {
        return windows(request, iterator, copy, ConsistencyToken.NONE);
    }

    static QueryResult windows(WindowRequest request, WindowStoreIterator<?> iterator, Copy copy,
                               ConsistencyToken token) {
        List<KeyValueBean> windows = new ArrayList<>();
        try (iterator) {
            while (iterator.hasNext()) {
                KeyValue<Long, ?> window = iterator.next();
                // A timestamped window store answers ValueAndTimestamp to a WindowKeyQuery (KeyQuery unwraps it).
                Object value = window.value instanceof ValueAndTimestamp<?> vt ? vt.value() : window.value;
                windows.add(new KeyValueBean(request.key() + "@" + window.key, ((Number) value).longValue()));
            }
        }
        return new Found(Json.write(windows), copy, token);
    }
}
