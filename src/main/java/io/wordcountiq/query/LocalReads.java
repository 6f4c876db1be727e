package io.wordcountiq.query;

import io.wordcountiq.model.ApiError;
import io.wordcountiq.model.Copy;
import io.wordcountiq.model.EntrySource;
import io.wordcountiq.model.KeyValueBean;
import io.wordcountiq.model.StorePart;
import io.wordcountiq.model.Placement;
import io.wordcountiq.model.QueryResult;
import io.wordcountiq.model.QueryResult.Absent;
import io.wordcountiq.model.QueryResult.Found;
import io.wordcountiq.model.QueryResult.NotHosted;
import io.wordcountiq.model.QueryResult.NotLocal;
import io.wordcountiq.model.QueryResult.Unavailable;
import io.wordcountiq.model.StoreRequest.KeyLookup;
import io.wordcountiq.model.StoreRequest.KeyRequest;
import io.wordcountiq.model.StoreRequest.RangeRequest;
import io.wordcountiq.model.StoreRequest.WindowRequest;
import io.wordcountiq.streams.StreamsLifecycle;
import io.wordcountiq.model.ConsistencyToken;
import io.wordcountiq.model.StoreRequest;
import java.time.Instant;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.query.WindowKeyQuery;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Reads this instance's Kafka Streams state with interactive queries v2. A key that lives elsewhere is not an error
 * here: the result is {@link NotLocal}, and routes/local-or-forward decides where to ask next.
 *
 * <p>A key lookup first asks for the processing active copy; when the partition's copy here is a standby, or an
 * active task still restoring after a rebalance, it reads that copy and says so ({@link Copy}): a rebalance never
 * makes a copy that exists unreadable. Observers read their global table (IQv2 does not serve global stores).
 */
public class LocalReads {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LocalReads.class);

    /** Between two checks of whether a copy covers a token yet. */
    private static final long TOKEN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final StoreMetadata metadata;
    private final StreamsLifecycle lifecycle;
    private final Consistency consistency;
    private final long requestTimeoutMs;
    private final long forwardTimeoutMs;

    public LocalReads(StoreMetadata metadata, StreamsLifecycle lifecycle, Consistency consistency) {
        this.metadata = metadata;
        this.lifecycle = lifecycle;
        this.consistency = consistency;
        this.requestTimeoutMs = lifecycle.settings().requestTimeoutMs();
        this.forwardTimeoutMs = lifecycle.settings().forwardTimeoutMs();
    }

    /**
     * How long a read may wait for its copy to cover the request's token: a client's read at the key's owner up to
     * REQUEST_TIMEOUT_MS; a peer's read (one hop of a walk) up to half of FORWARD_TIMEOUT_MS, so the walk can still
     * ask another copy.
     */
    private long waitDeadline(StoreRequest request) {
        if (request.token().isEmpty()) {
            return System.nanoTime();
        }
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(request.localOnly() ? forwardTimeoutMs / 2 : requestTimeoutMs);
    }

    /** A key or windowed lookup: found here, absent here, not here at all, or not readable right now. */
    public QueryResult read(KeyLookup request) {
        if (request instanceof WindowRequest && metadata.isObserver()) {
            return new QueryResult.Failed(new ApiError(501, "observers keep the whole word-count table only; "
                    + "windowed counts are served by the word-count instances"));
        }
        String notReady = metadata.notQueryableReason();
        if (notReady != null) {
            return new Unavailable(notReady);
        }
        if (metadata.isObserver()) {
            return readGlobal((KeyRequest) request);
        }
        consistency.requirePlausible(request.token());
        Placement placement;
        try {
            placement = metadata.placement(request.store(), request.key());
        } catch (ApiError e) {
            return new Unavailable(e.getMessage());
        }
        Placement.Decision decision = placement.decide(request.localOnly());
        if (decision == Placement.Decision.FORWARD) {
            return new NotLocal(request, placement);
        }
        if (decision == Placement.Decision.NOT_HOSTED) {
            return new NotHosted(metadata.self());
        }
        QueryResult read = readPartition(request, placement.partition(), waitDeadline(request));
        if (!request.localOnly() && !settles(read)) {
            // This copy is restoring (it may lag behind, or not have the key yet), or cannot be read right now: the
            // key's other holders are asked first, and this copy is the answer of last resort between rounds
            // (routes/forward.camel.yaml).
            return new NotLocal(request, placement);
        }
        return read;
    }

    /** A read that answers a client without asking anyone else: the processing active copy's value or absence. */
    static boolean settles(QueryResult read) {
        return (read instanceof Found found && !found.stale())
                || (read instanceof Absent absent && absent.copy().authoritative());
    }

    /**
     * Reads the partition's copy here, whatever it is: the processing active task if it is one, else the restoring
     * active task or the standby, and waits (until {@code waitDeadline}) for it to cover the request's token. A
     * partition with no copy here is {@link NotHosted}; a copy that does not cover the token in time, or a standby
     * further behind than maxLag, is {@link Unavailable}, saying how far behind it is.
     */
    QueryResult readPartition(KeyLookup request, int partition, long waitDeadline) {
        Map<String, Long> targets = new HashMap<>();
        // The kind of copy the token's writes were found covered in, or null while they are not (or there are none).
        Copy.Kind writesCoveredIn = null;
        while (true) {
            Read read = readOnce(request, partition);
            if (read.copy() == null) {
                return read.result();
            }
            if (request.maxLag() != null && read.copy().kind() == Copy.Kind.STANDBY
                    && (read.copy().lag() == null || read.copy().lag() > request.maxLag())) {
                return new Unavailable("this standby copy is " + (read.copy().lag() == null ? "an unknown number of"
                        : read.copy().lag()) + " records behind, more than maxLag=" + request.maxLag());
            }
            String behind = positionBehind(request, partition, read);
            if (behind == null && !request.token().writes().isEmpty() && writesCoveredIn != read.copy().kind()) {
                behind = consistency.writesBehind(request.token(), request.store(), partition, read.copy(),
                        read.position(), targets);
                if (behind == null) {
                    // Covered now, but this read was made before the check: read again, the copy only moves on.
                    writesCoveredIn = read.copy().kind();
                    continue;
                }
            }
            if (behind == null) {
                ConsistencyToken token = request.token().withPosition(partition, read.position());
                return read.result() instanceof Absent absent ? new Absent(absent.key(), absent.copy(), token)
                        : new Found(((Found) read.result()).json(), read.copy(), token);
            }
            if (System.nanoTime() + TOKEN_POLL_NANOS > waitDeadline) {
                return new Unavailable("this copy does not cover X-IQ-Token yet: " + behind);
            }
            LockSupport.parkNanos(TOKEN_POLL_NANOS);
        }
    }

    /** How far a read is behind a position the request's token has seen, or null when it is not. */
    private static String positionBehind(StoreRequest request, int partition, Read read) {
        Long seen = request.token().positions().get(partition);
        if (seen != null && read.position() < seen) {
            return "it is " + (seen - read.position()) + " records behind a read already made";
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

    /**
     * This instance's part of a whole-store request: the entries of its processing active partitions that the
     * request admits, merged in key order and read as they are needed, with the partitions actually opened (a
     * partition that cannot be read right now is left out and shows up as missing, never guessed).
     */
    public StorePart range(RangeRequest request) {
        KafkaStreams streams = metadata.requireQueryable();
        consistency.requirePlausible(request.token());
        String lower = request.lowerBound();
        RangeQuery<String, Long> query = lower == null && request.to() == null ? RangeQuery.withNoBounds()
                : lower == null ? RangeQuery.withUpperBound(request.to())
                : request.to() == null ? RangeQuery.withLowerBound(lower)
                : RangeQuery.withRange(lower, request.to());
        long deadline = waitDeadline(request);
        ConsistencyToken requested = request.token();
        Map<Integer, Map<String, Long>> targets = new HashMap<>();
        // Partitions whose active copy was found covering the token's writes (checked before the read that is kept).
        Set<Integer> writesCovered = new java.util.HashSet<>();
        while (true) {
            StateQueryResult<KeyValueIterator<String, Long>> result;
            try {
                result = streams.query(StateQueryRequest.inStore(request.store()).withQuery(query).requireActive());
            } catch (StreamsException | IllegalStateException e) {
                throw ApiError.notReady("store '" + request.store() + "' is being moved between instances; retry shortly");
            }
            List<EntrySource> sources = new ArrayList<>();
            Set<Integer> partitions = new TreeSet<>();
            ConsistencyToken token = requested;
            boolean behind = false;
            boolean readAgain = false;
            for (Map.Entry<Integer, org.apache.kafka.streams.query.QueryResult<KeyValueIterator<String, Long>>> e
                    : result.getPartitionResults().entrySet()) {
                if (!e.getValue().isSuccess()) {
                    continue;
                }
                int p = e.getKey();
                long position = consistency.positionOf(e.getValue().getPosition(), p);
                boolean covered = positionBehind(request, p, new Read(null, Copy.ACTIVE, position)) == null;
                if (covered && !requested.writes().isEmpty() && !writesCovered.contains(p)) {
                    if (consistency.writesBehind(requested, request.store(), p, Copy.ACTIVE, position,
                            targets.computeIfAbsent(p, k -> new HashMap<>())) == null) {
                        writesCovered.add(p);
                        readAgain = true; // this read was made before the check
                    }
                    covered = false;
                }
                if (!covered) {
                    // Not covering the token yet: left out (missing) unless it catches up before the deadline.
                    e.getValue().getResult().close();
                    behind = true;
                    continue;
                }
                sources.add(new StoreEntries(e.getValue().getResult(), request));
                partitions.add(p);
                token = token.withPosition(p, position);
            }
            if (!behind || (!readAgain && System.nanoTime() + TOKEN_POLL_NANOS > deadline)) {
                return new StorePart(metadata.self(), new MergedEntries(sources), partitions, token);
            }
            sources.forEach(EntrySource::close);
            if (!readAgain) {
                LockSupport.parkNanos(TOKEN_POLL_NANOS);
            }
        }
    }

    /** An observer's whole table, or the part of it a request admits, in key order. */
    public EntrySource globalRange(RangeRequest request) {
        KafkaStreams streams = metadata.requireQueryable();
        try {
            return new StoreEntries(streams.store(StoreQueryParameters.fromNameAndType(request.store(),
                    QueryableStoreTypes.<String, Long>keyValueStore())).range(request.lowerBound(), request.to()), request);
        } catch (InvalidStateStoreException e) {
            throw ApiError.notReady("store '" + request.store() + "' is not ready yet");
        }
    }

    private static StateQueryRequest<?> inPartition(KeyLookup request, int partition) {
        Query<?> query = request instanceof WindowRequest window
                ? WindowKeyQuery.<String, Long>withKeyAndWindowStartRange(window.key(),
                        Instant.ofEpochMilli(window.from()), Instant.ofEpochMilli(window.to()))
                : KeyQuery.<String, Long>withKey(request.key());
        return StateQueryRequest.inStore(request.store()).withQuery(query).withPartitions(Set.of(partition));
    }

    private QueryResult readGlobal(KeyRequest request) {
        Long value;
        try {
            value = lifecycle.streams().store(StoreQueryParameters.fromNameAndType(request.store(),
                    QueryableStoreTypes.<String, Long>keyValueStore())).get(request.key());
        } catch (InvalidStateStoreException e) {
            return new Unavailable("store '" + request.store() + "' is not ready yet");
        }
        return keyValue(request, value, Copy.GLOBAL);
    }

    private static QueryResult keyValue(KeyRequest request, Long value, Copy copy) {
        if (value == null) {
            return new Absent(request.key(), copy);
        }
        return new Found(Json.write(new KeyValueBean(request.key(), value)), copy);
    }

    private static QueryResult windows(WindowRequest request, WindowStoreIterator<?> iterator, Copy copy) {
        List<KeyValueBean> windows = new ArrayList<>();
        try (iterator) {
            while (iterator.hasNext()) {
                KeyValue<Long, ?> window = iterator.next();
                // A timestamped window store answers ValueAndTimestamp to a WindowKeyQuery (KeyQuery unwraps it).
                Object value = window.value instanceof ValueAndTimestamp<?> vt ? vt.value() : window.value;
                windows.add(new KeyValueBean(request.key() + "@" + window.key, ((Number) value).longValue()));
            }
        }
        return new Found(Json.write(windows), copy);
    }
}
